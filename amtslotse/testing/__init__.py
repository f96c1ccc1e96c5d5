"""Helpers for tests and benchmarks (throw-away servers); not used at run time."""
