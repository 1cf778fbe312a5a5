"""Scoring latency and throughput: single score without notes, with a 1,500-word note, and a 10,000-lead batch.

Trains a realistic-size LightGBM bundle (300 trees, 31 leaves) on synthetic features first, then reports
medians over repeated runs as [wall-clock, CPU] pairs. `python -m bench.scoring_latency` prints JSON.
Targets: single without notes p50 < 2 ms, with a 1,500-word note < 15 ms, batch > 5,000 leads/s. The explained
batch of 100 (`score_many_facts`, the API's /score/batch path) is shown next to scoring the same 100 one by one.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime

import lightgbm
import numpy as np

from nlp import SignalExtractor
from scoring.calibration import IsotonicCalibrator
from scoring.domain import ScoreInput, facts_from_input
from scoring.features import CATEGORY_LEVELS, build_features, features_frame
from scoring.model import LeadModel, ModelBundle, ModelMetadata
from scoring.scorer import LeadFactsRow, Scorer, build_scorer

NOW = datetime(2025, 3, 1, tzinfo=UTC)
INDUSTRIES = ["Healthcare", "Logistics", "Fintech", "Retail", "Software", "Insurance", "Real estate", "Hospitality"]
SENTENCES = [
    "Dana, their VP of Operations, walked us through how the contact center handles inbound patient calls.",
    "They currently run about 30,000 calls per month through a legacy IVR and the hold times are painful.",
    "The team asked for pricing on the Voice AI agent and on SIP trunking for their two sites.",
    "We agreed to a follow-up demo next Tuesday with their CTO and the head of customer support.",
    "They are evaluating Twilio as well but said the latency on their current setup is a real problem.",
    "Budget for this project has been approved for the second quarter according to Dana.",
    "They would like to run a two-week pilot with a small group of agents before committing.",
    "Messaging is also on the roadmap: appointment reminders by SMS for roughly 50k patients a month.",
    "Compliance matters to them, so we covered HIPAA, call recording retention and data residency.",
    "The rollout would start in the Chicago office and expand to the Denver team later in the year.",
    "Their engineers prefer a REST API with good docs and asked about webhooks for call events.",
    "We talked about number porting timelines and how to avoid downtime during the cut-over.",
    "Dana mentioned the board wants the new system live before the end of the fiscal year.",
    "They have a small in-house team of three developers who would own the integration.",
    "Call quality complaints from patients are the main pain point they want to solve first.",
]


def _median_ms(fn: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Median (wall-clock ms, process CPU ms) over `repeats` runs after one warm-up.

    CPU time is reported next to wall time because the machine may be shared: on a contended host the wall
    figure includes waiting for a core, the CPU figure is the work itself (it sums threads, so it overstates
    multi-threaded batch steps).
    """
    fn()
    wall, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start)
    return statistics.median(wall) * 1000.0, statistics.median(cpu) * 1000.0


def _random_input(rng: random.Random, i: int) -> ScoreInput:
    return ScoreInput(
        company_name=f"Company {i}",
        domain=f"company{i}.com",
        industry=rng.choice(INDUSTRIES),
        employees=rng.randint(1, 50_000),
        description=rng.choice(["AI contact center platform", "Freight delivery network", "Dental clinics", None]),
        urgency_level=rng.choice([1, 2, 3, 4, 5, None]),
    )


def long_note(words: int = 1500, seed: int = 7) -> str:
    """A varied call note of exactly `words` words built from realistic sentences."""
    rng = random.Random(seed)
    out: list[str] = []
    while len(out) < words:
        out.extend(rng.choice(SENTENCES).split())
    return " ".join(out[:words])


