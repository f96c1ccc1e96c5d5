"""Demand statistics: what one conversation adds, and what may be published of the sum.

Counting (the portal's :mod:`amtslotse.portal.statistics` runs it):

- While a conversation is open, its :class:`Tally` holds facts read from the
  bot's answers (:func:`answer_facts`): the concerns named (each once, with
  its kind: appointment, walk-in, elsewhere, urgent), the offices, how many
  turns were answered, asked back or not understood, bookings made and
  cancelled, and the citizen's feedback. No text of the conversation is in
  it (only the last few scrubbed messages, for the editors' inbox, which the
  portal drops with the tally).
- A conversation **ends** when it has been idle for a while (the portal's
  idle limit, 30 minutes by default): then :func:`contributions` turns its
  tally into counter increments, each counted for one conversation, and
  the tally is deleted. Only then are the combinations known (which concerns
  and which offices one conversation needed together), and a concern named
  five times in one conversation counts once.
- The counters are kept per ISO week (of the conversation's first turn) and
  never hold anything else, so they outlive the conversations.

Publishing (:func:`publish`): a cell is shown only if at least :data:`K`
conversations make it up; below that it reads "< 5" (:data:`SUPPRESSED`). Rows whose total over
the period is below K are not shown at all; their sum is the row "Andere"
(itself shown only from K on). Where a published total would let a reader
subtract one hidden cell (a row's total over its weeks, or a total over
its parts, e.g. all conversations = website + hotline), more cells are
hidden (they read "verborgen", :data:`HIDDEN`) until the hidden ones together
hold at least K conversations.
No free text is ever a key: keys are ids of the catalogue or fixed words.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

__all__ = [
    "K",
    "SUPPRESSED",
    "HIDDEN",
    "Tally",
    "AnswerFacts",
    "Cell",
    "Row",
    "Table",
    "answer_facts",
    "contributions",
    "publish",
    "week_of",
    "weeks_until",
]

#: The fewest conversations a published number may stand for.
K = 5
#: How a number below K is shown.
SUPPRESSED = f"< {K}"
#: How a number at or above K is shown that is hidden so that no small one can be worked out.
HIDDEN = "verborgen"

KINDS = ("appointment", "walk_in", "external", "urgent")
OUTCOMES = ("answered", "asked", "unanswered")
FEEDBACK = ("ja", "nein")
#: Why a citizen said "Nein" (the widget's buttons after "Nein"; docs/interfaces.md).
FEEDBACK_REASONS = ("falsches_amt", "unverstaendlich", "fehlt_etwas", "anderes")
CHANNELS = ("web", "hotline")

#: Metrics whose parts add up to the key "all" (so a hidden part could be subtracted).
PARTITIONS: dict[str, tuple[str, ...]] = {
    "conversations": CHANNELS,
    "turns": OUTCOMES,
    "feedback": FEEDBACK,
}
#: Recent scrubbed messages a tally keeps for the inbox (a "Nein" names one of them).
RECENT = 5


def week_of(moment: float, tz: str = "Europe/Berlin") -> str:
    """ISO week of a Unix time in the county's time zone: ``2026-W49``."""
    year, week, _ = datetime.fromtimestamp(moment, ZoneInfo(tz)).isocalendar()
    return f"{year}-W{week:02d}"


def weeks_until(last: str, count: int) -> list[str]:
    """``count`` ISO weeks ending with ``last``, oldest first."""
    year, week = int(last[:4]), int(last[6:])
    monday = datetime.fromisocalendar(year, week, 1)
    out = []
    for back in range(count - 1, -1, -1):
        y, w, _ = datetime.fromordinal(monday.toordinal() - 7 * back).isocalendar()
        out.append(f"{y}-W{w:02d}")
    return out


