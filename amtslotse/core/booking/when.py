"""When the citizen would like to come, from everyday German, as a search window.

ctparse reads dates and weekdays well ("nächsten Dienstag nachmittag", "morgen
früh", "am 3.12."), but it has no notion of weeks ("nächste Woche" becomes a
Tuesday), it ignores negation ("nicht am Freitag" becomes a Friday) and it
reads "vormittags" as noon. Those three are handled here first, by small
patterns; ctparse only sees what is left. Pure: ``today`` is passed in, and
ctparse (which loads its bundled model on first import) is imported lazily.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ctparse.types import Time

# How far ahead the bot looks when the citizen names no day (the API default).
DEFAULT_DAYS = 14
# The backend accepts at most this many days per search.
MAX_DAYS = 62
# ctparse gives up after this many seconds; a short message needs far less.
_CTPARSE_TIMEOUT = 1.0

MORNING = "vormittag"
AFTERNOON = "nachmittag"

_WEEKDAYS = {
    "montag": 0,
    "dienstag": 1,
    "mittwoch": 2,
    "donnerstag": 3,
    "freitag": 4,
    "samstag": 5,
    "sonntag": 6,
}
_DAY = r"(montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag)s?"
# "nicht am Freitag", "kein Montag", "außer mittwochs", "Freitag geht nicht".
_EXCLUDED = (
    re.compile(rf"\b(?:nicht|kein\w*|au(?:ß|ss)er)\s+(?:am\s+|an\s+|den\s+|die\s+)?{_DAY}\b"),
    re.compile(rf"\b(?:am\s+)?{_DAY}\s+(?:geht|kann\s+ich|passt)\s+(?:es\s+)?nicht\b"),
)
_AND_DAY = re.compile(rf"^\s*(?:und|oder|,)\s+(?:am\s+|an\s+)?{_DAY}\b")
# Dayparts: the backend knows "vormittag" and "nachmittag". "morgens" and "früh"
# mean the morning; "morgen" alone means tomorrow and is left to ctparse.
_MORNING = re.compile(r"\b(vormittags?|morgens|früh|frueh|am\s+morgen)\b")
_AFTERNOON = re.compile(r"\b(nachmittags?|abends?|mittags?|spät|spaet)\b")
_WEEK = re.compile(r"\b(diese|dieser|kommende|kommenden|nächste|nächsten|übernächste)\s+woche\b")
_WEEK_OFFSETS = {
    "diese": 0,
    "dieser": 0,
    "kommende": 1,
    "kommenden": 1,
    "nächste": 1,
    "nächsten": 1,
    "übernächste": 2,
}


@dataclass(frozen=True)
class Preference:
    """A search window for ``GET /availability`` plus what the API cannot filter."""

    first_day: date
    last_day: date
    daypart: str | None = None  # MORNING, AFTERNOON or None
    excluded_weekdays: frozenset[int] = field(default_factory=frozenset)  # 0 = Monday
    understood: bool = False  # the text named a day, week, daypart or an excluded day

    def allows(self, start: datetime) -> bool:
        """Whether an appointment starting at ``start`` fits (the API filters the rest)."""
        return start.weekday() not in self.excluded_weekdays

    def as_slot(self) -> dict[str, object]:
        return {
            "first_day": self.first_day.isoformat(),
            "last_day": self.last_day.isoformat(),
            "daypart": self.daypart,
            "excluded_weekdays": sorted(self.excluded_weekdays),
            "understood": self.understood,
        }

    @classmethod
    def from_slot(cls, value: object, today: date) -> Preference:
        """The preference stored in a slot; the default window if there is none."""
        if not isinstance(value, dict):
            return default_preference(today)
        try:
            first = max(date.fromisoformat(str(value["first_day"])), today)
            last = max(date.fromisoformat(str(value["last_day"])), first)
        except (KeyError, ValueError):
            return default_preference(today)
        daypart = value.get("daypart")
        return cls(
            first,
            last,
            daypart if daypart in (MORNING, AFTERNOON) else None,
            frozenset(int(d) for d in value.get("excluded_weekdays") or () if 0 <= int(d) <= 6),
            bool(value.get("understood")),
        )

    def later(self, after: date, today: date) -> Preference:
        """The same wish from ``after`` on, at least DEFAULT_DAYS long ("Andere Zeiten")."""
        first = max(after, today, self.first_day)
        last = max(self.last_day, first + timedelta(days=DEFAULT_DAYS - 1))
        return Preference(first, last, self.daypart, self.excluded_weekdays, self.understood)


def default_preference(today: date) -> Preference:
    return Preference(today, today + timedelta(days=DEFAULT_DAYS - 1))


def _week(offset: int, today: date) -> tuple[date, date]:
    monday = today - timedelta(days=today.weekday()) + timedelta(weeks=offset)
    return max(monday, today), monday + timedelta(days=6)


def _excluded(text: str) -> tuple[set[int], str]:
    """Weekdays the citizen rules out, and the text without those phrases."""
    days: set[int] = set()
    for pattern in _EXCLUDED:
        while match := pattern.search(text):
            days.add(_WEEKDAYS[match.group(1)])
            rest = text[match.end() :]
            # "nicht am Montag und Dienstag": the negation covers both days.
            while follow := _AND_DAY.match(rest):
                days.add(_WEEKDAYS[follow.group(1)])
                rest = rest[follow.end() :]
            text = f"{text[: match.start()]} {rest}"
    return days, text


def _ctparse_days(text: str, today: date) -> tuple[date, date, int | None] | None:
    """The day or days ctparse finds in ``text`` (and an hour, if named), or None."""
    from ctparse import ctparse  # heavy import (it loads a model): only when needed
    from ctparse.types import Interval, Time

    if not re.search(r"\w", text):
        return None
    found = ctparse(text, ts=datetime.combine(today, time(0, 0)), timeout=_CTPARSE_TIMEOUT)
    resolution = found.resolution if found is not None else None
    if isinstance(resolution, Time) and resolution.month and resolution.day:
        # A part of day or an hour may come with the date ("Dienstag nachmittag").
        day = date(resolution.year or today.year, resolution.month, resolution.day)
        if resolution.year is None and day < today:
            day = day.replace(year=today.year + 1)  # "am 3.12." without a year: the next one
        return day, day, resolution.hour
    if isinstance(resolution, Interval):
        first, last = _date_of(resolution.t_from), _date_of(resolution.t_to)
        if first is not None and last is not None:
            return (first, last, None) if first <= last else None
    return None


def _date_of(t: Time | None) -> date | None:
    """The calendar day of a ctparse time that names one, else None."""
    if t is None or not t.isDate or t.year is None or t.month is None or t.day is None:
        return None
    return date(t.year, t.month, t.day)


#: Words that say a message speaks of a time at all ("Wohngeld, am liebsten
#: Dienstag"). A concern message without one has no time wish, whatever
#: ctparse reads into "noch eine Erziehungsberatung".
_TIME_CUE = re.compile(
    r"\b(montags?|dienstags?|mittwochs?|donnerstags?|freitags?|samstags?|sonntags?"
    r"|heute|morgen|übermorgen|uebermorgen|vormittags?|nachmittags?|morgens|früh|frueh"
    r"|abends?|mittags?|uhr|woche|wochenende|januar|februar|märz|maerz|april|mai|juni"
    r"|juli|august|september|oktober|november|dezember|sobald|bald|demnächst)\b"
    r"|\b\d{1,2}\.\s*\d{1,2}\.|\b\d{1,2}(:\d{2})?\s*uhr\b"
)


def speaks_of_a_time(text: str) -> bool:
    """Whether ``text`` names a day, a daypart or an hour at all.

    >>> speaks_of_a_time("Wohngeld, am liebsten Dienstag nachmittag")
    True
    >>> speaks_of_a_time("Ich brauche auch noch eine Erziehungsberatung")
    False
    """
    return bool(_TIME_CUE.search(text.lower()))


def parse_preference(text: str, today: date) -> Preference:
    """The search window for what the citizen wrote; the next 2 weeks when nothing fits."""
    lowered = " ".join(text.lower().split())
    excluded, rest = _excluded(lowered)
    daypart = None
    if _MORNING.search(rest):
        daypart = MORNING
    elif _AFTERNOON.search(rest):
        daypart = AFTERNOON
    window: tuple[date, date] | None = None
    if week := _WEEK.search(rest):
        window = _week(_WEEK_OFFSETS[week.group(1)], today)
    # "früh" alone is a daypart, not today; "morgen früh" is tomorrow morning.
    elif found := _ctparse_days(
        rest if re.search(r"\bmorgen\b", rest) else _MORNING.sub(" ", rest), today
    ):
        window = found[0], found[1]
        hour = found[2]
        if daypart is None and hour is not None:
            # "Donnerstag ab 14 Uhr": the backend searches by daypart, not by hour.
            daypart = MORNING if hour < 12 else AFTERNOON
    understood = bool(window or daypart or excluded)
    if window is None or window[1] < today:
        window = (today, today + timedelta(days=DEFAULT_DAYS - 1))
    first, last = max(window[0], today), window[1]
    last = min(last, first + timedelta(days=MAX_DAYS - 1))
    return Preference(first, last, daypart, frozenset(excluded), understood)
