"""Every language of the content, loaded once and checked together.

The content root holds one folder per language, named by its code (``en``, ``es``), each a
whole catalog in the same file format. English is the default: it is what a person gets
when the bot has nothing in their language, and every other language is held to it by
``lessons.parity``. A folder of YAML files with no language folders reads as one language,
the default, which is how a test or ``lessons check --content-dir`` points at small content.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from lessons.catalog import CONTENT_DIR, Loaded, read_folder
from lessons.model import Catalog
from lessons.parity import parity_problems
from lessons.validation import ContentError, Problem

DEFAULT_LANGUAGE = "en"
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


@dataclass(frozen=True, slots=True, eq=False)
class Library:
    """One catalog per language code, the default language first."""

    catalogs: Mapping[str, Catalog]
    default: str = DEFAULT_LANGUAGE

    def __post_init__(self) -> None:
        if self.default not in self.catalogs:
            raise ValueError(f"the default language {self.default!r} has no catalog")
        ordered = {self.default: self.catalogs[self.default], **self.catalogs}
        object.__setattr__(self, "catalogs", MappingProxyType(ordered))

    @property
    def languages(self) -> tuple[str, ...]:
        """The language codes, the default first."""
        return tuple(self.catalogs)

    @property
    def default_catalog(self) -> Catalog:
        return self.catalogs[self.default]

    def catalog(self, language: str | None) -> Catalog:
        """The catalog for a stored language code; a code the bot no longer has (its folder
        was removed) reads as the default language rather than failing someone's message."""
        if language is None:
            return self.default_catalog
        return self.catalogs.get(language, self.default_catalog)

    def pick(self, language_code: str | None) -> str:
        """Our language for Telegram's ``language_code`` (an IETF tag such as ``es-MX``):
        its primary subtag when we have it, otherwise the default."""
        if not language_code:
            return self.default
        primary = language_code.replace("_", "-").split("-", 1)[0].lower()
        return primary if primary in self.catalogs else self.default


def load_library(root: Path | None = None) -> Library:
    """Every language under ``root`` (by default the bundled content), validated and compared.

    The bundled library is read once per process and shared; an explicit root is read
    afresh on every call. Raises ``ContentError`` listing every problem in every language.
    """
    if root is None:
        return bundled_library()
    return _load(Path(root))


@functools.cache
def bundled_library() -> Library:
    return _load(CONTENT_DIR)


def _load(root: Path) -> Library:
    folders = language_folders(root)
    if not folders:
        return _one_language(root)
    loaded = {code: read_folder(path, f"{code}/") for code, path in folders.items()}
    problems = [problem for each in loaded.values() for problem in each.problems]
    problems += _folder_problems(root, folders)
    base = loaded.get(DEFAULT_LANGUAGE)
    if base is not None and base.catalog is not None:
        for code, other in loaded.items():
            if code != DEFAULT_LANGUAGE and other.catalog is not None:
                problems += parity_problems(DEFAULT_LANGUAGE, base, code, other)
    if problems:
        raise ContentError(tuple(problems))
    return Library({code: _built(each) for code, each in loaded.items()})


def _built(loaded: Loaded) -> Catalog:
    assert loaded.catalog is not None
    return loaded.catalog


def language_folders(root: Path) -> dict[str, Path]:
    """The sub-folders of ``root`` that hold content, by name, sorted."""
    if not root.is_dir():
        return {}
    found = (path for path in sorted(root.iterdir()) if path.is_dir())
    return {path.name: path for path in found if any(path.glob("*.yaml"))}


def _folder_problems(root: Path, folders: Mapping[str, Path]) -> list[Problem]:
    problems = [
        Problem(
            f"{name}/",
            None,
            None,
            None,
            "not a language code; name a language's folder "
            "by its two- or three-letter code in lower case, such as es or pt",
        )
        for name in folders
        if not _LANGUAGE_CODE.match(name)
    ]
    if DEFAULT_LANGUAGE not in folders:
        problems.append(
            Problem(
                str(root),
                None,
                None,
                None,
                f"no {DEFAULT_LANGUAGE}/ folder; the default language's content is needed",
            )
        )
    return problems


def _one_language(root: Path) -> Library:
    loaded = read_folder(root)
    if loaded.catalog is None:
        raise ContentError(loaded.problems)
    return Library({DEFAULT_LANGUAGE: loaded.catalog})
