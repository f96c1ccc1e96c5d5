"""Rasa custom actions: thin adapters from the conversation to amtslotse's core.

rasa-sdk registers every Action subclass in this package; modules are split
by concern (routing, booking). Nothing is loaded at import time: the
catalogue is read on first use (actions/catalogue.py).
"""
