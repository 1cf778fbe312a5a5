"""Several processes on one PostgreSQL: two `fellow worker`s share a backlog without delivering anything twice;
two `fellow serve`s serve the same champion after a promotion or a rollback made through either of them."""

from __future__ import annotations

import os
import signal
import socket
from collections import Counter
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import Engine

from nlp import SignalExtractor
from scoring.scorer import Scorer
from tests.fakes.salesforce import FakeSalesforce
from tests.fakes.slack import FakeSlack
from tests.integration.admin_api.bundles import make_bundle, register_bundle
from tests.reliability.processes import fellow_env, fellow_process, stop, wait_until
from tests.reliability.world import (
    SF_TOPIC,
    SLACK_TOPIC,
    assert_rows_once,
    build_world,
    outbox_states,
    posted_score_ids,
    salesforce_settings,
    slack_settings,
    writes_per_record,
)

pytestmark = [pytest.mark.slow, pytest.mark.parametrize("database_url", ["postgres"], indirect=True)]
API_KEY = "reliability-key-4b7e91d2c0a3"
HEADERS = {"Authorization": f"Bearer {API_KEY}"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_two_workers_share_one_backlog_and_deliver_each_event_once(
    database_url: str,
    engine: Engine,
    scorer: Scorer,
    extractor: SignalExtractor,
    fake_slack: FakeSlack,
    fake_salesforce: FakeSalesforce,
    tmp_path: Path,
) -> None:
    values = {
        "environment": "test",
        "database_url": database_url,
        "data_dir": tmp_path,
        "log_format": "json",
        **slack_settings(fake_slack),
        **salesforce_settings(fake_salesforce),
        "sync": {"outbox_poll_seconds": 0.1, "salesforce_api_reserve": 0},
    }
    fake_slack.set_delay("chat.postMessage", 0.05)  # both workers are still posting when the other polls
    logs = [tmp_path / "worker-1.log", tmp_path / "worker-2.log"]
    with fellow_process(["worker"], fellow_env(values), logs[0]) as one:
        with fellow_process(["worker"], fellow_env(values), logs[1]) as two:
            for process, log in zip((one, two), logs, strict=True):
                started = lambda log=log: '"worker.started"' in log.read_text(errors="replace")  # noqa: E731
                wait_until(started, what="both workers polling", alive=process, log_file=log)
            world = build_world(engine, scorer, extractor, fake_salesforce, 60)  # the backlog lands on both at once
            settled = lambda: all(set(outbox_states(engine, t)) == {"delivered"} for t in (SF_TOPIC, SLACK_TOPIC))  # noqa: E731
            wait_until(settled, what="the backlog delivered", alive=two, log_file=logs[1])
            assert stop(two) == 0 and one.poll() is None
        assert stop(one) == 0
    assert_rows_once(engine, world)
    posted = Counter(posted_score_ids(fake_slack))
    assert set(posted) == set(world.score_ids) and set(posted.values()) == {1}
    assert set(writes_per_record(fake_salesforce).values()) == {1}
    both = [log.read_text() for log in logs]
    assert all('"slack.posted"' in text for text in both), "each worker should have delivered part of the backlog"


def test_two_api_processes_serve_the_same_champion_after_promote_and_rollback(
    database_url: str, engine: Engine, tmp_path: Path
) -> None:
    models = tmp_path / "models"
    register_bundle(engine, models, make_bundle("v-small", threshold=100))
    register_bundle(engine, models, make_bundle("v-large", threshold=3000))
    values = {
        "environment": "test",
        "database_url": database_url,
        "data_dir": tmp_path,
        "api_keys": API_KEY,
        "log_format": "json",
        "learning": {"models_dir": str(models), "reports_dir": str(tmp_path / "reports")},
    }
    ports = [_free_port(), _free_port()]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    logs = [tmp_path / "serve-1.log", tmp_path / "serve-2.log"]

    def serving(url: str) -> str | None:
        try:
            return httpx.get(f"{url}/models/info", headers=HEADERS, timeout=10).json()["serving"]["version"]
        except httpx.HTTPError:
            return None

    args = [["serve", "--port", str(port), "--no-access-log", "--workers", "1"] for port in ports]
    with (
        fellow_process(args[0], fellow_env(values), logs[0]) as first,
        fellow_process(args[1], fellow_env(values), logs[1]) as second,
    ):
        for url, process, log in zip(urls, (first, second), logs, strict=True):
            wait_until(lambda url=url: serving(url) is not None, what=f"{url} up", alive=process, log_file=log)
        promoted = httpx.post(f"{urls[0]}/models/reload/v-small", headers=HEADERS, timeout=30)
        assert promoted.status_code == 200, promoted.text
        wait_until(lambda: serving(urls[1]) == "v-small", what="the second API to follow the promotion")
        assert httpx.post(f"{urls[1]}/models/reload/v-large", headers=HEADERS, timeout=30).status_code == 200
        wait_until(lambda: serving(urls[0]) == "v-large", what="the first API to follow the second promotion")
        rolled = httpx.post(f"{urls[0]}/models/rollback", headers=HEADERS, timeout=30)
        assert rolled.status_code == 200 and rolled.json()["current"] == "v-small", rolled.text
        wait_until(lambda: serving(urls[1]) == "v-small", what="the second API to follow the rollback")
        infos = [httpx.get(f"{url}/models/info", headers=HEADERS, timeout=10).json() for url in urls]
        assert infos[0]["champion"] == infos[1]["champion"] == "v-small"


def _children(pid: int) -> set[int]:
    """The live child processes of `pid` (Linux /proc)."""
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(child) for child in (task / "children").read_text().split()}
    return found


def test_serve_with_two_workers_forks_after_loading_and_replaces_a_dead_worker(
    database_url: str, engine: Engine, tmp_path: Path
) -> None:
    values = {"environment": "test", "database_url": database_url, "data_dir": tmp_path, "api_keys": API_KEY}
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "serve.log"

    def scores() -> bool:
        try:
            return httpx.post(f"{url}/score", json={"domain": "fork.example"}, headers=HEADERS, timeout=10).is_success
        except httpx.HTTPError:
            return False

    args = ["serve", "--port", str(port), "--no-access-log", "--workers", "2"]
    with fellow_process(args, fellow_env(values), log) as parent:
        wait_until(scores, what="the forked workers serving", alive=parent, log_file=log)
        workers = _children(parent.pid)
        assert len(workers) == 2, workers
        for _ in range(20):
            assert httpx.post(f"{url}/score", json={"domain": "a.example"}, headers=HEADERS, timeout=10).is_success
        ready = httpx.get(f"{url}/ready", headers=HEADERS, timeout=10).json()
        assert ready["checks"]["database"]["ok"] is True
        victim = min(workers)
        os.kill(victim, signal.SIGKILL)
        replaced = lambda: len(_children(parent.pid)) == 2 and victim not in _children(parent.pid)  # noqa: E731
        wait_until(replaced, what="the dead worker replaced", alive=parent, log_file=log)
        wait_until(scores, what="serving after the replacement", alive=parent, log_file=log)
        assert "api.worker_died" in log.read_text()
        remaining = _children(parent.pid)
        assert stop(parent) == 0
    assert not any(Path(f"/proc/{pid}").exists() for pid in remaining), "SIGTERM stops every worker"
