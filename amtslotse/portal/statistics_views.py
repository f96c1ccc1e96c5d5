"""The planners' demand statistics: ``/statistik`` (role planner) and ``GET /api/statistik``.

``GET /api/statistik`` answers a staff session with the role planner (or
admin), or ``Authorization: Bearer <AMTSLOTSE_ADMIN_TOKEN>``. The portal
does not hold the admin token: it asks the scheduling backend whether the
token opens its admin API (``GET /api/v1/admin/schedule``) and remembers a
yes for 5 minutes (only a hash of the token). ``?format=csv`` gives the
same numbers as CSV (``;``, UTF-8 with BOM, for spreadsheets).

Only what amtslotse.core.statistics.publish lets out is shown: no number
below 5 conversations, no free text.
"""

from __future__ import annotations

import asyncio
import csv
import io
import time
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Any

import aiohttp
from aiohttp import web

from amtslotse.core.content import Catalogue
from amtslotse.core.statistics import (
    HIDDEN,
    SUPPRESSED,
    K,
    Row,
    Table,
    publish,
    week_of,
    weeks_until,
)
from amtslotse.portal import keys
from amtslotse.portal.charts import bars, columns
from amtslotse.portal.errors import Problem
from amtslotse.portal.staff_views import Session, api_session, page_session, render_page

#: Weeks shown unless the page asks for others; at most two years.
DEFAULT_WEEKS = 12
MAX_WEEKS = 104

KIND_LABELS = {
    "appointment": "mit Termin",
    "walk_in": "ohne Termin im Bürger·büro",
    "external": "bei einer anderen Stelle",
    "urgent": "sofort Hilfe (Kind in Gefahr)",
}
FIXED_LABELS = {
    "conversations": {
        "all": "alle Gespräche",
        "web": "Internet·seite",
        "hotline": "Bürger·telefon",
    },
    "turns": {
        "all": "alle Nachrichten",
        "answered": "beantwortet",
        "asked": "nachgefragt",
        "unanswered": "nicht verstanden",
    },
    "booking": {"made": "gebucht", "cancelled": "abgesagt"},
    "feedback": {"all": "alle Rückmeldungen", "ja": "Ja, geholfen", "nein": "Nein"},
    "feedback_reason": {
        "falsches_amt": "Das Amt ist falsch.",
        "unverstaendlich": "Ich verstehe die Antwort nicht.",
        "fehlt_etwas": "Etwas fehlt.",
        "anderes": "Etwas anderes.",
    },
    "concern_count": {"0": "kein Anliegen", "1": "1", "2": "2", "3": "3", "4": "4 oder mehr"},
    "kind": KIND_LABELS,
}


@dataclass(frozen=True)
class Section:
    metric: str
    title: str
    intro: str
    weekly: bool = False  # a chart over the weeks instead of bars of the totals


SECTIONS = (
    Section(
        "conversations",
        "Gespräche pro Woche",
        "Ein Gespräch endet nach einer Pause. Es zählt in der Woche, in der es begann.",
        weekly=True,
    ),
    Section("concern", "Anliegen", "Jedes Anliegen zählt einmal pro Gespräch."),
    Section(
        "kind",
        "Mit Termin, ohne Termin, anderswo",
        "Wie die genannten Anliegen erledigt werden.",
    ),
    Section("office", "Ämter und Stellen", "Jedes Amt zählt einmal pro Gespräch."),
    Section(
        "concern_combination",
        "Anliegen zusammen in einem Gespräch",
        "Gespräche mit 2 oder mehr Anliegen: welche zusammen vorkamen.",
    ),
    Section(
        "office_combination",
        "Ämter zusammen in einem Gespräch",
        "Gespräche mit 2 oder mehr Ämtern: welche zusammen gebraucht wurden.",
    ),
    Section("concern_count", "Anliegen pro Gespräch", "Wie viele Anliegen ein Gespräch hatte."),
    Section(
        "turns",
        "Beantwortet und nicht verstanden",
        "Nachrichten an den Amts·lotsen: beantwortet, zuerst nachgefragt, nicht verstanden.",
        weekly=True,
    ),
    Section(
        "booking",
        "Termine",
        "Gebuchte und abgesagte Termine. Erinnerungen zählt der Amts·lotse nicht: "
        "sie sind hier nicht verfügbar.",
        weekly=True,
    ),
    Section(
        "feedback",
        "Rückmeldungen",
        "Antworten auf die Frage „Hat Ihnen das geholfen?“.",
        weekly=True,
    ),
    Section("feedback_reason", "Gründe für Nein", "Was nach einem Nein gewählt wurde."),
)


