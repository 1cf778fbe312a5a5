"""What each configured Salesforce score field should look like, matching crm_sync/salesforce/metadata
(tests/unit/onboarding checks the two agree) and the values the writeback sends."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import String
from sqlalchemy.types import TypeDecorator

from scoring.domain import Priority, Recommendation
from store.tables import Score
from store.types import table_of

PLAIN_TEXT_AREA_LENGTH = 255
DESCRIBE_TYPES = {
    "Number": "double",
    "Picklist": "picklist",
    "LongTextArea": "textarea",
    "Text": "string",
    "DateTime": "datetime",
}


def _column_length(column: str) -> int:
    column_type = table_of(Score).c[column].type
    if isinstance(column_type, TypeDecorator):  # sqlmodel's AutoString wraps a String
        column_type = column_type.impl_instance
    if not isinstance(column_type, String) or column_type.length is None:
        raise TypeError(f"score column {column} is not a text column with a length")
    return column_type.length


@dataclass(frozen=True)
class FieldExpectation:
    """A score field as the metadata deploys it: metadata type, picklist values, minimum text length."""

    key: str
    metadata_type: str
    picklist: tuple[str, ...] = ()
    min_length: int = 0

    @property
    def describe_type(self) -> str:
        """The type Salesforce's describe reports for a field of `metadata_type`."""
        return DESCRIBE_TYPES[self.metadata_type]

    def samples(self) -> tuple[Any, ...]:
        """Values the writeback may send to this field (every picklist value; the longest texts)."""
        if self.picklist:
            return self.picklist
        if self.metadata_type == "Number":
            return (0, 100)
        if self.metadata_type == "DateTime":
            return (datetime(2025, 1, 31, 12, 30, tzinfo=UTC),)
        return ("x" * max(self.min_length, 1),)


EXPECTED_FIELDS: dict[str, FieldExpectation] = {
    "score": FieldExpectation("score", "Number"),
    "recommendation": FieldExpectation("recommendation", "Picklist", tuple(member.value for member in Recommendation)),
    "voice_ai_fit": FieldExpectation("voice_ai_fit", "Number"),
    "priority": FieldExpectation("priority", "Picklist", tuple(member.value for member in Priority)),
    "reasons": FieldExpectation("reasons", "LongTextArea", min_length=PLAIN_TEXT_AREA_LENGTH + 1),
    "model_version": FieldExpectation("model_version", "Text", min_length=_column_length("model_version")),
    "scored_at": FieldExpectation("scored_at", "DateTime"),
}
