"""Clients of the services the action server talks to (one module each)."""
