"""Typed application state of the portal (``app[KEY]``) and where its files are.

In a module of its own, so that handlers import the keys without importing
the app factory that imports them (no import circle).
"""

from __future__ import annotations

from pathlib import Path
from string import Template

import aiohttp
from aiohttp import web

from amtslotse.portal.auth import Auth
from amtslotse.portal.caps import NewConversations, SlidingWindow
from amtslotse.portal.content import PortalContent
from amtslotse.portal.database import PortalDatabase
from amtslotse.portal.editing import Editor
from amtslotse.portal.feedback import Inbox
from amtslotse.portal.rasa_client import RasaClient
from amtslotse.portal.ratelimit import RateLimiter
from amtslotse.portal.statistics import Recorder, TokenCheck
from amtslotse.portal.training import Training
from amtslotse.settings import Settings

STATIC = Path(__file__).parent / "static"
TEMPLATES = Path(__file__).parent / "templates"

SETTINGS = web.AppKey("settings", Settings)
HTTP = web.AppKey("http", aiohttp.ClientSession)
RASA = web.AppKey("rasa", RasaClient)
LIMITER = web.AppKey("limiter", RateLimiter)
NEW_CONVERSATIONS = web.AppKey("new_conversations", NewConversations)
CHOICES = web.AppKey("choices", SlidingWindow)  # /termin_waehlen turns per client
AUTH = web.AppKey("auth", Auth)
CONTENT = web.AppKey("content", PortalContent)
PAGES = web.AppKey("pages", dict[str, Template])
DB = web.AppKey("db", PortalDatabase)  # statistics, feedback, inbox, change log
STATS = web.AppKey("stats", Recorder)
INBOX = web.AppKey("inbox", Inbox)
EDITOR = web.AppKey("editor", Editor)  # saving content changes
TRAINING = web.AppKey("training", Training)
ADMIN_TOKENS = web.AppKey("admin_tokens", TokenCheck)  # checked with the scheduling backend
