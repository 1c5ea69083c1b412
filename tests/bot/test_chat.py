"""``softlanding chat``: the real bot in a terminal, driven through standard input."""

from __future__ import annotations

import io
import re
import warnings
from pathlib import Path

import pytest

from bot.chat import Screen, run_chat
from bot.settings import Settings
from bot.standin import CallbackAnswer
from bot.terminal import html_to_text
from lessons import load_catalog, load_library
from lessons.model import Track


def _chat(lines: str, tmp_path: Path) -> str:
    out = io.StringIO()
    assert run_chat(Settings(), f"sqlite:///{tmp_path / 'chat.db'}", io.StringIO(lines), out) == 0
    return out.getvalue()


def test_language_poses_as_someone_whose_telegram_is_in_that_language(tmp_path: Path) -> None:
    out = io.StringIO()
    url = f"sqlite:///{tmp_path / 'chat.db'}"
    assert run_chat(Settings(), url, io.StringIO("/language\n"), out, language="es-MX") == 0
    spanish = load_library().catalog("es")
    asked = spanish.text("language.ask", language="Español")
    assert html_to_text(asked, color=False) in out.getvalue()
    assert "[2] ✓ Español" in out.getvalue()


def test_a_script_gets_every_answer_and_the_session_ends_with_the_input(tmp_path: Path) -> None:
    printed = _chat("/start\n/lesson\n", tmp_path)
    day_one = load_catalog().lesson_for_day(Track.SELF, 1)
    assert day_one is not None
    assert "Welcome to Soft Landing" in printed
    assert day_one.title in printed
    assert "[1] Get a daily lesson" in printed  # buttons are numbered


def test_buttons_are_tapped_by_number_and_the_clock_brings_the_lesson(tmp_path: Path) -> None:
    # /daily: for me, every day, 07:30, UTC; then a day passes.
    printed = _chat("/daily\n:1\n:1\n:1\n:1\n:time +1d\n", tmp_path)
    assert "All set." in printed
    assert "Your daily note is here" in printed
    assert "the clock now reads" in printed


def test_travel_stops_at_each_delivery_so_every_lesson_arrives_at_its_own_time(
    tmp_path: Path,
) -> None:
    # Every day at 07:30 UTC, then three days pass: three lessons, each stamped 07:30 on a
    # day of its own. A clock that jumped straight to the end would stamp them all alike.
    printed = _chat("/daily\n:1\n:1\n:1\n:1\n:time +3d\n", tmp_path)
    arrivals = re.findall(r"^Soft Landing, (\w+ \d+ \w+), (\d\d:\d\d) UTC:$", printed, re.M)
    assert [moment for _, moment in arrivals] == ["07:30"] * 3
    assert len({day for day, _ in arrivals}) == 3


def test_a_month_of_travel_brings_a_lesson_a_day(tmp_path: Path) -> None:
    printed = _chat("/daily\n:1\n:1\n:1\n:1\n:time +30d\n", tmp_path)
    assert printed.count("Your daily note is here") == 30


def test_local_commands_explain_themselves(tmp_path: Path) -> None:
    printed = _chat(":help\n:9\n:time soon\n:location north\n", tmp_path)
    assert ":time +1d" in printed
    assert "there is no button 9" in printed
    assert "expected :time +1d" in printed
    assert "expected :location LATITUDE LONGITUDE" in printed


def test_the_chat_keeps_its_data_between_sessions(tmp_path: Path) -> None:
    _chat("/lesson\n", tmp_path)
    day_two = load_catalog().lesson_for_day(Track.SELF, 2)
    assert day_two is not None and day_two.title in _chat("/lesson\n", tmp_path)


def test_inline_queries_and_share_buttons_list_the_cards(tmp_path: Path) -> None:
    day_one = load_catalog().lesson_for_day(Track.SELF, 1)
    assert day_one is not None
    # The share button comes last: after "Next lesson", "Helpful", "Not for me" and any
    # related technique.
    share = 5 if day_one.technique is not None else 4
    printed = _chat(f"@ breathing\n@ zzqx\n/lesson\n:{share}\n", tmp_path)
    assert "inline results:\n[1] " in printed
    assert "no inline results for 'zzqx'" in printed
    assert f"[1] {day_one.title} - A one-minute read" in printed


