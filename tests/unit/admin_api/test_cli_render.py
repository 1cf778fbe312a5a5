"""Readable `fellow` output: aligned tables and summaries built from the same data `--json` prints."""

from __future__ import annotations

from admin_api.cli import render

EVALUATION = {
    "n": 120,
    "window": ["2026-09-01T00:00:00+00:00", "2026-11-30T00:00:00+00:00"],
    "base_rate": 0.31,
    "exploration_rows": 0,
    "contenders": {
        "challenger": {"model_version": "v2", "roc_auc": 0.8123, "brier": 0.17, "handoff_precision": 0.9},
        "prior": {"model_version": "prior", "roc_auc": 0.61, "brier": None, "handoff_precision": 0.5},
    },
}


def test_a_table_aligns_columns_and_marks_missing_values() -> None:
    text = render.table([{"a": "x", "b": 0.5}, {"a": "longer", "b": None}], [("a", "A"), ("b", "B")])
    assert text.splitlines() == ["A       B", "x       0.500", "longer  -"]


def test_versions_list_one_line_each_and_says_when_there_are_none() -> None:
    rows = [{"version": "v2", "state": "champion", "created_at": "2026-12-01T10:11:12+00:00", "roc_auc": 0.8}]
    lines = render.versions(rows).splitlines()
    assert lines[0].split()[:2] == ["version", "state"] and lines[1].split()[:4] == [
        "v2",
        "champion",
        "2026-12-01",
        "10:11",
    ]
    assert "rule-based prior serves" in render.versions([])


def test_evaluation_summarises_the_slice_and_each_contender() -> None:
    lines = render.evaluation({**EVALUATION, "report": "/r/v2.html"}).splitlines()
    assert lines[0] == "evaluated on 120 labelled leads from 2026-09-01 to 2026-11-30; base rate 0.310"
    assert lines[2].startswith("challenger") and "0.812" in lines[2] and lines[-1] == "report: /r/v2.html"


def test_training_says_what_was_decided_and_why() -> None:
    result = {
        "version": "v2",
        "promoted": False,
        "decision": {"incumbent": "prior", "reasons": ["ROC-AUC gain 0.001 is below the margin 0.01"]},
        "evaluation": EVALUATION,
        "report": "/r/v2.html",
        "skipped_models": ["voice_ai: no labels"],
    }
    lines = render.training(result).splitlines()
    assert lines[:3] == [
        "trained v2: not promoted (against prior)",
        "  - ROC-AUC gain 0.001 is below the margin 0.01",
        "  - skipped: voice_ai: no labels",
    ]


def test_configuration_lists_integrations_then_nested_settings() -> None:
    text = render.configuration(
        {"port": 8000, "api_keys": [], "api": {"workers": 2}, "integrations": {"slack": "off (set X)"}}
    )
    assert text.splitlines()[:2] == ["integrations:", "  slack        off (set X)"]
    assert "  api.workers  2" in text and "  api_keys     -" in text


def test_a_job_summary_leaves_out_empty_parts_and_shortens_long_lists() -> None:
    data = {"poll": {"fetched": 3, "skipped": [f"line {n}" for n in range(12)], "warnings": [], "stopped": None}}
    lines = render.summary(data).splitlines()
    assert lines[:4] == ["poll:", "  fetched: 3", "  skipped:", "    - line 0"]
    assert lines[-1] == "    … and 2 more (--json lists them)" and len(lines) == 3 + render.LIST_SHOWN + 1
    assert not any("warnings" in line or "stopped" in line for line in lines)


def test_shadow_says_the_verdict_and_puts_both_sides_in_a_table() -> None:
    side = {"roc_auc": 0.7, "brier": 0.2, "handoff_precision": 0.8, "handoffs": 4}
    data = {"version": "v3", "started_at": "2026-11-01T00:00:00+00:00", "ends_at": "2026-11-15T00:00:00+00:00",
            "elapsed": True, "n": 40, "progressed": 9, "champion": side, "challenger": {**side, "roc_auc": 0.75},
            "favours_challenger": True, "reasons": ["ROC-AUC 0.750 vs 0.700"]}  # fmt: skip
    lines = render.shadow(data).splitlines()
    assert lines[0] == "v3 in shadow 2026-11-01 to 2026-11-15 (ended): favours the challenger"
    assert lines[1:3] == ["40 outcomes since it began, 9 progressed", "  - ROC-AUC 0.750 vs 0.700"]
    assert lines[4].split() == ["champion", "0.700", "0.200", "0.800", "4"]
    assert lines[5].split()[:2] == ["challenger", "0.750"]


def test_drift_lists_findings_and_psi_per_feature() -> None:
    data = {"model_version": "v2", "n_current": 80, "n_scores": 75,
            "feature_psi": {"employees": 0.31, "industry": 0.02}, "score_psi": 0.12,
            "rolling_handoff_precision": 0.7, "rolling_handoff_precision_n": 20,
            "baseline_handoff_precision": 0.8, "severity": "alert", "retrain_recommended": True,
            "findings": ["feature employees shifted (PSI 0.310)"], "alert_queued": False}  # fmt: skip
    lines = render.drift(data).splitlines()
    assert lines[0] == "drift alert for model v2 (80 recent leads, 75 scores); retraining recommended"
    assert lines[1] == "  - feature employees shifted (PSI 0.310)"
    assert lines[2] == "score PSI 0.120; rolling handoff precision 0.700 on 20 handoffs (baseline 0.800)"
    assert lines[4].split() == ["employees", "0.310"] and "alert" not in lines[-1]


def test_csv_evaluation_shows_the_policy_block() -> None:
    data = {"roc_auc": 0.81, "pr_auc": 0.6, "brier": 0.15, "handoff_precision": 0.7, "handoff_recall": 0.4, "n": 900,
            "split": "5-fold", "policy": {"target_precision": 0.8, "handoffs": 90, "handoff_share": 0.1,
                                          "handoff_precision": 0.83, "handoff_recall": 0.3,
                                          "verdict": "target reached on the test rows"}}  # fmt: skip
    lines = render.csv_evaluation(data).splitlines()
    assert lines[0] == "900 rows evaluated out of sample (5-fold)"
    assert lines[3] == "handoff policy (target precision 0.800):"
    assert lines[4] == "  handed off 90 (10.0% of rows), precision 0.830, recall 0.300"
    assert lines[5] == "  verdict: target reached on the test rows"
    assert "policy" not in render.csv_evaluation({k: v for k, v in data.items() if k != "policy"})
