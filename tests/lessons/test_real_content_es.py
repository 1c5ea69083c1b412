"""The Spanish content keeps the promises the English does, in words of its own.

Structure is held to English by ``lessons check`` (``lessons/parity.py``); these tests
read what the Spanish says: that pain means stopping and seeing someone, that typed
Spanish in danger gets the urgent answer, and that the voice is one (tú, neutral Spanish).
"""

from __future__ import annotations

import re

import pytest

from lessons import Catalog, SupportNote, load_library
from lessons.care import fold
from scheduler.actions.care import Answer, answer_for

from .test_real_content import all_text, sourced_from

STOP_OR_PAUSE = re.compile(r"\b(par[aeo]|parar|paremos|pausa|detente|det[eé]n)", re.IGNORECASE)
HEALTH_CARE = re.compile(r"m[eé]dic|profesional(es)? de la salud|sanitari", re.IGNORECASE)
# Forms a neutral tú voice never uses, and words with other meanings in some countries.
NOT_OUR_VOICE = {
    "usted", "ustedes", "vosotros", "vosotras", "podeis", "teneis", "sois", "estais", "vos",
    "coger", "coge", "cogele", "movil", "celular", "ordenador", "computadora", "vale",
    "ahorita", "chevere", "guay", "platicar", "charlar",
}  # fmt: skip


@pytest.fixture(scope="module")
def spanish() -> Catalog:
    return load_library().catalog("es")


def test_spanish_is_bundled_and_not_a_copy_of_english(spanish):
    english = load_library().catalog("en")
    assert spanish is not english
    worded = {
        key: text for key, text in spanish.ui.items() if re.sub(r"\{\w+\}", "", text).strip(" ()")
    }
    same = [key for key, text in worded.items() if text == english.ui[key] and len(text) > 12]
    assert same == []
    assert spanish.track("self")[0].body != english.track("self")[0].body


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        ("quiero morirme", Answer.URGENT),
        ("No quiero vivir más", Answer.URGENT),
        ("pienso en suicidarme", Answer.URGENT),
        ("me quiero hacer daño", Answer.URGENT),
        ("estoy en peligro", Answer.URGENT),
        ("me duele mucho", Answer.CRISIS),
        ("dije que no y siguió", Answer.CRISIS),
        ("no puedo parar de llorar", Answer.CRISIS),
        ("¿Qué le digo?", Answer.PARTNER),
        ("mi pareja lloró, ¿cómo la ayudo?", Answer.PARTNER),
        ("Lloré anoche después y me da vergüenza", Answer.ORDINARY),
        ("gracias", Answer.ORDINARY),
    ],
)
def test_typed_spanish_gets_the_answer_it_needs(spanish, typed, answer):
    assert answer_for(spanish.care, typed) == answer


def test_pain_means_pause_and_someone_who_can_help(spanish):
    entries = sourced_from(spanish, "why.pain", "pain")
    assert entries
    for entry in entries:
        text = all_text(entry)
        assert STOP_OR_PAUSE.search(text), f"{entry.id} is about pain but never says stop"
        assert HEALTH_CARE.search(text), f"{entry.id} is about pain but names no professional"


def test_memories_and_support_point_to_support(spanish):
    entries = [
        entry
        for entry in sourced_from(spanish, "why.memories", "support")
        if not isinstance(entry, SupportNote)
    ]
    missing = [entry.id for entry in entries if "/support" not in all_text(entry)]
    assert entries and not missing


def test_the_support_note_opens_on_reaching_out_and_says_when_it_is_urgent(spanish):
    # Read right after the urgent line in typed-text answers: not an opening about tears.
    paragraphs = spanish.support.body.split("\n\n")
    assert not re.search(r"l[aá]grima|llor|human", paragraphs[0], re.IGNORECASE)
    assert "apoyo" in paragraphs[0]
    emergency = next(i for i, text in enumerate(paragraphs) if "servicios de emergencia" in text)
    listing = next(i for i, text in enumerate(paragraphs) if "Quién ayuda con qué" in text)
    assert emergency < listing
    assert "línea de crisis" in paragraphs[emergency]
    assert not re.search(r"\d{3}", spanish.support.body), "no phone numbers or addresses"


def test_one_voice_tu_and_neutral_spanish(spanish):
    texts = {entry.id: all_text(entry) for entry in spanish.entries()}
    texts.update(spanish.ui)
    found = {name: sorted(set(fold(text)) & NOT_OUR_VOICE) for name, text in texts.items()}
    assert {name: words for name, words in found.items() if words} == {}
