"""Doctor checks on the local side: the database (reachable, migrated), the serving model, the scheduler."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session

from admin_api.cli.doctor.domain import Check, Verdict, fail, ok, skip, warn
from config import Settings
from learning.registry import RegistryError, load_version
from scoring.scorer import build_scorer
from store.db import DatabaseUnavailableError, check_connection, describe_url
from store.migrate import SchemaVersionError, current_revision, ensure_current, head_revision
from store.repositories.jobs import recent_job_runs
from store.repositories.model_versions import get_champion, list_model_versions
from store.tables import JobRun, ModelVersion
from store.types import utcnow

GROUP = "local"
RECENT_RUNS = 200
FAILED_STATUSES = frozenset({"failed", "error"})
MAX_ERROR_CHARS = 160


def _no_champion_advice(trained: list[ModelVersion], min_samples: int) -> tuple[str, str]:
    """Why the prior serves and what to do, consistent with what `fellow up` already did: it trains a first model
    only while the registry is empty, and the gate promotes it only if it beats the prior."""
    if trained:
        newest = trained[0]
        return (
            f"{len(trained)} trained model version(s) (newest {newest.version}) but none promoted: the promotion gate "
            "found they did not beat the rule-based prior, which keeps scoring leads",
            "see why on the dashboard's model page (/dashboard/models) or with `fellow learn list`; retrain when more "
            "outcomes have arrived (`fellow learn train`, or POST /learn/retrain), or promote one by hand with "
            "`fellow learn promote VERSION`",
        )
    return (
        "no trained model yet: the rule-based prior scores leads (and says so in its confidence)",
        f"`fellow up` trains the first model once the database holds at least {min_samples} labelled leads "
        "(learning.min_training_samples; `fellow demo seed` provides them); with real data, run `fellow learn train` "
        "when enough outcomes have synced",
    )


class DatabaseProbe:
    """Checks on one engine; remembers whether the schema is current so dependent checks can skip."""

    def __init__(self, settings: Settings, engine: Engine) -> None:
        self.settings = settings
        self.engine = engine
        self.current = False

    def database(self) -> Verdict:
        """Reachable and at the newest migration this code knows."""
        where = describe_url(self.engine)
        try:
            check_connection(self.engine)
        except DatabaseUnavailableError as exc:
            return fail(str(exc), "start the database or correct FELLOW_DATABASE_URL")
        try:
            ensure_current(self.engine)
        except SchemaVersionError as exc:
            if current_revision(self.engine) is None:
                return fail(f"database {where} is empty (not migrated)", "run `fellow db upgrade`")
            return fail(str(exc), "run `fellow db upgrade` (or upgrade the application if the database is newer)")
        self.current = True
        return ok(f"{where} reachable, schema at migration {head_revision()} (current)")

    def models(self) -> Verdict:
        """The champion model's artifact loads, and the scoring config and rules load with it."""
        if not self.current:
            return skip("not checked: the database is not usable")
        models_dir = self.settings.models_dir
        with Session(self.engine) as session:
            champion = get_champion(session=session)
            trained = list_model_versions(session=session)
            try:
                bundle = load_version(champion.version, session=session, models_dir=models_dir) if champion else None
            except RegistryError as exc:
                return fail(
                    f"champion model cannot be loaded ({exc}); the rule-based prior is serving instead",
                    "roll back with POST /models/rollback (API key required), or retrain with POST /learn/retrain",
                )
        try:
            build_scorer(bundle, scoring_path=self.settings.scoring_file, rules_path=self.settings.rules_file)
        except (OSError, ValueError) as exc:
            return fail(
                f"scoring config or rules do not load: {str(exc)[:MAX_ERROR_CHARS]}",
                f"fix {self.settings.scoring_file} / {self.settings.rules_file} (or FELLOW_SCORING_FILE / "
                "FELLOW_RULES_FILE)",
            )
        if bundle is None:
            return warn(*_no_champion_advice(trained, self.settings.learning.min_training_samples))
        return ok(f"champion model {bundle.version} loads from {models_dir}; scoring config and rules load")

    def scheduler(self) -> Verdict:
        """The newest run of every scheduled job recorded in the database."""
        if not self.current:
            return skip("not checked: the database is not usable")
        with Session(self.engine) as session:
            runs = recent_job_runs(session=session, limit=RECENT_RUNS)
        latest: dict[str, JobRun] = {}
        for run in runs:
            latest.setdefault(run.job_name, run)
        if not latest:
            return warn(
                "no scheduled job has run against this database yet",
                "start the scheduler alongside `fellow serve` and check again after the first Salesforce poll "
                f"({self.settings.sync.salesforce_poll_minutes} min)",
            )
        now = utcnow()
        failed = [run for run in latest.values() if run.status in FAILED_STATUSES or run.error]
        described = ", ".join(
            f"{name} {run.status} {_ago(run.started_at, now)}" for name, run in sorted(latest.items())
        )
        if failed:
            worst = failed[0]
            error = (worst.error or "no error recorded")[:MAX_ERROR_CHARS]
            return warn(
                f"last runs: {described}; {worst.job_name} failed: {error}",
                "fix the cause named above; the job retries at its next scheduled run",
            )
        return ok(f"last runs: {described}")


def _ago(moment: datetime, now: datetime) -> str:
    seconds = max(0, int((now - moment).total_seconds()))
    if seconds < 120:
        return f"{seconds} s ago"
    if seconds < 7200:
        return f"{seconds // 60} min ago"
    if seconds < 172800:
        return f"{seconds // 3600} h ago"
    return f"{seconds // 86400} d ago"


def local_checks(probe: DatabaseProbe) -> list[Check]:
    """Database, models and scheduler checks, in dependency order."""
    return [
        Check(GROUP, "database", probe.database),
        Check(GROUP, "models", probe.models),
        Check(GROUP, "scheduler", probe.scheduler),
    ]
