"""A first Salesforce sync of 100,000 open leads through the fake org: time, API calls and peak memory.

`fellow sync salesforce` (a child process, the real CLI and client over HTTPS) reads every open lead page by page
(queryMore, 2,000 a page), stores and scores each chunk, then writes every score back in composite collections.
Pages are streamed, so memory must not grow with the org: the same-run baseline is the same sync of 10,000 leads,
and the figure that matters is the child's peak RSS at 100,000 next to it (from wait4's rusage). The fake org runs
in this process, so its own memory is not counted. Scoring is the rule prior (a fresh database has no model).
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import structlog

SIZES = (10_000, 100_000)


def _sync(size: int, folder: Path) -> dict[str, float]:
    from tests.fakes.salesforce import FakeSalesforce

    with FakeSalesforce() as fake:
        fake.seed_leads(size, Status="Open - Not Contacted")
        env = {
            **os.environ,
            "FELLOW_ENVIRONMENT": "test",
            "FELLOW_DATABASE_URL": f"sqlite:///{folder / f'backfill-{size}.db'}",
            "FELLOW_DATA_DIR": str(folder),
            "FELLOW_LOG_LEVEL": "warning",
            "FELLOW_SALESFORCE_INSTANCE_URL": fake.url,
            "FELLOW_SALESFORCE_ACCESS_TOKEN": fake.session_id,
            "FELLOW_SALESFORCE_CA_BUNDLE": str(fake.ca_file),
            "FELLOW_SYNC__SALESFORCE_API_RESERVE": "0",
        }
        fellow = str(Path(sys.executable).with_name("fellow"))
        subprocess.run([fellow, "db", "upgrade"], env=env, check=True, capture_output=True)
        before = fake.call_count()
        started = time.perf_counter()
        errors = folder / f"sync-{size}.err"
        with errors.open("wb") as sink:
            child = subprocess.Popen([fellow, "sync", "salesforce"], env=env, stdout=subprocess.DEVNULL, stderr=sink)
            _, status, usage = os.wait4(child.pid, 0)  # this child's own rusage: its peak RSS
        seconds = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError(f"sync of {size} leads failed: {errors.read_text(errors='replace')[-2000:]}")
        calls = {
            name: fake.call_count(name) for name in ("query", "queryMore", "composite.sobjects", "describe", "limits")
        }
        total = fake.call_count() - before
    return {
        f"leads_{size}_seconds": seconds,
        f"leads_{size}_leads_per_s": size / seconds,
        f"leads_{size}_api_calls": total,
        **{f"leads_{size}_calls_{name}": count for name, count in calls.items()},
        f"leads_{size}_peak_rss_mb": usage.ru_maxrss / 1024,
        f"leads_{size}_child_cpu_s": usage.ru_utime + usage.ru_stime,
    }


def run() -> dict:
    """Backfill 10,000 then 100,000 leads (one run each: the larger takes minutes); peak RSS should not grow."""
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    figures: dict[str, float] = {"load_average_1min_start": os.getloadavg()[0]}
    with tempfile.TemporaryDirectory(prefix="bench-backfill-") as folder:
        for size in SIZES:
            figures |= _sync(size, Path(folder))
    figures[f"peak_rss_growth_mb_{SIZES[0]}_to_{SIZES[1]}"] = (
        figures[f"leads_{SIZES[1]}_peak_rss_mb"] - figures[f"leads_{SIZES[0]}_peak_rss_mb"]
    )
    figures["load_average_1min_end"] = os.getloadavg()[0]
    return figures
