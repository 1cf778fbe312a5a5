"""Salesforce API calls and time per 1,000 score writebacks, with the real client against the fake org (HTTPS).

Each run: a fresh SQLite database and fake org with 1,000 leads, one score each, drained through the
writeback consumer; then every lead re-scored with unchanged values and drained again. Figures are medians of
RUNS runs. The per-record baseline is what one PATCH per lead would cost (1 call per writeback).
"""

from __future__ import annotations

import logging
import statistics
import tempfile
import time
from pathlib import Path

import structlog

LEADS = 1000
RUNS = 3


def _one_run(folder: Path) -> dict[str, float]:
    from bench.worlds.scored import add_leads, add_scores
    from config import Settings
    from crm_sync.salesforce.client import SalesforceClient
    from crm_sync.salesforce.writeback import WritebackConsumer
    from store.db import make_engine
    from store.migrate import upgrade
    from tests.fakes.salesforce import FakeSalesforce

    engine = make_engine(f"sqlite:///{folder / 'bench.db'}")
    upgrade(engine)
    with FakeSalesforce() as fake:
        settings = Settings(
            environment="test",
            salesforce_instance_url=fake.url,
            salesforce_access_token=fake.session_id,
            salesforce_ca_bundle=fake.ca_file,
            sync={"salesforce_api_reserve": 0},
        )
        client = SalesforceClient.from_settings(settings)
        lead_ids = add_leads(engine, fake.seed_leads(LEADS))
        add_scores(engine, lead_ids)
        consumer = WritebackConsumer(client, engine, settings.salesforce_fields.model_dump(), worker_id="bench")
        started = time.perf_counter()
        first = consumer.drain()
        changed_seconds = time.perf_counter() - started
        changed_calls = fake.call_count()
        add_scores(engine, lead_ids)
        started = time.perf_counter()
        second = consumer.drain()
        unchanged_seconds = time.perf_counter() - started
        unchanged_calls = fake.call_count() - changed_calls
        if first.delivered != LEADS or second.delivered != LEADS:
            raise RuntimeError(f"not every writeback was delivered: {first} / {second}")
        collection_calls = fake.call_count("composite.sobjects")
    engine.dispose()
    return {
        "changed_api_calls": changed_calls,
        "changed_collection_calls": collection_calls,
        "changed_seconds": changed_seconds,
        "unchanged_api_calls": unchanged_calls,
        "unchanged_seconds": unchanged_seconds,
    }


def run() -> dict[str, float]:
    """Median figures over RUNS runs of 1,000 writebacks."""
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    runs = []
    for _ in range(RUNS):
        with tempfile.TemporaryDirectory(prefix="bench-writeback-") as folder:
            runs.append(_one_run(Path(folder)))
    figures = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
    return {
        "leads": LEADS,
        "runs": RUNS,
        "api_calls_per_1000_changed": figures["changed_api_calls"],
        "collection_calls_per_1000_changed": figures["changed_collection_calls"],
        "api_calls_per_1000_unchanged": figures["unchanged_api_calls"],
        "per_record_patch_baseline_calls": LEADS,
        "seconds_per_1000_changed_median": figures["changed_seconds"],
        "seconds_per_1000_unchanged_median": figures["unchanged_seconds"],
    }