@dataclass
class AnswerFacts:
    """What one turn of the bot says about demand (no text)."""

    outcome: str = "answered"  # answered, asked (a question first), unanswered
    concerns: dict[str, str] = field(default_factory=dict)  # service id -> kind
    offices: list[str] = field(default_factory=list)
    booked: int = 0
    cancelled: int = 0
    # The concerns a question offered (the fallback's buttons), best first.
    candidates: list[str] = field(default_factory=list)


_CONCERN_PAYLOAD = "/anliegen_"


def _kind_of_answer(custom: Mapping[str, Any]) -> str:
    if custom.get("urgent"):
        return "urgent"
    if custom.get("county_responsible") is False:
        return "external"
    return "walk_in" if custom.get("walk_in") else "appointment"


def _id(value: Any) -> str | None:
    """An id as the catalogue writes them; anything else is not counted."""
    if isinstance(value, str) and 0 < len(value) <= 64 and value.replace("_", "a").isalnum():
        return value if value.islower() or not any(c.isalpha() for c in value) else None
    return None


def answer_facts(
    messages: Iterable[Mapping[str, Any]], fallback_texts: Iterable[str] = ()
) -> AnswerFacts:
    """The facts of the bot's messages for one turn (Rasa's REST answer).

    ``fallback_texts``: texts that mean "not understood" without a payload
    (Rasa's own fallback response, ``utter_default``).
    """
    facts = AnswerFacts()
    fallbacks = {" ".join(t.split()) for t in fallback_texts}
    asked = unanswered = False
    for message in messages:
        text = message.get("text")
        if isinstance(text, str) and " ".join(text.split()) in fallbacks:
            unanswered = True
        custom = message.get("custom")
        if not isinstance(custom, Mapping):
            continue
        kind = custom.get("type")
        if kind == "office_answer":
            service, office = _id(custom.get("service_id")), _id(custom.get("office_id"))
            if service:
                facts.concerns.setdefault(service, _kind_of_answer(custom))
            if office and office not in facts.offices:
                facts.offices.append(office)
        elif kind == "concern_list":
            for item in custom.get("items") or []:
                if not isinstance(item, Mapping):
                    continue
                service, office = _id(item.get("service_id")), _id(item.get("office_id"))
                item_kind = item.get("kind") if item.get("kind") in KINDS else "appointment"
                if service:
                    facts.concerns.setdefault(service, str(item_kind))
                if office and office not in facts.offices:
                    facts.offices.append(office)
        elif kind == "clarify":
            if custom.get("reason") == "fallback":
                unanswered = True
            else:
                asked = True
            for option in custom.get("options") or []:
                payload = option.get("payload") if isinstance(option, Mapping) else None
                if isinstance(payload, str) and payload.startswith(_CONCERN_PAYLOAD):
                    service = _id(payload[len(_CONCERN_PAYLOAD) :])
                    if service and service not in facts.candidates:
                        facts.candidates.append(service)
        elif kind == "not_understood":
            unanswered = True
        elif kind == "booking_confirmed":
            facts.booked += 1
        elif kind == "booking_cancelled":
            facts.cancelled += 1
    facts.outcome = "unanswered" if unanswered else "asked" if asked else "answered"
    return facts


