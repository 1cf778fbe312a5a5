"""Turn contributions, fired rules and call evidence into the plain sentences an AE reads in Slack.

Rules that changed the outcome come first, then features ordered by |contribution|, each with a supporting
quote from the call when one exists. Sentences come from the feature registry, never raw feature names;
enrichment features cite the company's enrichment facts (vendors, Voice AI indicators, website features).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from scoring.config import ExplanationConfig
from scoring.domain import CallFacts, EvidenceItem, Factor, Recommendation, RuleFired
from scoring.enrichment import WEBSITE_FLAGS, cite_fact, website_has
from scoring.features import FEATURE_NAMES, SPECS, FeatureValue
from scoring.policy import HandoffPolicy

# Evidence signal names (as produced by nlp) that support a non-boolean feature.
_EVIDENCE_FOR: dict[str, tuple[str, ...]] = {
    "call_urgency": ("urgency",),
    "competitor_count": ("competitor", "competitors"),
    "monthly_volume": ("volume", "volume_per_month"),
}


def collect_evidence(calls: Sequence[CallFacts]) -> list[EvidenceItem]:
    """All evidence quotes from the calls' signals, newest call first."""
    items: list[EvidenceItem] = []
    for call in calls:
        if call.signals is None:
            continue
        items.extend(
            EvidenceItem(
                signal=e.signal,
                quote=e.quote,
                call_id=call.call_id,
                start=e.start,
                end=e.end,
                speaker=e.speaker,
                trigger=e.trigger,
            )
            for e in call.signals.evidence
        )
    return items


def top_factors(
    features: Mapping[str, FeatureValue], contributions: np.ndarray, config: ExplanationConfig
) -> list[Factor]:
    """The features with the largest |log-odds contribution| (bias excluded), most important first."""
    weights = np.abs(contributions[: len(FEATURE_NAMES)])
    order = np.argsort(-weights, kind="stable")
    factors: list[Factor] = []
    for j in order[: config.max_factors]:
        if weights[j] < config.min_contribution:
            break
        name = FEATURE_NAMES[j]
        value = features.get(name)
        factors.append(
            Factor(
                feature=name,
                value=value,
                contribution=round(float(contributions[j]), 4),
                text=SPECS[name].sentence(value),
            )
        )
    return factors


def cite_enrichment(factors: Sequence[Factor], facts: Mapping[str, object]) -> list[Factor]:
    """Reword present enrichment factors to cite the facts behind them ("Uses CPaaS: Twilio")."""
    cited: list[Factor] = []
    for factor in factors:
        fact = SPECS[factor.feature].fact
        text = cite_fact(fact, facts) if fact and factor.value not in (None, False, 0.0) else None
        cited.append(factor.model_copy(update={"text": text}) if text else factor)
    return cited


def _website_flag(factor: Factor) -> str | None:
    spec = SPECS.get(factor.feature)  # wording factors (scoring.text_features) have no registry spec
    fact = spec.fact if spec else ""
    return fact if fact in WEBSITE_FLAGS and factor.value is True else None


def _quote_for(feature: str, evidence: Sequence[EvidenceItem], limit: int) -> str | None:
    names = (feature, *_EVIDENCE_FOR.get(feature, ()))
    for item in evidence:
        if item.signal in names and item.quote.strip():
            return clip_words(" ".join(item.quote.split()), limit)
    return None


