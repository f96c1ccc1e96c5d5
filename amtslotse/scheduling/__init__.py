"""Scheduling backend: combined appointments at the county's offices.

The folders follow the flow of a request from the edge to the core:

    app.py        app factory ``create_app`` and the server loop ``serve``
    api/          HTTP adapter (aiohttp): contract.py declares every operation once
                  (schema.py is its small schema layer); routes, request checks
                  (validation.py), handlers, problem+json and /openapi.json come from it
    scheduler.py  application service: one method per use case, owns transactions
    domain/       pure logic without I/O: opening calendar, desk capacity,
                  bundle search, bundle ids, booking codes, PINs and link tokens,
                  the wrong-PIN lock, idempotency, contact
    db/           SQLAlchemy schema, engines and retries, locks, queries, seeding
    migrations/   Alembic scripts (run programmatically by ``db/migrate.py``)
    provision.py  migrate + seed from content/ (CLI and server start)
    access.py     who may open a booking: token, e-mail link token, or code + PIN
    staff.py      the hotline's look-up and cancel by code, name and contact; audit log
    notify/       e-mails: outbox (queue, claims, retries), delivery, MIME, transports
                  (SMTP or .eml files), the SMS plug-in point
    housekeeping.py
                  the purge of personal data and the mail loop, run by the app
    settings.py   ``SchedulingSettings.from_env()``
    clock.py      UTC storage, Europe/Berlin display, RFC 3339
    errors.py     domain errors (the tree is in its docstring)
    ics.py        iCalendar rendering of a booking
    commands.py   ``amtslotse db ...`` and ``amtslotse serve-scheduling``
    bench.py      benchmark measurements for ``amtslotse bench``

Entry points: :func:`amtslotse.scheduling.app.create_app`,
:func:`amtslotse.scheduling.app.serve` and
:class:`amtslotse.scheduling.settings.SchedulingSettings`. Nothing here does
work at import time.
"""
