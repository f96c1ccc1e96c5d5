"""HTTP adapter: turns requests into ``Scheduler`` calls and results into JSON."""
