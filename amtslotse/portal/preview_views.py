"""The editors' preview: the entries by kind with their findings, one entry's texts, marking
texts as checked by readers of the target group.

All need the role ``editor`` and are drawn by the server (they work without
JavaScript; only the live check of a pasted text on /editor uses it):

- ``GET /editor?q=&art=&ungeprueft=1&befund=1&seite=``: every entry (a
  service, an office, a building, a word, ...) with the number of its texts,
  errors, warnings, notes and texts not checked by readers; ``q`` searches
  id, name and every text of the entry; :data:`PAGE_SIZE` entries a page.
- ``GET /editor/eintrag?art=&id=``: the entry's texts, each with its file:line,
  its findings marked in place, its review state; a service with its sources,
  its reviewer's score and its first answer; a link to edit it.
- ``POST /editor/geprueft`` (form: ``csrf``, ``art``, ``id``, ``von``, ``am``,
  ``text`` per chosen text, ``auswahl`` = ``ausgewaehlt`` or ``alle``): marks
  the texts as checked (amtslotse.portal.editing.Editor.review, the code of
  ``amtslotse content review``), answered with 303 back to the entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from html import escape
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from amtslotse.core.content import Catalogue
from amtslotse.portal import keys
from amtslotse.portal.auth import csrf_ok
from amtslotse.portal.bodies import read_form_lists
from amtslotse.portal.editing import SaveRefused
from amtslotse.portal.errors import Problem
from amtslotse.portal.staff_views import Session, api_session, page_session, render_page

ROLE = "editor"
PAGE_SIZE = 40
MAX_QUERY_CHARS = 200
MAX_GROUP_CHARS = 120
#: The review form: a checkbox per text (answers.yml has about 100) and its own fields.
MAX_REVIEW_FIELDS = 400
#: The texts of bot/domain: shown with their findings, changed in git (no entry to edit).
BOT = ("bot", "bot")
BOT_LABEL = "Texte im Bot (bot/domain, nur lesen)"
SEVERITY = {"error": "Fehler", "warning": "Warnung", "info": "Hinweis"}
REVIEW = {
    "geprueft": "geprüft",
    "geaendert": "geändert seit der Prüfung",
    "offen": "noch nicht geprüft",
}
_NOTICES = {
    "geprueft": "{n} Texte sind jetzt als geprüft markiert.",
    "keine": "Sie haben keinen Text gewählt. Nichts ist markiert.",
    "gruppe": "Bitte schreiben Sie, wer geprüft hat (die Prüf·gruppe). Nichts ist markiert.",
    "datum": "Das Datum passt nicht. Schreiben Sie es so: 2026-12-01. Nichts ist markiert.",
    "besetzt": "Gerade speichert jemand anderes. Nichts ist markiert. Bitte versuchen Sie es "
    "gleich noch einmal.",
}


@dataclass
class Row:
    """One entry of the preview, with its texts (rows of the texts report) and counts."""

    kind: str
    id: str
    label: str
    texts: list[dict[str, Any]] = field(default_factory=list)
    checks: list[dict[str, Any]] = field(default_factory=list)
    #: What else the search looks at: the synonyms, a word's other spellings.
    words: tuple[str, ...] = ()

    def count(self, severity: str) -> int:
        return sum(f["severity"] == severity for t in self.texts for f in t["findings"]) + sum(
            c["severity"] == severity for c in self.checks
        )

    @property
    def unreviewed(self) -> int:
        return sum(1 for t in self.texts if t["review"] and t["review"]["state"] != "geprueft")

    @property
    def findings(self) -> int:
        return sum(self.count(s) for s in SEVERITY)

    @property
    def editable(self) -> bool:
        return (self.kind, self.id) != BOT

    def matches(self, words: list[str]) -> bool:
        hay = _plain(" ".join([self.label, self.id, *self.words, *(t["text"] for t in self.texts)]))
        return all(w in hay for w in words)


def _plain(text: str) -> str:
    """For the search: lower case, without the middle dots and soft hyphens of Leichte Sprache."""
    return text.lower().replace("·", "").replace("\u00ad", "")


def _words(cat: Catalogue) -> dict[tuple[str, str], tuple[str, ...]]:
    out: dict[tuple[str, str], tuple[str, ...]] = {}
    for service in cat.services.values():
        out[("service", service.id)] = tuple(service.synonyms)
    for ident, clarification in cat.clarifications.items():
        out[("clarification", ident)] = tuple(clarification.synonyms)
    for term in cat.glossary:
        out[("glossary", term.term.replace("·", "").lower())] = tuple(term.forms)
    return out


def preview_rows(report: dict[str, Any], cat: Catalogue | None = None) -> list[Row]:
    """The entries of the texts report, in its order, each with its texts and checks (and,
    with the catalogue, the words the search looks at besides the texts)."""
    words = _words(cat) if cat is not None else {}
    rows = {
        (e["kind"], e["id"]): Row(
            e["kind"], e["id"], e["label"], words=words.get((e["kind"], e["id"]), ())
        )
        for e in report["entries"]
    }
    for text in report["texts"]:
        kind, _, ident = text["entry"].partition(":")
        if (kind, ident) not in rows:
            rows[(kind, ident)] = Row(kind, ident, BOT_LABEL if (kind, ident) == BOT else ident)
        rows[(kind, ident)].texts.append(text)
    # An editorial check (a source too old, a button too long) names file:line: it belongs
    # to the entry of that file whose first text stands closest above the line.
    starts: list[tuple[str, int, Row]] = []
    for row in rows.values():
        for text in row.texts:
            file, line = _file_line(text["key"], text["where"])
            if file:
                starts.append((file, line, row))
    for check in report["checks"]:
        file, _, raw = check["where"].rpartition(":")
        line = int(raw) if raw.isdigit() else 0
        above = [(at, row) for f, at, row in starts if f.endswith(file) and at <= line]
        if above:
            max(above, key=lambda item: item[0])[1].checks.append(check)
    return list(rows.values())


def _file_line(key: str, where: str) -> tuple[str, int]:
    """File and line of a text of the report (composed texts have none)."""
    parts = where.rsplit(":", 2)
    if len(parts) != 3 or not parts[1].isdigit():
        return "", 0
    return parts[0], int(parts[1])


@dataclass(frozen=True)
class Filters:
    q: str = ""
    art: str = ""
    ungeprueft: bool = False
    befund: bool = False
    seite: int = 1

    @classmethod
    def of(cls, query: Any, kinds: dict[str, str]) -> Filters:
        q = " ".join(str(query.get("q", ""))[:MAX_QUERY_CHARS].split())
        art = query.get("art", "")
        raw = query.get("seite", "1")
        return cls(
            q=q,
            art=art if art in kinds else "",
            ungeprueft=query.get("ungeprueft") == "1",
            befund=query.get("befund") == "1",
            seite=int(raw) if raw.isdigit() and 0 < int(raw) < 10_000 else 1,
        )

    def keep(self, row: Row) -> bool:
        return (
            (not self.art or row.kind == self.art)
            and (not self.ungeprueft or row.unreviewed > 0)
            and (not self.befund or row.findings > 0)
            and row.matches([_plain(w) for w in self.q.split()])
        )

    def query(self, **changes: Any) -> str:
        """This view's query string, with ``changes`` (for links to other pages of it)."""
        values = {
            "q": self.q,
            "art": self.art,
            "ungeprueft": "1" if self.ungeprueft else "",
            "befund": "1" if self.befund else "",
            "seite": str(self.seite) if self.seite > 1 else "",
        }
        values.update({k: str(v) for k, v in changes.items()})
        return urlencode({k: v for k, v in values.items() if v and v != "0"})


