"""Page contexts for the dashboard: figures from the store, metrics from learning.metrics, chart specifications
for Chart.js (charts.py), enum values shown with their human labels."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from statistics import mean
from typing import Any

from sqlmodel import Session

from admin_api.dashboard.call_stats import CallReading, CallReadings
from admin_api.dashboard.charts import PALETTE, bar_chart, hbar_chart, line_chart, reliability_chart
from admin_api.dashboard.evidence_page import lead_evidence
from bot.domain import REASON_LABELS
from learning.metrics import handoff_precision, reliability_table, roc_auc
from learning.suggestion_filter import worth_reviewing
from nlp.suggest import SUGGESTIONS_DIR, newest_review_file, read_review_file
from scoring.domain import PRIORITY_LABELS, RECOMMENDATION_LABELS, Recommendation
from store.reports import volumes
from store.repositories.calls import call_times_since, calls_for_lead, recent_calls
from store.repositories.companies import get_company
from store.repositories.feedback import feedback_counts, feedback_for_lead
from store.repositories.lead_search import PAGE_SIZES, LeadQuery, scored_model_versions, search_leads
from store.repositories.leads import get_lead, lead_times_since
from store.repositories.model_versions import list_model_versions
from store.repositories.outbox import events
from store.repositories.scores import ScoredLead, latest_scores, score_times_since, scores_for_lead
from store.topics import Topic
from store.types import utcnow

SENTIMENT_CALLS = 300
HANDOFF = Recommendation.AE_HANDOFF.value


def _share(part: int, whole: int) -> float | None:
    return None if whole == 0 else part / whole


def _days(moments: Iterable[datetime], days: int, now: datetime) -> tuple[list[str], list[float]]:
    start = (now - timedelta(days=days - 1)).date()
    counts = Counter(moment.date() for moment in moments)
    labels, values = [], []
    for offset in range(days):
        day = start + timedelta(days=offset)
        labels.append(f"{day:%a} {day.day} {day:%b}")
        values.append(float(counts.get(day, 0)))
    return labels, values


def _histogram(values: Sequence[float], lo: float, hi: float, bins: int) -> tuple[list[str], list[float]]:
    """Counts per bin, labelled with the range each bin covers ("90–100", "−0.2 to 0.0")."""
    width = (hi - lo) / bins
    counts = [0.0] * bins
    for value in values:
        counts[min(bins - 1, max(0, int((value - lo) / width)))] += 1
    if float(width).is_integer():
        labels = [f"{lo + i * width:g}–{lo + (i + 1) * width - (1 if i < bins - 1 else 0):g}" for i in range(bins)]
    else:
        labels = [f"{lo + i * width:+.1f} to {lo + (i + 1) * width:+.1f}".replace("-", "−") for i in range(bins)]
    return labels, counts


def _breakdown(values: Iterable[str], labels: dict[str, str]) -> tuple[list[str], list[float]]:
    """Counts per enum value, in the enum's order, under the value's human label."""
    counts = Counter(values)
    return list(labels.values()), [float(counts.get(name, 0)) for name in labels]


def overview(session: Session, readings: CallReadings) -> dict[str, Any]:
    """Headline tiles, daily scoring volume and the recommendation breakdown."""
    now = utcnow()
    counts = volumes(session=session)
    latest = latest_scores(session=session)
    calls, pending = readings.read(recent_calls(session=session, limit=SENTIMENT_CALLS))
    handed = sum(row.recommendation == HANDOFF for row in latest)
    verdicts = feedback_counts(session=session)
    labels, daily = _days(score_times_since(now - timedelta(days=30), session=session), 30, now)
    rec_labels, rec_values = _breakdown((row.recommendation for row in latest), RECOMMENDATION_LABELS)
    return {
        "counts": counts,
        "handoff_rate": _share(handed, len(latest)),
        "avg_sentiment": mean(c.sentiment for c in calls) if calls else None,
        "sentiment_calls": len(calls),
        "sentiment_pending": pending,
        "thumbs_up": _share(verdicts.get("up", 0), sum(verdicts.values())),
        "charts": {
            "daily_scores": bar_chart("Scores per day (last 30 days)", labels, daily, y_title="scores"),
            "recommendations": hbar_chart("Latest recommendation per lead", rec_labels, rec_values),
        },
    }


def _weekly_follow_up(calls: list[CallReading]) -> tuple[list[str], list[float | None]]:
    weeks: dict[str, list[bool]] = defaultdict(list)
    for call in calls:
        if call.started_at is not None:
            monday = call.started_at.date() - timedelta(days=call.started_at.weekday())
            weeks[f"{monday:%Y-%m-%d}"].append(call.follow_up)
    labels = sorted(weeks)[-16:]
    return [f"week of {w}" for w in labels], [100.0 * sum(weeks[w]) / len(weeks[w]) for w in labels]


def trends(session: Session, readings: CallReadings) -> dict[str, Any]:
    """Daily volumes, score and sentiment distributions and the weekly follow-up rate."""
    now = utcnow()
    since = now - timedelta(days=60)
    labels, calls = _days(call_times_since(since, session=session), 60, now)
    _, leads = _days(lead_times_since(since, session=session), 60, now)
    _, scores = _days(score_times_since(since, session=session), 60, now)
    latest = latest_scores(session=session)
    readings_now, pending = readings.read(recent_calls(session=session, limit=SENTIMENT_CALLS))
    score_bins = _histogram([row.qualification_score for row in latest], 0, 100, 10)
    sentiment_bins = _histogram([c.sentiment for c in readings_now], -1.0, 1.0, 10)
    weeks, follow_up = _weekly_follow_up(readings_now)
    return {
        "sentiment_pending": pending,
        "charts": {
            "volumes": line_chart(
                "Daily volumes (last 60 days)",
                labels,
                {"calls": calls, "new leads": leads, "scores": scores},
                y_title="per day",
            ),
            "score_distribution": bar_chart(
                "Qualification score distribution", *score_bins, x_title="qualification score", y_title="leads"
            ),
            "sentiment_distribution": bar_chart(
                f"Call sentiment distribution (latest {len(readings_now)} calls)",
                *sentiment_bins,
                color=PALETTE[1],
                x_title="sentiment (−1 negative … +1 positive)",
                y_title="calls",
            ),
            "follow_up": line_chart(
                "Calls with a next meeting booked (% per week)",
                weeks,
                {"calls with a follow-up booked": follow_up},
                top=100.0,
                unit="%",
            ),
        },
    }


def _per_version(rows: list[ScoredLead]) -> dict[str, list[ScoredLead]]:
    grouped: dict[str, list[ScoredLead]] = defaultdict(list)
    for row in rows:
        if row.progressed is not None:
            grouped[row.model_version].append(row)
    return grouped


def model_performance(session: Session) -> dict[str, Any]:
    """Registry, live handoff precision and AUC per model version on known outcomes, calibration, drift alerts."""
    versions = list_model_versions(session=session)
    latest = latest_scores(session=session)
    grouped = _per_version(latest)
    order = [v.version for v in reversed(versions) if v.version in grouped]
    order += sorted(name for name in grouped if name not in order)
    precision: list[float | None] = []
    auc: list[float | None] = []
    handoffs: list[int] = []
    for name in order:
        rows = grouped[name]
        y = [float(bool(row.progressed)) for row in rows]
        handed = [float(row.recommendation == HANDOFF) for row in rows]
        precision.append(handoff_precision(y, handed))
        auc.append(roc_auc(y, [row.progression_probability for row in rows]))
        handoffs.append(int(sum(handed)))
    judged = [row for row in latest if row.progressed is not None]
    table = (
        reliability_table(
            [float(bool(row.progressed)) for row in judged], [row.progression_probability for row in judged]
        )
        if judged
        else []
    )
    drift = [e for e in events(session=session, topic=Topic.SLACK_REPORT) if e.payload.get("kind") == "drift"][-10:]
    return {
        "versions": versions,
        "judged": len(judged),
        "live": list(zip(order, precision, auc, [len(grouped[n]) for n in order], handoffs, strict=True)),
        "drift": list(reversed(drift)),
        "charts": {
            "quality": line_chart(
                "Handoff precision and ROC-AUC by model version (leads with known outcomes)",
                order,
                {"handoff precision": precision, "ROC-AUC": auc},
                top=1.0,
                y_title="0–1",
            ),
            "calibration": reliability_chart(
                "Calibration: predicted vs observed progression",
                [b.mean_predicted for b in table],
                [b.observed_rate for b in table],
            ),
        },
    }


def insights(session: Session) -> dict[str, Any]:
    """Score distribution, recommendation and priority breakdowns, top companies and industry patterns."""
    latest = latest_scores(session=session)
    rec = _breakdown((row.recommendation for row in latest), RECOMMENDATION_LABELS)
    pri = _breakdown((row.priority for row in latest), PRIORITY_LABELS)
    top = sorted(latest, key=lambda row: row.qualification_score, reverse=True)[:10]
    industries: dict[str, list[ScoredLead]] = defaultdict(list)
    for row in latest:
        industries[row.industry or "unknown"].append(row)
    ranked = sorted(industries.items(), key=lambda item: -len(item[1]))[:10]
    progressed = [
        (name, 100.0 * sum(bool(r.progressed) for r in rows if r.progressed is not None) / known)
        for name, rows in ranked
        if (known := sum(r.progressed is not None for r in rows))
    ]
    return {
        "top": top,
        "charts": {
            "score_distribution": bar_chart(
                "Qualification score distribution",
                *_histogram([r.qualification_score for r in latest], 0, 100, 10),
                x_title="qualification score",
                y_title="leads",
            ),
            "recommendations": hbar_chart("Recommendation breakdown", *rec),
            "priorities": hbar_chart("Priority breakdown", *pri, color=PALETTE[4]),
            "top_companies": hbar_chart(
                "Top-scoring companies",
                [lead_name(r.company_name, r.domain, r.lead_id) for r in top],
                [float(r.qualification_score) for r in top],
                color=PALETTE[1],
            ),
            "industry_scores": hbar_chart(
                "Average score by industry",
                [name for name, _ in ranked],
                [mean(r.qualification_score for r in rows) for _, rows in ranked],
                color=PALETTE[2],
            ),
            "industry_progression": hbar_chart(
                "Progression rate by industry (known outcomes)",
                [n for n, _ in progressed],
                [v for _, v in progressed],
                unit="%",
                color=PALETTE[5],
                max_value=100.0,
            ),
        },
    }


def lead_name(company_name: str | None, domain: str | None, lead_id: int, email: str | None = None) -> str:
    """What a person calls a lead: its company, else its domain or e-mail, else its number."""
    return company_name or domain or email or f"Lead #{lead_id} (no company yet)"


def leads(session: Session, query: LeadQuery) -> dict[str, Any]:
    """One page of scored leads for the query, with the filter options the form offers."""
    return {
        "result": search_leads(query, session=session),
        "query": query,
        "models": scored_model_versions(session=session),
        "page_sizes": PAGE_SIZES,
    }


def lead(session: Session, lead_id: int) -> dict[str, Any] | None:
    """One lead: score history chart, latest reasons and evidence, calls and feedback."""
    row = get_lead(lead_id, session=session)
    if row is None:
        return None
    history = list(reversed(scores_for_lead(lead_id, session=session, limit=50)))
    labels = [score.scored_at.strftime("%Y-%m-%d %H:%M") for score in history]
    return {
        "lead": row,
        "company": get_company(row.company_id, session=session) if row.company_id else None,
        "latest": history[-1] if history else None,
        "history": list(reversed(history)),
        "calls": calls_for_lead(lead_id, session=session, limit=10),
        "feedback": feedback_for_lead(lead_id, session=session),
        **lead_evidence(session, history[-1] if history else None),
        "charts": {
            "history": line_chart(
                "Score history",
                labels,
                {
                    "qualification": [float(s.qualification_score) for s in history],
                    "Voice AI fit": [float(s.voice_ai_fit) for s in history],
                },
                top=100.0,
                y_title="0–100",
            )
        },
    }


def target_label(target: str) -> str:
    """What a suggestion is linked to, as a person reads it ("progressed", "👎 Wrong fit")."""
    if target.startswith("feedback:"):
        reason = target.removeprefix("feedback:")
        return f"AE 👎: {REASON_LABELS.get(reason, reason)}"
    return {"progressed": "progressed", "not_progressed": "did not progress"}.get(target, target)


def _suggestion_row(row: dict[str, Any]) -> dict[str, Any]:
    """A review-file row with its supporting counts spelled out."""
    documents = int(row.get("documents") or 0)
    rate = float(row.get("target_rate") or 0.0)
    return {
        **row,
        "target_label": target_label(str(row.get("target", ""))),
        "hits": round(rate * documents),
        "examples": [str(q) for q in (row.get("examples") or [])][:3],
    }


def suggestions(data_dir: Path) -> dict[str, Any]:
    """The newest lexicon suggestions file's proposals worth reviewing (or why there are none to show); files
    written before names, pronouns and internal tokens were filtered are filtered here too."""
    path = newest_review_file(Path(data_dir) / SUGGESTIONS_DIR)
    if path is None:
        return {"file": None, "rows": [], "error": None, "hidden": 0}
    try:
        rows = read_review_file(path)
    except ValueError as exc:
        return {"file": path.name, "rows": [], "error": str(exc), "hidden": 0}
    kept = [_suggestion_row(row) for row in rows if worth_reviewing(str(row.get("phrase", "")))]
    return {"file": path.name, "rows": kept, "error": None, "hidden": len(rows) - len(kept)}
