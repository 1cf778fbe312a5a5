"""The feature registry and the shared feature-building path."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd

from nlp import BOOLEAN_SIGNALS, CallSignals
from scoring.domain import CallFacts, CompanyFacts, LeadFacts
from scoring.features import (
    CATEGORY_LEVELS,
    FEATURE_NAMES,
    SPECS,
    build_features,
    encode_frame,
    encode_row,
    features_frame,
    frame_digest,
)

NOW = datetime(2025, 3, 1, tzinfo=UTC)


def test_every_call_signal_is_a_feature_with_its_own_sentence() -> None:
    for name in BOOLEAN_SIGNALS:
        spec = SPECS[name]
        assert spec.kind == "bool"
        assert spec.sentence(True) != name.replace("_", " "), f"{name} has no hand-written sentence"
        assert spec.text_absent, name
        assert "_" not in spec.sentence(True) + spec.sentence(False) + spec.sentence(None)


def test_missing_inputs_stay_missing_but_absence_of_calls_counts_as_zero() -> None:
    features = build_features(CompanyFacts(domain="acme.com"), None, [], NOW)
    assert set(features) == set(FEATURE_NAMES)
    assert features["industry"] is None and features["employees"] is None
    assert features["pricing_requested"] is None
    assert features["call_count"] == 0.0 and features["notes_words"] == 0.0
    assert features["company_known"] is True and features["free_mail_domain"] is False


def test_free_mail_and_unknown_industry() -> None:
    features = build_features(CompanyFacts(domain="gmail.com", industry="Underwater basket weaving"), None, [], NOW)
    assert features["free_mail_domain"] is True
    assert features["company_known"] is False
    assert features["industry"] == "other"


def test_calls_aggregate_and_future_calls_are_ignored() -> None:
    calls = [
        CallFacts(1, NOW - timedelta(days=10), "a b c", CallSignals(pricing_requested=True, urgency="low")),
        CallFacts(2, NOW - timedelta(days=2), "d e", CallSignals(urgency="high", competitors=("Twilio", "twilio"))),
        CallFacts(3, NOW + timedelta(days=1), "future", CallSignals(not_interested=True)),
    ]
    features = build_features(None, LeadFacts(title="Chief Technology Officer"), calls, NOW)
    assert features["pricing_requested"] is True
    assert features["not_interested"] is False
    assert features["call_urgency"] == "high"
    assert features["competitor_count"] == 1.0
    assert features["call_count"] == 2.0 and features["notes_words"] == 5.0
    assert features["days_since_last_call"] == 2.0
    assert features["title_seniority"] == "executive"


def test_frame_has_fixed_columns_and_categorical_levels() -> None:
    rows = [
        build_features(CompanyFacts(name="A", industry="Healthcare", employees=50), None, [], NOW),
        {"industry": None, "call_count": None},
    ]
    frame = features_frame(rows)
    assert tuple(frame.columns) == FEATURE_NAMES
    for name, levels in CATEGORY_LEVELS.items():
        assert isinstance(frame[name].dtype, pd.CategoricalDtype)
        assert tuple(frame[name].cat.categories) == levels
    assert frame.loc[1, "call_count"] == 0.0
    assert np.isnan(frame.loc[1, "employees"])


def test_single_row_and_frame_encodings_agree() -> None:
    rows = [
        build_features(
            CompanyFacts(name="A", industry="Logistics", employees=300, description="AI dispatch", country="USA"),
            LeadFacts(email="x@gmail.com", source="Webinar", urgency_level=4),
            [CallFacts(1, NOW, "hello", CallSignals(product_voice_ai=True, urgency="medium", volume_per_month=5e4))],
            NOW,
        ),
        build_features(CompanyFacts(domain="b.io"), None, [], NOW),
    ]
    batch = encode_frame(features_frame(rows))
    singles = np.vstack([encode_row(row) for row in rows])
    np.testing.assert_array_equal(np.isnan(batch), np.isnan(singles))
    np.testing.assert_allclose(np.nan_to_num(batch), np.nan_to_num(singles))


def test_frame_digest_changes_with_data_and_labels() -> None:
    frame = features_frame([build_features(CompanyFacts(name="A"), None, [], NOW)])
    assert frame_digest(frame) == frame_digest(frame.copy())
    assert frame_digest(frame) != frame_digest(frame, [1.0])
