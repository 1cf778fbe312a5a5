"""Rule overrides: defaults load, invalid rules fail naming the rule, semantics of each effect."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from scoring.config import load_scoring_config
from scoring.decide import decide
from scoring.features import build_features, encode_row
from scoring.rules import RuleError, load_rules, parse_rules

from .conftest import NOW


def _matrix(**features: object) -> np.ndarray:
    base = build_features(None, None, [], NOW)
    return encode_row(base | features)


def _rule(when: object, effect: str = "cap_score", value: object = 10, rule_id: str = "r1") -> dict:
    return {"rules": [{"id": rule_id, "when": when, "effect": effect, "value": value, "reason": "Because."}]}


def test_default_rules_load() -> None:
    ids = [rule.id for rule in load_rules().rules]
    assert ids == [
        "existing_customer",
        "not_interested",
        "competitor_lock_in",
        "strong_buying_signals",
        "free_mail_no_company",
        "parked_domain",
        "voice_ai_hot",
    ]


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (_rule({"feature": "shoe_size", "is": True}), "rule 'r1': unknown feature 'shoe_size'"),
        (_rule({"feature": "employees", "is": True}), "rule 'r1': 'is' needs a true/false feature"),
        (_rule({"feature": "industry", "op": "==", "value": "knitting"}), "'knitting' is not a level of 'industry'"),
        (_rule({"feature": "industry", "op": ">", "value": "healthcare"}), "only supports ==, !=, in, not_in"),
        (_rule({"feature": "employees", "op": "~", "value": 3}), "unknown op '~'"),
        (_rule({"feature": "employees", "op": ">", "value": "many"}), "compares to numbers"),
        (_rule({"all": []}), "'all' needs a non-empty list"),
        (_rule({"feature": "no_budget", "is": True}, effect="explode"), "unknown effect 'explode'"),
        (_rule({"feature": "no_budget", "is": True}, value=150), "integer score 0-100"),
        (_rule({"feature": "no_budget", "is": True}, "set_priority", "URGENT"), "'URGENT' is not one of"),
        ({"rules": [{"when": {"feature": "no_budget", "is": True}}]}, "rule #1: every rule needs"),
        ({"rules": "nope"}, "'rules:' list"),
    ],
)
def test_invalid_rules_name_the_rule_and_the_problem(document: dict, message: str) -> None:
    with pytest.raises(RuleError) as info:
        parse_rules(document)
    assert message in str(info.value)


def test_duplicate_ids_and_missing_reason() -> None:
    doc = _rule({"feature": "no_budget", "is": True})
    with pytest.raises(RuleError, match="duplicate id"):
        parse_rules({"rules": doc["rules"] * 2})
    doc["rules"][0]["reason"] = ""
    with pytest.raises(RuleError, match="needs a 'reason'"):
        parse_rules(doc)


def test_load_rules_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text("rules:\n  - {id: bad, when: {feature: nope, is: true}, effect: cap_score, value: 1, reason: x}\n")
    with pytest.raises(RuleError, match=r"rules.yaml: rule 'bad': unknown feature"):
        load_rules(path)


def test_missing_values_never_match_comparisons() -> None:
    rules = parse_rules(_rule({"not": {"feature": "pricing_requested", "is": True}}))
    assert rules.evaluate(_matrix())[0, 0]
    rules = parse_rules(_rule({"feature": "pricing_requested", "is": False}))
    assert not rules.evaluate(_matrix())[0, 0]
    assert rules.evaluate(_matrix(pricing_requested=False))[0, 0]
    rules = parse_rules(_rule({"feature": "employees", "missing": True}))
    assert rules.evaluate(_matrix())[0, 0] and not rules.evaluate(_matrix(employees=5.0))[0, 0]
    rules = parse_rules(_rule({"feature": "industry", "op": "not_in", "value": ["healthcare"]}))
    assert not rules.evaluate(_matrix())[0, 0] and rules.evaluate(_matrix(industry="logistics"))[0, 0]


def _decide(rules_doc: dict, probability: float, **features: object):
    matrix = _matrix(**features)
    return decide(
        matrix, np.array([probability]), np.array([0.1]), rules=parse_rules(rules_doc),
        config=load_scoring_config(), is_prior=False,
    )  # fmt: skip


def test_caps_win_over_floors_and_first_set_rule_wins() -> None:
    doc = {
        "rules": [
            {"id": "floor", "when": {"feature": "no_budget", "is": True}, "effect": "floor_score", "value": 90,
             "reason": "f"},
            {"id": "cap", "when": {"feature": "no_budget", "is": True}, "effect": "cap_score", "value": 20,
             "reason": "c"},
            {"id": "first", "when": {"feature": "no_budget", "is": True}, "effect": "set_recommendation",
             "value": "NURTURE_TRACK", "reason": "1"},
            {"id": "second", "when": {"feature": "no_budget", "is": True}, "effect": "set_recommendation",
             "value": "AE_HANDOFF", "reason": "2"},
        ]
    }  # fmt: skip
    decisions = _decide(doc, 0.7, no_budget=True)
    assert decisions.qualification_score[0] == 70, "rules never move the score: it is the probability"
    assert decisions.recommendation[0] == "NURTURE_TRACK" and decisions.basis[0] == "rule"
    assert decisions.fired[0].tolist() == [True, True, True, True]
    capped = _decide({"rules": doc["rules"][:2]}, 0.7, no_budget=True)
    assert capped.recommendation[0] == "SELF_SERVICE", "the cap (20%) wins over the floor (90%) for routing"
    assert _decide(doc, 0.5, no_budget=False).basis[0] == "threshold"


def test_default_rules_behave_as_documented() -> None:
    doc_rules = load_rules()
    config = load_scoring_config()

    def run(probability: float, **features: object):
        return decide(
            _matrix(**features), np.array([probability]), np.array([0.9]), rules=doc_rules, config=config,
            is_prior=False,
        )  # fmt: skip

    uninterested = run(0.95, not_interested=True)
    assert uninterested.qualification_score[0] == 95 and uninterested.recommendation[0] == "SELF_SERVICE"
    buying = run(0.3, pricing_requested=True, next_meeting_scheduled=True, decision_maker_present=True)
    assert buying.qualification_score[0] == 30 and buying.recommendation[0] == "AE_HANDOFF"
    assert run(0.9, existing_customer=True).recommendation[0] == "NURTURE_TRACK"
    self_serve = run(0.9, free_mail_domain=True, company_known=False)
    assert self_serve.recommendation[0] == "SELF_SERVICE" and self_serve.priority[0] == "LOW"
    locked = run(0.9, competitor_count=2.0, pricing_requested=False, next_meeting_scheduled=False, trial_or_poc=False)
    assert locked.qualification_score[0] == 90 and locked.recommendation[0] == "NURTURE_TRACK"
    hot = run(0.4, product_voice_ai=True, call_urgency="high", monthly_volume=50_000.0)
    assert hot.priority[0] == "HIGH_VOICE_AI"
    assert run(0.4, product_voice_ai=True, call_urgency="high", monthly_volume=500.0).priority[0] != "HIGH_VOICE_AI"
