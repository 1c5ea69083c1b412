"""Every text the course questions build a key for exists in the content: each question,
each option, each reason a lesson can come next, and each page line."""

from __future__ import annotations

from lessons import load_catalog
from lessons.planner import ComesWith, Reason, Relationship, Whose
from scheduler.actions.tailoring import QUESTIONS, Question


def test_every_question_option_and_reason_has_its_words() -> None:
    catalog = load_catalog()
    options = {Question.WHOSE: Whose, Question.RELATIONSHIP: Relationship}
    for question in QUESTIONS:
        catalog.text(f"tailor.q.{question.value}")
        catalog.text(f"tailor.page.{question.value}", answer="")
        for option in options.get(question, ComesWith):
            assert catalog.text(f"tailor.{question.value}.{option.value}")
    for reason in Reason:
        assert catalog.text(f"tailor.why.{reason.value}").startswith("because")
