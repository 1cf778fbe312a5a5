"""X Education's public lead export (`../shared/datasets`): where it lies and which columns are SAFE to train on.

SAFE drops the ids, the label and the nine columns the dataset's README marks as leaks or suspect (the sales
team's own judgements and post-outcome activity), leaving what is known before a lead is worked.
"""

from __future__ import annotations

from pathlib import Path

from learning.csv_data import CsvTable, load_csv

DATASET = Path(__file__).resolve().parents[2].parent / "shared" / "datasets" / "x_education_leads.csv"
LEAKY = (
    "Tags", "Lead Quality", "Lead Profile", "Last Activity", "Last Notable Activity", "Asymmetrique Activity Index",
    "Asymmetrique Profile Index", "Asymmetrique Activity Score", "Asymmetrique Profile Score",
)  # fmt: skip


def load_safe(path: Path = DATASET) -> CsvTable:
    """The export with its SAFE columns, labelled by `Converted`."""
    return load_csv(path, "Converted", id_column="Prospect ID", drop=["Lead Number", *LEAKY])
