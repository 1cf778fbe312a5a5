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
