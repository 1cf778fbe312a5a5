"""SignalExtractor behaviour: speakers, transcripts, batching, the shared instance, lexicon validation."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

import nlp.extractor as extractor_module
from nlp import SignalExtractor, extract_signals
from nlp.lexicon import DATA_DIR, LexiconError, load_lexicon

TRANSCRIPT = [
    {
        "speaker": "Sam Lee (Telnyx)",
        "text": "Hi, I'm Sam from Telnyx. We offer IoT SIMs and messaging.",
        "start_time": 0,
        "end_time": 5,
    },
    {
        "speaker": "Dana Fox",
        "text": "We need AI voice agents for our support line, maybe 50k minutes a month.",
        "start_time": 5,
        "end_time": 11,
    },
    {"speaker": "Sam Lee (Telnyx)", "text": "Great.", "start_time": 11, "end_time": 12},
]


def test_transcript_roles_talk_ratio_and_offsets(extractor: SignalExtractor) -> None:
    result = extractor.extract("", transcript=TRANSCRIPT)
    assert result.product_voice_ai
    assert not result.product_wireless and not result.product_messaging
    assert result.volume_per_month == 50000 and result.volume_unit == "minutes"
    assert result.prospect_talk_ratio is not None and 0.2 < result.prospect_talk_ratio < 0.8
    ev = next(e for e in result.evidence if e.signal == "product_voice_ai")
    assert ev.speaker == "Dana Fox"


def test_notes_and_transcript_offsets_index_the_rendered_document(extractor: SignalExtractor) -> None:
    from nlp.transcripts import render_document

    notes = "Budget approved."
    document, _ = render_document(notes, TRANSCRIPT)
    result = extractor.extract(notes, transcript=TRANSCRIPT)
    assert document.startswith(notes)
    for ev in result.evidence:
        assert " ".join(document[ev.start : ev.end].split()) == ev.quote


def test_rep_pitch_declined_is_not_interest(extractor: SignalExtractor) -> None:
    text = "Rep: Would an AI voice agent help?\nProspect: No, we're happy with our human agents."
    result = extractor.extract(text)
    assert not result.product_voice_ai and result.not_interested


def test_affirmed_pitch_counts(extractor: SignalExtractor) -> None:
    text = "Rep: Would an AI voice agent help?\nProspect: Yes, that's exactly what we need."
    result = extractor.extract(text)
    assert result.product_voice_ai and not result.not_interested


def test_title_counts_when_notes_are_silent(extractor: SignalExtractor) -> None:
    result = extractor.extract("Good intro call.", "Acme <> Telnyx | Voice AI POC kickoff")
    assert result.product_voice_ai and result.trial_or_poc
    assert any(e.speaker == "(meeting title)" for e in result.evidence)


def test_extract_many_matches_extract(extractor: SignalExtractor) -> None:
    texts = ["Need SMS asap.", "", "No budget. Not interested.", "CTO joined; demo booked for Friday."]
    assert extractor.extract_many(texts) == [extractor.extract(t) for t in texts]


def test_shared_extractor_is_built_once_across_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extractor_module, "_DEFAULT", None)
    built: list[object] = []
    real_init = SignalExtractor.__init__

    def counting_init(self: SignalExtractor, *args: object, **kwargs: object) -> None:
        built.append(self)
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(SignalExtractor, "__init__", counting_init)
    seen: list[object] = []
    threads = [threading.Thread(target=lambda: seen.append(extractor_module.default_extractor())) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(built) == 1 and all(obj is seen[0] for obj in seen)
    assert extract_signals("They need SIP trunking.").product_voice


def test_custom_own_company_name() -> None:
    ours = SignalExtractor(own_company_names=("Acme Voice",), own_domains=("acmevoice.io",))
    text = "Lee (Acme Voice): We sell SMS.\nKim (Globex): We need SIP trunks."
    result = ours.extract(text)
    assert result.product_voice and not result.product_messaging


def test_lexicon_typos_fail_loudly(tmp_path: Path) -> None:
    shutil.copytree(DATA_DIR, tmp_path / "data")
    signals = tmp_path / "data" / "signals.yaml"
    signals.write_text(signals.read_text().replace("pain_point:", "pain_pointz:", 1))
    with pytest.raises(LexiconError):
        load_lexicon(tmp_path / "data")


def test_rejects_non_positive_cap() -> None:
    with pytest.raises(ValueError):
        SignalExtractor(max_chars=0)
