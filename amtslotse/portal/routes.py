"""The portal's URLs, each with its handler and name."""

from __future__ import annotations

from aiohttp import web

from amtslotse.portal import (
    booking_views,
    editor_views,
    preview_views,
    staff_views,
    statistics_views,
    views,
)
from amtslotse.portal.keys import STATIC


def setup_routes(app: web.Application) -> None:
    add = app.router
    # Citizens: the example page, the widget, its APIs.
    add.add_get("/", views.index, name="index")
    add.add_get("/widget.js", views.widget_js, name="widget_js")
    add.add_get("/widget.css", views.widget_css, name="widget_css")
    add.add_static("/static/", STATIC, name="static")
    add.add_post("/api/chat", views.chat, name="chat")
    add.add_post("/api/feedback", views.feedback, name="feedback")
    add.add_get("/api/glossary", views.glossary, name="glossary")
    add.add_post("/api/booking/ics", views.booking_ics, name="booking_ics")
    add.add_get("/healthz", views.healthz, name="healthz")
    # The cancel link in the e-mails: GET shows the booking, only POST cancels.
    add.add_get("/termin/{code}", booking_views.cancel_page, name="termin")
    add.add_post("/termin/{code}", booking_views.cancel_booking, name="termin_cancel")
    # Staff: login, hotline console, editor preview.
    add.add_get("/login", staff_views.login_page, name="login")
    add.add_post("/login", staff_views.login, name="login_post")
    add.add_post("/logout", staff_views.logout, name="logout")
    add.add_get("/hotline", staff_views.hotline_page, name="hotline")
    add.add_post("/api/hotline/chat", staff_views.hotline_chat, name="hotline_chat")
    add.add_post(
        "/api/hotline/booking/lookup",
        staff_views.hotline_booking_lookup,
        name="hotline_booking_lookup",
    )
    add.add_post(
        "/api/hotline/booking/cancel",
        staff_views.hotline_booking_cancel,
        name="hotline_booking_cancel",
    )
    add.add_get("/editor", preview_views.preview_page, name="editor")
    add.add_get("/editor/eintrag", preview_views.entry_preview, name="editor_preview")
    add.add_post("/editor/geprueft", preview_views.mark_reviewed, name="editor_reviewed")
    add.add_get("/api/editor/texts", staff_views.editor_texts, name="editor_texts")
    add.add_post("/api/lint", staff_views.lint, name="lint")
    # Editors: one entry at a time, training, the inbox.
    add.add_get("/editor/bearbeiten", editor_views.entry_page, name="editor_entry")
    add.add_get("/api/editor/entry", editor_views.entry_get, name="editor_entry_get")
    add.add_post("/api/editor/entry", editor_views.entry_save, name="editor_entry_save")
    add.add_post("/api/editor/check", editor_views.entry_check, name="editor_entry_check")
    add.add_get("/api/editor/training", editor_views.training_status, name="training")
    add.add_post("/api/editor/training", editor_views.training_start, name="training_start")
    add.add_get("/api/editor/changes", editor_views.changes, name="editor_changes")
    add.add_get("/editor/feedback", editor_views.inbox_page, name="inbox")
    add.add_post("/editor/feedback/uebernehmen", editor_views.inbox_adopt, name="inbox_adopt")
    add.add_post("/editor/feedback/erledigt", editor_views.inbox_done, name="inbox_done")
    # Planners: the demand statistics.
    add.add_get("/statistik", statistics_views.statistik_page, name="statistik")
    add.add_get("/api/statistik", statistics_views.statistik_api, name="statistik_api")
