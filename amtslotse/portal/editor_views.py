"""The editors' pages beside the preview: editing one entry, training, the inbox.

All need the role ``editor``; every POST carries the session's CSRF token
(the ``X-CSRF-Token`` header for the APIs, the form field ``csrf`` for the
inbox's forms, which answer with a redirect back to the inbox).

- ``GET /editor/bearbeiten?art=service&id=wohngeld``: the page; its script
  reads and saves through ``GET``/``POST /api/editor/entry`` and shows the
  findings of the draft while the editor types (``POST /api/editor/check``,
  nothing is written; each finding with its file:line).
- ``POST /api/editor/training``, ``GET /api/editor/training``: start one
  training, read its progress.
- ``GET /api/editor/changes``: the change log.
- ``GET /editor/feedback``: the answers with the most "Nein" and the
  messages to look at; ``POST /editor/feedback/uebernehmen`` adds a message
  to a service's synonyms, ``POST /editor/feedback/erledigt`` files it.
"""

from __future__ import annotations

import time
from datetime import datetime
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web

from amtslotse.core.content.entries import ENTRY_KINDS, TRAINED_LISTS, Entry, entry_lists
from amtslotse.core.content.review import review_states
from amtslotse.portal import keys
from amtslotse.portal.auth import csrf_ok
from amtslotse.portal.bodies import clean_text, read_form, read_json
from amtslotse.portal.editing import SaveRefused, adopted_synonym
from amtslotse.portal.errors import Problem
from amtslotse.portal.staff_views import Session, api_session, page_session, render_page

ROLE = "editor"
MAX_TEXT_CHARS = 5000
MAX_ITEMS = 300
MAX_ITEM_CHARS = 300

#: What an editor reads for a text's name.
FIELD_LABELS = {
    "name": "Name (die Überschrift)",
    "button": "Knopf (kurzer Name)",
    "text": "Erste Antwort: der nächste Schritt zuerst",
    "who": "Wer hilft (ein ganzer Satz)",
    "bring": "Mitbringen (1 Satz)",
    "simple": "Einfacher erklärt",
    "explanation": "Erklärung",
    "accessibility.text": "Barriere·freiheit",
    "directions": "Weg·beschreibung",
    "question": "Frage",
    "choose_office.text": "Vor der Frage",
    "choose_office.question": "Frage nach dem Amt",
    "example_notice": "Hinweis auf Beispiel·daten",
    "hotline.hours": "Zeiten vom Bürger·telefon",
}
LIST_LABELS = {
    "synonyms": "So nennen Bürger das Anliegen (eine Zeile für jedes)",
    "documents": "Alle Unter·lagen (eine Zeile für jede)",
    "forms": "Andere Schreib·weisen (eine Zeile für jede)",
}


def field_label(entry: Entry, name: str) -> str:
    if name in FIELD_LABELS:
        return FIELD_LABELS[name]
    parts = name.split(".")
    if parts[0] == "who" and len(parts) == 2:
        return f"Wer hilft, wenn das Amt {parts[1]} ist"
    if "options" in parts:
        return f"Antwort {int(parts[parts.index('options') + 1]) + 1} (ein Knopf)"
    if parts[0] == "documents":
        return f"Unter·lage {int(parts[1]) + 1}"
    return name


def _entry(request: web.Request, kind: Any, ident: Any) -> Entry:
    if not isinstance(kind, str) or not isinstance(ident, str):
        raise Problem(422, "Invalid entry", "art (kind) and id")
    entry = request.app[keys.EDITOR].entry(kind, ident)
    if entry is None:
        raise Problem(404, "No such entry", f"{kind}:{ident}")
    return entry


