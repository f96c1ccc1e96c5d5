"""Demand statistics: what a conversation adds, and that no small number gets out."""

from __future__ import annotations

from collections import defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from amtslotse.core.statistics import (
    HIDDEN,
    PARTITIONS,
    SUPPRESSED,
    Cell,
    K,
    Tally,
    answer_facts,
    contributions,
    publish,
    week_of,
    weeks_until,
)

OFFICE_ANSWER = {
    "text": None,
    "custom": {
        "type": "office_answer",
        "service_id": "wohngeld",
        "office_id": "wohngeldstelle",
        "walk_in": False,
        "urgent": False,
        "county_responsible": True,
    },
}
LIST = {
    "custom": {
        "type": "concern_list",
        "items": [
            {"service_id": "wohngeld", "office_id": "wohngeldstelle", "kind": "appointment"},
            {"service_id": "kfz_abmelden", "office_id": "buergerbuero", "kind": "walk_in"},
            {"service_id": "kindergeld", "office_id": "extern_familienkasse", "kind": "external"},
        ],
    }
}


def test_an_answer_names_its_concern_office_and_kind():
    facts = answer_facts([{"text": "Wohn·geld"}, OFFICE_ANSWER])
    assert facts.outcome == "answered"
    assert facts.concerns == {"wohngeld": "appointment"} and facts.offices == ["wohngeldstelle"]


def test_what_the_bot_did_not_understand_and_what_it_asked_back():
    fallback = {"custom": {"type": "clarify", "reason": "fallback", "options": []}}
    office = {"custom": {"type": "clarify", "reason": "office", "options": []}}
    assert answer_facts([fallback]).outcome == "unanswered"
    assert answer_facts([{"custom": {"type": "not_understood", "reason": "hotline"}}]).outcome == (
        "unanswered"
    )
    assert answer_facts([office]).outcome == "asked"
    default = "Das habe ich leider nicht verstanden."
    assert answer_facts([{"text": default}], [default]).outcome == "unanswered"


def test_free_text_never_becomes_a_key():
    hostile = {
        "custom": {
            "type": "office_answer",
            "service_id": "Erika Mustermann 0171 2345678",
            "office_id": "<script>",
        }
    }
    assert answer_facts([hostile]).concerns == {} and answer_facts([hostile]).offices == []


def test_a_conversation_counts_each_concern_once_and_its_combinations_at_the_end():
    tally = Tally()
    for _ in range(3):
        tally.observe(answer_facts([OFFICE_ANSWER]), "Ich möchte Wohngeld")
    tally.observe(answer_facts([LIST]))
    tally.observe(answer_facts([{"custom": {"type": "booking_confirmed", "legs": []}}]))
    tally.observe(answer_facts([{"custom": {"type": "clarify", "reason": "fallback"}}]))
    tally.give_feedback(False, "falsches_amt")
    got = contributions(Tally.from_json(tally.to_json()))
    assert ("concern", "wohngeld", 1) in got
    assert sum(1 for m, k, _ in got if m == "concern") == 3
    assert ("concern_combination", "kfz_abmelden+kindergeld+wohngeld", 1) in got
    assert ("office_combination", "buergerbuero+extern_familienkasse+wohngeldstelle", 1) in got
    assert ("kind", "appointment", 1) in got and ("kind", "walk_in", 1) in got
    assert ("booking", "made", 1) in got
    assert ("turns", "all", 6) in got and ("turns", "unanswered", 1) in got
    assert ("feedback", "nein", 1) in got and ("feedback_reason", "falsches_amt", 1) in got
    # Nothing the citizen wrote is counted.
    assert not any("Wohngeld" in k for _, k, _ in got)


def test_the_tally_keeps_only_the_last_few_scrubbed_messages():
    tally = Tally()
    for i in range(9):
        tally.observe(answer_facts([OFFICE_ANSWER]), f"Nachricht {i}")
    assert [t["message"] for t in tally.recent] == [f"Nachricht {i}" for i in range(4, 9)]
    assert tally.message_for("wohngeld")["message"] == "Nachricht 8"
    assert tally.message_for("kindergeld") is None


def _cells(conversations_per_week: dict[str, int], key: str = "fischereischein") -> list[Cell]:
    return [Cell(w, "concern", key, n, n) for w, n in conversations_per_week.items()]


def test_four_conversations_about_a_rare_concern_stay_hidden_and_the_fifth_shows_it():
    weeks = ["2026-W48", "2026-W49"]
    four = publish(_cells({"2026-W48": 2, "2026-W49": 2}), weeks)
    assert four["concern"].rows == []
    assert four["concern"].other.total == SUPPRESSED
    five = publish(_cells({"2026-W48": 2, "2026-W49": 3}), weeks)
    (row,) = five["concern"].rows
    assert row.key == "fischereischein" and row.total == 5
    # 2 and 3 are both below K, and together they are 5: both stay hidden.
    assert row.weeks == {"2026-W48": SUPPRESSED, "2026-W49": SUPPRESSED}