def _kinds(report: dict[str, Any]) -> dict[str, str]:
    return {**report["kinds"], BOT[0]: "Bot"}


def _entry_url(row: Row, back: str = "") -> str:
    query = {"art": row.kind, "id": row.id, **({"zurueck": back} if back else {})}
    return "/editor/eintrag?" + urlencode(query)


def _edit_url(row: Row) -> str:
    return "/editor/bearbeiten?" + urlencode({"art": row.kind, "id": row.id})


def _index_html(
    rows: list[Row], kinds: dict[str, str], filters: Filters
) -> tuple[str, str, str, int]:
    """The tables of one page (grouped by kind), the pager, the status, the page's number."""
    kept = [r for r in rows if filters.keep(r)]
    pages = max(1, -(-len(kept) // PAGE_SIZE))
    page = min(filters.seite, pages)
    shown = kept[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    back = filters.query(seite=page if page > 1 else "")
    groups = []
    for kind, name in kinds.items():
        members = [r for r in shown if r.kind == kind]
        if not members:
            continue
        body = "".join(
            f'<tr data-entry="{escape(r.kind + ":" + r.id, quote=True)}">'
            f'<th scope="row"><a href="{escape(_entry_url(r, back), quote=True)}">'
            f'{escape(r.label)}</a> <span class="entry-id">({escape(r.id)})</span></th>'
            f"<td>{len(r.texts)}</td>"
            f'<td class="{"sev-error" if r.count("error") else ""}">{r.count("error")}</td>'
            f"<td>{r.count('warning')}</td><td>{r.count('info')}</td>"
            f'<td class="unreviewed">{r.unreviewed}</td>'
            + (
                f'<td><a href="{escape(_edit_url(r), quote=True)}">Bearbeiten'
                f'<span class="visually-hidden">: {escape(r.label)}</span></a></td>'
                if r.editable
                else "<td>nur in git</td>"
            )
            + "</tr>"
            for r in members
        )
        ident = f"kind-{kind}"
        groups.append(
            f'<h3 id="{ident}">{escape(name)}</h3><div class="table-scroll">'
            f'<table class="stat-table entries" aria-labelledby="{ident}">'
            '<thead><tr><th scope="col">Eintrag</th><th scope="col">Texte</th>'
            '<th scope="col">Fehler</th><th scope="col">Warnungen</th>'
            '<th scope="col">Hinweise</th><th scope="col">Nicht geprüft</th>'
            f'<th scope="col">Ändern</th></tr></thead><tbody>{body}</tbody></table></div>'
        )
    pager = ""
    if pages > 1:
        links = []
        for n in range(1, pages + 1):
            if n == page:
                links.append(f'<li><a aria-current="page">Seite {n}</a></li>')
            else:
                url = "/editor?" + filters.query(seite=n if n > 1 else "")
                links.append(f'<li><a href="{escape(url, quote=True)}">Seite {n}</a></li>')
        pager = f'<nav aria-label="Seiten" class="pager"><ul>{"".join(links)}</ul></nav>'
    texts = sum(len(r.texts) for r in kept)
    unreviewed = sum(r.unreviewed for r in kept)
    status = (
        f"{len(kept)} Einträge mit {texts} Texten, {unreviewed} davon nicht geprüft."
        + (f" Seite {page} von {pages}." if pages > 1 else "")
        if kept
        else "Kein Eintrag passt. Ändern Sie die Suche oder die Filter."
    )
    return "".join(groups), pager, status, page


async def preview_page(request: web.Request) -> web.Response:
    """``GET /editor``: the entries by kind, searched and filtered by the query."""
    session = await page_session(request, ROLE)
    if not isinstance(session, Session):
        return session
    report = await request.app[keys.CONTENT].texts_report()
    kinds = _kinds(report)
    filters = Filters.of(request.query, kinds)
    rows = preview_rows(report, request.app[keys.CONTENT].catalogue)
    tables, pager, status, _ = _index_html(rows, kinds, filters)
    options = '<option value="">alle Arten</option>' + "".join(
        f'<option value="{escape(k, quote=True)}"{" selected" if k == filters.art else ""}>'
        f"{escape(v)}</option>"
        for k, v in kinds.items()
    )
    counts = report["counts"]
    return render_page(
        request,
        "editor",
        user=session.user,
        csrf=session.csrf,
        q=filters.q,
        summary=status,
        totals=(
            f"Alle {counts['texts']} Texte: {counts['error']} Fehler, {counts['warning']} "
            f"Warnungen, {counts['info']} Hinweise, {counts['unreviewed']} nicht mit Lesern "
            "geprüft."
        ),
        html={
            "kinds": options,
            "ungeprueft": " checked" if filters.ungeprueft else "",
            "befund": " checked" if filters.befund else "",
            "tables": tables,
            "pager": pager,
        },
    )


def marked(text: str, findings: list[dict[str, Any]]) -> str:
    """The text as HTML, each finding's words (line, column, length) in a ``<mark>``."""
    out = []
    for number, line in enumerate(text.split("\n"), start=1):
        spans = sorted(
            (f["column"] - 1, f["column"] - 1 + len(f["text"]), f)
            for f in findings
            if f["line"] == number and f.get("text")
        )
        at, parts = 0, []
        for start, end, f in spans:
            if start < at or end > len(line):
                continue  # overlapping: only in the list below the text
            parts.append(escape(line[at:start]))
            parts.append(
                f'<mark class="finding sev-{escape(f["severity"], quote=True)}" '
                f'data-rule="{escape(f["rule"], quote=True)}">{escape(line[start:end])}</mark>'
            )
            at = end
        parts.append(escape(line[at:]))
        out.append(f'<p class="marked-line">{"".join(parts) or "&nbsp;"}</p>')
    return f'<div class="marked">{"".join(out)}</div>'


def _finding_li(f: dict[str, Any]) -> str:
    said = f" „{escape(f['text'])}“" if f.get("text") else ""
    hint = f" Vorschlag: {escape(f['suggestion'])}" if f.get("suggestion") else ""
    return (
        f'<li class="sev-{escape(f["severity"], quote=True)}" '
        f'data-rule="{escape(f["rule"], quote=True)}"><strong>'
        f"{SEVERITY.get(f['severity'], escape(f['severity']))} {escape(f['rule'])}</strong> "
        f"({escape(f['where'])}){said}: {escape(f['message'])}{hint}</li>"
    )


def _review_text(review: dict[str, Any] | None) -> str:
    if review is None:
        return "Wird aus Bau·steinen zusammen·gesetzt: geprüft werden die Bau·steine."
    said = REVIEW.get(review["state"], review["state"])
    return f"Prüfung mit Lesern: {said}" + (
        f" ({review['am']}, {review['von']})" if review.get("am") else ""
    )


def _text_html(index: int, text: dict[str, Any]) -> str:
    review = text["review"]
    ident = f"t{index}"
    name = text["name"] or text["label"]
    state = review["state"] if review else "zusammengesetzt"
    choose = (
        f'<p><input type="checkbox" id="{ident}-pick" name="text" form="review-form" '
        f'value="{escape(text["name"], quote=True)}"> '
        f'<label for="{ident}-pick">Diesen Text als geprüft markieren</label></p>'
        if review is not None and text["name"]
        else ""
    )
    findings = (
        f'<ul class="findings" aria-label="Hinweise">'
        f"{''.join(_finding_li(f) for f in text['findings'])}</ul>"
        if text["findings"]
        else '<p class="no-findings">Keine Hinweise.</p>'
    )
    return (
        f'<article class="text-item" data-name="{escape(text["name"], quote=True)}" '
        f'data-review="{state}"><h3>{escape(name)}</h3>'
        f'<p class="edit-where">Datei: {escape(text["where"])}</p>'
        f'<p class="edit-review review-{state}">{escape(_review_text(review))}</p>'
        f"{marked(text['text'], text['findings'])}{findings}{choose}</article>"
    )


def service_html(service: dict[str, Any], max_age: int) -> str:
    review = service["review"]
    score = (
        "noch nicht bewertet"
        if review["score"] is None
        else f"{review['score']} von 5, {review['reviewer']}, {review['date']}"
    )
    note = (
        f'<dt>Hinweis der Bewertung</dt><dd class="review-note">{escape(review["note"])}</dd>'
        if review["note"]
        else ""
    )
    sources = (
        "".join(
            f'<li class="source{" sev-warning" if s["stale"] else ""}">'
            + (
                f'<a href="{escape(s["url"], quote=True)}" rel="noopener">'
                f"{escape(s['title'] or s['url'])}</a>"
                if s["url"].startswith(("https://", "http://"))
                else escape(s["title"] or s["url"])
            )
            + f" geprüft am {escape(s['checked'])} (vor {s['age_days']} Tagen"
            + (", bitte neu prüfen" if s["stale"] else "")
            + ")"
            + (f": {escape(s['note'])}" if s["note"] else "")
            + "</li>"
            for s in service["sources"]
        )
        or '<li class="sev-error">Keine Quelle.</li>'
    )
    answer = "".join(f"<p>{escape(line)}</p>" for line in service["answer"].split("\n"))
    buttons = (
        f'<p class="answer-buttons">Knöpfe: {escape(" | ".join(service["buttons"]))}</p>'
        if service["buttons"]
        else ""
    )
    return (
        '<section aria-labelledby="service-title" id="service">'
        '<h2 id="service-title">Quellen, Bewertung und erste Antwort</h2>'
        f'<dl class="service-facts"><dt>Bewertung (REVIEW.md)</dt><dd>{escape(score)}</dd>{note}'
        "</dl>"
        f"<p>Eine Quelle gilt {max_age} Tage.</p>"
        f'<ul class="sources" aria-label="Quellen">{sources}</ul>'
        f'<div class="answer" role="group" aria-label="Erste Antwort">{answer}{buttons}</div>'
        "</section>"
    )


def _back(raw: str) -> str:
    """The overview with the query the editor came from (only ever /editor)."""
    return "/editor" + (f"?{raw}" if raw and raw.isprintable() and "#" not in raw else "")


def _groups(request: web.Request) -> str:
    """The groups named in the content's marks: offered in the field, free text stays."""
    cat = request.app[keys.CONTENT].catalogue
    return "".join(
        f'<option value="{escape(v, quote=True)}"></option>'
        for v in sorted({m.von for m in cat.marks})
    )


async def entry_preview(request: web.Request) -> web.Response:
    """``GET /editor/eintrag?art=&id=``: one entry's texts, findings, review states."""
    session = await page_session(request, ROLE)
    if not isinstance(session, Session):
        return session
    report = await request.app[keys.CONTENT].texts_report()
    wanted = (request.query.get("art", ""), request.query.get("id", ""))
    row = next((r for r in preview_rows(report) if (r.kind, r.id) == wanted), None)
    if row is None:
        raise Problem(404, "No such entry", f"{wanted[0]}:{wanted[1]}")
    kinds = _kinds(report)
    hint = request.query.get("hinweis", "")
    notice = _NOTICES.get(hint, "").replace("{n}", request.query.get("anzahl", "0")[:4])
    reviewable = any(t["review"] is not None and t["name"] for t in row.texts)
    service = next(
        (s for s in report["services"] if row.kind == "service" and s["id"] == row.id), None
    )
    checks = "".join(_finding_li({**c, "text": c.get("text", "")}) for c in row.checks)
    back = request.query.get("zurueck", "")
    return render_page(
        request,
        "eintrag",
        user=session.user,
        csrf=session.csrf,
        kind=row.kind,
        id=row.id,
        label=row.label,
        kind_label=kinds.get(row.kind, row.kind),
        back=_back(back),
        zurueck=back,
        notice=notice,
        notice_hidden="" if notice else "hidden",
        today=date.today().isoformat(),
        summary=(
            f"{len(row.texts)} Texte: {row.count('error')} Fehler, {row.count('warning')} "
            f"Warnungen, {row.count('info')} Hinweise, {row.unreviewed} nicht geprüft."
        ),
        html={
            "edit": (
                f'<a href="{escape(_edit_url(row), quote=True)}">Diesen Eintrag bearbeiten</a>'
                if row.editable
                else "Diese Texte ändern Sie in git (bot/domain)."
            ),
            "checks": (
                '<h2 id="checks-title">Hinweise zum ganzen Eintrag</h2>'
                f'<ul class="findings" aria-labelledby="checks-title">{checks}</ul>'
                if checks
                else ""
            ),
            "service": service_html(service, report["source_max_age_days"]) if service else "",
            "texts": "".join(_text_html(i, t) for i, t in enumerate(row.texts)),
            "groups": _groups(request),
            "review_hidden": "" if reviewable and row.editable else "hidden",
        },
    )


async def mark_reviewed(request: web.Request) -> web.Response:
    """``POST /editor/geprueft``: the chosen texts (or all) of an entry are checked."""
    session = await api_session(request, ROLE, post=False)
    lists = await read_form_lists(request, MAX_REVIEW_FIELDS)
    form = {name: values[0] for name, values in lists.items()}
    if not csrf_ok(session.csrf, form.get("csrf")):
        raise Problem(403, "CSRF token missing or wrong")
    kind, ident = form.get("art", ""), form.get("id", "")
    editor = request.app[keys.EDITOR]
    entry = editor.entry(kind, ident)
    if entry is None:
        raise Problem(404, "No such entry", f"{kind}:{ident}")
    back = form.get("zurueck", "")

    def answer(hint: str, count: int = 0) -> web.HTTPSeeOther:
        query = {"art": kind, "id": ident, "hinweis": hint}
        if count:
            query["anzahl"] = str(count)
        if back:
            query["zurueck"] = back
        return web.HTTPSeeOther(location="/editor/eintrag?" + urlencode(query) + "#hinweis")

    von = " ".join(form.get("von", "").split())
    if not von or len(von) > MAX_GROUP_CHARS:
        raise answer("gruppe")
    try:
        am = date.fromisoformat(form.get("am") or date.today().isoformat())
    except ValueError:
        raise answer("datum") from None
    if am > date.today():
        raise answer("datum")
    names = [] if form.get("auswahl") == "alle" else lists.get("text", [])
    if form.get("auswahl") != "alle" and not names:
        raise answer("keine")
    try:
        count = await editor.review(session.user, entry, names, am, von)
    except SaveRefused as refused:
        if refused.status == 503:
            raise answer("besetzt") from None
        raise Problem(refused.status, "Not marked", refused.detail) from None
    raise answer("geprueft", count)
