"""Telegram's HTML, read the way the Bot API reads it: plain text and entity spans, or a refusal
in the Bot API's own words, so an escaping bug fails a test instead of a delivery."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .model import ApiError, bad_request


@dataclass(frozen=True)
class Rendered:
    """Message text after Telegram's parsing; ``entities`` is what "not modified" compares."""

    text: str
    entities: tuple[tuple[Any, ...], ...] = ()


# Tag name -> entity kind. Synonyms map to one kind so "<b>" and "<strong>" compare equal.
_HTML_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
# Only these character references are decoded; any other "&" stays as typed, like Telegram.
_HTML_ENTITY = re.compile(r"&(?:(lt|gt|amp|quot)|#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6}));")
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_TAG_NAME_END = re.compile(r"[\s>]")
_MARKUP = re.compile(r"[<&]")


def _parse_error(reason: str) -> ApiError:
    return bad_request(f"can't parse entities: {reason}")


class HtmlReader:
    """Turns Telegram-flavoured HTML into plain text and entity spans, or refuses it with the
    same wording the Bot API uses, so an escaping bug fails a test instead of a delivery."""

    def __init__(self, source: str) -> None:
        self.source = source.strip()
        self.text: list[str] = []
        self.length = 0
        self.open_tags: list[tuple[str, int, str]] = []  # (name, start in text, attributes)
        self.entities: list[tuple[Any, ...]] = []

    def read(self) -> Rendered:
        position = 0
        while position < len(self.source):
            position = self._step(position)
        if self.open_tags:
            name = self.open_tags[-1][0]
            raise _parse_error(f'Can\'t find end tag corresponding to start tag "{name}"')
        text = "".join(self.text).rstrip()
        spans = tuple(
            (kind, start, min(end, len(text)), arg) for kind, start, end, arg in self.entities
        )
        return Rendered(text, tuple(sorted(span for span in spans if span[2] > span[1])))

    def _step(self, position: int) -> int:
        char = self.source[position]
        if char == "&":
            return self._character_reference(position)
        if char != "<":
            # Plain text runs to the next tag or character reference, taken in one piece.
            found = _MARKUP.search(self.source, position)
            end = found.start() if found else len(self.source)
            self._emit(self.source[position:end])
            return end
        if self.source.startswith("</", position):
            return self._close(position)
        return self._open(position)

    def _character_reference(self, position: int) -> int:
        match = _HTML_ENTITY.match(self.source, position)
        if match is None:
            self._emit("&")
            return position + 1
        named, decimal, hexadecimal = match.groups()
        if named:
            self._emit(_NAMED_ENTITIES[named])
        else:
            self._emit(chr(min(int(decimal or hexadecimal, 10 if decimal else 16), 0x10FFFF)))
        return match.end()

    def _tag_end(self, position: int) -> int:
        # A ">" inside a quoted attribute value does not end the tag.
        quote: str | None = None
        for index in range(position, len(self.source)):
            char = self.source[index]
            if quote:
                quote = None if char == quote else quote
            elif char in "\"'":
                quote = char
            elif char == ">":
                return index
        return -1

    def _open(self, position: int) -> int:
        # Checked in Telegram's order: the name (up to whitespace or ">") first, then the rest.
        found = _TAG_NAME_END.search(self.source, position + 1)
        name_end = found.start() if found else len(self.source)
        name = self.source[position + 1 : name_end].lower()
        offset = self._offset(position)
        if name_end >= len(self.source):
            raise _parse_error(f"Unclosed start tag at byte offset {offset}")
        if name not in _HTML_TAGS:
            raise _parse_error(f'Unsupported start tag "{name}" at byte offset {offset}')
        end = self._tag_end(name_end)
        if end < 0:
            raise _parse_error(f"Unclosed start tag at byte offset {offset}")
        attributes = self.source[name_end:end].strip()
        if name == "span" and "tg-spoiler" not in attributes:
            raise _parse_error(f'Tag "span" must have class "tg-spoiler" at byte offset {offset}')
        self.open_tags.append((name, self.length, attributes))
        return end + 1

    def _close(self, position: int) -> int:
        offset = self._offset(position)
        if not self.open_tags:
            raise _parse_error(f"Unexpected end tag at byte offset {offset}")
        end = self.source.find(">", position)
        if end < 0:
            raise _parse_error(f"Unclosed end tag at byte offset {offset}")
        name = self.source[position + 2 : end].strip().lower()
        open_name, start, attributes = self.open_tags.pop()
        if name and name != open_name:
            raise _parse_error(
                f"Unmatched end tag at byte offset {offset}, "
                f'expected "</{open_name}>", found "</{name}>"'
            )
        self.entities.append((_HTML_TAGS[open_name], start, self.length, attributes))
        return end + 1

    def _emit(self, text: str) -> None:
        self.text.append(text)
        self.length += len(text)

    def _offset(self, position: int) -> int:
        return len(self.source[:position].encode())


def render(text: Any, parse_mode: Any, entities: Any) -> Rendered:
    """What Telegram stores for a text or caption. Markdown is kept as sent: nothing here
    renders it, and the bot uses HTML."""
    source = "" if text is None else str(text)
    if isinstance(parse_mode, str) and parse_mode.upper() == "HTML":
        return _read_html(source)
    spans = tuple(
        (e.get("type"), e.get("offset"), e.get("length"), json.dumps(e, sort_keys=True))
        for e in entities or ()
    )
    return Rendered(source.strip(), spans)


@lru_cache(maxsize=1024)
def _read_html(source: str) -> Rendered:
    # A drain sends one lesson's text to thousands of chats: reading it once keeps the
    # stand-in's own cost from standing in for the bot's. The reading depends on the text
    # alone, and a refusal raises (so is read afresh) every time.
    return HtmlReader(source).read()
