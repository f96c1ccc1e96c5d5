"""Typed application state (``web.AppKey``), set up in ``app.py``."""

from __future__ import annotations

import asyncio

from aiohttp import web

from amtslotse.scheduling.db.database import Database
from amtslotse.scheduling.notify.delivery import MailDelivery
from amtslotse.scheduling.scheduler import Scheduler
from amtslotse.scheduling.settings import SchedulingSettings

SETTINGS = web.AppKey("settings", SchedulingSettings)
DATABASE = web.AppKey("database", Database)
SCHEDULER = web.AppKey("scheduler", Scheduler)
# The housekeeping task; set at start when SCHEDULING_HOUSEKEEPING_MINUTES > 0.
HOUSEKEEPING = web.AppKey("housekeeping", asyncio.Task)
# The mail loop's delivery (absent when mail_poll_seconds is 0 or the content is broken).
MAIL = web.AppKey("mail", MailDelivery)
# Set when a booking or cancel queued a mail: the mail loop runs at once.
MAIL_WAKE = web.AppKey("mail_wake", asyncio.Event)
