"""First-run work for `fellow up`, done in the background while the server already answers: train the first
models when none exist, then score recently created leads that have no score yet (demo data, no outbox events)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session
from structlog import get_logger

from admin_api.runtime.learning_jobs import retrain_job, signal_cache_dir
from config import Settings
from learning.policy_records import with_recorded_policy
from learning.registry import load_champion
from learning.table import CallRecord, SignalCache
from learning.training import TrainingError
from nlp import CallSignals, SignalExtractor
from scoring.facts import call_facts, company_facts, input_hash, lead_facts
from scoring.persist import persist_score
from scoring.scorer import build_scorer
from store.db import session_scope
from store.enums import ScoreTrigger
from store.repositories.calls import calls_for_lead
from store.repositories.companies import get_company
from store.repositories.leads import get_lead, unscored_lead_ids
from store.repositories.model_versions import list_model_versions

log = get_logger(__name__)


class CachedReader:
    """The scoring service's CallReader over learning's SignalCache, so training and backfill read each call once."""

    def __init__(self, cache: SignalCache) -> None:
        self.cache = cache

    def extract(
        self,
        text: str,
        title: str | None = None,
        *,
        transcript: list[dict[str, Any]] | None = None,
        attendees: Sequence[str] = (),
    ) -> CallSignals:
        """Signals for one call (from the cache when seen before); like training, it reads speakers from the
        configured rep names and the text only, not the attendee list, so cached signals stay one per call text."""
        record = CallRecord(None, None, text, title, tuple(transcript) if transcript else None)
        return self.cache([record])[0]


def train_first_models(settings: Settings, engine: Engine, extractor: SignalExtractor) -> None:
    """Train and gate a first model when the registry is empty; the prior keeps serving if that is not possible."""
    with Session(engine) as session:
        if list_model_versions(session=session):
            return
    try:
        result = retrain_job(settings, engine, extractor)
    except TrainingError as exc:
        log.warning("up.training_skipped", reason=str(exc))
        return
    log.info("up.trained", version=result.version, promoted=result.promoted, reasons=result.decision.reasons)


def unscored_leads(engine: Engine, limit: int) -> Sequence[int]:
    """Ids of the newest leads that have never been scored."""
    with Session(engine) as session:
        return unscored_lead_ids(session=session, limit=limit)


def backfill_scores(settings: Settings, engine: Engine, extractor: SignalExtractor, *, limit: int) -> int:
    """Score up to `limit` never-scored leads with the champion (or prior) so the dashboard has data."""
    reader = CachedReader(SignalCache(extractor, signal_cache_dir(settings)))
    with Session(engine) as session:
        bundle = load_champion(session=session, models_dir=settings.models_dir)
    scorer = with_recorded_policy(
        build_scorer(bundle, scoring_path=settings.scoring_file, rules_path=settings.rules_file), engine
    )
    done = 0
    for lead_id in unscored_leads(engine, limit):
        with session_scope(engine) as session:
            lead = get_lead(lead_id, session=session)
            if lead is None:
                continue
            company_row = get_company(lead.company_id, session=session) if lead.company_id else None
            company = company_facts(company_row, session=session)
            facts = lead_facts(lead)
            calls = call_facts(calls_for_lead(lead_id, session=session, limit=scorer.config.max_calls), reader)
            persist_score(
                scorer.score_facts(company, facts, calls),
                session=session,
                lead_id=lead_id,
                company_id=lead.company_id,
                input_hash=input_hash(company, facts, calls),
                trigger=ScoreTrigger.BACKFILL,
            )
        done += 1
        if done % 50 == 0:
            log.info("up.backfill.progress", scored=done)
    log.info("up.backfill.done", scored=done)
    return done
