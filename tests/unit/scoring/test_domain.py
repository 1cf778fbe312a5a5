"""ScoreInput validation: the bad inputs from the scoring issue give clear errors."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from scoring.domain import ScoreInput


def _error(**kwargs: object) -> str:
    with pytest.raises(ValidationError) as info:
        ScoreInput(**kwargs)
    return str(info.value)


def test_domain_is_normalised() -> None:
    assert ScoreInput(domain="https://www.Acme.COM/pricing?x=1").domain == "acme.com"
    assert ScoreInput(domain="jane@Acme.com").domain == "acme.com"


def test_identity_is_required() -> None:
    assert "at least one of company_name, domain or salesforce_lead_id" in _error(industry="Healthcare")
    assert "at least one of" in _error(company_name="   ")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"domain": "not a domain"}, "not a valid domain"),
        ({"domain": "a.com", "employees": 10**9}, "between 0 and 5,000,000"),
        ({"domain": "a.com", "employees": -3}, "between 0 and 5,000,000"),
        ({"domain": "a.com", "employees": True}, "whole number"),
        ({"domain": "a.com", "urgency_level": 0}, "from 1 (low) to 5"),
        ({"domain": "a.com", "urgency_level": 9}, "from 1 (low) to 5"),
        ({"domain": "a.com", "salesforce_lead_id": "123"}, "15- or 18-character"),
        ({"domain": "a.com", "company_name": "x" * 201}, "at most 200 characters"),
        ({"domain": "a.com", "unexpected": 1}, "Extra inputs are not permitted"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(kwargs: dict[str, object], message: str) -> None:
    assert message in _error(**kwargs)


def test_salesforce_id_alone_is_enough() -> None:
    assert ScoreInput(salesforce_lead_id="00Q5e00000ABCDE").salesforce_lead_id == "00Q5e00000ABCDEEA5"
