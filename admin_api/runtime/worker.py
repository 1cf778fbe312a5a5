"""The background worker: outbox consumers for Slack and Salesforce, each in its own thread, stopped gracefully.

A stop request lets every consumer finish the batch it holds (delivered rows are marked, undelivered ones keep
their lease and are retried), so no outbox row is left half-sent.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from structlog import get_logger

from bot.clients import build_web_client
from bot.poster import SlackPoster
from config import Settings
from crm_sync.salesforce.client import SalesforceClient
from crm_sync.salesforce.writeback import WritebackConsumer

log = get_logger(__name__)


@dataclass(frozen=True)
class Consumer:
    """A named outbox consumer: `run_once` delivers one batch and returns a report."""

    name: str
    run_once: Callable[[], object]


def build_consumers(settings: Settings, engine: Engine) -> list[Consumer]:
    """The consumers whose integrations are configured."""
    consumers: list[Consumer] = []
    if settings.slack_enabled:
        poster = SlackPoster(settings, engine=engine, client=build_web_client(settings, background=True))
        consumers.append(Consumer("slack.poster", poster.run_once))
    if settings.salesforce_enabled:
        writer = WritebackConsumer(
            SalesforceClient.from_settings(settings), engine, settings.salesforce_fields.model_dump()
        )
        consumers.append(Consumer("salesforce.writeback", writer.run_once))
    return consumers


def _loop(consumer: Consumer, stop: threading.Event, interval: float) -> None:
    while not stop.is_set():
        try:
            consumer.run_once()
        except Exception as exc:  # a failing pass is retried next interval; the thread must survive it
            log.error("worker.consumer_failed", consumer=consumer.name, error_type=type(exc).__name__, error=str(exc))
        stop.wait(interval)


class Worker:
    """Runs consumers until `stop()`; each pass completes before its thread exits."""

    def __init__(self, consumers: list[Consumer], *, poll_seconds: float) -> None:
        self.consumers = consumers
        self.poll_seconds = poll_seconds
        self.stop_event = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        """Start one thread per consumer."""
        for consumer in self.consumers:
            thread = threading.Thread(
                target=_loop, args=(consumer, self.stop_event, self.poll_seconds), name=consumer.name
            )
            thread.start()
            self._threads.append(thread)
            log.info("worker.consumer_started", consumer=consumer.name)

    def stop(self, timeout: float = 60.0) -> None:
        """Ask every consumer to stop after its current batch and wait for them."""
        self.stop_event.set()
        for thread in self._threads:
            thread.join(timeout)
            if thread.is_alive():
                log.warning("worker.consumer_still_running", consumer=thread.name)
        log.info("worker.stopped")
