"""The data key: how the one value that names a real person, the Telegram chat id, is kept.

A stored chat id is sealed with AES-256-GCM (authenticated: a wrong key or a changed byte
is refused, never read as another number) and found again by a keyed hash, HMAC-SHA256,
so a copied database names no one and still lets the bot look people up. Both keys, and a
check value the database keeps to recognise its key, are derived from one 32-byte data key
with HKDF-SHA256, each under its own label, so none of them reveals another. The course
answers and lesson taps are sealed as short text (``seal_text``) under a subkey of their own.

The data key is kept apart from the database (``DATA_KEY``, or a key file): see the README.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import logging
import os
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

log = logging.getLogger(__name__)

KEY_BYTES = 32
KEY_TEXT = "32 random bytes in URL-safe base64 (44 characters), as `softlanding keys new` prints"
_NONCE_BYTES = 12
_SEALING = b"soft-landing chat id sealing v1"
_LOOKUP = b"soft-landing chat id lookup v1"
_CHECK = b"soft-landing data key check v1"
_TEXT = b"soft-landing short text sealing v1"
# Sealed text is padded to a whole number of blocks, so the length of what is stored cannot
# tell "pain" from "memories": every option id the bot keeps fits one block.
_TEXT_BLOCK = 32
# What a sealed value is for: a chat id sealed here cannot pass for any other sealed value.
_PURPOSE = b"chat_id"


class DataKeyError(ValueError):
    """A key cannot be used: malformed, or not the key the database was sealed with. The
    message is one line, safe to print: it never holds the key."""


class DataKey:
    """One data key and what is derived from it; the AES object is made once and reused, so
    opening a claimed row's chat id costs a few microseconds."""

    __slots__ = ("_check", "_lookup", "_sealing", "_text")

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise DataKeyError(f"a data key is {KEY_BYTES} bytes, this one {len(key)}")
        self._sealing = AESGCM(_derive(key, _SEALING))
        self._lookup = _derive(key, _LOOKUP)
        self._check = _derive(key, _CHECK)
        self._text = AESGCM(_derive(key, _TEXT))

    def __repr__(self) -> str:
        return "DataKey(...)"

    @classmethod
    def generate(cls) -> tuple[DataKey, str]:
        """A new random key and its text, as a key file or ``DATA_KEY`` holds it."""
        text = key_text(secrets.token_bytes(KEY_BYTES))
        return cls.from_text(text), text

    @classmethod
    def from_text(cls, text: str) -> DataKey:
        """The key a ``DATA_KEY`` value or a key file holds; DataKeyError says what is wrong."""
        raw = text.strip()
        try:
            key = base64.urlsafe_b64decode(raw.encode("ascii"))
        except (binascii.Error, UnicodeEncodeError, ValueError):
            raise DataKeyError(f"not a data key; expected {KEY_TEXT}") from None
        if len(key) != KEY_BYTES or len(raw) != 44:
            raise DataKeyError(f"not a data key; expected {KEY_TEXT}")
        return cls(key)

    @property
    def check(self) -> bytes:
        """A value the database keeps to tell its key from any other; it reveals no key."""
        return self._check

    def lookup(self, chat_id: int) -> bytes:
        """The keyed hash a person is found by: the same chat id always gives the same one."""
        return hmac.digest(self._lookup, _chat_bytes(chat_id), hashlib.sha256)

    def seal(self, chat_id: int) -> bytes:
        """The chat id encrypted under a fresh random nonce: nonce, ciphertext, tag."""
        nonce = os.urandom(_NONCE_BYTES)
        return nonce + self._sealing.encrypt(nonce, _chat_bytes(chat_id), _PURPOSE)

    def open(self, sealed: bytes) -> int:
        """The chat id ``seal`` gave ``sealed``; DataKeyError for another key's or a changed one."""
        value = bytes(sealed)
        try:
            plain = self._sealing.decrypt(value[:_NONCE_BYTES], value[_NONCE_BYTES:], _PURPOSE)
        except (InvalidTag, ValueError):
            raise DataKeyError(
                "a stored chat id does not open with this data key: it was sealed with another"
            ) from None
        return int.from_bytes(plain, "big", signed=True)

    def seal_text(self, text: str, context: str) -> str:
        """``text`` (a short option id) encrypted under a fresh random nonce, padded so its
        length tells nothing, as URL-safe base64 for a text column. ``context`` says where
        it is kept (table, column, owner): a value copied to another row or column is
        refused there rather than read."""
        plain = text.encode("utf-8")
        size = -(-(len(plain) + 1) // _TEXT_BLOCK) * _TEXT_BLOCK
        padded = plain + b"\x80" + bytes(size - len(plain) - 1)
        nonce = os.urandom(_NONCE_BYTES)
        sealed = nonce + self._text.encrypt(nonce, padded, context.encode("utf-8"))
        return key_text(sealed)

    def open_text(self, sealed: str, context: str) -> str:
        """The text ``seal_text`` gave ``sealed`` in ``context``; DataKeyError for another
        key's, another place's or a changed one."""
        try:
            value = base64.urlsafe_b64decode(sealed.encode("ascii"))
            padded = self._text.decrypt(
                value[:_NONCE_BYTES], value[_NONCE_BYTES:], context.encode("utf-8")
            )
        except (InvalidTag, ValueError, UnicodeEncodeError, binascii.Error):
            raise DataKeyError(
                "a stored answer does not open with this data key: it was sealed with another"
            ) from None
        return padded[: padded.rindex(b"\x80")].decode("utf-8")


def _derive(key: bytes, label: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=label).derive(key)


def _chat_bytes(chat_id: int) -> bytes:
    # Telegram's chat ids fit 52 bits, signed (groups are negative); eight bytes hold any.
    return chat_id.to_bytes(8, "big", signed=True)


def key_text(key: bytes) -> str:
    return base64.urlsafe_b64encode(key).decode("ascii")


# --- key files ------------------------------------------------------------------------------


def read_key_file(path: Path, setting: str) -> DataKey:
    """The key in ``path``; DataKeyError names ``setting`` and what is expected."""
    try:
        text = path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or "not text"
        raise DataKeyError(f"{setting}: the key file {path} cannot be read ({reason})") from None
    try:
        return DataKey.from_text(text)
    except DataKeyError:
        raise DataKeyError(
            f"{setting}: {path} does not hold a data key; expected {KEY_TEXT}"
        ) from None


def key_from_file(path: Path, setting: str) -> DataKey:
    """The key in ``path``, or a new one written there (0600, in a 0700 folder) when there is
    none yet: the first start needs no set-up. Creating it is logged once, with where it is,
    never with the key."""
    if path.exists():
        return read_key_file(path, setting)
    key, text = DataKey.generate()
    try:
        write_key_file(path, text)
    except FileExistsError:
        # Another process starting at the same moment wrote it first: use that one.
        return read_key_file(path, setting)
    except OSError as error:
        raise DataKeyError(
            f"{setting}: a new key file cannot be written at {path} ({error.strerror}); "
            "point DATA_KEY_FILE at a folder this user may write to"
        ) from None
    log.warning(
        "a new data key was written to %s: back it up apart from the database (without it "
        "the stored chat ids cannot be read, and nobody can be messaged again)",
        path,
    )
    return key


def write_key_file(path: Path, text: str) -> None:
    """Write a key file for this user only, whole or not at all: the text goes to a file of
    its own first, flushed to disk, and is linked into place only if nothing is there."""
    folder = path.parent
    if not folder.is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(0o700)
    temporary = folder / f".{path.name}.{secrets.token_hex(4)}.tmp"
    try:
        _write_private(temporary, text)
        os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    _sync_folder(folder)


def replace_key_file(staged: Path, path: Path) -> None:
    """Put the key file ``staged`` in place of ``path`` in one step (a rename)."""
    staged.replace(path)
    _sync_folder(path.parent)


def _write_private(path: Path, text: str) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(text + "\n")
        file.flush()
        os.fsync(file.fileno())


def _sync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
