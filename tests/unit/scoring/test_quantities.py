"""Counts, amounts and urgency as sales data carries them, read by documented rules (property tests)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.domain import ScoreInput
from scoring.quantities import parse_count, parse_quantity, parse_urgency

counts = st.integers(min_value=0, max_value=2_000_000)


@given(counts, counts)
def test_a_range_reads_as_its_midpoint_whatever_the_spelling(a: int, b: int) -> None:
    low, high = sorted((a, b))
    for text in (f"{low}-{high}", f"{low:,} - {high:,}", f"between {low} and {high}", f"{low} to {high} employees"):
        assert parse_quantity(text) == (low + high) / 2


@given(counts)
def test_open_ended_and_approximate_counts(n: int) -> None:
    assert parse_quantity(f"{n:,}+") == n == parse_quantity(f"over {n}") == parse_quantity(f"~{n}")
    assert parse_quantity(f"under {n}") == n / 2 == parse_quantity(f"<{n}")
    assert parse_count(f"about {n} people") == n


@given(st.integers(min_value=1, max_value=999), st.sampled_from([("k", 1_000), ("m", 1_000_000)]))
def test_suffixes_and_currency_multiply(n: int, suffix: tuple[str, int]) -> None:
    letter, factor = suffix
    assert parse_quantity(f"${n}{letter.upper()}") == n * factor
    assert parse_quantity(f"{n}{letter}-{2 * n}{letter}") == 1.5 * n * factor


@pytest.mark.parametrize("text", ["lots", "fifty", "50-", "-", "100-50", "1e9", "50..100"])
def test_anything_else_is_refused_with_the_accepted_forms(text: str) -> None:
    with pytest.raises(ValueError, match=r"50-100|ends below"):
        parse_quantity(text)


def test_urgency_words_and_fractions() -> None:
    assert [parse_urgency(t) for t in ("1", "4/5", "High", "urgent", "normal")] == [1, 4, 4, 5, 3]
    with pytest.raises(ValueError, match="not 1-5"):
        parse_urgency("whenever")


def test_the_original_contracts_example_request_is_accepted_verbatim() -> None:
    example = {"company_name": "Acme Corp", "domain": "acme.com", "industry": "SaaS", "employees": "50-100"}
    data = ScoreInput.model_validate(example)
    assert (data.employees, data.employees_text) == (75, "50-100")
    assert ScoreInput.model_validate({**example, "employees": 80}).employees_text is None
    with pytest.raises(ValueError, match="employees: 'many' is not a number or an approximation"):
        ScoreInput.model_validate({**example, "employees": "many"})