def entry_json(request: web.Request, entry: Entry) -> dict[str, Any]:
    cat = request.app[keys.CONTENT].catalogue
    states = review_states(cat)
    _, version = request.app[keys.EDITOR].read(entry)
    lists = entry_lists(cat, entry)
    answer = None
    if entry.kind == "service" and entry.id in cat.services:
        from amtslotse.core.routing import office_reply

        reply = office_reply(cat, cat.services[entry.id])
        answer = {"text": reply.text, "buttons": [b.title for b in reply.buttons]}
    return {
        "kind": entry.kind,
        "kind_label": ENTRY_KINDS.get(entry.kind, entry.kind),
        "id": entry.id,
        "label": entry.label,
        "file": entry.file,
        "version": version,
        "texts": [
            {
                "name": name,
                "label": field_label(entry, name),
                "text": source.text,
                "multiline": "\n" in source.text or name in ("text", "simple", "explanation"),
                "where": source.location,
                "frame": "{" in source.text,
                "review": states[key].to_json(),
            }
            for name, (key, source) in entry.texts.items()
            if not name.startswith("documents.")
        ],
        "lists": [
            {
                "name": name,
                "label": LIST_LABELS.get(name, name),
                "items": items,
                "trained": name in TRAINED_LISTS,
            }
            for name, items in lists.items()
        ],
        "answer": answer,
    }


async def entry_page(request: web.Request) -> web.Response:
    session = await page_session(request, ROLE)
    if not isinstance(session, Session):
        return session
    if "art" not in request.query or "id" not in request.query:
        raise web.HTTPSeeOther(location="/editor")  # no entry named: choose one there
    entry = _entry(request, request.query.get("art"), request.query.get("id"))
    return render_page(
        request,
        "bearbeiten",
        user=session.user,
        csrf=session.csrf,
        kind=entry.kind,
        id=entry.id,
        label=entry.label,
        kind_label=ENTRY_KINDS.get(entry.kind, entry.kind),
    )


async def entry_get(request: web.Request) -> web.Response:
    await api_session(request, ROLE, post=False)
    entry = _entry(request, request.query.get("kind"), request.query.get("id"))
    return web.json_response(entry_json(request, entry), headers={"Cache-Control": "no-store"})


def _strings(value: Any, what: str) -> Any:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and len(v) <= MAX_TEXT_CHARS
        for k, v in value.items()
    ):
        raise Problem(422, f"Invalid {what}", f"{what}: {{name: text}}")
    return value


async def _draft(
    request: web.Request, detail: str
) -> tuple[Entry, dict[str, str], dict[str, list[str]], dict[str, Any]]:
    """The entry, texts and lists of a draft the page sends (and the whole body)."""
    body = await read_json(request, detail)
    if not isinstance(body, dict):
        raise Problem(400, "Body must be a JSON object", detail)
    entry = _entry(request, body.get("kind"), body.get("id"))
    texts = _strings(body.get("texts", {}), "texts")
    lists = body.get("lists", {})
    if not isinstance(lists, dict) or not all(
        isinstance(items, list)
        and len(items) <= MAX_ITEMS
        and all(isinstance(i, str) and len(i) <= MAX_ITEM_CHARS for i in items)
        for items in lists.values()
    ):
        raise Problem(422, "Invalid lists", "lists: {name: [text, ...]}")
    clean = {name: clean_text(text) for name, text in texts.items()}
    return entry, clean, {n: [clean_text(i) for i in items] for n, items in lists.items()}, body


async def entry_check(request: web.Request) -> web.Response:
    """``{"kind", "id", "texts", "lists"}`` → what saving it would find (nothing is written)."""
    await api_session(request, ROLE, post=True)
    entry, texts, lists, _ = await _draft(request, '{"kind", "id", "texts", "lists"}')
    try:
        draft = await request.app[keys.EDITOR].check(entry, texts, lists)
    except SaveRefused as refused:
        raise Problem(refused.status, "Not checked", refused.detail, **refused.extra) from None
    return web.json_response(draft.to_json(), headers={"Cache-Control": "no-store"})


async def entry_save(request: web.Request) -> web.Response:
    """``{"kind", "id", "version", "texts": {name: text}, "lists": {name: [item]}}``."""
    session = await api_session(request, ROLE, post=True)
    entry, texts, lists, body = await _draft(request, '{"kind", "id", "version", "texts", "lists"}')
    version = body.get("version")
    if not isinstance(version, str):
        raise Problem(422, "Invalid version", "the version the page loaded")
    try:
        saved = await request.app[keys.EDITOR].save(session.user, entry, version, texts, lists)
    except SaveRefused as refused:
        raise Problem(refused.status, "Not saved", refused.detail, **refused.extra) from None
    return web.json_response(
        {
            "saved": saved.changed,
            "version": saved.version,
            "fields": saved.fields,
            "needs_training": saved.needs_training,
            "review_cleared": saved.review_cleared,
            "marks_cleared": saved.marks_cleared,
        }
    )