def label(cat: Catalogue, metric: str, key: str) -> str:
    """What a planner reads for a key: names from the catalogue, fixed words otherwise."""
    if metric in FIXED_LABELS:
        return FIXED_LABELS[metric].get(key, key)
    if metric == "concern":
        service = cat.services.get(key)
        return service.name if service else key
    if metric == "office":
        return _office_name(cat, key)
    if metric == "concern_combination":
        return " + ".join(label(cat, "concern", k) for k in key.split("+"))
    if metric == "office_combination":
        return " + ".join(_office_name(cat, k) for k in key.split("+"))
    return key


def _office_name(cat: Catalogue, key: str) -> str:
    if key in cat.offices:
        return cat.offices[key].name
    if key in cat.external:
        return cat.external[key].name
    return key


def _weeks(request: web.Request) -> list[str]:
    """``?wochen=N`` (1-104) weeks up to ``?bis=YYYY-Www`` (default: this week)."""
    raw = request.query.get("wochen", str(DEFAULT_WEEKS))
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_WEEKS:
        raise Problem(422, "Invalid wochen", f"wochen: a whole number from 1 to {MAX_WEEKS}")
    last = request.query.get("bis") or week_of(request.app[keys.STATS].clock())
    try:
        date.fromisocalendar(int(last[:4]), int(last[6:]), 1)
        if last[4:6] != "-W" or len(last) != 8:
            raise ValueError(last)
    except ValueError:
        raise Problem(422, "Invalid bis", "bis: an ISO week like 2026-W49") from None
    return weeks_until(last, int(raw))


async def _report(request: web.Request, weeks: list[str]) -> dict[str, Table]:
    cells = await request.app[keys.STATS].cells(weeks)
    return publish(cells, weeks, K)


def report_json(tables: dict[str, Table], weeks: list[str], cat: Catalogue) -> dict[str, Any]:
    def row(metric: str, r: Row) -> dict[str, Any]:
        return {
            "key": r.key,
            "label": label(cat, metric, r.key),
            "total": r.total,
            "weeks": r.weeks,
        }

    out: dict[str, Any] = {
        "weeks": weeks,
        "k": K,
        "suppressed": SUPPRESSED,
        "hidden": HIDDEN,
        "reminded": None,  # not available: the scheduling backend counts no reminders
        "metrics": {},
    }
    for section in SECTIONS:
        table = tables.get(section.metric, Table(section.metric, []))
        out["metrics"][section.metric] = {
            "title": section.title,
            "rows": [row(section.metric, r) for r in table.rows],
            "other": row(section.metric, table.other) if table.other else None,
        }
    out["unanswered_share"] = _shares(tables.get("turns"), weeks)
    return out


def _shares(turns: Table | None, weeks: list[str]) -> dict[str, float | None]:
    """Per week: not understood / all messages, where both numbers may be shown."""
    rows = {r.key: r for r in (turns.rows if turns else [])}
    out: dict[str, float | None] = {}
    for week in [*weeks, "total"]:
        whole, part = (_at(rows.get(key), week) for key in ("all", "unanswered"))
        both = isinstance(whole, int) and isinstance(part, int) and whole
        out[week] = round(part / whole, 3) if both else None  # type: ignore[operator]
    return out


def _at(row: Row | None, week: str) -> Any:
    if row is None:
        return 0
    return row.total if week == "total" else row.weeks.get(week, 0)