def train_bundle(n: int = 5_000, seed: int = 0) -> ModelBundle:
    """A bundle of two 300-tree models trained on synthetic leads (realistic size, not realistic quality)."""
    rng = np.random.default_rng(seed)
    py = random.Random(seed)
    rows = [build_features(*facts_from_input(_random_input(py, i)), [], NOW) for i in range(n)]
    frame = features_frame(rows)
    for name in ("pricing_requested", "next_meeting_scheduled", "product_voice_ai", "call_count"):
        frame[name] = rng.integers(0, 2, n).astype(float)
    logit = frame["pricing_requested"] * 1.5 + frame["next_meeting_scheduled"] + rng.normal(0, 1, n) - 1
    models = {}
    for kind, y in (("progression", logit > 0), ("voice_ai", frame["product_voice_ai"] + rng.normal(0, 0.5, n) > 0.8)):
        params = {"objective": "binary", "num_leaves": 31, "verbose": -1, "seed": seed}
        booster = lightgbm.train(params, lightgbm.Dataset(frame, y.astype(int)), num_boost_round=300)
        margin = np.asarray(booster.predict(frame, raw_score=True), dtype=np.float64)
        calibrator = IsotonicCalibrator().fit(margin, y.astype(int))
        metadata = ModelMetadata(
            version="bench",
            kind=kind,
            feature_names=list(frame.columns),
            categorical_levels={k: list(v) for k, v in CATEGORY_LEVELS.items()},
            trained_at=NOW,
            n_train=n,
        )
        models[kind] = LeadModel(booster, calibrator, metadata)
    return ModelBundle("bench", models["progression"], models["voice_ai"])


def _rates(ms: tuple[float, float], n: int) -> tuple[int, int]:
    return round(n / (ms[0] / 1000.0)), round(n / (ms[1] / 1000.0))


def run(repeats: int = 200, batch_repeats: int = 5, note_repeats: int = 7) -> dict[str, object]:
    """Measure every figure: [wall, cpu] medians in ms, and [wall, cpu]-based leads per second."""
    extractor = SignalExtractor()
    model = build_scorer(train_bundle(), extract=extractor.extract)
    prior = build_scorer(extract=extractor.extract)
    rng = random.Random(1)
    single = _random_input(rng, 0)
    note = long_note()
    with_note = single.model_copy(update={"call_notes": note})
    signals = extractor.extract(note)
    fixed = Scorer(model.bundle, model.rules, model.prior, model.config, lambda _text: signals)
    inputs = [_random_input(rng, i) for i in range(10_000)]
    frame = features_frame(build_features(*facts_from_input(x), [], NOW) for x in inputs)
    hundred: list[LeadFactsRow] = [(*facts_from_input(x), []) for x in inputs[:100]]

    def end_to_end() -> object:
        return model.score_frame(features_frame(build_features(*facts_from_input(x), [], NOW) for x in inputs))

    def rounded(ms: tuple[float, float]) -> list[float]:
        return [round(ms[0], 3), round(ms[1], 3)]

    return {
        "load_average_1min": round(os.getloadavg()[0], 2),
        "model": "2 x LightGBM, 300 trees, 31 leaves, isotonic calibration; contributions: "
        + model.config.explanation.contributions,
        "single_no_notes_p50_ms_model": rounded(_median_ms(lambda: model.score(single, now=NOW), repeats)),
        "single_no_notes_p50_ms_prior": rounded(_median_ms(lambda: prior.score(single, now=NOW), repeats)),
        "single_1500_word_note_p50_ms": rounded(_median_ms(lambda: model.score(with_note, now=NOW), note_repeats)),
        "signal_extraction_1500_words_p50_ms": rounded(_median_ms(lambda: extractor.extract(note), note_repeats)),
        "single_1500_word_note_scoring_only_p50_ms": rounded(
            _median_ms(lambda: fixed.score(with_note, now=NOW), repeats)
        ),
        "explained_batch_100_p50_ms": rounded(
            _median_ms(lambda: model.score_many_facts(hundred, now=NOW), repeats // 10)
        ),
        "explained_100_one_by_one_p50_ms": rounded(
            _median_ms(lambda: [model.score_facts(*row, now=NOW) for row in hundred], repeats // 20)
        ),
        "batch_10000_leads_per_s_end_to_end": _rates(_median_ms(end_to_end, batch_repeats), len(inputs)),
        "batch_10000_leads_per_s_model_rules": _rates(
            _median_ms(lambda: model.score_frame(frame), batch_repeats), len(inputs)
        ),
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
