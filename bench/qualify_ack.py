"""/qualify acknowledgement time over loopback HTTP, and the time until the card arrives on the response_url.

The bot runs as in production (FastAPI router in uvicorn, Bolt app, real cold-start scorer, SQLite file) and
talks to the fake Slack Web API. Each round sends signed slash commands one after another while earlier
commands are still being scored in the background, so acknowledgements compete with real work.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from bot.app import build_slack_app
from bot.http import slack_router
from bot.scoring_backend import ServiceBackend
from config import Settings
from config.logs import configure_logging
from nlp import SignalExtractor
from scoring.scorer import build_scorer
from store.db import make_engine, session_scope
from store.migrate import upgrade
from store.repositories import companies, leads
from tests.fakes.core.live_server import live_server
from tests.fakes.core.wait import wait_for
from tests.fakes.slack import SIGNING_SECRET, FakeSlack, SlackSender

ROUNDS = 5
COMMANDS_PER_ROUND = 30
DOMAINS = ("acme.com", "globex.com", "initech.com", "umbrella.io")


def _seed(engine: Any) -> None:
    with session_scope(engine) as session:
        for index, domain in enumerate(DOMAINS):
            company, _ = companies.upsert_company(domain, session=session, name=domain.split(".")[0].title())
            leads.upsert_lead(session=session, salesforce_id=f"00Q5e00000Bench{index:03d}", company_id=company.id)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run() -> dict[str, float | int]:
    """Median/p95/max acknowledgement time (ms) over repeated rounds, plus median time to the card within a burst."""
    extractor = SignalExtractor()
    scorer = build_scorer(None, extract=extractor.extract)
    acks: list[float] = []
    round_medians: list[float] = []
    to_card: list[float] = []
    with tempfile.TemporaryDirectory() as folder, FakeSlack() as fake:
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        upgrade(engine)
        _seed(engine)
        settings = Settings(
            environment="test", slack_bot_token=fake.token, slack_signing_secret=SIGNING_SECRET,
            slack_api_url=fake.api_url, log_level="warning",
        )  # fmt: skip
        configure_logging(settings)
        app = build_slack_app(settings, engine=engine, scoring=ServiceBackend(engine, lambda: scorer, extractor))
        api = FastAPI()
        api.include_router(slack_router(app, signing_secret=SIGNING_SECRET))
        with live_server(api) as base_url:
            sender = SlackSender(base_url, fake)
            sender.command("help")
            for _ in range(ROUNDS):
                pending: list[tuple[str, float]] = []
                times: list[float] = []
                for index in range(COMMANDS_PER_ROUND):
                    started = time.perf_counter()
                    response, url = sender.command(DOMAINS[index % len(DOMAINS)])
                    times.append((time.perf_counter() - started) * 1000)
                    if response.status_code != 200:
                        raise RuntimeError(f"/qualify answered {response.status_code}")
                    pending.append((url, started))
                for url, started in pending:
                    wait_for(partial(fake.responses, url), timeout=120, what="card")
                    to_card.append((time.perf_counter() - started) * 1000)
                acks.extend(times)
                round_medians.append(statistics.median(times))
        engine.dispose()
    return {
        "commands": len(acks),
        "ack_median_ms": statistics.median(round_medians),
        "ack_p95_ms": _percentile(acks, 0.95),
        "ack_max_ms": max(acks),
        "card_in_burst_median_ms": statistics.median(to_card),
    }
