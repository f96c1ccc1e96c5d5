"""The pure core: opening calendar, desk capacity, bundle search and re-check."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from amtslotse.scheduling.clock import BERLIN, UTC, rfc3339
from amtslotse.scheduling.domain.bundle_id import BadBundleId, BundleIds
from amtslotse.scheduling.domain.calendar import LocationCalendar, public_holidays
from amtslotse.scheduling.domain.capacity import DeskBoard, occupied_slots
from amtslotse.scheduling.domain.model import BusyLeg, Daypart, Leg, SearchRules, ServiceOption
from amtslotse.scheduling.domain.search import NotBookable, check_bundle, find_bundles

M, A = (time(8), time(12)), (time(13), time(18))
CALENDAR = LocationCalendar(
    "skz", weekly=((M,), (M, A), (M,), (M, (time(13), time(16))), (M,), (), ())
)
JOB = ServiceOption("buergergeld_antrag", "jobcenter", "skz", 45)
SOZ = ServiceOption("grundsicherung_alter", "sozialamt", "skz", 45)
JUG = ServiceOption("unterhaltsvorschuss", "jugendamt", "skz", 45)
DESKS = {"jobcenter": 3, "sozialamt": 2, "jugendamt": 2}
NOW = datetime(2025, 3, 24, 7, 0, tzinfo=BERLIN).astimezone(UTC)  # Monday


def at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=BERLIN).astimezone(UTC)


def search(
    options,
    first: date,
    last: date | None = None,
    board: DeskBoard | None = None,
    now: datetime = NOW,
    **kwargs,
):
    return find_bundles(
        options,
        calendar=CALENDAR,
        board=board or DeskBoard(DESKS),
        first_day=first,
        last_day=last or first,
        now=now,
        **kwargs,
    )


def local(instant: datetime) -> str:
    return instant.astimezone(BERLIN).strftime("%H:%M")


def test_sachsen_anhalt_holidays_include_epiphany_and_reformation_day():
    table = public_holidays("ST", [2025, 2026])
    assert date(2026, 1, 6) in table and date(2025, 10, 31) in table
    assert date(2025, 11, 19) not in table  # Buß- und Bettag is Saxony only


@pytest.mark.parametrize("holiday", [date(2026, 1, 6), date(2025, 10, 31)])
def test_no_bundles_on_public_holidays(holiday):
    now = at(holiday - timedelta(days=3), 7)
    assert CALENDAR.windows(holiday) == ()
    assert search([JOB], holiday, now=now) == []
    assert search([JOB], holiday + timedelta(days=7), now=now)  # same weekday a week later


@pytest.mark.parametrize("sunday", [date(2025, 3, 30), date(2025, 10, 26)])
def test_dst_weeks_keep_local_opening_times(sunday):
    """Last Sunday of March and October: 08:00 stays 08:00 local, the offset changes."""
    before, after = sunday - timedelta(days=4), sunday + timedelta(days=1)  # Wed, Mon
    now = at(before, 5)
    first_before = search([JOB], before, now=now)[0]
    first_after = search([JOB], after, now=now)[0]
    assert local(first_before.start) == local(first_after.start) == "08:00"
    offsets = {rfc3339(first_before.start)[-6:], rfc3339(first_after.start)[-6:]}
    assert offsets == {"+01:00", "+02:00"}
    # The same wall time is one hour apart in UTC across the switch.
    utc_gap = first_after.start - first_before.start
    assert utc_gap in (timedelta(days=5, hours=1), timedelta(days=5, hours=-1))
    # Full day on the Monday after the switch: 08:00-12:00 local = 16 quarter hours, 45 min leg.
    starts = [local(b.start) for b in search([JOB], after, now=now)]
    assert starts[0] == "08:00" and starts[-1] == "11:15" and len(starts) == 14


def test_bundle_is_back_to_back_in_some_order_and_earliest_first():
    bundles = search([JOB, SOZ, JUG], date(2025, 3, 25))  # Tuesday
    assert [local(b.start) for b in bundles[:3]] == ["08:00", "08:15", "08:30"]
    for bundle in bundles:
        assert {leg.office_id for leg in bundle.legs} == {"jobcenter", "sozialamt", "jugendamt"}
        for a, b in zip(bundle.legs, bundle.legs[1:], strict=False):
            assert timedelta(0) <= b.start - a.end <= timedelta(minutes=15)
    assert bundles == sorted(bundles, key=lambda b: b.start)


def test_legs_never_cross_the_lunch_closure():
    bundles = search([JOB, SOZ, JUG], date(2025, 3, 25))  # Tuesday 08-12, 13-18
    for bundle in bundles:
        for leg in bundle.legs:
            assert not (
                leg.start < at(date(2025, 3, 25), 13) and leg.end > at(date(2025, 3, 25), 12)
            )
    # Last morning start: 3 x 45 min must end by 12:00 -> 09:45; first afternoon 13:00.
    starts = [local(b.start) for b in bundles]
    assert "09:45" in starts and "10:00" not in starts and "13:00" in starts


def test_ordering_changes_when_a_desk_is_busy():
    day = date(2025, 3, 26)
    # Both Sozialamt desks are taken 08:00-08:45, so Sozialamt cannot come first.
    busy = [BusyLeg("sozialamt", d, at(day, 8), at(day, 8, 45)) for d in (1, 2)]
    board = DeskBoard(DESKS, busy)
    first = search([SOZ, JOB], day, board=board, now=at(day, 5))[0]
    assert local(first.start) == "08:00"
    assert [leg.office_id for leg in first.legs] == ["jobcenter", "sozialamt"]


def test_gap_of_at_most_fifteen_minutes_is_used_when_needed():
    day = date(2025, 3, 26)
    # Sozialamt is busy until 08:55 on both desks:
    # Jobcenter 08:00-08:45, then Sozialamt at 08:55 (gap 10 min).
    busy = [BusyLeg("sozialamt", d, at(day, 8), at(day, 8, 55)) for d in (1, 2)]
    first = search([JOB, SOZ], day, board=DeskBoard(DESKS, busy), now=at(day, 5))[0]
    assert [(local(leg.start), local(leg.end)) for leg in first.legs] == [
        ("08:00", "08:45"),
        ("08:55", "09:40"),
    ]
    # With Sozialamt busy until 09:05 a 08:00 start would need a 20-minute gap.
    busy = [BusyLeg("sozialamt", d, at(day, 8), at(day, 9, 5)) for d in (1, 2)]
    first = search([JOB, SOZ], day, board=DeskBoard(DESKS, busy), now=at(day, 5))[0]
    assert local(first.start) == "08:15"


def test_capacity_counts_desks_and_occupied_slots_round_up():
    day = date(2025, 3, 26)
    board = DeskBoard({"wohngeldstelle": 1})
    assert board.free_desk("wohngeldstelle", at(day, 8), at(day, 8, 23)) == 1
    board.occupy("wohngeldstelle", 1, at(day, 8), at(day, 8, 23))
    # A 23-minute leg blocks the 5-minute slots up to 08:25.
    assert len(occupied_slots(at(day, 8), at(day, 8, 23))) == 5
    assert board.free_desk("wohngeldstelle", at(day, 8, 20), at(day, 8, 50)) is None
    assert board.free_desk("wohngeldstelle", at(day, 8, 25), at(day, 8, 55)) == 1
    assert DeskBoard({"buergerbuero": 0}).free_desk("buergerbuero", at(day, 8), at(day, 9)) is None


def test_full_office_offers_nothing_at_that_time():
    day = date(2025, 3, 26)
    busy = [BusyLeg("jobcenter", d, at(day, 8), at(day, 12)) for d in (1, 2, 3)]
    assert search([JOB], day, board=DeskBoard(DESKS, busy), now=at(day, 5)) == []
    busy = busy[:2]
    assert len(search([JOB], day, board=DeskBoard(DESKS, busy), now=at(day, 5))) == 14


def test_min_notice_horizon_daypart_and_limit():
    tuesday = date(2025, 3, 25)
    rules = SearchRules(min_notice=timedelta(hours=2), horizon=timedelta(days=2))
    now = at(tuesday, 10)
    starts = [local(b.start) for b in search([JOB], tuesday, now=now, rules=rules)]
    assert starts[0] == "13:00"  # 12:00 is the earliest allowed; the office reopens at 13:00
    afternoon = search([JOB], tuesday, now=at(tuesday, 5), daypart=Daypart.NACHMITTAG)
    assert all(b.start >= at(tuesday, 12) for b in afternoon) and afternoon
    morning = search([JOB], tuesday, now=at(tuesday, 5), daypart=Daypart.VORMITTAG)
    assert all(b.start < at(tuesday, 12) for b in morning) and morning
    assert len(search([JOB], tuesday, now=at(tuesday, 5), limit=3)) == 3
    not_before = search([JOB], tuesday, now=at(tuesday, 5), not_before=at(tuesday, 10, 5))
    assert local(not_before[0].start) == "10:15"
    later = search([JOB], tuesday, tuesday + timedelta(days=10), now=now, rules=rules)
    assert max(b.start for b in later) < now + timedelta(days=2)


def test_exceptions_close_or_shorten_a_day():
    wednesday = date(2025, 3, 26)
    calendar = LocationCalendar(
        "skz",
        weekly=CALENDAR.weekly,
        exceptions={wednesday: ((time(8), time(10)),), wednesday + timedelta(days=2): ()},
    )
    kwargs = dict(calendar=calendar, board=DeskBoard(DESKS), now=NOW)
    reduced = find_bundles([JOB], first_day=wednesday, last_day=wednesday, **kwargs)
    assert local(reduced[-1].end) <= "10:00"
    assert (
        find_bundles(
            [JOB],
            first_day=wednesday + timedelta(days=2),
            last_day=wednesday + timedelta(days=2),
            **kwargs,
        )
        == []
    )


def test_check_bundle_rechecks_every_rule():
    day = date(2025, 3, 26)
    legs = [
        Leg("buergergeld_antrag", "jobcenter", at(day, 8), at(day, 8, 45)),
        Leg("grundsicherung_alter", "sozialamt", at(day, 8, 45), at(day, 9, 30)),
    ]
    now = at(day, 5)
    assert check_bundle(legs, calendar=CALENDAR, board=DeskBoard(DESKS), now=now) == (1, 1)
    busy = [BusyLeg("sozialamt", 1, at(day, 9), at(day, 10))]
    assert check_bundle(legs, calendar=CALENDAR, board=DeskBoard(DESKS, busy), now=now) == (1, 2)
    busy.append(BusyLeg("sozialamt", 2, at(day, 8), at(day, 8, 50)))
    with pytest.raises(NotBookable, match="desk"):
        check_bundle(legs, calendar=CALENDAR, board=DeskBoard(DESKS, busy), now=now)
    with pytest.raises(NotBookable, match="too soon"):
        check_bundle(legs, calendar=CALENDAR, board=DeskBoard(DESKS), now=at(day, 7))
    gap = [legs[0], Leg("grundsicherung_alter", "sozialamt", at(day, 9, 5), at(day, 9, 50))]
    with pytest.raises(NotBookable, match="back to back"):
        check_bundle(gap, calendar=CALENDAR, board=DeskBoard(DESKS), now=now)
    overlap = [legs[0], Leg("grundsicherung_alter", "sozialamt", at(day, 8, 30), at(day, 9, 15))]
    with pytest.raises(NotBookable, match="back to back"):
        check_bundle(overlap, calendar=CALENDAR, board=DeskBoard(DESKS), now=now)
    closed = [Leg("buergergeld_antrag", "jobcenter", at(day, 11, 30), at(day, 12, 15))]
    with pytest.raises(NotBookable, match="closed"):
        check_bundle(closed, calendar=CALENDAR, board=DeskBoard(DESKS), now=now)


def test_bundle_ids_round_trip_and_reject_garbage():
    ids = BundleIds(b"k" * 32)
    bundle = search([JOB, SOZ], date(2025, 3, 26))[0]
    text = ids.encode(bundle)
    assert text == ids.encode(bundle)  # stable
    ref = ids.decode(text)
    assert ref.location_id == "skz"
    assert [(r.service_id, r.office_id, r.start) for r in ref.legs] == [
        (leg.service_id, leg.office_id, leg.start) for leg in bundle.legs
    ]
    for garbage in ["", "b1", "b2..", "b2!!!", "x" * 600, "b1" + "A" * 10, "b1c2t6Ly9ldmls", 42]:
        with pytest.raises(BadBundleId):
            ids.decode(garbage)
    with pytest.raises(BadBundleId):
        ids.decode(None)


def _resigned(ids: BundleIds, raw: str) -> str:
    """An id for ``raw`` as the holder of the key could make it (to test decode's checks)."""
    import base64

    payload = base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")
    return f"b2.{payload}.{ids._mac(payload)}"


def test_forged_edited_or_foreign_bundle_ids_are_refused():
    ids = BundleIds(b"k" * 32)
    text = ids.encode(search([JOB, SOZ], date(2025, 3, 26))[0])
    prefix, payload, mac = text.split(".")
    # Another backend's key, an edited payload, an edited signature: all refused.
    with pytest.raises(BadBundleId, match="signed"):
        BundleIds(b"other-key-" * 4).decode(text)
    edited = payload[:-1] + ("A" if payload[-1] != "A" else "B")
    with pytest.raises(BadBundleId, match="signed"):
        ids.decode(f"{prefix}.{edited}.{mac}")
    with pytest.raises(BadBundleId, match="signed"):
        ids.decode(f"{prefix}.{payload}.{'A' * 22}")
    # Even with the key, nothing outside the calendar decodes (no overflow, no 500).
    for raw in ["skz~wohngeld.wohngeldstelle.999999999999", "skz~wohngeld.x.-1", "SKZ~a.b.1"]:
        with pytest.raises(BadBundleId):
            ids.decode(_resigned(ids, raw))
