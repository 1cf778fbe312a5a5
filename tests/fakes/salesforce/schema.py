"""Object schemas of the fake org (Lead, Opportunity, Account), their describe JSON, and value codecs."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from tests.fakes.salesforce.ids import KEY_PREFIXES

STRING_TYPES = frozenset({"id", "string", "textarea", "email", "url", "phone", "picklist", "reference"})
NUMBER_TYPES = frozenset({"double", "int", "currency", "percent"})
LEAD_STATUSES = ("Open - Not Contacted", "Working - Contacted", "Closed - Converted", "Closed - Not Converted")
OPPORTUNITY_STAGES = (
    "Prospecting",
    "Qualification",
    "Needs Analysis",
    "Value Proposition",
    "Id. Decision Makers",
    "Perception Analysis",
    "Proposal/Price Quote",
    "Negotiation/Review",
    "Closed Won",
    "Closed Lost",
)
SCORE_FIELDS = (
    "Fellow_Qualification_Score__c",
    "Fellow_Recommendation__c",
    "Fellow_Voice_AI_Fit__c",
    "Fellow_Priority__c",
    "Fellow_Score_Reasons__c",
    "Fellow_Model_Version__c",
    "Fellow_Scored_At__c",
)


@dataclass(frozen=True)
class FieldSpec:
    """One field as describe reports it; drives query validation and write checks."""

    name: str
    type: str
    length: int = 0
    updateable: bool = True
    picklist: tuple[str, ...] = ()
    restricted: bool = False
    reference_to: str | None = None
    relationship_name: str | None = None

    @property
    def custom(self) -> bool:
        """Custom fields end in __c."""
        return self.name.endswith("__c")

    def describe(self) -> dict[str, Any]:
        """The field entry of sobjects/<Object>/describe."""
        return {
            "name": self.name,
            "label": self.name.removesuffix("__c").replace("_", " "),
            "type": self.type,
            "length": self.length,
            "updateable": self.updateable,
            "createable": self.updateable,
            "nillable": self.type not in ("boolean", "id"),
            "custom": self.custom,
            "calculated": False,
            "filterable": True,
            "sortable": self.type != "textarea",
            "restrictedPicklist": self.restricted,
            "picklistValues": [
                {"active": True, "defaultValue": False, "label": v, "value": v, "validFor": None} for v in self.picklist
            ],
            "referenceTo": [self.reference_to] if self.reference_to else [],
            "relationshipName": self.relationship_name,
            "precision": 18 if self.type in NUMBER_TYPES else 0,
            "scale": 2 if self.type in ("currency", "double") else 0,
        }


def _ro(name: str, type_: str, **kw: Any) -> FieldSpec:
    return FieldSpec(name, type_, updateable=False, **kw)


def _system_fields() -> list[FieldSpec]:
    return [
        _ro("Id", "id", length=18),
        _ro("IsDeleted", "boolean"),
        _ro("CreatedDate", "datetime"),
        _ro("LastModifiedDate", "datetime"),
        _ro("SystemModstamp", "datetime"),
        _ro("CreatedById", "reference", length=18, reference_to="User", relationship_name="CreatedBy"),
        _ro("LastModifiedById", "reference", length=18, reference_to="User", relationship_name="LastModifiedBy"),
    ]


def default_schemas() -> dict[str, dict[str, FieldSpec]]:
    """Fresh, mutable-by-replacement schemas: Lead, Opportunity, Account, LeadHistory (Status tracked), Product2 and
    OpportunityLineItem (line items name their product, whose Family some orgs use to mark a deal's kind)."""
    lead = [
        *_system_fields(),
        FieldSpec("FirstName", "string", 40),
        FieldSpec("LastName", "string", 80),
        _ro("Name", "string", length=121),
        FieldSpec("Company", "string", 255),
        FieldSpec("Title", "string", 128),
        FieldSpec("Email", "email", 80),
        FieldSpec("Phone", "phone", 40),
        FieldSpec("Website", "url", 255),
        FieldSpec("Industry", "picklist", 255, picklist=("Telecommunications", "Technology", "Retail", "Finance")),
        FieldSpec("NumberOfEmployees", "int"),
        FieldSpec("AnnualRevenue", "currency"),
        FieldSpec("City", "string", 40),
        FieldSpec("State", "string", 80),
        FieldSpec("Country", "string", 80),
        FieldSpec("LeadSource", "picklist", 255, picklist=("Web", "Phone Inquiry", "Partner Referral", "Other")),
        FieldSpec("Status", "picklist", 255, picklist=LEAD_STATUSES, restricted=True),
        FieldSpec("Description", "textarea", 32000),
        FieldSpec("OwnerId", "reference", 18, reference_to="User", relationship_name="Owner"),
        _ro("IsConverted", "boolean"),
        _ro("ConvertedDate", "date"),
        _ro("ConvertedAccountId", "reference", length=18, reference_to="Account", relationship_name="ConvertedAccount"),
        _ro(
            "ConvertedOpportunityId",
            "reference",
            length=18,
            reference_to="Opportunity",
            relationship_name="ConvertedOpportunity",
        ),
        FieldSpec("Fellow_Qualification_Score__c", "double"),
        FieldSpec("Fellow_Recommendation__c", "string", 255),
        FieldSpec("Fellow_Voice_AI_Fit__c", "string", 255),
        FieldSpec("Fellow_Priority__c", "string", 255),
        FieldSpec("Fellow_Score_Reasons__c", "textarea", 255),
        FieldSpec("Fellow_Model_Version__c", "string", 80),
        FieldSpec("Fellow_Scored_At__c", "datetime"),
    ]
    opportunity = [
        *_system_fields(),
        FieldSpec("Name", "string", 120),
        FieldSpec("AccountId", "reference", 18, reference_to="Account", relationship_name="Account"),
        FieldSpec("StageName", "picklist", 255, picklist=OPPORTUNITY_STAGES, restricted=True),
        FieldSpec("Amount", "currency"),
        FieldSpec("CloseDate", "date"),
        FieldSpec("Probability", "percent"),
        FieldSpec("LeadSource", "picklist", 255, picklist=("Web", "Phone Inquiry", "Partner Referral", "Other")),
        _ro("IsClosed", "boolean"),
        _ro("IsWon", "boolean"),
    ]
    account = [
        *_system_fields(),
        FieldSpec("Name", "string", 255),
        FieldSpec("Website", "url", 255),
        FieldSpec("Industry", "picklist", 255),
        FieldSpec("NumberOfEmployees", "int"),
    ]
    lead_history = [
        _ro("Id", "id", length=18),
        _ro("IsDeleted", "boolean"),
        _ro("CreatedDate", "datetime"),
        _ro("CreatedById", "reference", length=18, reference_to="User", relationship_name="CreatedBy"),
        _ro("LeadId", "reference", length=18, reference_to="Lead", relationship_name="Lead"),
        _ro("Field", "picklist", length=255),
        _ro("OldValue", "string", length=255),
        _ro("NewValue", "string", length=255),
    ]
    product = [*_system_fields(), FieldSpec("Name", "string", 255), FieldSpec("Family", "picklist", 255)]
    line_item = [
        *_system_fields(),
        FieldSpec("OpportunityId", "reference", 18, reference_to="Opportunity", relationship_name="Opportunity"),
        FieldSpec("Product2Id", "reference", 18, reference_to="Product2", relationship_name="Product2"),
        FieldSpec("Quantity", "double"),
        FieldSpec("UnitPrice", "currency"),
    ]
    return {
        "Product2": {f.name: f for f in product},
        "OpportunityLineItem": {f.name: f for f in line_item},
        "Lead": {f.name: f for f in lead},
        "Opportunity": {f.name: f for f in opportunity},
        "Account": {f.name: f for f in account},
        "LeadHistory": {f.name: f for f in lead_history},
    }


def describe_object(sobject: str, fields: dict[str, FieldSpec], version: str) -> dict[str, Any]:
    """The body of GET sobjects/<Object>/describe."""
    base = f"/services/data/v{version}/sobjects/{sobject}"
    return {
        "name": sobject,
        "label": sobject,
        "custom": False,
        "keyPrefix": KEY_PREFIXES.get(sobject),
        "queryable": True,
        "updateable": True,
        "createable": True,
        "fields": [f.describe() for f in fields.values()],
        "urls": {"sobject": base, "describe": f"{base}/describe", "rowTemplate": f"{base}/{{ID}}"},
    }


def format_value(spec: FieldSpec | None, value: Any) -> Any:
    """Python value -> JSON as Salesforce returns it (datetimes as 2024-01-01T00:00:00.000+0000)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}+0000"
    if isinstance(value, date):
        return value.isoformat()
    return value


def parse_datetime(text: str) -> datetime:
    """Parse Salesforce/ISO datetimes ("Z", "+0000", "+00:00", optional milliseconds) to aware UTC."""
    cleaned = text.strip().replace("Z", "+00:00")
    if len(cleaned) >= 5 and cleaned[-5] in "+-" and cleaned[-3] != ":":
        cleaned = f"{cleaned[:-2]}:{cleaned[-2:]}"
    parsed = datetime.fromisoformat(cleaned)
    if parsed.tzinfo is None:
        raise ValueError(f"datetime without zone: {text!r}")
    return parsed.astimezone(UTC)


def coerce_input(spec: FieldSpec, value: Any) -> Any:
    """JSON value written by a client -> stored Python value; ValueError when the type does not fit."""
    if value is None:
        return None
    if spec.type == "datetime":
        return parse_datetime(value) if isinstance(value, str) else _fail(spec, value)
    if spec.type == "date":
        return date.fromisoformat(value) if isinstance(value, str) else _fail(spec, value)
    if spec.type == "boolean":
        return value if isinstance(value, bool) else _fail(spec, value)
    if spec.type in NUMBER_TYPES:
        if isinstance(value, bool) or not isinstance(value, int | float):
            _fail(spec, value)
        return int(value) if spec.type == "int" else float(value)
    return value if isinstance(value, str) else _fail(spec, value)


def _fail(spec: FieldSpec, value: Any) -> Any:
    raise ValueError(f"Cannot deserialize instance of {spec.type} from {type(value).__name__} value {value!r}")


def with_changes(spec: FieldSpec, **changes: Any) -> FieldSpec:
    """A copy of a field spec with some attributes changed (e.g. updateable=False)."""
    return replace(spec, **changes)
