"""Issue 21 items whose regression tests lived outside this suite: the configuration never shows the database
password, a host resolving to a 6to4/NAT64/Teredo wrapper of a private address is refused by the SSRF guard, and
the supply chain stays pinned (hashes in the lock, a pinned `uv`, an audit probe without a hard-coded index)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from crm_sync.enrichment.address_guard import AddressGuard, RefusedAddressError
from tests.reliability.processes import fellow_env

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Pg-pass-7f3c9a"


@pytest.mark.parametrize("json_flag", [[], ["--json"]], ids=["readable", "json"])
def test_config_show_hides_the_database_password(json_flag: list[str]) -> None:
    env = fellow_env({"database_url": f"postgresql+psycopg://fellow:{PASSWORD}@db.internal:5432/fellow"})
    run = subprocess.run(
        [sys.executable, "-m", "admin_api.cli", "config", "show", *json_flag],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert PASSWORD not in run.stdout + run.stderr and "fellow:***@db.internal:5432/fellow" in run.stdout


@pytest.mark.parametrize(
    "wrapped", ["2002:7f00:1::1", "2002:a00:5::", "64:ff9b::7f00:1", "2001:0:4136:e378:8000:63bf:80ff:fffe"]
)
def test_ssrf_guard_unwraps_addresses_that_carry_a_private_ipv4(wrapped: str) -> None:
    guard = AddressGuard(resolver=lambda host, port: [wrapped])
    with pytest.raises(RefusedAddressError, match="non-public"):
        guard.check("https://looks-public.example.com/")


def test_every_locked_requirement_carries_a_hash() -> None:
    lock = (ROOT / "requirements.lock").read_text()
    pins = re.findall(r"^([A-Za-z0-9_.\-\[\]]+)==\S+(.*(?:\n\s+.*)*)", lock, flags=re.MULTILINE)
    assert pins and all("--hash=sha256:" in rest for _name, rest in pins)


def test_the_installer_is_pinned_and_installs_with_hashes() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^UV_VERSION := \d+\.\d+\.\d+$", makefile, flags=re.MULTILINE)
    assert "uv==$(UV_VERSION)" in makefile and "--require-hashes" in makefile


def test_the_audit_probe_names_no_package_index() -> None:
    script = (ROOT / "tests" / "reliability" / "audit.sh").read_text()
    assert not re.search(r"https?://[^\s\"']*(pypi|simple|index)", script)
