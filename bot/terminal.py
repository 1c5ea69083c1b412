"""Telegram's HTML subset as terminal text, for ``lessons preview`` and the local ``chat``.

Bold, italic, underline and strike-through become ANSI styles when ``color`` is on and
vanish otherwise; entities are decoded either way, so what prints is what a reader sees.
"""

from __future__ import annotations

from html.parser import HTMLParser

_STYLES = {"b": "1", "strong": "1", "i": "3", "em": "3", "u": "4", "s": "9", "code": "36"}
_RESET = "\x1b[0m"


def html_to_text(html: str, *, color: bool) -> str:
    converter = _Converter(color=color)
    converter.feed(html)
    converter.close()
    return converter.text()


class _Converter(HTMLParser):
    """Collects text under a stack of open styles; a style code is written only when the
    style of the next piece of text differs from the last one written."""

    def __init__(self, *, color: bool) -> None:
        super().__init__(convert_charrefs=True)
        self._color = color
        self._open: list[str] = []
        self._written = ""
        self._out: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _STYLES:
            self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._open:
            # Drop the innermost open tag of this name, as a browser would for sloppy nesting.
            del self._open[len(self._open) - 1 - self._open[::-1].index(tag)]

    def handle_data(self, data: str) -> None:
        self._style(";".join(dict.fromkeys(_STYLES[tag] for tag in self._open)))
        self._out.append(data)

    def _style(self, codes: str) -> None:
        if self._color and codes != self._written:
            reset = _RESET if self._written else ""
            self._out.append(reset + (f"\x1b[{codes}m" if codes else ""))
            self._written = codes

    def text(self) -> str:
        self._style("")
        return "".join(self._out)
