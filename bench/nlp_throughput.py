"""Call-signal throughput: notes/s of ~1,500 words through `nlp.pipe`, single-note latency, 1 MB input.

`PYTHONPATH=. python -m bench.nlp_throughput` prints the figures: medians of repeated runs, one process,
one core, the pipeline built once. Wall-clock and CPU-time (`time.process_time`) figures are both reported:
on a shared machine the CPU-time ones show the single-core cost without other processes' interference.
The same-run baseline is `spacy.blank("en")` merely tokenizing the same notes with `nlp.pipe`.

The notes are deliberately signal-dense (60% of their paragraphs are labelled evaluation snippets, the
rest neutral filler), so every note exercises matching, scopes, speakers and evidence quoting.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import spacy
import yaml
from spacy.tokens import Doc

from nlp import SignalExtractor
from nlp.cleaning import clean_text

SNIPPETS = Path(__file__).resolve().parents[1] / "tests" / "data" / "nlp" / "eval_dev.yaml"
FILLER = (
    "We talked through their team structure, current tooling and how calls flow between departments. "
    "The discussion covered onboarding, reporting and a few integration questions about their CRM. "
)
WORDS_PER_NOTE = 1500
SNIPPET_SHARE = 0.6
NOTES = 200
REPEATS = 5
LATENCY_NOTES = 100
LATENCY_PASSES = 3
TARGET_NOTES_PER_S = 200
TARGET_P50_MS = 10.0


def make_notes(count: int, words: int, seed: int = 7) -> list[str]:
    """Deterministic ~`words`-word notes mixing labelled snippets (signals) with neutral filler."""
    rng = random.Random(seed)
    snippets = [item["text"] for item in yaml.safe_load(SNIPPETS.read_text()) if item.get("text")]
    notes = []
    for _ in range(count):
        parts: list[str] = []
        total = 0
        while total < words:
            piece = rng.choice(snippets) if rng.random() < SNIPPET_SHARE else FILLER
            parts.append(piece)
            total += len(piece.split())
        notes.append("\n".join(parts))
    return notes


def _timed(fn: Callable[[], object]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one call."""
    t0, c0 = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - t0, time.process_time() - c0


def _apply(component: Callable[[Doc], Doc], docs: list[Doc]) -> list[Doc]:
    """Run one pipeline component over every document."""
    return [component(doc) for doc in docs]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def stage_breakdown(extractor: SignalExtractor, notes: list[str]) -> dict[str, float]:
    """Median CPU ms per note of each stage (cleaning, tokenizing, each pipe component) over REPEATS runs."""
    nlp = extractor.nlp
    cleaned = [clean_text(n, extractor.max_chars).text for n in notes]
    docs = [nlp.make_doc(text) for text in cleaned]
    stages: dict[str, Callable[[], object]] = {
        "cleaning": lambda: [clean_text(n, extractor.max_chars) for n in notes],
        "tokenizing": lambda: [nlp.make_doc(text) for text in cleaned],
    }
    for name, component in nlp.pipeline:
        for doc in docs:
            component(doc)
        stages[name] = partial(_apply, component, docs)
    per_note = 1000 / len(notes)
    return {
        f"cpu_ms_per_note_{name}": round(statistics.median(_timed(fn)[1] for _ in range(REPEATS)) * per_note, 3)
        for name, fn in stages.items()
    }


def run() -> dict:
    """Measure build time, batch throughput vs. a tokenize-only baseline, single-note latency, a 1 MB input."""
    started = time.perf_counter()
    extractor = SignalExtractor()
    build_s = time.perf_counter() - started
    baseline_nlp = spacy.blank("en")
    notes = make_notes(NOTES, WORDS_PER_NOTE)
    extractor.extract_many(notes[:10])
    list(baseline_nlp.pipe(notes[:10]))
    walls, cpus, base_cpus, ratios = [], [], [], []
    for _ in range(REPEATS):
        wall, cpu = _timed(lambda: extractor.extract_many(notes))
        _, base_cpu = _timed(lambda: list(baseline_nlp.pipe(notes)))
        walls.append(wall)
        cpus.append(cpu)
        base_cpus.append(base_cpu)
        ratios.append(cpu / base_cpu)
    latencies, cpu_latencies = [], []
    for _ in range(LATENCY_PASSES):
        for note in notes[:LATENCY_NOTES]:
            wall, cpu = _timed(partial(extractor.extract, note))
            latencies.append(wall * 1000)
            cpu_latencies.append(cpu * 1000)
    huge = ("Prospect needs SMS and asked for pricing. " + FILLER) * 4000
    huge_wall, huge_cpu = _timed(lambda: extractor.extract(huge[:1_000_000]))
    notes_per_cpu_s = len(notes) / statistics.median(cpus)
    cpu_p50 = statistics.median(cpu_latencies)
    return {
        "pipeline_build_s": round(build_s, 3),
        "notes": len(notes),
        "words_per_note": round(statistics.mean(len(n.split()) for n in notes)),
        "repeats": REPEATS,
        "notes_per_s_pipe_wall_median": round(len(notes) / statistics.median(walls), 1),
        "notes_per_cpu_s_pipe_median": round(notes_per_cpu_s, 1),
        "baseline_blank_en_tokenize_notes_per_cpu_s": round(len(notes) / statistics.median(base_cpus), 1),
        "pipeline_cpu_vs_blank_en_tokenize_ratio": round(statistics.median(ratios), 2),
        "single_note_wall_p50_ms": round(statistics.median(latencies), 2),
        "single_note_wall_p95_ms": round(_percentile(latencies, 0.95), 2),
        "single_note_cpu_p50_ms": round(cpu_p50, 2),
        "single_note_cpu_p95_ms": round(_percentile(cpu_latencies, 0.95), 2),
        **stage_breakdown(extractor, notes),
        "one_mb_input_wall_ms": round(huge_wall * 1000, 1),
        "one_mb_input_cpu_ms": round(huge_cpu * 1000, 1),
        "one_mb_chars_processed": extractor.extract(huge[:1_000_000]).chars_processed,
        "meets_throughput_target_cpu": notes_per_cpu_s >= TARGET_NOTES_PER_S,
        "meets_p50_target_cpu": cpu_p50 < TARGET_P50_MS,
    }


if __name__ == "__main__":
    figures = run()
    width = max(len(k) for k in figures)
    for key, value in figures.items():
        print(f"{key.ljust(width)}  {value}")
