"""Scoring for the HTTP API: score a validated input with the serving scorer, store it, count it.

Every API score is stored (trigger "api") so feedback can refer to it by id; the same input scored again by
the same model within the cache TTL returns the stored score instead of adding a duplicate row.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy.engine import Engine
from sqlmodel import Session

from admin_api.errors import validation_details
from admin_api.metrics import ApiMetrics
from admin_api.score_cache import CachedScore, ScoreCache
from admin_api.serving import ScorerHolder
from scoring.domain import ScoreInput, ScoreResult
from scoring.scorer import Scorer
from store.db import session_scope
from store.repositories.companies import get_company_by_domain
from store.repositories.leads import get_lead_by_salesforce_id
from store.repositories.scores import add_score
from store.tables import Score

TRIGGER = "api"


def input_hash(data: ScoreInput) -> str:
    """A stable digest of a score input (field order and whitespace do not matter)."""
    return hashlib.sha256(data.model_dump_json(exclude_none=True).encode()).hexdigest()


@dataclass(frozen=True)
class ScoredItem:
    """One scored input: the stored score id, its result, and whether it came from the cache."""

    score_id: int
    result: ScoreResult
    cached: bool


@dataclass(frozen=True)
class ItemError:
    """One batch item that could not be scored, with a code, message and field details."""

    code: str
    message: str
    details: list[dict[str, Any]] | None = None


def _score_row(result: ScoreResult, data: ScoreInput, digest: str, session: Session) -> Score:
    lead = get_lead_by_salesforce_id(data.salesforce_lead_id, session=session) if data.salesforce_lead_id else None
    company = get_company_by_domain(data.domain, session=session) if data.domain else None
    fields = result.model_dump(mode="json", exclude={"scored_at"})
    return add_score(
        session=session,
        **fields,
        scored_at=result.scored_at,
        lead_id=lead.id if lead else None,
        company_id=company.id if company else (lead.company_id if lead else None),
        input_hash=digest,
        trigger=TRIGGER,
    )


class ApiScoring:
    """Scores inputs with whatever scorer is serving when each request starts."""

    def __init__(self, engine: Engine, holder: ScorerHolder, cache: ScoreCache, metrics: ApiMetrics) -> None:
        self.engine = engine
        self.holder = holder
        self.cache = cache
        self.metrics = metrics

    def score_many(self, inputs: list[ScoreInput]) -> list[ScoredItem | ItemError]:
        """Score inputs with one scorer snapshot and store them in one transaction; failures stay per item."""
        scorer: Scorer = self.holder.current
        version = scorer.model_version
        digests = [input_hash(data) for data in inputs]
        items: list[ScoredItem | ItemError | None] = []
        fresh: list[tuple[int, ScoreInput, ScoreResult]] = []
        for position, (data, digest) in enumerate(zip(inputs, digests, strict=True)):
            hit = self.cache.get(version, digest)
            if hit is not None:
                items.append(ScoredItem(hit.score_id, hit.result, cached=True))
                continue
            try:
                result = scorer.score(data)
            except ValueError as exc:
                self.metrics.score_errors.labels("unscorable").inc()
                items.append(ItemError("unscorable", str(exc)))
                continue
            items.append(None)
            fresh.append((position, data, result))
        if fresh:
            with session_scope(self.engine) as session:
                rows = [_score_row(result, data, digests[position], session) for position, data, result in fresh]
            for (position, _data, result), row in zip(fresh, rows, strict=True):
                assert row.id is not None
                items[position] = ScoredItem(row.id, result, cached=False)
                self.cache.put(version, digests[position], CachedScore(row.id, result))
        done = [item for item in items if item is not None]
        for item in done:
            if isinstance(item, ScoredItem):
                self.metrics.scores.labels(item.result.recommendation.value).inc()
        return done


def validate_items(raw: list[Any]) -> tuple[list[ScoreInput | None], dict[int, ItemError]]:
    """Validate batch items one by one, so one bad item does not sink the others."""
    valid: list[ScoreInput | None] = []
    errors: dict[int, ItemError] = {}
    for index, item in enumerate(raw):
        try:
            valid.append(ScoreInput.model_validate(item))
        except ValidationError as exc:
            details = validation_details(list(exc.errors()))
            message = "; ".join(f"{'.'.join(d['loc']) or 'item'}: {d['msg']}" for d in details[:5])
            errors[index] = ItemError("invalid_item", message, details)
            valid.append(None)
    return valid, errors
