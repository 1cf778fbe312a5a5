"""Demo data: the deterministic sample-data generator (companies, leads, Fellow calls, outcomes), its phrase
banks, seeding it into the database, and labelled snapshots straight from it (benchmarks, tests)."""
