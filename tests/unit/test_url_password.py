"""Database URLs are read without SQLAlchemy at start-up: the masking and backend check agree with SQLAlchemy's."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import make_url

from config.validation import check_database_url, hide_url_password

URLS = [
    "postgresql+psycopg://user:s3cret@db.internal:5432/fellow",
    "postgresql://u:p/ss@h/db",
    "postgresql://:pw@h/db",
    "postgresql+psycopg://user:p%40ss@h/db?sslmode=require",
    "postgresql://user@host/db",
    "sqlite:///data/fellow.db",
    "sqlite://",
]


@pytest.mark.parametrize("url", URLS)
def test_masking_matches_sqlalchemy(url: str) -> None:
    assert hide_url_password(url) == make_url(url).render_as_string(hide_password=True)


@pytest.mark.parametrize("url", URLS)
def test_no_password_survives(url: str) -> None:
    password = make_url(url).password
    if password:
        assert password not in hide_url_password(url)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("data/fellow.db", "is not a SQLAlchemy URL"),
        ("mysql+pymysql://u:hunter2@h/db", "backend 'mysql' is not supported"),
        ("postgresql//u:hunter2@h/db", "is not a SQLAlchemy URL"),
    ],
)
def test_bad_urls_are_refused_without_showing_the_password(url: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as refused:
        check_database_url(url)
    assert "hunter2" not in str(refused.value)


@pytest.mark.parametrize("url", ["sqlite:///x.db", "postgresql+psycopg://u@h/db", "postgresql://h/db"])
def test_supported_urls_pass(url: str) -> None:
    assert check_database_url(url) == url