def report_csv(tables: dict[str, Table], weeks: list[str], cat: Catalogue) -> str:
    """One line per number: week (or "gesamt"), metric, key, label, value."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["woche", "bereich", "schluessel", "bezeichnung", "wert"])
    for section in SECTIONS:
        table = tables.get(section.metric)
        if table is None:
            continue
        rows = [*table.rows, *([table.other] if table.other else [])]
        for r in rows:
            name = label(cat, section.metric, r.key) if r.key else "andere (je unter 5)"
            writer.writerow(["gesamt", section.metric, r.key or "andere", name, r.total])
            for week in weeks:
                if week in r.weeks:
                    writer.writerow([week, section.metric, r.key or "andere", name, r.weeks[week]])
    writer.writerow(["gesamt", "booking", "reminded", "erinnert", "nicht verfügbar"])
    return out.getvalue()


def _table_html(section: Section, table: Table, weeks: list[str], cat: Catalogue) -> str:
    ident = f"t-{section.metric}"
    head = "".join(f'<th scope="col">{escape(w)}</th>' for w in weeks)
    lines = [
        f'<div class="table-scroll" role="region" tabindex="0" aria-labelledby="{ident}-cap">',
        f'<table class="stat-table" id="{ident}"><caption id="{ident}-cap">{escape(section.title)}'
        "</caption>",
        f'<thead><tr><th scope="col">Was</th><th scope="col">Gesamt</th>{head}</tr></thead><tbody>',
    ]
    rows = [*table.rows, *([table.other] if table.other else [])]
    for r in rows:
        name = label(cat, section.metric, r.key) if r.key else "Andere (je unter 5 Gespräche)"
        cells = "".join(f"<td>{escape(str(r.weeks.get(w, 0)))}</td>" for w in weeks)
        lines.append(
            f'<tr data-key="{escape(r.key, quote=True)}"><th scope="row">{escape(name)}</th>'
            f"<td>{escape(str(r.total))}</td>{cells}</tr>"
        )
    if not rows:
        lines.append(
            f'<tr><td colspan="{len(weeks) + 2}">Noch keine Zahl ab {K} Gesprächen.</td></tr>'
        )
    lines.append("</tbody></table></div>")
    return "\n".join(lines)


def _chart(section: Section, table: Table, weeks: list[str], cat: Catalogue) -> str:
    ident = f"c-{section.metric}"
    if section.weekly:
        series = [
            (label(cat, section.metric, r.key), r.weeks)
            for r in table.rows
            if r.key != "all" or section.metric == "booking"
        ][:4]
        return columns(ident, section.title, weeks, series)
    items = [(label(cat, section.metric, r.key), r.total) for r in table.rows[:15]]
    return bars(ident, section.title, items)


def report_html(tables: dict[str, Table], weeks: list[str], cat: Catalogue) -> str:
    parts = []
    for section in SECTIONS:
        table = tables.get(section.metric, Table(section.metric, []))
        parts += [
            f'<section class="stat-section" aria-labelledby="h-{section.metric}" '
            f'data-metric="{section.metric}">',
            f'<h2 id="h-{section.metric}">{escape(section.title)}</h2>',
            f"<p>{escape(section.intro)}</p>",
            '<div class="stat-pair">',
            f'<figure class="stat-chart">{_chart(section, table, weeks, cat)}</figure>',
            _table_html(section, table, weeks, cat),
            "</div>",
        ]
        if section.metric == "turns":
            shares = _shares(table, weeks)
            total = shares["total"]
            text = f"{round(total * 100)} Prozent" if total is not None else "nicht genug Gespräche"
            parts.append(f'<p class="share">Anteil nicht verstanden, gesamt: {escape(text)}.</p>')
        parts.append("</section>")
    return "\n".join(parts)


async def statistik_page(request: web.Request) -> web.Response:
    session = await page_session(request, "planner")
    if not isinstance(session, Session):
        return session
    weeks = _weeks(request)
    tables = await _report(request, weeks)
    cat = request.app[keys.CONTENT].catalogue
    count = len(weeks)
    options = "".join(
        f'<option value="{n}"{" selected" if n == count else ""}>{n} Wochen</option>'
        for n in sorted({4, 12, 26, 52, count})
    )
    return render_page(
        request,
        "statistik",
        user=session.user,
        csrf=session.csrf,
        first=weeks[0],
        last=weeks[-1],
        count=str(count),
        bis=weeks[-1],
        html={"report": report_html(tables, weeks, cat), "options": options},
    )


async def _admin_token_ok(request: web.Request, token: str) -> bool:
    """Whether the scheduling backend's admin API takes ``token`` (see the module docstring)."""
    checks = request.app[keys.ADMIN_TOKENS]
    now = time.monotonic()
    if checks.known(token, now):
        return True
    if not request.app[keys.LIMITER].allow(f"admin-token:{request.remote}"):
        raise Problem(429, "Too many requests", "Wait a minute.")
    cat = request.app[keys.CONTENT].catalogue
    office = next((o.id for o in cat.offices.values() if o.desks > 0), "")
    url = f"{request.app[keys.SETTINGS].scheduling_base_url}/api/v1/admin/schedule"
    try:
        async with request.app[keys.HTTP].get(
            url,
            params={"office_id": office, "date": date.today().isoformat()},
            headers={"Authorization": f"Bearer {token}"},
        ) as r:
            status = r.status
    except (aiohttp.ClientError, asyncio.TimeoutError):
        raise Problem(503, "The scheduling backend is not reachable to check the token") from None
    if status == 200:
        checks.remember(token, now)
        return True
    if status in (401, 403):
        return False
    raise Problem(503, "The scheduling backend could not check the token")


async def statistik_api(request: web.Request) -> web.Response:
    """JSON (or ``?format=csv``) of the published statistics; see the module docstring."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        if not await _admin_token_ok(request, token.strip()[:200]):
            raise Problem(401, "Wrong token", "Send the admin token or log in as a planner.")
    else:
        await api_session(request, "planner", post=False)
    weeks = _weeks(request)
    tables = await _report(request, weeks)
    cat = request.app[keys.CONTENT].catalogue
    if request.query.get("format") == "csv":
        return web.Response(
            text=report_csv(tables, weeks, cat),
            content_type="text/csv",
            charset="utf-8",
            headers={
                "Content-Disposition": (
                    f'attachment; filename="statistik-{weeks[0]}-{weeks[-1]}.csv"'
                ),
                "Cache-Control": "no-store",
            },
        )
    return web.json_response(report_json(tables, weeks, cat), headers={"Cache-Control": "no-store"})
