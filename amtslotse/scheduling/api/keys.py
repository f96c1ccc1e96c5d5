"""Typed application state (``web.AppKey``), set up in ``app.py``."""

from __future__ import annotations

from aiohttp import web

from amtslotse.scheduling.db.database import Database
from amtslotse.scheduling.scheduler import Scheduler
from amtslotse.scheduling.settings import SchedulingSettings

SETTINGS = web.AppKey("settings", SchedulingSettings)
DATABASE = web.AppKey("database", Database)
SCHEDULER = web.AppKey("scheduler", Scheduler)
