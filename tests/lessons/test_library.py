"""Languages side by side: every language folder loads, and each matches the default."""

from __future__ import annotations

from pathlib import Path

import pytest

from lessons import ContentError, load_library

from .conftest import BODY, ContentDir
from .test_rules import PARTNER_BODY, RULES, SECOND_BODY


class Languages:
    """A content root with an English and a Spanish folder, identical until a test breaks one."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "en").mkdir()
        (root / "es").mkdir()
        self.en = ContentDir(root / "en")
        self.es = ContentDir(root / "es")

    def problems(self) -> list[str]:
        with pytest.raises(ContentError) as caught:
            load_library(self.root)
        return [str(problem) for problem in caught.value.problems]


@pytest.fixture
def languages(tmp_path: Path) -> Languages:
    return Languages(tmp_path)


def test_matching_languages_load_with_the_default_first(languages):
    library = load_library(languages.root)
    assert library.languages == ("en", "es")
    assert library.catalog("es") is not library.catalog("en")
    assert library.catalog("es").lesson("first-day").day == 1


@pytest.mark.parametrize(
    ("telegram_code", "ours"),
    [("es", "es"), ("es-MX", "es"), ("ES-es", "es"), ("en-GB", "en"), ("pt-BR", "en"), ("", "en")],
)
def test_telegram_language_codes_pick_ours_or_english(languages, telegram_code, ours):
    assert load_library(languages.root).pick(telegram_code) == ours


def test_a_stored_language_that_is_gone_reads_as_english(languages):
    library = load_library(languages.root)
    assert library.catalog("fr") is library.catalog("en")
    assert library.catalog(None) is library.catalog("en")


def test_a_plain_folder_is_one_language(languages):
    assert load_library(languages.root / "en").languages == ("en",)


def test_a_ui_key_missing_in_one_language_is_named_where_it_is(languages):
    languages.es.replace("ui.yaml", '  greeting: "Hello, <b>{name}</b>!"\n', "")
    line = languages.en.line("ui.yaml", "greeting")
    assert languages.problems() == [
        f"en/ui.yaml:{line}: ui: greeting: is in en but missing in es; "
        "every language has the same ui keys (add it to es/ or remove it here)"
    ]


def test_a_ui_key_only_one_other_language_has_is_refused(languages):
    languages.es.replace("ui.yaml", "ui:\n", 'ui:\n  farewell: "Hasta luego"\n')
    (problem,) = languages.problems()
    assert problem.startswith("es/ui.yaml:2: ui: farewell: is in es but missing in en")


def test_a_different_placeholder_is_refused(languages):
    languages.es.replace("ui.yaml", "{name}", "{nombre}")
    line = languages.es.line("ui.yaml", "greeting")
    assert languages.problems() == [
        f"es/ui.yaml:{line}: ui: greeting: placeholders {{nombre}} here but {{name}} in en; "
        "every language fills in the same {names}"
    ]


def test_a_placeholder_given_twice_in_one_language_only_is_refused(languages):
    languages.es.replace("ui.yaml", "Hello, <b>{name}</b>!", "{name}, hola, <b>{name}</b>")
    (problem,) = languages.problems()
    assert "placeholders {name} x2 here but {name} in en" in problem


def test_a_track_day_that_disagrees_is_refused(languages):
    languages.es.replace("course-self.yaml", "    day: 1\n", "    day: 3\n")
    languages.es.replace("course-self.yaml", "    day: 2\n", "    day: 1\n")
    languages.es.replace("course-self.yaml", "    day: 3\n", "    day: 2\n")
    problems = languages.problems()
    first = languages.es.line("course-self.yaml", "first-day")
    assert (
        f"es/course-self.yaml:{first}: first-day: day: 2 here but 1 in en; "
        "this field is the same in every language"
    ) in problems
    assert len(problems) == 2


def test_a_source_that_disagrees_is_refused(languages):
    languages.es.replace("course-self.yaml", "source: [intro]", "source: [why.pain]")
    (problem,) = languages.problems()
    assert problem.startswith("es/course-self.yaml:")
    assert "first-day: source: [why.pain] here but [intro] in en" in problem


def test_an_optional_text_given_in_one_language_only_is_refused(languages):
    languages.es.replace("course-self.yaml", "    reflect: What do you notice right now?\n", "")
    (problem,) = languages.problems()
    assert "first-day: reflect: missing here but given in en" in problem


def test_a_lesson_missing_in_one_language_is_named_where_it_is(languages):
    text = languages.es.text("course-self.yaml")
    languages.es.write("course-self.yaml", text[: text.index("  - id: second-day")])
    line = languages.en.line("course-self.yaml", "second-day")
    (problem,) = languages.problems()
    assert problem == (
        f"en/course-self.yaml:{line}: second-day: is in en but missing in es; "
        "every language has the same entries (add it to es/ or remove it here)"
    )


def test_a_language_problem_names_its_folder(languages):
    languages.es.replace("course-self.yaml", "title: A gentle start", "title: " + "x" * 70)
    (problem,) = languages.problems()
    assert problem.startswith("es/course-self.yaml:")


def ruled(content: ContentDir, rules: str = RULES) -> None:
    """Rules on, and the fixture's lessons given bodies of their own so every rule holds."""
    content.write("rules.yaml", rules)
    first, second = content.text("course-self.yaml").rsplit(BODY, 1)
    content.write("course-self.yaml", first + SECOND_BODY + second)
    content.replace("course-partner.yaml", BODY, PARTNER_BODY)
    content.replace(
        "course-partner.yaml", "    audience: partner", "    audience: partner\n    tags: [care]"
    )


def test_rules_in_both_languages_load(languages):
    ruled(languages.en)
    ruled(languages.es, RULES.replace("[sex, in bed]", "[sexo, en la cama]"))
    assert load_library(languages.root).catalog("es").rules.explicit_words == ("sexo", "en la cama")


def test_a_missing_rules_file_in_one_language_is_refused(languages):
    ruled(languages.en)
    ruled(languages.es)
    languages.es.remove("rules.yaml")
    assert languages.problems() == [
        "es/rules.yaml: rules: not found; en has rules, so es needs its own rules.yaml"
    ]


def test_limits_must_agree_but_word_lists_are_each_languages_own(languages):
    ruled(languages.en)
    ruled(languages.es, RULES.replace("preview_characters: 60", "preview_characters: 50"))
    assert languages.problems() == [
        "es/rules.yaml: rules: preview_characters: differs from en's; "
        "limits, tags and ui keys are the same in every language"
    ]


def test_folders_must_be_named_by_language_code(languages):
    (languages.root / "es").rename(languages.root / "Spanish")
    (problem,) = languages.problems()
    assert problem.startswith("Spanish/: not a language code")


def test_the_default_language_must_be_there(tmp_path):
    (tmp_path / "es").mkdir()
    ContentDir(tmp_path / "es")
    (problem,) = _problems(tmp_path)
    assert problem.endswith("no en/ folder; the default language's content is needed")


def _problems(root: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_library(root)
    return [str(problem) for problem in caught.value.problems]


def test_every_bundled_language_matches_english():
    library = load_library()
    english = library.default_catalog
    for catalog in library.catalogs.values():
        assert set(catalog.ui) == set(english.ui)
        assert [lesson.id for lesson in catalog.track("self")] == [
            lesson.id for lesson in english.track("self")
        ]
