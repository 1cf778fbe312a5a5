"""Text features (issue 11): ablation on the sample data's time split, a TF-IDF + logistic-regression baseline on
the same notes, added scoring CPU time, and the two hand-written generalisation sets (plain and hard).

All figures come from one run: for each of `SAMPLE_SEEDS`, one sample of `N_LEADS` leads and its time split
(a test slice of ~1,000 leads has an AUC standard error near 0.015, so single-sample gaps of a few thousandths
are noise; the mean over samples is the headline). Signals are cached with `SignalCache` in data/bench-cache.
Latency is CPU time (the machine is shared) per `score_facts` call on the first sample's leads, with the combined
bundle minus the signals-only bundle, plus the text step alone on a 1,500-word note.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from admin_api.demo.sample_data import generate_sample
from admin_api.demo.snapshots import sample_snapshots
from config.sections import LearningSection
from learning import metrics
from learning.ablation import run_ablation
from learning.table import CallRecord, SignalCache, TrainingTable, build_table
from learning.training import TrainConfig
from nlp import SignalExtractor
from scoring.domain import CallFacts, CompanyFacts, LeadFacts
from scoring.features import build_features, features_frame
from scoring.model import ModelBundle
from scoring.scorer import Scorer, build_scorer
from scoring.text_features import TEXT_COLUMN, notes_text

ROOT = Path(__file__).resolve().parent.parent
GENERALISATION = {
    "generalisation": ROOT / "tests" / "data" / "text_features" / "generalisation.jsonl",
    "generalisation_hard": ROOT / "tests" / "data" / "text_features" / "generalisation_hard.jsonl",
}
N_LEADS = 5000
SAMPLE_SEEDS = (11, 12, 13)
CONTENDERS = ("signals_only", "text_only", "combined", "prior", "tfidf_logreg")
LATENCY_CALLS = 150


def tfidf_logreg(train: TrainingTable, test: TrainingTable) -> tuple[float | None, Any]:
    """Plain TF-IDF (1-2 grams) + logistic regression on the raw notes; test ROC-AUC and the fitted pair."""
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    x_train = vectorizer.fit_transform(train.frame[TEXT_COLUMN])
    model = LogisticRegression(max_iter=2000, C=1.0).fit(x_train, train.progressed, sample_weight=train.weight)
    p = model.predict_proba(vectorizer.transform(test.frame[TEXT_COLUMN]))[:, 1]
    return metrics.roc_auc(test.progressed, p, test.weight), (vectorizer, model)


def _cpu_ms(scorer: Scorer, cases: Sequence[tuple[CompanyFacts | None, LeadFacts, list[CallFacts]]]) -> float:
    times = []
    for company, lead, calls in cases:
        started = time.process_time_ns()
        scorer.score_facts(company, lead, calls)
        times.append((time.process_time_ns() - started) / 1e6)
    return statistics.median(times)


def latency(bundles: dict[str, ModelBundle], cache: SignalCache, dataset: Any) -> dict[str, float]:
    """Median CPU ms per score_facts call (signals pre-extracted) with and without text features."""
    calls = [c for c in dataset.calls if c.notes][:LATENCY_CALLS]
    signals = cache([CallRecord(c.fellow_id, c.started_at, c.notes) for c in calls])
    cases = [
        (CompanyFacts(name="Acme", domain="acme.com", industry="SaaS", employees=200), LeadFacts(title="CTO"),
         [CallFacts(c.fellow_id, c.started_at, c.notes, s)])
        for c, s in zip(calls, signals, strict=True)
    ]  # fmt: skip
    long_note = " ".join((calls[0].notes or "").split()) + " "
    long_note = long_note * (1 + 1500 // max(1, len(long_note.split())))
    long_note = " ".join(long_note.split()[:1500])
    long_signals = cache([CallRecord("long", None, long_note)])[0]
    long_cases = [(cases[0][0], cases[0][1], [CallFacts("long", None, long_note, long_signals)])] * 30
    out: dict[str, float] = {}
    for name, bundle in bundles.items():
        scorer = build_scorer(bundle)
        _cpu_ms(scorer, cases[:10])
        out[f"{name}_score_cpu_ms_p50"] = round(_cpu_ms(scorer, cases), 3)
        out[f"{name}_score_1500w_cpu_ms_p50"] = round(_cpu_ms(scorer, long_cases), 3)
    out["text_added_cpu_ms_p50"] = round(out["combined_score_cpu_ms_p50"] - out["signals_only_score_cpu_ms_p50"], 3)
    out["text_added_1500w_cpu_ms_p50"] = round(
        out["combined_score_1500w_cpu_ms_p50"] - out["signals_only_score_1500w_cpu_ms_p50"], 3
    )
    text = bundles["combined"].text
    if text is not None:
        step = []
        for _ in range(30):
            started = time.process_time_ns()
            text.row(text.document(long_note))
            step.append((time.process_time_ns() - started) / 1e6)
        out["text_step_1500w_cpu_ms_p50"] = round(statistics.median(step), 3)
    return out


def generalisation(
    bundles: dict[str, ModelBundle], extractor: SignalExtractor, baseline: Any, name: str, path: Path
) -> dict[str, float | None]:
    """ROC-AUC of each variant (and the TF-IDF baseline) on hand-written, differently styled notes."""
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    feats = []
    for row in rows:
        facts = [CallFacts(row["id"], None, row["notes"], extractor.extract(row["notes"]))]
        company = CompanyFacts(name=f"Company {row['id']}", domain=f"company{row['id']}.com",
                               industry=row["industry"], employees=row["employees"])  # fmt: skip
        feats.append(build_features(company, LeadFacts(title=row["title"]), facts, pd.Timestamp.now(tz="UTC")))
    frame = features_frame(feats)
    frame[TEXT_COLUMN] = [notes_text([row["notes"]]) for row in rows]
    y = np.array([row["progressed"] for row in rows], dtype=np.float64)
    out: dict[str, float | None] = {f"{name}_rows": float(len(rows))}
    voice = np.array([row["voice_ai"] for row in rows], dtype=np.float64)
    for variant, bundle in {**bundles, "prior": None}.items():
        scored = build_scorer(bundle).score_frame(frame)
        out[f"{name}_{variant}_roc_auc"] = metrics.roc_auc(y, scored["progression_probability"].to_numpy())
        out[f"{name}_{variant}_voice_roc_auc"] = metrics.roc_auc(voice, scored["voice_ai_probability"].to_numpy())
    vectorizer, model = baseline
    out[f"{name}_tfidf_logreg_roc_auc"] = metrics.roc_auc(
        y, model.predict_proba(vectorizer.transform(frame[TEXT_COLUMN]))[:, 1]
    )
    return out


def ablation_figures(seed: int, learning: LearningSection, cache: SignalCache) -> tuple[dict[str, Any], Any, Any]:
    """One sample's ablation next to the TF-IDF baseline; figures keyed `s{seed}_...`, the bundles and the data."""
    dataset = generate_sample(N_LEADS, seed=seed)
    table = build_table(sample_snapshots(dataset, learning), cache, max_calls=5)
    train, test = table.time_split(learning.test_fraction)
    started = time.perf_counter()
    ablation = run_ablation(train, test, learning=learning, make_scorer=build_scorer, config=TrainConfig())
    figures: dict[str, Any] = {
        f"s{seed}_labelled_leads": len(table),
        f"s{seed}_test_rows": len(test),
        f"s{seed}_ablation_train_seconds": round(time.perf_counter() - started, 1),
        f"s{seed}_text_terms": ablation.bundles["combined"].details.get("text_terms"),
        f"s{seed}_chosen": ablation.chosen,
    }
    for name, result in ablation.evaluation.contenders.items():
        for key in ("roc_auc", "pr_auc", "brier", "handoff_precision", "handoff_recall"):
            figures[f"s{seed}_{name}_{key}"] = result.summary.get(key)
    figures[f"s{seed}_tfidf_logreg_roc_auc"], baseline = tfidf_logreg(train, test)
    bundles = {name: t.bundle for name, t in ablation.bundles.items()}
    return figures, (bundles, baseline), dataset


