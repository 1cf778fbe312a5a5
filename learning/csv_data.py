"""Reading a CRM export CSV safely: strict UTF-8, label parsing, dates in any common format, type inference.

Every problem is either a `CsvError` with counts (nothing is trained on garbage) or a warning with counts
that the caller shows: missing labels dropped, duplicate ids collapsed, mixed date formats, dropped columns.
Values such as "", "NA", "null", "-" and the CRM form default "Select" count as missing.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

MISSING_TOKENS = frozenset({"", "na", "n/a", "nan", "null", "none", "-", "?", "select", "#n/a"})
POSITIVE_TOKENS = frozenset({"1", "1.0", "true", "yes", "y", "t", "won", "converted", "positive"})
MIN_ROWS = 50
MIN_CLASS_ROWS = 10
MAX_LEVELS = 100
MIN_LEVEL_ROWS = 5
MAX_BAD_DATE_SHARE = 0.05
DATE_FORMATS: tuple[tuple[str, str], ...] = (
    ("YYYYMMDD", "%Y%m%d"),
    ("YYYY-MM-DD", "%Y-%m-%d"),
    ("ISO 8601 date-time", "ISO8601"),
    ("YYYY/MM/DD", "%Y/%m/%d"),
    ("DD/MM/YYYY", "%d/%m/%Y"),
    ("MM/DD/YYYY", "%m/%d/%Y"),
    ("DD.MM.YYYY", "%d.%m.%Y"),
    ("DD-Mon-YYYY", "%d-%b-%Y"),
    ("Mon DD, YYYY", "%b %d, %Y"),
    ("DD/MM/YYYY HH:MM", "%d/%m/%Y %H:%M"),
    ("MM/DD/YYYY HH:MM", "%m/%d/%Y %H:%M"),
)


class CsvError(ValueError):
    """The CSV cannot be used; the message says what is wrong, with counts."""


@dataclass
class CsvTable:
    """A validated CSV: typed features, 0/1 labels, optional ids and dates, and what happened on the way."""

    raw: pd.DataFrame
    features: pd.DataFrame
    y: np.ndarray
    ids: pd.Series | None
    dates: pd.Series | None
    columns: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def read_text(path: Path) -> pd.DataFrame:
    """Read a CSV as strings; CsvError for non-UTF-8 bytes (with where) or an unparseable file."""
    data = Path(path).read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        bad = sum(1 for _ in re.finditer(rb"[\x80-\xff]", data))
        raise CsvError(
            f"{path} is not UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start} (line {line}); "
            f"{bad} non-ASCII bytes in the file. Re-export it as UTF-8."
        ) from None
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise CsvError(f"{path} is not a readable CSV: {exc}") from None
    return frame.apply(lambda column: column.str.strip())


def _missing(series: pd.Series) -> pd.Series:
    return series.isna() | series.str.casefold().isin(MISSING_TOKENS)


def parse_labels(series: pd.Series, positive_values: Sequence[str] | None) -> tuple[pd.Series, list[str]]:
    """0/1 labels (NaN where missing) from a label column; CsvError when the classes are unclear."""
    folded = series.str.casefold().where(~_missing(series))
    counts = folded.value_counts()
    shown = ", ".join(f"{value!r}: {n}" for value, n in counts.items())
    warnings = []
    if positive_values:
        positives = {v.strip().casefold() for v in positive_values}
        unknown = positives - set(counts.index)
        if unknown:
            raise CsvError(f"positive value(s) {sorted(unknown)} do not occur in the label column ({shown})")
        if len(counts) > 2:
            warnings.append(f"label column has {len(counts)} values ({shown}); {sorted(positives)} count as positive")
        labels = folded.isin(positives).astype(float).where(folded.notna())
    else:
        if len(counts) != 2:
            raise CsvError(
                f"label column has {len(counts)} distinct value(s) ({shown or 'none'}); it needs exactly two, "
                "or name the positive ones with --positive-values"
            )
        known = [value for value in counts.index if value in POSITIVE_TOKENS]
        if len(known) != 1:
            raise CsvError(f"cannot tell which label value is positive ({shown}); pass --positive-values")
        labels = (folded == known[0]).astype(float).where(folded.notna())
    return labels, warnings


def parse_dates(series: pd.Series) -> tuple[pd.Series, dict[str, int]]:
    """UTC timestamps from dates in any of DATE_FORMATS (per value), and how many values used each format.

    Slash dates are read day-first or month-first for the whole column, whichever the values allow;
    a column that needs both is ambiguous and refused.
    """
    text = series.where(~_missing(series))
    parsed = pd.Series(pd.NaT, index=series.index, dtype="datetime64[ns, UTC]")
    used: dict[str, int] = {}
    day_first = pd.to_datetime(text, format="%d/%m/%Y", errors="coerce").notna().sum()
    month_first = pd.to_datetime(text, format="%m/%d/%Y", errors="coerce").notna().sum()
    slash = text.str.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}").fillna(False).sum()
    skip = "MM/DD/YYYY" if day_first >= month_first else "DD/MM/YYYY"
    if slash and max(day_first, month_first) < slash:
        raise CsvError(
            f"{slash} slash dates fit neither day-first ({day_first}) nor month-first ({month_first}) throughout; "
            "the column mixes both orders"
        )
    for name, fmt in DATE_FORMATS:
        if name.startswith(skip):
            continue
        todo = parsed.isna() & text.notna()
        if not todo.any():
            break
        attempt = pd.to_datetime(text[todo], format=fmt, errors="coerce", utc=True)
        hits = attempt.notna()
        if hits.any():
            parsed.loc[attempt.index[hits]] = attempt[hits]
            used[name] = int(hits.sum())
    return parsed, used


def _safe_name(index: int, name: str) -> str:
    return f"c{index}_" + re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_")[:40]


def infer_features(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """Typed features (float64 or categorical) under LightGBM-safe names, and each column's fate."""
    out: dict[str, pd.Series] = {}
    fate: dict[str, str] = {}
    n = len(frame)
    for index, name in enumerate(frame.columns):
        values = frame[name].where(~_missing(frame[name]))
        known = values.dropna()
        if known.nunique() <= 1:
            fate[name] = "dropped: constant or empty"
            continue
        numbers = pd.to_numeric(known, errors="coerce")
        if numbers.notna().mean() >= 0.98:
            out[_safe_name(index, name)] = pd.to_numeric(values, errors="coerce").astype("float64")
            fate[name] = "numeric"
            continue
        if known.nunique() > max(MAX_LEVELS, n // 2) or known.nunique() == len(known):
            fate[name] = f"dropped: {known.nunique()} distinct values (identifier or free text)"
            continue
        counts = known.value_counts()
        keep = [level for level, c in counts.items() if c >= MIN_LEVEL_ROWS][:MAX_LEVELS]
        if not keep:
            fate[name] = f"dropped: no value occurs {MIN_LEVEL_ROWS} times"
            continue
        lumped = values.where(values.isin(keep) | values.isna(), "__other__")
        levels = [*keep, "__other__"] if (lumped == "__other__").any() else keep
        out[_safe_name(index, name)] = pd.Series(pd.Categorical(lumped, categories=levels), index=frame.index)
        fate[name] = f"categorical ({len(levels)} levels)"
    return pd.DataFrame(out, index=frame.index), fate


def _require(frame: pd.DataFrame, column: str | None, what: str) -> None:
    if column is not None and column not in frame.columns:
        raise CsvError(f"{what} {column!r} is not in the file; columns are: {', '.join(frame.columns)}")


def load_csv(
    path: Path,
    label_column: str,
    *,
    positive_values: Sequence[str] | None = None,
    id_column: str | None = None,
    drop: Sequence[str] = (),
    date_column: str | None = None,
    min_rows: int = MIN_ROWS,
) -> CsvTable:
    """Read, validate and type a CSV of past leads with outcomes."""
    frame = read_text(path)
    _require(frame, label_column, "label column")
    _require(frame, id_column, "id column")
    _require(frame, date_column, "date column")
    for column in drop:
        _require(frame, column, "column to drop")
    warnings: list[str] = []
    labels, label_warnings = parse_labels(frame[label_column], positive_values)
    warnings += label_warnings
    if labels.isna().any():
        warnings.append(f"{int(labels.isna().sum())} rows without a label were skipped")
    keep = labels.notna()
    if id_column is not None:
        ids = frame[id_column]
        dupes = ids.duplicated(keep="last") & keep
        if dupes.any():
            n_ids = ids[ids.duplicated(keep=False)].nunique()
            warnings.append(f"{n_ids} ids appear more than once ({int(dupes.sum())} extra rows); kept the last row")
            keep &= ~dupes
    dates = None
    if date_column is not None:
        dates, used = parse_dates(frame[date_column])
        if len(used) > 1:
            warnings.append("dates in mixed formats: " + ", ".join(f"{k} {v}" for k, v in used.items()))
        bad = keep & dates.isna()
        if bad.sum() > MAX_BAD_DATE_SHARE * keep.sum():
            examples = ", ".join(repr(v) for v in frame.loc[bad, date_column].head(3))
            raise CsvError(f"{int(bad.sum())} of {int(keep.sum())} dates could not be read (e.g. {examples})")
        if bad.any():
            warnings.append(f"{int(bad.sum())} rows with unreadable dates were skipped")
            keep &= ~bad
    frame, labels = frame[keep].reset_index(drop=True), labels[keep].reset_index(drop=True)
    y = labels.to_numpy(dtype=np.float64)
    positives = int(y.sum())
    if len(y) < min_rows:
        raise CsvError(f"only {len(y)} labelled rows; at least {min_rows} are needed to train and test a model")
    if min(positives, len(y) - positives) < MIN_CLASS_ROWS:
        raise CsvError(
            f"labels are {positives} positive and {len(y) - positives} negative; "
            f"each class needs at least {MIN_CLASS_ROWS} rows"
        )
    excluded = {label_column, *(c for c in (id_column, date_column) if c), *drop}
    features, fate = infer_features(frame[[c for c in frame.columns if c not in excluded]])
    if features.empty:
        raise CsvError("no usable feature columns remain after dropping ids, dates, labels and constant columns")
    dropped = [name for name, how in fate.items() if how.startswith("dropped")]
    if dropped:
        warnings.append(f"{len(dropped)} column(s) not used: " + "; ".join(f"{c} ({fate[c][9:]})" for c in dropped))
    return CsvTable(
        raw=frame,
        features=features,
        y=y,
        ids=frame[id_column] if id_column else None,
        dates=None if dates is None else dates[keep].reset_index(drop=True),
        columns=fate,
        warnings=warnings,
    )
