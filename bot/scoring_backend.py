"""The real `QualifyBackend`: scores through scoring.service with the serving scorer, persisting each score.

A stored lead is scored by `scoring.service.score_lead` (trigger ScoreTrigger.SLACK, which also enqueues its outbox
events). A bare domain becomes a Company row (so later leads attach to it) and a lead-less, provisional Score
(confidence capped at PROVISIONAL_CONFIDENCE) without outbox events: the requester already sees the card, and there
is no lead to write back to.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy.engine import Engine
from structlog import get_logger

from scoring.facts import CallReader, company_facts, input_hash
from scoring.persist import persist_score
from scoring.scorer import Scorer
from scoring.service import score_lead
from store.db import session_scope
from store.enums import ScoreTrigger
from store.repositories import companies

log = get_logger(__name__)
PROVISIONAL_CONFIDENCE = 0.3


class ServiceBackend:
    """Scores for /qualify with whichever scorer is serving when asked (`scorer()` is called per request)."""

    def __init__(
        self,
        engine: Engine,
        scorer: Callable[[], Scorer],
        extractor: CallReader,
        *,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.engine = engine
        self.scorer = scorer
        self.extractor = extractor
        self.clock = clock or (lambda: datetime.now(UTC))

    def score_lead(self, lead_id: int, *, requested_by: str) -> int:
        """Score a stored lead now and return the new score id."""
        with session_scope(self.engine) as session:
            score = score_lead(
                lead_id, session=session, scorer=self.scorer(), extractor=self.extractor,
                now=self.clock(), trigger=ScoreTrigger.SLACK,
            )  # fmt: skip
            score_id = score.id
        log.info("slack.scored_lead", lead_id=lead_id, score_id=score_id, requested_by=requested_by)
        if score_id is None:
            raise RuntimeError("score was not persisted")
        return score_id

    def score_domain(self, domain: str, *, requested_by: str) -> int:
        """Score a company provisionally from its domain (creating the company if new); returns the score id."""
        with session_scope(self.engine) as session:
            company, created = companies.upsert_company(domain, session=session)
            facts = company_facts(company, session=session)
            result = self.scorer().score_facts(facts, None, [], now=self.clock())
            provisional = result.model_copy(update={"confidence": min(result.confidence, PROVISIONAL_CONFIDENCE)})
            score = persist_score(
                provisional, session=session, company_id=company.id, input_hash=input_hash(facts, None, []),
                trigger=ScoreTrigger.SLACK,
            )  # fmt: skip
            score_id = score.id
        log.info("slack.scored_domain", domain=domain, created=created, score_id=score_id, requested_by=requested_by)
        if score_id is None:
            raise RuntimeError("score was not persisted")
        return score_id
