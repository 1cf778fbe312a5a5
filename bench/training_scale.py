"""How training cost grows with data: both models trained on 10,000 / 50,000 / 100,000 labelled sample leads.

Call signals are left empty (CallSignals.empty()) so the figure isolates the trainer (feature encoding,
LightGBM, calibration) from the spaCy extraction that `training_time` already measures on 50,000 leads with
signals. Each size is trained REPEATS times; the median wall-clock and CPU seconds are reported, and the growth
ratio is against the 10,000-lead run of the same process (same machine state).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence

from admin_api.demo.sample_data import generate_sample
from admin_api.demo.snapshots import sample_snapshots
from config.sections import LearningSection
from learning.bundles import train_bundle
from learning.table import CallRecord, build_table
from learning.training import TrainConfig
from nlp import CallSignals

SIZES = (10_000, 50_000, 100_000)
REPEATS = 2


def no_signals(calls: Sequence[CallRecord]) -> list[CallSignals]:
    """A signal reader that reads nothing (isolates training cost from NLP cost)."""
    return [CallSignals.empty() for _ in calls]


def train_seconds(n_leads: int, learning: LearningSection) -> tuple[int, float, float]:
    """(labelled rows, median wall seconds, median CPU seconds) to train both models on `n_leads` sample leads."""
    table = build_table(sample_snapshots(generate_sample(n_leads, seed=11), learning), no_signals, max_calls=5)
    train, _ = table.time_split(learning.test_fraction)
    walls, cpus = [], []
    for _ in range(REPEATS):
        wall, cpu = time.perf_counter(), time.process_time()
        train_bundle(train, learning=learning, config=TrainConfig(num_threads=2))
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return len(train), statistics.median(walls), statistics.median(cpus)


def run() -> dict[str, float | int]:
    """Training wall/CPU seconds per size and the growth against the smallest size."""
    learning = LearningSection()
    figures: dict[str, float | int] = {}
    base_cpu = None
    for n in SIZES:
        rows, wall, cpu = train_seconds(n, learning)
        base_cpu = base_cpu or cpu
        figures[f"leads_{n}_train_rows"] = rows
        figures[f"leads_{n}_wall_seconds"] = round(wall, 2)
        figures[f"leads_{n}_cpu_seconds"] = round(cpu, 2)
        figures[f"leads_{n}_cpu_vs_10k"] = round(cpu / base_cpu, 2)
    return figures