def run() -> dict[str, float | int | str | None]:
    """Ablation and baseline on every sample, then latency and generalisation of the first sample's bundles."""
    learning = LearningSection()
    extractor = SignalExtractor()
    cache = SignalCache(extractor, ROOT / "data" / "bench-cache")
    figures: dict[str, float | int | str | None] = {}
    first: Any = None
    for seed in SAMPLE_SEEDS:
        found, models, dataset = ablation_figures(seed, learning, cache)
        figures |= found
        first = first or (models, dataset)
    means: dict[str, float] = {}
    for name in CONTENDERS:
        values = [figures[f"s{seed}_{name}_roc_auc"] for seed in SAMPLE_SEEDS]
        means[name] = float(np.mean([v for v in values if isinstance(v, float)]))
        figures[f"mean_{name}_roc_auc"] = means[name]
    auc = {key: float(value) for key, value in figures.items() if key.endswith("_roc_auc") and value is not None}
    combined = [auc.get(f"s{seed}_combined_roc_auc", 0.0) for seed in SAMPLE_SEEDS]
    rivals = [
        max(auc.get(f"s{seed}_signals_only_roc_auc", 0.0), auc.get(f"s{seed}_tfidf_logreg_roc_auc", 0.0))
        for seed in SAMPLE_SEEDS
    ]
    figures["combined_wins_samples"] = f"{sum(c > r for c, r in zip(combined, rivals, strict=True))}/{len(rivals)}"
    figures["combined_beats_signals_and_tfidf_on_mean"] = str(
        means["combined"] > max(means["signals_only"], means["tfidf_logreg"])
    )
    (bundles, baseline), dataset = first
    for name, path in GENERALISATION.items():
        figures |= generalisation(bundles, extractor, baseline, name, path)
    figures |= latency({k: bundles[k] for k in ("signals_only", "combined")}, cache, dataset)
    return figures
