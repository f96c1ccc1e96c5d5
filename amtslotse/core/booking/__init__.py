"""Booking combined appointments in the conversation: pure logic, no I/O, no Rasa."""
