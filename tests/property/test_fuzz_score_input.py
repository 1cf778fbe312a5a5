"""ScoreInput (the API and internal scoring contract) on arbitrary JSON: either a valid, normalised input or a
pydantic ValidationError naming the problem, never any other exception."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from scoring.domain import ScoreInput

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FIELDS = tuple(ScoreInput.model_fields)
INJECTION = ("'; DROP TABLE lead; --", '" OR 1=1 --', "<script>", "../../etc/passwd", "%00", "${jndi:ldap://x}")
scalar = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=300)
    | st.sampled_from(INJECTION)
    | st.tuples(st.sampled_from("a. -"), st.integers(4_990, 5_010)).map(lambda p: p[0] * p[1])
)
json_value = st.recursive(
    scalar,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=8,
)
payload = st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=20), json_value, max_size=10)


@FUZZ
@given(payload)
def test_any_json_object_validates_or_names_the_problem(data: dict[str, Any]) -> None:
    try:
        parsed = ScoreInput.model_validate(data)
    except ValidationError as exc:
        assert exc.errors(), "a refusal must say what is wrong"
        for error in exc.errors():
            assert error["msg"]
        return
    assert parsed.company_name or parsed.domain or parsed.salesforce_lead_id
    assert parsed.urgency_level is None or 1 <= parsed.urgency_level <= 5
    assert parsed.employees is None or parsed.employees >= 0
    assert parsed.domain is None or (parsed.domain == parsed.domain.lower() and " " not in parsed.domain)
    assert ScoreInput.model_validate(parsed.model_dump()) == parsed, "a valid input must round-trip"