def test_a_hidden_week_cannot_be_worked_out_from_the_total():
    weeks = ["2026-W47", "2026-W48", "2026-W49"]
    (row,) = publish(_cells({"2026-W47": 30, "2026-W48": 2, "2026-W49": 40}), weeks)["concern"].rows
    assert row.total == 72
    assert row.weeks["2026-W48"] == SUPPRESSED
    assert row.weeks["2026-W47"] == HIDDEN and row.weeks["2026-W49"] == 40


def test_a_hidden_part_cannot_be_worked_out_from_the_whole():
    weeks = ["2026-W49"]
    cells = [
        Cell("2026-W49", "conversations", "all", 100, 100),
        Cell("2026-W49", "conversations", "web", 98, 98),
        Cell("2026-W49", "conversations", "hotline", 2, 2),
    ]
    rows = {r.key: r for r in publish(cells, weeks)["conversations"].rows}
    assert rows["all"].total == 100
    assert rows["hotline"].total == SUPPRESSED and rows["web"].total == HIDDEN


def test_weeks():
    assert week_of(1796000000) == "2026-W49"
    assert weeks_until("2026-W02", 3) == ["2025-W52", "2026-W01", "2026-W02"]


WEEKS = ["2026-W47", "2026-W48", "2026-W49"]
_cell = st.builds(
    Cell,
    st.sampled_from(WEEKS),
    st.sampled_from(["concern", "conversations", "turns", "feedback"]),
    st.sampled_from(
        ["all", "web", "hotline", "answered", "asked", "unanswered", "ja", "nein", "a"]
    ),
    st.integers(min_value=1, max_value=12),
    st.just(0),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_cell, max_size=40))
def test_no_published_number_stands_for_fewer_than_k_conversations(cells):
    cells = [Cell(c.week, c.metric, c.key, c.conversations, c.conversations) for c in cells]
    # As the tally counts them: the "all" of a partitioned metric is the sum of its parts.
    cells = [c for c in cells if not (c.metric in PARTITIONS and c.key == "all")]
    wholes: dict[tuple[str, str], int] = defaultdict(int)
    for c in cells:
        if c.metric in PARTITIONS and c.key in PARTITIONS[c.metric]:
            wholes[(c.metric, c.week)] += c.conversations
    cells += [Cell(week, metric, "all", n, n) for (metric, week), n in wholes.items()]
    truth: dict[tuple[str, str, str], int] = defaultdict(int)
    for c in cells:
        truth[(c.metric, c.key, c.week)] += c.conversations
    tables = publish(cells, WEEKS)
    for metric, table in tables.items():
        totals = {
            r.key: sum(v for (m, k, _), v in truth.items() if m == metric and k == r.key)
            for r in table.rows
        }
        for row in table.rows:
            # 1. Every number shown stands for at least K conversations.
            if isinstance(row.total, int):
                assert totals[row.key] >= K
            for week, value in row.weeks.items():
                if isinstance(value, int):
                    assert truth[(metric, row.key, week)] >= K
                else:
                    assert value in (SUPPRESSED, HIDDEN)
                    assert (value == SUPPRESSED) == (truth[(metric, row.key, week)] < K)
            # 2. No hidden week can be subtracted from a shown total: the hidden hold >= K.
            if isinstance(row.total, int):
                hidden = [
                    truth[(metric, row.key, w)] for w, v in row.weeks.items() if isinstance(v, str)
                ]
                assert not hidden or sum(hidden) >= K
        # 3. Nor a hidden part from its shown whole.
        if metric in PARTITIONS:
            rows = {r.key: r for r in table.rows}
            if "all" in rows:
                for week in WEEKS:
                    whole = rows["all"].weeks.get(week)
                    parts = [
                        truth[(metric, p, week)]
                        for p in PARTITIONS[metric]
                        if p in rows and isinstance(rows[p].weeks.get(week), str)
                    ]
                    if isinstance(whole, int):
                        assert not parts or sum(parts) >= K
        # 4. Rows below K are not listed; only their sum is, and only from K on.
        listed = {r.key for r in table.rows}
        for (m, key, _), _v in truth.items():
            if m == metric and key not in listed and metric not in PARTITIONS:
                assert sum(v for (mm, kk, _), v in truth.items() if mm == m and kk == key) < K
        if table.other is not None and isinstance(table.other.total, int):
            assert table.other.total >= K
