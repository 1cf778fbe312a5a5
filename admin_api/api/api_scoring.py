"""Scoring for the HTTP API: score a validated input with the serving scorer, store it, count it.

Every API score is stored (trigger "api") so feedback can refer to it by id; the same input scored again by
the same model within the cache TTL returns the stored score instead of adding a duplicate row. Concurrent
requests' rows are committed together (`store.group_commit`); each request returns after its rows are stored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy.engine import Engine
from sqlmodel import Session

from admin_api.api.errors import validation_details
from admin_api.api.metrics import ApiMetrics
from admin_api.api.score_cache import CachedScore, ScoreCache
from admin_api.runtime.serving import ScorerHolder
from scoring.domain import ScoreInput, ScoreResult, facts_from_input
from scoring.persist import score_row
from scoring.scorer import LeadFactsRow, Scorer, with_input_notes
from store.enums import ScoreTrigger
from store.group_commit import GroupWriter
from store.repositories.companies import company_ids_by_domain
from store.repositories.leads import get_lead_by_salesforce_id
from store.repositories.scores import add_scores

TRIGGER = ScoreTrigger.API


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


def _links(inputs: Sequence[ScoreInput], session: Session) -> list[tuple[int | None, int | None]]:
    """(lead id, company id) per input: companies by domain in one query; leads by Salesforce id, if given."""
    domains = {data.domain for data in inputs if data.domain}
    companies = company_ids_by_domain(domains, session=session)
    leads = {
        sf_id: get_lead_by_salesforce_id(sf_id, session=session)
        for sf_id in {data.salesforce_lead_id for data in inputs if data.salesforce_lead_id}
    }
    links: list[tuple[int | None, int | None]] = []
    for data in inputs:
        lead = leads.get(data.salesforce_lead_id) if data.salesforce_lead_id else None
        company_id = companies.get(data.domain) if data.domain else None
        links.append((lead.id if lead else None, company_id or (lead.company_id if lead else None)))
    return links


def store_scores(session: Session, items: Sequence[tuple[ScoreInput, ScoreResult, str]]) -> list[int]:
    """Store API scores (input, result, input hash) with one look-up query and one insert; ids in input order."""
    links = _links([data for data, _, _ in items], session)
    rows = [
        score_row(result, input_hash=digest, trigger=TRIGGER, lead_id=lead_id, company_id=company_id)
        for (_, result, digest), (lead_id, company_id) in zip(items, links, strict=True)
    ]
    return add_scores(rows, session=session)


class ApiScoring:
    """Scores inputs with whatever scorer is serving when each request starts."""

    def __init__(self, engine: Engine, holder: ScorerHolder, cache: ScoreCache, metrics: ApiMetrics) -> None:
        self.engine = engine
        self.holder = holder
        self.cache = cache
        self.metrics = metrics
        self.writer: GroupWriter[tuple[ScoreInput, ScoreResult, str], int] = GroupWriter(engine, store_scores)

    def score_many(self, inputs: list[ScoreInput]) -> list[ScoredItem | ItemError]:
        """Score inputs with one scorer snapshot: cache hits answered, the rest scored in one vectorised pass and
        stored in one transaction; an input that cannot be scored gets its own error."""
        scorer: Scorer = self.holder.current
        version = scorer.model_version
        now = datetime.now(UTC)
        digests = [input_hash(data) for data in inputs]
        items: list[ScoredItem | ItemError | None] = [None] * len(inputs)
        fresh: list[int] = []
        facts: list[LeadFactsRow] = []
        for position, (data, digest) in enumerate(zip(inputs, digests, strict=True)):
            hit = self.cache.get(version, digest)
            if hit is not None:
                items[position] = ScoredItem(hit.score_id, hit.result, cached=True)
                continue
            try:
                calls = scorer.input_calls(data, now=now)
            except ValueError as exc:
                self.metrics.score_errors.labels("unscorable").inc()
                items[position] = ItemError("unscorable", str(exc))
                continue
            fresh.append(position)
            facts.append((*facts_from_input(data), calls))
        if fresh:
            scored = scorer.score_many_facts(facts, now=now)
            results = [with_input_notes(result, inputs[k]) for k, result in zip(fresh, scored, strict=True)]
            ids = self.writer.write([(inputs[k], result, digests[k]) for k, result in zip(fresh, results, strict=True)])
            for position, result, score_id in zip(fresh, results, ids, strict=True):
                items[position] = ScoredItem(score_id, result, cached=False)
                self.cache.put(version, digests[position], CachedScore(score_id, result))
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