def clip_words(text: str, limit: int) -> str:
    """`text` within `limit` characters, cut at a word boundary with an ellipsis when it had to be cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,;:-") + "…"


def reasoning(
    factors: Sequence[Factor],
    fired: Sequence[RuleFired],
    evidence: Sequence[EvidenceItem],
    config: ExplanationConfig,
    notes: Sequence[str] = (),
) -> list[str]:
    """Sentences: fired-rule reasons, then the top factors (with a call quote when there is one), then notes.

    Website features present on the site that push the same way share one sentence ("Website has online
    booking and a call-centre number (raises the score)").
    """
    sentences = [rule.reason for rule in fired]
    quoted: list[tuple[list[str], str | None, bool]] = []  # (texts, quote, raises): a quote is shown once
    website_said: set[bool] = set()
    for factor in factors:
        if len(sentences) + len(quoted) >= config.max_reasons:
            break
        if factor.value is None:
            continue
        raises = factor.contribution > 0
        text = factor.text
        if _website_flag(factor):
            if raises in website_said:
                continue
            website_said.add(raises)
            text = website_has([k for f in factors if (k := _website_flag(f)) and (f.contribution > 0) == raises])
        quote = _quote_for(factor.feature, evidence, config.max_quote_chars) if factor.value is not False else None
        same = next((q for q in quoted if quote and q[1] == quote and q[2] == raises), None)
        if same is not None:
            same[0].append(text)
            continue
        if quote and any(q[1] == quote for q in quoted):
            quote = None
        quoted.append(([text], quote, raises))
    for texts, quote, raises in quoted:
        joined = "; ".join([texts[0], *(_lower_first(t) for t in texts[1:])])
        said = f' — "{quote}"' if quote else ""
        sentences.append(f"{joined}{said} ({'raises' if raises else 'lowers'} the score)")
    return [*sentences, *notes]


def _lower_first(text: str) -> str:
    """Lower-case the first word when it is an ordinary capitalised word ("A decision…", not "CFO…")."""
    word = text.split(" ", 1)[0]
    return text[:1].lower() + text[1:] if word[1:].islower() or len(word) == 1 else text


def ordered_evidence(evidence: Sequence[EvidenceItem], factors: Sequence[Factor], limit: int) -> list[EvidenceItem]:
    """Evidence for the most important factors first, then the rest, at most `limit` items, no duplicates."""
    rank: dict[str, int] = {}
    for position, factor in enumerate(factors):
        for name in (factor.feature, *_EVIDENCE_FOR.get(factor.feature, ())):
            rank.setdefault(name, position)
    seen: set[tuple[str, str]] = set()
    unique = []
    for item in sorted(evidence, key=lambda e: rank.get(e.signal, len(factors))):
        key = (item.signal, item.quote)
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique[:limit]


def in_words(probability: float, calibrated: bool) -> str:
    """The progression probability as an AE reads it ("about 7 in 10 similar leads progressed"), or an honest
    "estimate" when outcomes have not shown it beats the base rate."""
    if not calibrated:
        percent = min(99, max(1, round(probability * 100)))
        return f"Estimated {percent}% chance to progress (uncalibrated: not yet shown to beat the base rate)."
    tenths = round(probability * 10)
    if 1 <= tenths <= 9:
        return f"About {tenths} in 10 similar leads progressed."
    if tenths == 0:
        return f"About {max(1, round(probability * 100))} in 100 similar leads progressed."
    return f"About {min(99, round(probability * 100))} in 100 similar leads progressed."


def basis_sentence(basis: str, recommendation: str, policy: HandoffPolicy | None) -> str:
    """Who routed the lead: the handoff policy, a rule, AE capacity, or the fixed score threshold."""
    handed = recommendation == Recommendation.AE_HANDOFF.value
    if basis == "rule":
        return "Routed by a rule (below), not by the score."
    if basis == "capacity":
        return "Would be handed off, but held back by AE capacity this week."
    if basis == "policy" and policy is not None:
        target = f"aims at {policy.handoff.target:.0%} of handoffs accepted"
        if not policy.handoff.met:
            target = f"cannot reach its {policy.handoff.target:.0%} target yet, so keeps the current volume"
        verb = "Handed to an AE" if handed else "Not handed off"
        return f"{verb} by the handoff policy (it {target})."
    return f"{'Handed to an AE' if handed else 'Not handed off'} by the fixed score threshold (no outcomes yet)."
