"""Everyday German time wishes → search window (amtslotse/booking/when.py)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from amtslotse.core.booking.when import (
    AFTERNOON,
    DEFAULT_DAYS,
    MORNING,
    Preference,
    default_preference,
    parse_preference,
    speaks_of_a_time,
)

# Monday, 1 December 2025.
TODAY = date(2025, 12, 1)


@pytest.mark.parametrize(
    ("text", "first", "last", "daypart"),
    [
        ("nächste Woche", date(2025, 12, 8), date(2025, 12, 14), None),
        ("diese Woche", date(2025, 12, 1), date(2025, 12, 7), None),
        ("Dienstag nachmittag", date(2025, 12, 2), date(2025, 12, 2), AFTERNOON),
        ("nächsten Dienstag nachmittag", date(2025, 12, 9), date(2025, 12, 9), AFTERNOON),
        ("morgen früh", date(2025, 12, 2), date(2025, 12, 2), MORNING),
        ("am 3.12.", date(2025, 12, 3), date(2025, 12, 3), None),
        ("am 3.12. vormittags", date(2025, 12, 3), date(2025, 12, 3), MORNING),
        ("Geht es auch am Donnerstag?", date(2025, 12, 4), date(2025, 12, 4), None),
    ],
)
def test_days_and_dayparts(text, first, last, daypart):
    wish = parse_preference(text, TODAY)
    assert (wish.first_day, wish.last_day, wish.daypart) == (first, last, daypart)
    assert wish.understood


def test_a_date_earlier_this_year_means_next_year():
    wish = parse_preference("am 20.1.", TODAY)
    assert wish.first_day == date(2026, 1, 20)


@pytest.mark.parametrize(
    ("text", "excluded"),
    [
        ("nicht am Freitag", {4}),
        ("Freitag geht nicht", {4}),
        ("außer mittwochs", {2}),
        ("nicht am Montag und Dienstag", {0, 1}),
    ],
)
def test_excluded_weekdays_keep_the_default_window(text, excluded):
    wish = parse_preference(text, TODAY)
    assert wish.excluded_weekdays == frozenset(excluded)
    assert (wish.last_day - wish.first_day).days == DEFAULT_DAYS - 1


def test_negation_and_daypart_together():
    wish = parse_preference("nicht am Montag, lieber nachmittags", TODAY)
    assert wish.excluded_weekdays == {0} and wish.daypart == AFTERNOON


def test_vormittags_alone_is_a_daypart_not_noon_and_not_today_only():
    wish = parse_preference("vormittags", TODAY)
    assert wish.daypart == MORNING and wish.first_day == TODAY
    assert wish.last_day > TODAY
    assert parse_preference("früh", TODAY).last_day > TODAY


def test_nothing_recognisable_gives_the_default_window():
    wish = parse_preference("irgendwann halt", TODAY)
    assert wish == default_preference(TODAY)
    assert not wish.understood


def test_allows_filters_excluded_weekdays():
    wish = parse_preference("nicht am Freitag", TODAY)
    assert not wish.allows(datetime(2025, 12, 5, 9, 0))
    assert wish.allows(datetime(2025, 12, 4, 9, 0))


def test_slot_round_trip_and_later_window():
    wish = parse_preference("nächste Woche nachmittags, nicht am Freitag", TODAY)
    again = Preference.from_slot(wish.as_slot(), TODAY)
    assert again == wish
    later = again.later(date(2025, 12, 10), TODAY)
    assert later.first_day == date(2025, 12, 10)
    assert later.last_day >= date(2025, 12, 10 + DEFAULT_DAYS - 1)
    assert later.daypart == AFTERNOON and later.excluded_weekdays == {4}


def test_broken_slot_value_gives_the_default():
    assert Preference.from_slot({"first_day": "kaputt"}, TODAY) == default_preference(TODAY)
    assert Preference.from_slot(None, TODAY) == default_preference(TODAY)


@pytest.mark.parametrize(
    ("text", "timed"),
    [
        ("Wohngeld, am liebsten Dienstag nachmittag", True),
        ("Elterngeld, gern nächste Woche", True),
        ("geht es am 14.12.?", True),
        ("Kfz anmelden, ab 14 Uhr", True),
        ("Ich brauche auch noch eine Erziehungsberatung", False),
        ("Und Elterngeld auch noch", False),
        ("Mein Vater ist gestorben, wer zahlt die Beerdigung", False),
    ],
)
def test_only_a_message_that_speaks_of_a_time_carries_a_time_wish(text, timed):
    assert speaks_of_a_time(text) is timed
