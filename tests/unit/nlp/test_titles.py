"""company_from_title on common meeting-title shapes."""

from __future__ import annotations

import pytest

from nlp import company_from_title


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Acme <> Telnyx | Intro", "Acme"),
        ("Intro call - Acme Corp", "Acme"),
        ("Telnyx / ACME Inc. discovery", "ACME"),
        ("Telnyx & Globex", "Globex"),
        ("Johnson & Johnson <> Telnyx", "Johnson & Johnson"),
        ("Discovery call with Initech, LLC", "Initech"),
        ("[EXT] Voice AI demo: Hooli", "Hooli"),
        ("Acme x Telnyx - Voice AI POC kickoff", "Acme"),
        ("Acme’s pricing review", "Acme"),
        ("Telnyx Intro", None),
        ("Weekly sync", None),
        ("", None),
    ],
)
def test_company_from_title(title: str, expected: str | None) -> None:
    assert company_from_title(title) == expected


def test_own_names_are_configurable() -> None:
    assert company_from_title("Acme <> Globex | Intro", own_names=("Globex",)) == "Acme"
