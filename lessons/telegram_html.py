"""The small part of Telegram's HTML that content may use, checked before it reaches a chat.

Telegram rejects a whole message when one tag is unknown or one ``&`` is bare, so a typo in
content would silently turn a lesson into an error at send time. Checking every text once,
at load, moves that failure to ``softlanding lessons check``.
"""

from __future__ import annotations

import html
import re

ALLOWED_TAGS = frozenset({"b", "i", "u", "s", "code"})

# A token is a tag-like run, an entity-like run, or a lone bracket or ampersand.
_TOKEN = re.compile(r"<[^<>]*>|&[^&<>\s;]*;?|[<>&]")
_TAG = re.compile(r"<(/?)([a-z]+)>")
# Telegram knows only these named entities, plus every numeric one.
_ENTITY = re.compile(r"&(?:amp|lt|gt|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});")
_ANY_TAG = re.compile(r"<[^<>]*>")

_ALLOWED_LIST = "<b>, <i>, <u>, <s> or <code>, without attributes"


def html_problems(text: str) -> list[str]:
    """Every reason ``text`` would not render as Telegram HTML; empty when it would."""
    problems: list[str] = []
    open_tags: list[str] = []
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token.startswith("&"):
            problems.extend(_entity_problems(token))
        elif token in ("<", ">"):
            escaped = "&lt;" if token == "<" else "&gt;"
            problems.append(f"bare {token!r}: write {escaped} for a literal {token}")
        else:
            problems.extend(_tag_problems(token, open_tags))
    problems.extend(f"<{name}> is never closed: add </{name}>" for name in reversed(open_tags))
    return problems


def _entity_problems(token: str) -> list[str]:
    if _ENTITY.fullmatch(token):
        return []
    if len(token) > 1 and token.endswith(";"):
        return [
            f"entity {token} is not supported by Telegram: "
            "use &amp; &lt; &gt; &quot; or a numeric one such as &#8212;"
        ]
    return ["bare '&': write &amp; for a literal &"]


def _tag_problems(token: str, open_tags: list[str]) -> list[str]:
    """Check one tag against the stack of open ones, updating the stack as Telegram would."""
    tag = _TAG.fullmatch(token)
    if tag is None or tag.group(2) not in ALLOWED_TAGS:
        return [f"tag {token} is not allowed: use {_ALLOWED_LIST}, or write &lt; for a literal <"]
    closing, name = tag.groups()
    if not closing:
        inside_code = "code" in open_tags
        open_tags.append(name)
        if inside_code:
            return [f"<{name}> inside <code>: Telegram shows code without formatting"]
        return []
    if name not in open_tags:
        return [f"</{name}> closes nothing: remove it or open <{name}> before it"]
    if open_tags[-1] != name:
        inner = open_tags[-1]
        while open_tags.pop() != name:
            pass
        return [f"</{name}> closes <{name}> while <{inner}> is still open: close </{inner}> first"]
    open_tags.pop()
    return []


def plain_text(text: str) -> str:
    """What a reader sees: tags dropped, entities decoded. Used to count words and characters."""
    return html.unescape(_ANY_TAG.sub("", text))
