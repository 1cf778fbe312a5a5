"""15-character Salesforce Ids are accepted wherever 18-character ones are, converted as Salesforce does."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.command import parse_qualify
from crm_sync.salesforce.inbound import lead_id_from
from scoring.domain import ScoreInput
from store.normalize import salesforce_id18

# Pairs as Salesforce shows them (the 18-character form is what the API returns).
KNOWN = [
    ("001A0000006Vm9r", "001A0000006Vm9rIAC"),
    ("00Q5e00000AbCdE", "00Q5e00000AbCdEEAV"),
    ("0015000000Gv7qJ", "0015000000Gv7qJAAR"),
]
ID15 = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=15, max_size=15)


@pytest.mark.parametrize(("short", "full"), KNOWN)
def test_known_ids_get_salesforces_suffix(short: str, full: str) -> None:
    assert salesforce_id18(short) == full and salesforce_id18(full) == full


@given(ID15)
def test_the_suffix_keeps_the_id_and_tells_case_apart(short: str) -> None:
    full = salesforce_id18(short)
    assert len(full) == 18 and full.startswith(short) and salesforce_id18(full) == full
    if short.lower() != short:
        assert salesforce_id18(short.lower()) != full  # ids differing only in case are different records


@pytest.mark.parametrize("bad", ["", "00Q123", "00Q5e00000AbCdE1", "00Q5e00000AbCdE!", "00Q5e00000AbCdEEAVx"])
def test_anything_else_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="Salesforce Id"):
        salesforce_id18(bad)


def test_qualify_accepts_a_15_character_lead_id_and_url() -> None:
    assert parse_qualify("00Q5e00000AbCdE").value == "00Q5e00000AbCdEEAV"
    url = "https://acme.lightning.force.com/lightning/r/Lead/00Q5e00000AbCdE/view"
    assert parse_qualify(url).value == "00Q5e00000AbCdEEAV"


def test_score_input_and_the_lead_webhook_store_the_18_character_form() -> None:
    assert ScoreInput(salesforce_lead_id="00Q5e00000AbCdE").salesforce_lead_id == "00Q5e00000AbCdEEAV"
    assert lead_id_from({"lead_id": "00Q5e00000AbCdE"}) == "00Q5e00000AbCdEEAV"