@dataclass
class Tally:
    """One open conversation's facts; see the module docstring for when it is counted."""

    channel: str = "web"
    concerns: dict[str, str] = field(default_factory=dict)
    offices: list[str] = field(default_factory=list)
    turns: dict[str, int] = field(default_factory=dict)
    booked: int = 0
    cancelled: int = 0
    feedback: dict[str, int] = field(default_factory=dict)
    reasons: dict[str, int] = field(default_factory=dict)
    # The last turns' scrubbed messages with what the bot answered (for a "Nein").
    recent: list[dict[str, Any]] = field(default_factory=list)

    def observe(self, facts: AnswerFacts, scrubbed: str = "") -> None:
        for service, kind in facts.concerns.items():
            self.concerns.setdefault(service, kind)
        for office in facts.offices:
            if office not in self.offices:
                self.offices.append(office)
        self.turns[facts.outcome] = self.turns.get(facts.outcome, 0) + 1
        self.booked += facts.booked
        self.cancelled += facts.cancelled
        if scrubbed:
            turn = {"message": scrubbed, "services": list(facts.concerns), "outcome": facts.outcome}
            self.recent = [*self.recent, turn][-RECENT:]

    def give_feedback(self, helpful: bool, reason: str | None = None) -> None:
        key = "ja" if helpful else "nein"
        self.feedback[key] = self.feedback.get(key, 0) + 1
        if reason in FEEDBACK_REASONS:
            self.reasons[reason] = self.reasons.get(reason, 0) + 1

    def message_for(self, service_id: str | None) -> dict[str, Any] | None:
        """The latest recent turn answered with ``service_id`` (or the latest turn)."""
        for turn in reversed(self.recent):
            if service_id is None or service_id in turn["services"]:
                return turn
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "channel": self.channel,
            "concerns": self.concerns,
            "offices": self.offices,
            "turns": self.turns,
            "booked": self.booked,
            "cancelled": self.cancelled,
            "feedback": self.feedback,
            "reasons": self.reasons,
            "recent": self.recent,
        }

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> Tally:
        return cls(
            channel=str(raw.get("channel", "web")),
            concerns=dict(raw.get("concerns") or {}),
            offices=list(raw.get("offices") or []),
            turns=dict(raw.get("turns") or {}),
            booked=int(raw.get("booked") or 0),
            cancelled=int(raw.get("cancelled") or 0),
            feedback=dict(raw.get("feedback") or {}),
            reasons=dict(raw.get("reasons") or {}),
            recent=list(raw.get("recent") or []),
        )


def contributions(tally: Tally) -> list[tuple[str, str, int]]:
    """``(metric, key, events)`` this conversation adds; each counts as 1 conversation."""
    out: list[tuple[str, str, int]] = [("conversations", "all", 1)]
    out.append(("conversations", tally.channel if tally.channel in CHANNELS else "web", 1))
    kinds: dict[str, int] = defaultdict(int)
    for service, kind in tally.concerns.items():
        out.append(("concern", service, 1))
        kinds[kind] += 1
    if not tally.concerns:
        out.append(("concern_count", "0", 1))
    else:
        out.append(("concern_count", str(min(len(tally.concerns), 4)), 1))
    out += [("kind", kind, count) for kind, count in sorted(kinds.items())]
    out += [("office", office, 1) for office in sorted(set(tally.offices))]
    if len(tally.concerns) >= 2:
        out.append(("concern_combination", "+".join(sorted(tally.concerns)), 1))
    if len(set(tally.offices)) >= 2:
        out.append(("office_combination", "+".join(sorted(set(tally.offices))), 1))
    if tally.booked:
        out.append(("booking", "made", tally.booked))
    if tally.cancelled:
        out.append(("booking", "cancelled", tally.cancelled))
    turns = sum(tally.turns.values())
    if turns:
        out.append(("turns", "all", turns))
        out += [("turns", o, n) for o, n in sorted(tally.turns.items()) if o in OUTCOMES and n]
    given = sum(tally.feedback.values())
    if given:
        out.append(("feedback", "all", given))
        out += [("feedback", k, n) for k, n in sorted(tally.feedback.items()) if k in FEEDBACK]
        out += [("feedback_reason", r, n) for r, n in sorted(tally.reasons.items())]
    return out


@dataclass(frozen=True)
class Cell:
    """One counter: in ``week``, ``events`` of ``metric``/``key`` from ``conversations``."""

    week: str
    metric: str
    key: str
    conversations: int
    events: int


Value = int | str  # a number, or SUPPRESSED


@dataclass
class Row:
    key: str
    total: Value
    weeks: dict[str, Value]


@dataclass
class Table:
    metric: str
    rows: list[Row]
    other: Row | None = None  # the rows below K, together


@dataclass
class _Entry:
    conversations: int = 0
    events: int = 0
    hidden: bool = False


