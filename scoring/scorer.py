"""The Scorer: features -> model (or cold-start prior) -> rule overrides -> explained `ScoreResult`.

A Scorer is immutable after construction, so one instance can serve concurrent requests and the API can
hot-swap it by replacing the reference. `score`/`score_facts` explain one lead; `score_frame` scores a whole
features frame with vectorised model, rule and threshold steps (no Python loop per row).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from nlp import CallSignals
from scoring.config import (
    DEFAULT_RULES_PATH,
    DEFAULT_SCORING_PATH,
    ScoringConfig,
    load_scoring_config,
)
from scoring.decide import MISSING_LABELS, Decisions, decide
from scoring.domain import (
    CallFacts,
    CompanyFacts,
    LeadFacts,
    RuleFired,
    ScoreInput,
    ScoreResult,
    ScorerKind,
    facts_from_input,
)
from scoring.explain import (
    basis_sentence,
    cite_enrichment,
    collect_evidence,
    in_words,
    ordered_evidence,
    reasoning,
    top_factors,
)
from scoring.features import FEATURE_NAMES, build_features, encode_frame, encode_row
from scoring.model import ModelBundle, with_text
from scoring.normalize import OTHER, normalize_industry
from scoring.policy import HandoffPolicy
from scoring.prior import PriorScorer
from scoring.rules import RuleSet, load_rules
from scoring.text_explain import merge_factors, text_factors
from scoring.text_features import notes_text

Extract = Callable[[str], CallSignals]
LeadFactsRow = tuple[CompanyFacts | None, LeadFacts | None, Sequence[CallFacts]]


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class Scorer:
    """Scores leads with a promoted model bundle, or with the transparent prior when `bundle` is None.

    `extract` turns call notes into CallSignals (``nlp.extract_signals`` or a ``SignalExtractor``'s method);
    it is only needed to score a ScoreInput carrying ``call_notes``. `policy` is the handoff policy recorded for
    this model version (learning.policy); without one the configured score thresholds route and the
    probability is shown as not yet checked against outcomes. `shadow` is a challenger scoring beside this
    scorer (learning.shadow): `scoring.service.score_lead` records its result apart, never as a Score.
    """

    __slots__ = ("bundle", "config", "extract", "policy", "prior", "rules", "shadow")
    bundle: ModelBundle | None
    rules: RuleSet
    prior: PriorScorer
    config: ScoringConfig
    extract: Extract | None
    policy: HandoffPolicy | None
    shadow: Scorer | None

    def __init__(
        self,
        bundle: ModelBundle | None,
        rules: RuleSet,
        prior: PriorScorer,
        config: ScoringConfig,
        extract: Extract | None = None,
        policy: HandoffPolicy | None = None,
        shadow: Scorer | None = None,
    ) -> None:
        for name, value in (("bundle", bundle), ("rules", rules), ("prior", prior), ("config", config)):
            object.__setattr__(self, name, value)
        object.__setattr__(self, "extract", extract)
        object.__setattr__(self, "policy", policy)
        object.__setattr__(self, "shadow", shadow)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Scorer is immutable; build a new one to change models, rules or config")

    @property
    def kind(self) -> ScorerKind:
        """ "model" when a bundle is loaded, else "prior"."""
        return "prior" if self.bundle is None else "model"

    @property
    def model_version(self) -> str:
        """The version reported on every result (the bundle's, or the prior's weight hash)."""
        return self.prior.version if self.bundle is None else self.bundle.version

    @property
    def calibrated(self) -> bool:
        """Whether the shown probability beat the base rate's Brier score on the policy's validated slice."""
        return self.policy is not None and self.policy.calibrated

    def with_policy(self, policy: HandoffPolicy | None) -> Scorer:
        """The same scorer under another handoff policy (None: the configured thresholds)."""
        if policy is not None and policy.model_version != self.model_version:
            raise ValueError(f"policy for {policy.model_version} cannot serve model {self.model_version}")
        return Scorer(self.bundle, self.rules, self.prior, self.config, self.extract, policy, self.shadow)

    def with_shadow(self, shadow: Scorer | None) -> Scorer:
        """The same scorer with a challenger scoring beside it in shadow (None: no shadow)."""
        if shadow is not None and shadow.model_version == self.model_version:
            raise ValueError(f"model {self.model_version} cannot shadow itself")
        shadow = None if shadow is None else shadow.with_shadow(None)
        return Scorer(self.bundle, self.rules, self.prior, self.config, self.extract, self.policy, shadow)

    def _calibrate(self, p: np.ndarray) -> np.ndarray:
        return p if self.policy is None else self.policy.calibrate(p)

    def _predict(self, matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        method = self.config.explanation.contributions
        if self.bundle is None:
            p, contrib = self.prior.progression.predict_with_contributions(matrix, method=method)
        else:
            p, contrib = self.bundle.progression.predict_with_contributions(matrix, method=method)
        if self.bundle is None or self.bundle.voice_ai is None:
            named = matrix[:, : len(FEATURE_NAMES)]
            v, v_contrib = self.prior.voice_ai.predict_with_contributions(named, method=method)
        else:
            v, v_contrib = self.bundle.voice_ai.predict_with_contributions(matrix, method=method)
        return self._calibrate(p), contrib, v, v_contrib

    def _voice_proba(self, matrix: np.ndarray) -> np.ndarray:
        """Voice AI probabilities: the bundle's model, or the prior's when none was trained."""
        if self.bundle is None or self.bundle.voice_ai is None:
            return self.prior.voice_ai.predict_proba(matrix[:, : len(FEATURE_NAMES)])
        return self.bundle.voice_ai.predict_proba(matrix)

    def input_calls(
        self, data: ScoreInput, *, calls: Sequence[CallFacts] = (), now: datetime | None = None
    ) -> list[CallFacts]:
        """`calls` plus the input's call_notes (signals extracted once) as the newest call at `now`."""
        all_calls = list(calls)
        if data.call_notes:
            if self.extract is None:
                raise ValueError("this scorer has no signal extractor, so it cannot read call_notes")
            started = _utc(now or datetime.now(UTC))
            all_calls.append(
                CallFacts(
                    call_id=None, started_at=started, notes=data.call_notes, signals=self.extract(data.call_notes)
                )
            )
        return all_calls

    def score(self, data: ScoreInput, *, calls: Sequence[CallFacts] = (), now: datetime | None = None) -> ScoreResult:
        """Score a validated ScoreInput; its call_notes (if any) become the newest call."""
        now = _utc(now or datetime.now(UTC))
        company, lead = facts_from_input(data)
        result = self.score_facts(company, lead, self.input_calls(data, calls=calls, now=now), now=now)
        return with_input_notes(result, data)

    def score_facts(
        self,
        company: CompanyFacts | None,
        lead: LeadFacts | None,
        calls: Sequence[CallFacts],
        *,
        now: datetime | None = None,
    ) -> ScoreResult:
        """Score one lead from facts (the store-backed path); uses the newest `max_calls` calls before `now`."""
        return self.score_many_facts([(company, lead, calls)], now=now)[0]

    def score_many_facts(self, leads: Sequence[LeadFactsRow], *, now: datetime | None = None) -> list[ScoreResult]:
        """Explained scores for many leads from one model pass and one rules pass (the API batch path).

        Each result is exactly what `score_facts` gives for that lead alone: rows are encoded the same way and
        only the per-lead explanation (factors, reasons, evidence) is built in a loop.
        """
        now = _utc(now or datetime.now(UTC))
        recents = [self._recent(calls, now) for _company, _lead, calls in leads]
        features = [build_features(row[0], row[1], recent, now) for row, recent in zip(leads, recents, strict=True)]
        signal_warnings = [_signal_warnings(recent) for recent in recents]
        text = self.bundle.text if self.bundle else None
        documents = [text.document(notes_text(c.notes for c in recent)) if text else None for recent in recents]
        matrix = np.vstack([encode_row(row) for row in features])
        if text and any(documents):
            blank = np.full(len(text.column_names), np.nan)
            matrix = np.hstack([matrix, np.vstack([text.row(d) if d else blank for d in documents])])
        for found, document in zip(signal_warnings, documents, strict=True):
            if document:
                found += [w for w in document.warnings if w not in found]
        p, contrib, v, v_contrib = self._predict(matrix)
        decisions = decide(
            matrix, p, v, rules=self.rules, config=self.config, is_prior=self.bundle is None, policy=self.policy,
            signal_warnings=np.array([bool(found) for found in signal_warnings]),
        )  # fmt: skip
        cfg = self.config.explanation
        results = []
        for i, (company, _lead, _calls) in enumerate(leads):
            fired = [
                RuleFired(rule_id=rule.id, effect=rule.effect_text, reason=rule.reason)
                for k, rule in enumerate(self.rules.rules)
                if decisions.fired[i, k]
            ]
            facts = company.enrichment if company else {}
            factors = cite_enrichment(top_factors(features[i], contrib[i], cfg), facts)
            document = documents[i]
            if text and document:
                factors = merge_factors(factors, text_factors(text, document, contrib[i], cfg), cfg.max_factors)
            evidence = collect_evidence(recents[i])
            missing = [label for key, label in MISSING_LABELS.items() if not decisions.present[key][i]]
            voice_fit, confidence = int(decisions.voice_ai_fit[i]), float(decisions.confidence[i])
            notes = self._notes(features[i], facts, v_contrib[i], voice_fit, confidence, missing)
            basis, recommendation = str(decisions.basis[i]), decisions.recommendation[i]
            headline = [in_words(float(p[i]), self.calibrated), basis_sentence(basis, recommendation, self.policy)]
            results.append(
                ScoreResult(
                    qualification_score=int(decisions.qualification_score[i]),
                    progression_probability=float(p[i]),
                    voice_ai_fit=voice_fit,
                    recommendation=recommendation,
                    priority=decisions.priority[i],
                    confidence=round(confidence, 4),
                    reasoning=headline + reasoning(factors, fired, evidence, cfg, notes),
                    factors=factors,
                    rules_fired=fired,
                    evidence=ordered_evidence(evidence, factors, cfg.max_evidence),
                    model_version=self.model_version,
                    scorer=self.kind,
                    scored_at=now,
                    warnings=self._warnings(company, missing, signal_warnings[i]),
                    handoff_basis=basis,
                    calibrated=self.calibrated,
                )
            )
        return results

    def _recent(self, calls: Sequence[CallFacts], now: datetime) -> list[CallFacts]:
        return sorted(
            (c for c in calls if c.started_at is None or _utc(c.started_at) <= now),
            key=lambda c: _utc(c.started_at) if c.started_at else now,
            reverse=True,
        )[: self.config.max_calls]

    def _warnings(self, company: CompanyFacts | None, missing: list[str], signal_warnings: list[str]) -> list[str]:
        warnings: list[str] = []
        if self.bundle is None:
            warnings.append("Scored by the rule-based prior: no trained model has been promoted yet.")
        if company and company.industry and normalize_industry(company.industry) == OTHER:
            warnings.append(f"Industry {company.industry!r} is not one we recognise; treated as 'other'.")
        if missing:
            warnings.append(f"Missing: {', '.join(missing)}.")
        return [*warnings, *signal_warnings]

    def _notes(
        self,
        features: dict[str, Any],
        facts: Mapping[str, Any],
        voice_contrib: np.ndarray,
        voice_fit: int,
        confidence: float,
        missing: list[str],
    ) -> list[str]:
        notes: list[str] = []
        if voice_fit >= self.config.priority.high_voice_ai_fit:
            ranked = cite_enrichment(top_factors(features, voice_contrib, self.config.explanation), facts)
            drivers = [f for f in ranked if f.contribution > 0]
            why = f": {drivers[0].text[0].lower()}{drivers[0].text[1:]}" if drivers else ""
            notes.append(f"Strong Voice AI fit ({voice_fit}/100){why}.")
        if confidence < self.config.confidence.low_threshold:
            gap = f"; missing {', '.join(missing)}" if missing else ""
            notes.append(f"Low confidence ({confidence:.0%}){gap}.")
        if self.bundle is None:
            notes.append("Scored with transparent starter weights until a trained model is promoted.")
        return notes

    def score_frame(self, frame: pd.DataFrame, *, signal_warnings: np.ndarray | None = None) -> pd.DataFrame:
        """Vectorised batch scoring of a `features_frame`: one row of scores per input row (same index).

        Columns: progression_probability, voice_ai_probability, qualification_score, voice_ai_fit,
        recommendation, priority, confidence, completeness, rules_fired (comma-separated ids), handoff_basis,
        handoff_route / voice_route (what the policy's cut-offs act on: the probability after rule floors and
        caps, 1 or 0 where a rule decided), scorer, model_version. Explanations are not built here; use
        `score_facts` for one lead's reasons.
        """
        matrix = with_text(encode_frame(frame), frame, self.bundle.text if self.bundle else None)
        p = self._calibrate((self.prior if self.bundle is None else self.bundle).progression.predict_proba(matrix))
        v = self._voice_proba(matrix)
        decisions = decide(
            matrix, p, v, rules=self.rules, config=self.config, is_prior=self.bundle is None, policy=self.policy,
            signal_warnings=signal_warnings,
        )  # fmt: skip
        return pd.DataFrame(
            {
                "progression_probability": p,
                "voice_ai_probability": v,
                "qualification_score": decisions.qualification_score,
                "voice_ai_fit": decisions.voice_ai_fit,
                "recommendation": decisions.recommendation,
                "priority": decisions.priority,
                "confidence": decisions.confidence,
                "completeness": decisions.completeness,
                "rules_fired": _fired_ids(decisions, self.rules),
                "handoff_basis": decisions.basis,
                "handoff_route": decisions.handoff_route,
                "voice_route": decisions.voice_route,
                "scorer": self.kind,
                "model_version": self.model_version,
            },
            index=frame.index,
        )


def with_input_notes(result: ScoreResult, data: ScoreInput) -> ScoreResult:
    """Say how approximate inputs were read ("employees '50-100' read as 75"), so the number is never a surprise."""
    notes = [
        f"{label} {text!r} read as {value:,.0f}."
        for label, text, value in (
            ("Employees", data.employees_text, data.employees),
            ("Annual revenue", data.annual_revenue_text, data.annual_revenue),
        )
        if text and value is not None
    ]
    return result.model_copy(update={"warnings": [*result.warnings, *notes]}) if notes else result


def _fired_ids(decisions: Decisions, rules: RuleSet) -> np.ndarray:
    ids = np.full(len(decisions.qualification_score), "", dtype=object)
    for k, rule in enumerate(rules.rules):
        sep = np.where(ids == "", "", ",").astype(object)
        ids = np.where(decisions.fired[:, k], ids + sep + rule.id, ids)
    return ids


def _signal_warnings(calls: Sequence[CallFacts]) -> list[str]:
    warnings: list[str] = []
    for call in calls:
        if call.signals is not None:
            warnings.extend(w for w in call.signals.warnings if w not in warnings)
    return warnings


def build_scorer(
    bundle: ModelBundle | None = None,
    *,
    scoring_path: str | Path = DEFAULT_SCORING_PATH,
    rules_path: str | Path = DEFAULT_RULES_PATH,
    extract: Extract | None = None,
    policy: HandoffPolicy | None = None,
) -> Scorer:
    """Build a Scorer from the YAML config files (entry points call this; config errors surface here)."""
    config = load_scoring_config(scoring_path)
    return Scorer(bundle, load_rules(rules_path), PriorScorer(config.prior), config, extract).with_policy(policy)
