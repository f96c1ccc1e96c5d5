"""Persistence: schema, engines and transactions, locks, queries, seeding, migrations."""