async def training_start(request: web.Request) -> web.Response:
    session = await api_session(request, ROLE, post=True)
    training = request.app[keys.TRAINING]
    if not await training.start(session.user):
        raise Problem(409, "A training runs already", "Es läuft schon ein Training.")
    await request.app[keys.EDITOR].log(
        [
            {
                "at": time.time(),
                "account": session.user,
                "action": "training",
                "file": "",
                "entry": "",
                "field": "",
                "before": "",
                "after": "",
            }
        ]
    )
    return web.json_response(training.status(), status=202)


async def training_status(request: web.Request) -> web.Response:
    await api_session(request, ROLE, post=False)
    return web.json_response(
        request.app[keys.TRAINING].status(), headers={"Cache-Control": "no-store"}
    )


async def changes(request: web.Request) -> web.Response:
    await api_session(request, ROLE, post=False)
    entry = request.query.get("entry")
    found = await request.app[keys.EDITOR].changes(entry=entry)
    return web.json_response(
        {
            "changes": [
                {
                    "at": datetime.fromtimestamp(c.at, ZoneInfo("Europe/Berlin")).isoformat(
                        timespec="minutes"
                    ),
                    "account": c.account,
                    "action": c.action,
                    "entry": c.entry,
                    "field": c.field,
                    "before": c.before,
                    "after": c.after,
                }
                for c in found
            ]
        },
        headers={"Cache-Control": "no-store"},
    )


# -- the inbox ------------------------------------------------------------------------

_NOTICES = {
    "uebernommen": "Übernommen. Das Beispiel wirkt nach dem nächsten Training.",
    "erledigt": "Erledigt.",
    "leer": "Die Nachricht hat Platz·halter oder Klammern. Bitte schreiben Sie sie um.",
    "doppelt": "Dieses Beispiel gibt es bei dem Anliegen schon.",
    "weg": "Diese Nachricht ist schon erledigt.",
}
_REASONS = {
    "falsches_amt": "Das Amt ist falsch.",
    "unverstaendlich": "Ich verstehe die Antwort nicht.",
    "fehlt_etwas": "Eine Angabe fehlt.",
    "anderes": "Etwas anderes.",
}


def _when(moment: float) -> str:
    return datetime.fromtimestamp(moment, ZoneInfo("Europe/Berlin")).strftime("%d.%m.%Y %H:%M")


