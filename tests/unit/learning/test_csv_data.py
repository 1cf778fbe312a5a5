"""Bad CSVs fail with a clear message or warn with counts; good ones are typed sensibly."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from learning.csv_data import CsvError, load_csv, parse_dates


def _write(tmp_path: Path, rows: list[str], name: str = "leads.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _good_rows(n: int = 80) -> list[str]:
    rows = ["id,source,visits,won,created"]
    for i in range(n):
        rows.append(f"{i},{'web' if i % 3 else 'partner'},{i % 7},{'yes' if i % 2 else 'no'},2024-01-{1 + i % 28:02d}")
    return rows


def test_good_file_is_typed(tmp_path: Path) -> None:
    table = load_csv(_write(tmp_path, _good_rows()), "won", id_column="id", date_column="created")
    assert table.columns == {"source": "categorical (2 levels)", "visits": "numeric"}
    assert table.y.sum() == 40 and len(table.y) == 80 and table.dates is not None


def test_missing_label_column(tmp_path: Path) -> None:
    with pytest.raises(CsvError, match="label column 'Converted' is not in the file; columns are: id, source"):
        load_csv(_write(tmp_path, _good_rows()), "Converted")


def test_three_valued_label_needs_positive_values(tmp_path: Path) -> None:
    rows = [r.replace(",yes,", ",maybe,") if i % 5 == 0 else r for i, r in enumerate(_good_rows())]
    with pytest.raises(CsvError, match=r"3 distinct value\(s\) \('no': \d+, 'yes': \d+, 'maybe': \d+\)"):
        load_csv(_write(tmp_path, rows), "won")
    table = load_csv(_write(tmp_path, rows), "won", positive_values=["yes", "maybe"])
    assert any("3 values" in w for w in table.warnings)


def test_one_class_and_too_few_rows(tmp_path: Path) -> None:
    one_class = [r.replace(",no,", ",yes,") for r in _good_rows()]
    with pytest.raises(CsvError, match="1 distinct value"):
        load_csv(_write(tmp_path, one_class), "won")
    with pytest.raises(CsvError, match="only 20 labelled rows; at least 50"):
        load_csv(_write(tmp_path, _good_rows(20)), "won")


def test_non_utf8_bytes_are_refused_with_position(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("\n".join(_good_rows()).replace("partner", "partnér").encode("latin-1"))
    with pytest.raises(CsvError, match=r"not UTF-8: byte 0xe9 at offset \d+ \(line 2\)"):
        load_csv(path, "won")


def test_duplicate_ids_warn_with_counts_and_keep_the_last(tmp_path: Path) -> None:
    rows = [*_good_rows(), "3,web,1,yes,2024-02-01", "4,web,1,no,2024-02-01"]
    table = load_csv(_write(tmp_path, rows), "won", id_column="id")
    assert "2 ids appear more than once (2 extra rows); kept the last row" in table.warnings
    assert len(table.y) == 80


def test_mixed_date_formats_warn_with_counts() -> None:
    import pandas as pd

    parsed, used = parse_dates(pd.Series(["2024-01-05", "20240106", "31/01/2024", "2024-01-07", "not a date"]))
    assert used == {"YYYYMMDD": 1, "YYYY-MM-DD": 2, "DD/MM/YYYY": 1}
    assert parsed.isna().sum() == 1 and str(parsed[1].date()) == "2024-01-06"


def test_unreadable_dates_beyond_tolerance_fail(tmp_path: Path) -> None:
    rows = [r.replace(",2024-01-", ",soon-") if i % 4 == 0 else r for i, r in enumerate(_good_rows())]
    with pytest.raises(CsvError, match=r"\d+ of 80 dates could not be read"):
        load_csv(_write(tmp_path, rows), "won", date_column="created")


def test_select_counts_as_missing_and_identifiers_are_dropped(tmp_path: Path) -> None:
    rows = ["email,city,won"] + [f"p{i}@x.com,{'Select' if i % 2 else 'Pune'},{i % 2}" for i in range(60)]
    rows += [f"q{i}@x.com,Mumbai,{i % 2}" for i in range(20)]
    table = load_csv(_write(tmp_path, rows), "won")
    assert table.columns["email"].startswith("dropped: 80 distinct values")
    city = table.features.iloc[:, 0]
    assert city.isna().sum() == 30 and set(city.dropna().unique()) == {"Pune", "Mumbai"}
    assert np.isclose(table.y.mean(), 0.5)
