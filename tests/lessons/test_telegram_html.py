"""The Telegram HTML rule on its own: what passes, what fails, and why."""

from __future__ import annotations

import pytest

from lessons.telegram_html import html_problems, plain_text


@pytest.mark.parametrize(
    "text",
    [
        "plain words",
        "<b>bold</b> <i>italic</i> <u>under</u> <s>struck</s> <code>4-6</code>",
        "<b>bold <i>and italic</i></b>",
        "&amp; &lt; &gt; &quot; &#8212; &#x2014;",
        "a question? yes: it's fine; 100% (really) {placeholder}",
    ],
)
def test_valid(text):
    assert html_problems(text) == []


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("a & b", "bare '&'"),
        ("a &b c", "bare '&'"),
        ("&nbsp;", "not supported"),
        ("1 < 2", "bare '<'"),
        ("2 > 1", "bare '>'"),
        ("<b>open", "<b> is never closed"),
        ("close</i>", "</i> closes nothing"),
        ("<b><i>x</b></i>", "while <i> is still open"),
        ("<B>x</B>", "tag <B> is not allowed"),
        ('<b class="x">x</b>', "is not allowed"),
        ("<span>x</span>", "tag <span> is not allowed"),
        ("<pre>x</pre>", "tag <pre> is not allowed"),
        ("<code><b>x</b></code>", "inside <code>"),
    ],
)
def test_invalid(text, says):
    problems = html_problems(text)
    assert any(says in problem for problem in problems), problems


def test_plain_text_is_what_a_reader_sees():
    assert plain_text("<b>Tom</b> &amp; <i>Jerry</i> &#8212; &lt;3") == "Tom & Jerry — <3"
