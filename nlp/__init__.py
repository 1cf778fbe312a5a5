"""Call signals from Fellow notes and transcripts: a rule-based spaCy pipeline with evidence spans."""

from nlp.domain import BOOLEAN_SIGNALS, URGENCY_LEVELS, CallSignals, Evidence
from nlp.extractor import SignalExtractor, extract_signals
from nlp.titles import company_from_title

__all__ = [
    "BOOLEAN_SIGNALS",
    "URGENCY_LEVELS",
    "CallSignals",
    "Evidence",
    "SignalExtractor",
    "company_from_title",
    "extract_signals",
]
