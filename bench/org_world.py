"""The learning loop on a Salesforce-shaped org, measured on its newest fifth (open leads, hidden from training).

Runs the README's commands in process against the fake Salesforce (`db upgrade`, `sync salesforce`, `ingest
calls`, `sync outcomes`, `learn train`, promote, `sync salesforce`), then compares the product's scores of the
open leads with what happened to them in the world's truth, next to a TF-IDF + logistic-regression baseline
trained on the same decided leads and the world's true probabilities, each at the product's own volumes.
`BENCH_ORG_WORLD=<dir>` measures a world written elsewhere (leads/calls/truth.jsonl) instead of ours;
`BENCH_ORG_WORLD=c` generates world C (`bench.worlds.world_c`, written blind, now development) into a temporary
folder and measures it (a folder named `c` is then `./c`).
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sqlmodel import Session, select
from typer.testing import CliRunner

from admin_api.cli.main import app
from bench.worlds.org_world import World, cli_documents, generate_world, load_world, read_world
from bench.worlds.world_c import generate_world_c
from config import get_settings
from learning import metrics
from store.db import make_engine
from store.tables import Call, Lead, Score
from tests.fakes.core.clock import ManualClock, utc_now
from tests.fakes.salesforce import FakeSalesforce

N_LEADS = 3000
HANDOFF, HIGH_VOICE_AI = "AE_HANDOFF", "HIGH_VOICE_AI"


def _cli(runner: CliRunner, *args: str) -> dict[str, Any]:
    result = runner.invoke(app, list(args))
    if result.exit_code != 0:
        raise RuntimeError(f"fellow {' '.join(args)} failed: {result.stdout[-2000:]} {result.exception}")
    return cli_documents(result.stdout)


def _precision_at(y: np.ndarray, score: np.ndarray, k: int) -> float | None:
    """Share of positives among the k highest scores (None for k = 0)."""
    return float(y[np.argsort(-score, kind="stable")[:k]].mean()) if k else None


def _document(lead: dict[str, Any], notes: str) -> str:
    fields = (lead.get("Industry"), lead.get("LeadSource"), lead.get("Title"), lead.get("Country"))
    return " ".join(str(f) for f in fields if f) + " " + notes


def _baseline(world: World, notes: dict[str, str], train: list[str], test: list[str], target: str) -> np.ndarray:
    """TF-IDF over the notes and company fields + logistic regression, fitted on the decided leads."""
    by_key = {lead["Key"]: lead for lead in world.leads}
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    x_train = vectorizer.fit_transform([_document(by_key[k], notes.get(k, "")) for k in train])
    y_train = np.array([bool(world.truth[k][target]) for k in train])
    model = LogisticRegression(C=1.0, max_iter=2000).fit(x_train, y_train)
    return model.predict_proba(vectorizer.transform([_document(by_key[k], notes.get(k, "")) for k in test]))[:, 1]


def _figures(name: str, y: np.ndarray, p: np.ndarray, volume: int) -> dict[str, Any]:
    return {
        f"{name}_roc_auc": metrics.roc_auc(y, p),
        f"{name}_brier": metrics.brier(y, p),
        f"{name}_precision_at_volume": _precision_at(y, p, volume),
    }


def select_world(source: str | None) -> tuple[World, str]:
    """The world `BENCH_ORG_WORLD` names (unset: ours, `c`: world C, else a folder) and how to call it."""
    if not source:
        return generate_world(N_LEADS, seed=7), f"generated ({N_LEADS} leads, seed 7)"
    if source == "c":
        with tempfile.TemporaryDirectory() as tmp:
            world = read_world(generate_world_c(Path(tmp)))
        return world, f"world C ({len(world.leads)} leads, bench.worlds.world_c)"
    return read_world(Path(source)), source


def run() -> dict[str, Any]:
    """Drive the loop on the world and measure the open fifth."""
    world, world_name = select_world(os.environ.get("BENCH_ORG_WORLD"))
    with (
        tempfile.TemporaryDirectory() as tmp,
        FakeSalesforce(clock=ManualClock(datetime(2025, 1, 1, tzinfo=UTC))) as fake,
    ):
        clock = fake.store.clock
        ids = load_world(fake, clock, world)
        fake.store.clock = utc_now
        folder = Path(tmp)
        env = {
            "FELLOW_DATABASE_URL": f"sqlite:///{folder / 'fellow.db'}", "FELLOW_DATA_DIR": str(folder),
            "FELLOW_LEARNING__MODELS_DIR": str(folder / "models"), "FELLOW_LEARNING__REPORTS_DIR": str(folder / "r"),
            "FELLOW_SALESFORCE_INSTANCE_URL": fake.url, "FELLOW_SALESFORCE_ACCESS_TOKEN": fake.session_id,
            "FELLOW_SALESFORCE_CA_BUNDLE": fake.ca_file, "FELLOW_LOG_LEVEL": "warning",
        }  # fmt: skip
        saved = {k: os.environ.get(k) for k in env}
        os.environ.update(env)
        get_settings.cache_clear()
        try:
            runner = CliRunner()
            export = folder / "calls.jsonl"
            export.write_text("".join(json.dumps(c) + "\n" for c in world.calls))
            for step in (
                ("db", "upgrade"),
                ("sync", "salesforce", "--json"),
                ("ingest", "calls", str(export), "--json"),
            ):
                _cli(runner, *step)
            _cli(runner, "sync", "outcomes", "--json")
            trained = _cli(runner, "learn", "train", "--no-promote", "--json")
            _cli(runner, "learn", "promote", trained["version"])
            _cli(runner, "sync", "salesforce", "--json")
            engine = make_engine(env["FELLOW_DATABASE_URL"])
            with Session(engine) as session:
                rows = session.exec(select(Lead.salesforce_id, Score).where(Score.lead_id == Lead.id)).all()
                calls = session.exec(select(Lead.salesforce_id, Call.notes).where(Call.lead_id == Lead.id)).all()
        finally:
            for key, value in saved.items():
                os.environ.pop(key) if value is None else os.environ.__setitem__(key, value)
            get_settings.cache_clear()
    by_sf = {sf: key for key, sf in ids.items()}
    latest: dict[str, Score] = {}
    for sf_id, score in rows:
        lead_key = by_sf.get(sf_id or "")
        if lead_key and (lead_key not in latest or (score.id or 0) > (latest[lead_key].id or 0)):
            latest[lead_key] = score
    notes: dict[str, str] = {}
    for sf_id, text in calls:
        lead_key = by_sf.get(sf_id or "")
        if lead_key:
            notes[lead_key] = notes.get(lead_key, "") + " " + (text or "")
    open_keys = sorted(k for k, t in world.truth.items() if not t["decided_at"])
    decided = sorted(k for k, t in world.truth.items() if t["decided_at"])
    scored = [k for k in open_keys if k in latest]
    y = np.array([bool(world.truth[k]["progressed"]) for k in scored])
    v = np.array([bool(world.truth[k]["voice_ai"]) for k in scored])
    p = np.array([latest[k].progression_probability for k in scored])
    handed = np.array([latest[k].recommendation == HANDOFF for k in scored])
    flagged = np.array([latest[k].priority == HIGH_VOICE_AI for k in scored])
    true_p = np.array([world.truth[k]["p_progress"] for k in scored])
    true_v = np.array([world.truth[k]["p_voice_ai"] for k in scored])
    voice_fit = np.array([latest[k].voice_ai_fit / 100.0 for k in scored])
    base_p = _baseline(world, notes, decided, scored, "progressed")
    base_v = _baseline(world, notes, decided, scored, "voice_ai")
    n_handed, n_flagged = int(handed.sum()), int(flagged.sum())
    challenger = trained["evaluation"]["contenders"]["challenger"]
    return {
        "world": world_name,
        "model_version": trained["version"],
        "skipped_models": trained.get("skipped_models"),
        "open_leads_scored": f"{len(scored)} of {len(open_keys)}",
        "base_rate": float(y.mean()),
        "ae_handoff_count": n_handed,
        "ae_handoff_precision": metrics.handoff_precision(y, handed),
        **_figures("product", y, p, n_handed),
        **_figures("tfidf_lr", y, base_p, n_handed),
        **_figures("true_p", y, true_p, n_handed),
        "voice_ai_base_rate": float(v.mean()),
        "high_voice_ai_count": n_flagged,
        "high_voice_ai_precision": metrics.voice_ai_precision(v, flagged),
        "product_voice_precision_at_volume": _precision_at(v, voice_fit, n_flagged),
        "tfidf_lr_voice_precision_at_volume": _precision_at(v, base_v, n_flagged),
        "true_p_voice_precision_at_volume": _precision_at(v, true_v, n_flagged),
        "product_voice_roc_auc": metrics.roc_auc(v, voice_fit),
        "tfidf_lr_voice_roc_auc": metrics.roc_auc(v, base_v),
        "true_p_voice_roc_auc": metrics.roc_auc(v, true_v),
        "base_rate_brier": metrics.brier(y, np.full(len(y), y.mean())),
        "policy_handoff": _point(challenger.get("policy"), "handoff"),
        "policy_voice_ai": _point(challenger.get("policy"), "voice_ai"),
        "rule_audit": [_audit_line(a) for a in challenger.get("rule_audit") or []],
    }


def _audit_line(audit: dict[str, Any]) -> str:
    """One rule's audit on the evaluation slice, in a line."""
    return (
        f"{audit['rule_id']}: fired {audit['fired']}, outcome rate {audit['outcome_rate']}, "
        f"model estimate {audit['model_estimate']} ({audit['note']})"
    )


def _point(policy: dict[str, Any] | None, name: str) -> str:
    """One operating point of the policy chosen at training, in a line."""
    point = (policy or {}).get(name)
    if not point:
        return "none"
    keys = ("target", "met", "threshold", "handoffs", "expected_precision", "precision_lower_bound", "note")
    return ", ".join(f"{k}={point.get(k)}" for k in keys)