def test_an_answer_to_a_tap_shows_as_a_pop_up(tmp_path: Path) -> None:
    # /daily, for me, choose the days, then Done with none chosen: Telegram would show an alert.
    printed = _chat("/daily\n:1\n:3\n:8\n", tmp_path)
    alert = load_catalog().text("when.days.none")
    assert f"Soft Landing (pop-up alert, OK to close):\n  | {alert}\n" in printed


def test_a_pop_up_notice_is_marked_and_a_silent_answer_shows_nothing() -> None:
    out = io.StringIO()
    screen = Screen(out, color=False)
    screen.pop_up(CallbackAnswer("q1", "Saved.\nSee you then.", show_alert=False, url=None))
    screen.pop_up(CallbackAnswer("q2", None, show_alert=False, url=None))
    assert out.getvalue() == "Soft Landing (pop-up notice):\n  | Saved.\n  | See you then.\n\n"


def test_breathe_in_the_chat_raises_no_warning_and_leaving_ends_the_exercise(
    tmp_path: Path,
) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        printed = _chat("/breathe\n:1\n", tmp_path)
    catalog = load_catalog()

    def first_line(key: str, **values: object) -> str:
        return html_to_text(catalog.text(key, **values), color=False).splitlines()[0]

    assert first_line("breathe.intro", length=catalog.text("breathe.length.1")) in printed
    assert [str(warning.message) for warning in caught] == []
    # The exercise ended with the session instead of being waited out to its closing line.
    assert first_line("breathe.done", span=catalog.text("breathe.span.1")) not in printed


def test_two_people_on_one_database_link_and_agree_on_a_rhythm(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("scheduler.actions.partner.new_invite_code", lambda: "abcdefghijklmnop")
    script = [
        "/partner",
        ":1",  # create an invite link
        ":switch",
        "/start inv-abcdefghijklmnop",
        "/partner",
        ":1",  # suggest a rhythm
        ":2",  # weekdays
        ":2",  # 12:30
        ":switch",
        ":1",  # accept, on the suggestion that reached the first person
    ]
    printed = _chat("\n".join(script) + "\n", tmp_path)

    assert "now typing as the second person" in printed
    assert "Soft Landing, to the second person:" in printed
    assert "Your invite was opened" in printed
    assert "Your partner suggests a shared rhythm: lessons on weekdays at 12:30" in printed
    assert "Agreed: lessons on weekdays at 12:30" in printed
    assert "Your partner accepted your suggestion" in printed


def test_a_tap_after_a_keyboard_was_edited_away_taps_what_the_chat_shows_now(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("scheduler.actions.partner.new_invite_code", lambda: "abcdefghijklmnop")
    script = [
        "/partner",
        ":1",  # create an invite link
        ":switch",
        "/start inv-abcdefghijklmnop",
        "/partner",
        ":4",  # end sharing: the screen's buttons go, the first person gets a note
        ":1",  # the latest buttons left here are the welcome's
        ":9",
    ]
    printed = _chat("\n".join(script) + "\n", tmp_path)

    after_the_end = printed.split("Sharing has ended, and nothing about the link is kept.")[1]
    assert "How often would you like it?" in after_the_end
    assert "(there is no button 9; the latest message has 5)" in after_the_end


def test_a_new_data_key_is_one_local_note_in_the_first_chat_only(tmp_path: Path) -> None:
    # The key goes beside the data folder (tmp_path/keys), where no other test put one.
    data = tmp_path / "data"
    data.mkdir()
    first = _chat("/start\n", data)
    assert first.count("(a new data key was written to") == 1
    assert first.index("(a new data key was written to") < first.index("Welcome to Soft Landing")
    assert "data key" not in _chat("/start\n", data)  # the key is there now
