"""Call-signal throughput: notes/s of ~1,500 words through `nlp.pipe`, single-note latency, 1 MB input.

`python -m bench.nlp_throughput` prints the figures (medians of repeated runs, one process, one core).
Wall-clock and CPU-time figures are both reported: on a shared machine the CPU-time ones show the
single-core cost without other processes' interference.
"""

from __future__ import annotations

import random
import statistics
import time
from pathlib import Path

import yaml

from nlp import SignalExtractor

SNIPPETS = Path(__file__).resolve().parents[1] / "tests" / "data" / "nlp" / "eval_dev.yaml"
FILLER = (
    "We talked through their team structure, current tooling and how calls flow between departments. "
    "The discussion covered onboarding, reporting and a few integration questions about their CRM. "
)
WORDS_PER_NOTE = 1500
NOTES = 200
REPEATS = 3


def make_notes(count: int, words: int, seed: int = 7) -> list[str]:
    """Deterministic ~`words`-word notes mixing labelled snippets (signals) with neutral filler."""
    rng = random.Random(seed)
    snippets = [item["text"] for item in yaml.safe_load(SNIPPETS.read_text()) if item.get("text")]
    notes = []
    for _ in range(count):
        parts: list[str] = []
        total = 0
        while total < words:
            piece = rng.choice(snippets) if rng.random() < 0.6 else FILLER
            parts.append(piece)
            total += len(piece.split())
        notes.append("\n".join(parts))
    return notes


def run() -> dict:
    """Measure build time, batch throughput, single-note latency and a 1 MB input; return the figures."""
    started = time.perf_counter()
    extractor = SignalExtractor()
    build_s = time.perf_counter() - started
    notes = make_notes(NOTES, WORDS_PER_NOTE)
    extractor.extract_many(notes[:10])
    rates, cpu_rates = [], []
    for _ in range(REPEATS):
        t0, c0 = time.perf_counter(), time.process_time()
        extractor.extract_many(notes)
        rates.append(len(notes) / (time.perf_counter() - t0))
        cpu_rates.append(len(notes) / (time.process_time() - c0))
    latencies, cpu_latencies = [], []
    for note in notes[:100]:
        t0, c0 = time.perf_counter(), time.process_time()
        extractor.extract(note)
        latencies.append((time.perf_counter() - t0) * 1000)
        cpu_latencies.append((time.process_time() - c0) * 1000)
    latencies.sort()
    huge = ("Prospect needs SMS and asked for pricing. " + FILLER) * 4000
    t0 = time.perf_counter()
    result = extractor.extract(huge[:1_000_000])
    huge_ms = (time.perf_counter() - t0) * 1000
    return {
        "pipeline_build_s": round(build_s, 3),
        "words_per_note": round(statistics.mean(len(n.split()) for n in notes)),
        "notes_per_s_pipe_median": round(statistics.median(rates), 1),
        "notes_per_cpu_s_pipe_median": round(statistics.median(cpu_rates), 1),
        "single_note_p50_ms": round(latencies[len(latencies) // 2], 2),
        "single_note_p95_ms": round(latencies[int(len(latencies) * 0.95) - 1], 2),
        "single_note_cpu_p50_ms": round(statistics.median(cpu_latencies), 2),
        "one_mb_input_ms": round(huge_ms, 1),
        "one_mb_chars_processed": result.chars_processed,
    }


if __name__ == "__main__":
    figures = run()
    width = max(len(k) for k in figures)
    for key, value in figures.items():
        print(f"{key.ljust(width)}  {value}")
