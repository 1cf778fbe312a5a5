"""The dashboard's lexicon suggestions page: newest review file, escaped, behind the dashboard sign-in."""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from config import Settings
from nlp.suggest import Suggestion, write_patch
from tests.integration.admin_api.conftest import API_KEY, app, extractor, retrain_calls, settings

__all__ = ["app", "extractor", "retrain_calls", "settings"]  # fixtures shared with the admin API tests
AUTH = {"authorization": f"Bearer {API_KEY}"}


def _write(settings: Settings, name: str, phrase: str, mtime: int) -> Path:
    suggestion = Suggestion(phrase, "progressed", 7, 0.9, 0.4, 2.2, ("money is <b>set aside</b>",), "budget_confirmed")
    path = write_patch([suggestion], Path(settings.data_dir) / "suggestions" / name)
    os.utime(path, (mtime, mtime))
    return path


def test_page_lists_the_newest_file_escaped(app: FastAPI, settings: Settings) -> None:
    _write(settings, "lexicon-suggestions-old.yaml", "old phrase", 1_000)
    _write(settings, "lexicon-suggestions-new.yaml", "<script>x</script> set aside", 2_000)
    with TestClient(app) as client:
        page = client.get("/dashboard/suggestions", headers=AUTH)
    assert page.status_code == 200
    assert "lexicon-suggestions-new.yaml" in page.text and "old phrase" not in page.text
    assert "&lt;script&gt;x&lt;/script&gt; set aside" in page.text and "<script>x" not in page.text
    assert "budget_confirmed" in page.text and "<td>7</td>" in page.text
    assert "money is &lt;b&gt;set aside&lt;/b&gt;" in page.text


def test_page_without_files_or_with_a_broken_file_says_so(app: FastAPI, settings: Settings) -> None:
    with TestClient(app) as client:
        assert "fellow nlp suggest" in client.get("/dashboard/suggestions", headers=AUTH).text
        broken = Path(settings.data_dir) / "suggestions" / "broken.yaml"
        broken.parent.mkdir(parents=True, exist_ok=True)
        broken.write_text("proposals: [unclosed", encoding="utf-8")
        assert "not a suggestions file" in client.get("/dashboard/suggestions", headers=AUTH).text


def test_page_requires_sign_in(app: FastAPI) -> None:
    with TestClient(app) as client:
        response = client.get("/dashboard/suggestions", follow_redirects=False)
    assert response.status_code in (302, 303, 307) and "/dashboard/login" in response.headers["location"]


def test_page_hides_internal_tokens_and_spells_out_the_support(app: FastAPI, settings: Settings) -> None:
    kept = Suggestion("set aside", "progressed", 10, 0.9, 0.4, 2.2, ("money is set aside", "budget set aside"), None)
    internal = Suggestion("NOT_looks", "feedback:wrong_fit", 8, 0.8, 0.2, 3.0, ("it NOT_looks",), None)
    pronoun = Suggestion("we'll", "not_progressed", 9, 0.7, 0.5, 1.4, ("we'll see",), None)
    write_patch([kept, internal, pronoun], Path(settings.data_dir) / "suggestions" / "s.yaml")
    with TestClient(app) as client:
        page = client.get("/dashboard/suggestions", headers=AUTH).text
    assert "set aside" in page and "NOT_looks" not in page and "we&#39;ll" not in page and "we'll" not in page
    assert "9 of 10 leads whose notes say it (90%) vs 40% of all leads" in page and "lift 2.2×" in page
    assert "“budget set aside”" in page and "2 phrases made only of names" in page