async def inbox_page(request: web.Request) -> web.Response:
    session = await page_session(request, ROLE)
    if not isinstance(session, Session):
        return session
    cat = request.app[keys.CONTENT].catalogue
    view = await request.app[keys.INBOX].inbox()
    csrf = escape(session.csrf, quote=True)

    def name(service_id: str | None) -> str:
        if service_id is None:
            return "Antworten ohne Anliegen"
        service = cat.services.get(service_id)
        return service.name if service else service_id

    answers = (
        "".join(
            f'<tr data-service="{escape(a.service_id or "", quote=True)}"><th scope="row">'
            f"{escape(name(a.service_id))}</th><td>{a.no}</td><td>{a.yes}</td></tr>"
            for a in view.answers[:20]
        )
        or '<tr><td colspan="3">Noch kein Nein.</td></tr>'
    )
    options = "".join(
        f'<option value="{escape(s.id, quote=True)}">{escape(s.name)}</option>'
        for s in sorted(cat.services.values(), key=lambda s: s.name.lower())
    )
    items = []
    for m in view.messages:
        offered = [s for s in (*m.candidates, *([m.service_id] if m.service_id else [])) if s]
        buttons = "".join(
            f'<button type="submit" name="service_id" value="{escape(s, quote=True)}">'
            f"Als Beispiel für Anliegen {escape(name(s))} übernehmen</button>"
            for s in dict.fromkeys(offered)
            if s in cat.services
        )
        kind = "Nicht verstanden" if m.kind == "nicht_verstanden" else "Nein"
        about = f", Antwort zu {escape(name(m.service_id))}" if m.service_id else ""
        reason = f", Grund: {escape(_REASONS[m.reason])}" if m.reason in _REASONS else ""
        ident = f"m{m.id}"
        items.append(
            f'<li class="inbox-item" data-id="{m.id}" data-kind="{m.kind}">'
            f'<p class="inbox-meta">{kind}{about}{reason} · {escape(_when(m.created))}'
            f"{' · Bürger·telefon' if m.channel == 'hotline' else ''}</p>"
            f'<blockquote class="inbox-message" id="{ident}-text">{escape(m.message)}</blockquote>'
            f'<form method="post" action="/editor/feedback/uebernehmen" class="inbox-adopt">'
            f'<input type="hidden" name="csrf" value="{csrf}">'
            f'<input type="hidden" name="id" value="{m.id}">'
            f'<div class="inbox-buttons">{buttons}</div>'
            f'<label for="{ident}-service">Oder für dieses Anliegen:</label> '
            f'<select id="{ident}-service" name="other">{options}</select> '
            f'<button type="submit" name="service_id" value="">Übernehmen</button>'
            f"</form>"
            f'<form method="post" action="/editor/feedback/erledigt" class="inbox-done">'
            f'<input type="hidden" name="csrf" value="{csrf}">'
            f'<input type="hidden" name="id" value="{m.id}">'
            f'<button type="submit">Erledigt, nicht übernehmen</button></form></li>'
        )
    notice = _NOTICES.get(request.query.get("hinweis", ""), "")
    return render_page(
        request,
        "rueckmeldungen",
        user=session.user,
        csrf=session.csrf,
        notice=notice,
        notice_hidden="" if notice else "hidden",
        count=str(len(view.messages)),
        days=str(request.app[keys.SETTINGS].feedback_retention_days),
        html={
            "answers": answers,
            "messages": "".join(items) or "<li>Keine offenen Nachrichten.</li>",
        },
    )


async def _inbox_form(request: web.Request) -> tuple[Session, dict[str, str], int]:
    session = await api_session(request, ROLE, post=False)
    form = await read_form(request)
    if not csrf_ok(session.csrf, form.get("csrf")):
        raise Problem(403, "CSRF token missing or wrong")
    raw = form.get("id", "")
    if not raw.isdigit():
        raise Problem(422, "Invalid id")
    return session, form, int(raw)


def _back(hint: str) -> web.HTTPSeeOther:
    return web.HTTPSeeOther(location=f"/editor/feedback?hinweis={hint}")


async def inbox_adopt(request: web.Request) -> web.Response:
    """Adds the message to the synonyms of ``service_id`` (or of ``other``, from the list)."""
    session, form, message_id = await _inbox_form(request)
    service_id = form.get("service_id") or form.get("other", "")
    inbox, editor = request.app[keys.INBOX], request.app[keys.EDITOR]
    message = await inbox.get(message_id)
    if message is None or message.status != "neu":
        raise _back("weg")
    entry = editor.entry("service", service_id)
    if entry is None:
        raise Problem(422, "Unknown service")
    synonym = adopted_synonym(message.message)
    if not synonym:
        raise _back("leer")
    cat = request.app[keys.CONTENT].catalogue
    present = [s.lower() for s in cat.services[service_id].synonyms]
    if synonym.lower() in present:
        raise _back("doppelt")
    try:
        await editor.save(
            session.user,
            entry,
            None,
            {},
            {"synonyms": [*cat.services[service_id].synonyms, synonym]},
            action="inbox",
        )
    except SaveRefused as refused:
        raise Problem(refused.status, "Not saved", refused.detail, **refused.extra) from None
    await inbox.handle(message_id, session.user, adopted_service=service_id)
    raise _back("uebernommen")


async def inbox_done(request: web.Request) -> web.Response:
    session, _, message_id = await _inbox_form(request)
    done = await request.app[keys.INBOX].handle(message_id, session.user)
    raise _back("erledigt" if done else "weg")
