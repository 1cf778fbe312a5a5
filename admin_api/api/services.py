"""Everything the app builds once from Settings: engine, signal extractor, serving scorer, auth and metrics."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine

from admin_api.api.api_scoring import ApiScoring
from admin_api.api.auth import FailureLimiter, KeyRing, SessionSigner
from admin_api.api.metrics import ApiMetrics
from admin_api.api.proxies import TrustedProxies
from admin_api.api.revocations import DatabaseRevocations
from admin_api.api.score_cache import ScoreCache
from admin_api.runtime.retrain import RetrainRunner
from admin_api.runtime.serving import ScorerHolder
from config import Settings
from learning.policy_records import with_recorded_policy
from nlp import SignalExtractor
from scoring.model import ModelBundle
from scoring.scorer import Scorer, build_scorer
from store.db import make_engine


@dataclass
class Services:
    """The app's long-lived collaborators, built once per process by `build_services`."""

    settings: Settings
    engine: Engine
    extractor: SignalExtractor
    scorers: ScorerHolder
    scoring: ApiScoring
    keys: KeyRing
    limiter: FailureLimiter
    sessions: SessionSigner
    proxies: TrustedProxies
    metrics: ApiMetrics
    retrainer: RetrainRunner
    extras: dict[str, object] = field(default_factory=dict)


def make_extractor(settings: Settings) -> SignalExtractor:
    """The call-signal extractor configured with our own company names (ignored as prospects)."""
    return SignalExtractor(
        own_company_names=settings.company.own_names,
        own_domains=settings.company.own_domains,
        rep_names=settings.company.rep_names,
    )


def build_scorer_holder(settings: Settings, extractor: SignalExtractor, engine: Engine) -> ScorerHolder:
    """A holder serving the rule-based prior until `follow_champion` loads the registry's champion; each scorer
    serves under the handoff policy recorded for its model version."""

    def build(bundle: ModelBundle | None) -> Scorer:
        scorer = build_scorer(
            bundle, scoring_path=settings.scoring_file, rules_path=settings.rules_file, extract=extractor.extract
        )
        return with_recorded_policy(scorer, engine)

    return ScorerHolder(build(None), build, settings.models_dir)


def build_services(
    settings: Settings,
    *,
    retrain_job: Callable[[Settings, Engine, SignalExtractor], object],
    engine: Engine | None = None,
    extractor: SignalExtractor | None = None,
) -> Services:
    """Build the collaborators; the serving scorer starts as the registry champion (or the prior)."""
    engine = engine or make_engine(settings.database_url)
    extractor = extractor or make_extractor(settings)
    holder = build_scorer_holder(settings, extractor, engine)
    holder.follow_champion(engine)
    metrics = ApiMetrics()
    metrics.watch_database(engine, lambda: (holder.current.model_version, holder.current.kind))
    keys = KeyRing(settings.api_keys)
    return Services(
        settings=settings,
        engine=engine,
        extractor=extractor,
        scorers=holder,
        scoring=ApiScoring(
            engine, holder, ScoreCache(settings.api.cache_ttl_seconds, settings.api.score_cache_max_bytes), metrics
        ),
        keys=keys,
        limiter=FailureLimiter(
            max_failures=settings.api.auth_max_failures, window_seconds=settings.api.auth_window_seconds
        ),
        sessions=SessionSigner(
            keys.signing_secret(),
            lifetime_seconds=settings.api.session_hours * 3600,
            revocations=DatabaseRevocations(engine),
        ),
        proxies=TrustedProxies(settings.api.trusted_proxies),
        metrics=metrics,
        retrainer=RetrainRunner(functools.partial(retrain_job, settings, engine, extractor)),
    )