def _hide_until_safe(entries: list[_Entry], k: int) -> bool:
    """In a group whose total is published: hide more until the hidden hold >= k
    conversations (or all are hidden). Returns whether anything changed."""
    hidden = [e for e in entries if e.hidden and e.conversations]
    mass = sum(e.conversations for e in hidden)
    changed = False
    while hidden and mass < k:
        shown = sorted(
            (e for e in entries if not e.hidden and e.conversations), key=lambda e: e.conversations
        )
        if not shown:
            break
        shown[0].hidden = True
        mass += shown[0].conversations
        changed = True
    return changed


def _hide_parts(whole: _Entry | None, parts: list[_Entry | None], k: int) -> bool:
    """A total over its parts: all parts hidden with a hidden total, else as _hide_until_safe."""
    entries = [e for e in parts if e is not None]
    if whole is None or whole.hidden:
        changed = any(not e.hidden for e in entries)
        for e in entries:
            e.hidden = True
        return changed
    return _hide_until_safe(entries, k)


def publish(cells: Iterable[Cell], weeks: list[str], k: int = K) -> dict[str, Table]:
    """The tables that may be shown, per metric, over ``weeks`` (see the module docstring)."""
    grid: dict[str, dict[str, dict[str, _Entry]]] = defaultdict(lambda: defaultdict(dict))
    wanted = set(weeks)
    for cell in cells:
        if cell.week in wanted and cell.conversations > 0:
            entry = grid[cell.metric][cell.key].setdefault(cell.week, _Entry())
            entry.conversations += cell.conversations
            entry.events += cell.events
    tables: dict[str, Table] = {}
    for metric, rows in grid.items():
        totals = {
            key: _Entry(
                sum(e.conversations for e in by_week.values()),
                sum(e.events for e in by_week.values()),
            )
            for key, by_week in rows.items()
        }
        shown = {key for key, total in totals.items() if total.conversations >= k}
        if metric in PARTITIONS and "all" in shown:
            shown |= {key for key in rows if key in PARTITIONS[metric]}  # shown as "< 5"
        other_weeks: dict[str, _Entry] = {}
        for key in rows:
            if key in shown:
                continue
            for week, entry in rows[key].items():
                o = other_weeks.setdefault(week, _Entry())
                o.conversations += entry.conversations
                o.events += entry.events
        groups = {key: rows[key] for key in shown}
        if other_weeks:
            groups["\0other"] = other_weeks
            totals["\0other"] = _Entry(
                sum(e.conversations for e in other_weeks.values()),
                sum(e.events for e in other_weeks.values()),
            )
        for key, by_week in groups.items():
            totals[key].hidden = totals[key].conversations < k
            for entry in by_week.values():
                entry.hidden = entry.conversations < k
        # Secondary hiding: rows over weeks, and totals over their parts, until stable.
        changed = True
        while changed:
            changed = False
            for key, by_week in groups.items():
                changed |= _hide_parts(totals[key], list(by_week.values()), k)
            if metric in PARTITIONS and "all" in groups:
                parts = [p for p in PARTITIONS[metric] if p in groups]
                for when in [*weeks, None]:  # None: the total over the weeks
                    column = {
                        key: totals[key] if when is None else groups[key].get(when)
                        for key in ["all", *parts]
                    }
                    changed |= _hide_parts(column.pop("all"), list(column.values()), k)

        def value(entry: _Entry) -> Value:
            if not entry.hidden:
                return entry.events
            return SUPPRESSED if entry.conversations < k else HIDDEN

        table_rows = [
            Row(key, value(totals[key]), {w: value(e) for w, e in sorted(groups[key].items())})
            for key in sorted(shown, key=lambda key: (-totals[key].events, key))
        ]
        other = None
        if "\0other" in groups:
            other = Row(
                "", value(totals["\0other"]), {w: value(e) for w, e in sorted(other_weeks.items())}
            )
        tables[metric] = Table(metric, table_rows, other)
    return tables
