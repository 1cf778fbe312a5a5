"""Assemble every doctor check from Settings: local (database, models, scheduler), then Slack, Salesforce
and Fellow. Integrations are built with one retry at most, so a broken service is reported, not waited out."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from admin_api.cli.doctor.canvas import canvas_checks
from admin_api.cli.doctor.database import DatabaseProbe, local_checks
from admin_api.cli.doctor.domain import Check
from admin_api.cli.doctor.fellow import fellow_checks
from admin_api.cli.doctor.salesforce import salesforce_checks
from admin_api.cli.doctor.slack import slack_checks
from config import Settings

DOCTOR_MAX_RETRIES = 1


def doctor_settings(settings: Settings) -> Settings:
    """The same settings with at most one retry per external call (the doctor diagnoses; it does not wait)."""
    retries = min(settings.sync.max_retries, DOCTOR_MAX_RETRIES)
    return settings.model_copy(update={"sync": settings.sync.model_copy(update={"max_retries": retries})})


def all_checks(settings: Settings, engine: Engine) -> list[Check]:
    """Every check, in the order they run and print."""
    quick = doctor_settings(settings)
    return [
        *local_checks(DatabaseProbe(settings, engine)),
        *slack_checks(quick),
        *salesforce_checks(quick),
        *canvas_checks(quick),
        *fellow_checks(quick),
    ]
