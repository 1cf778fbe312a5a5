#!/usr/bin/env bash
# Dependency audit: pip-audit against the locked requirements when the advisory database can be reached.
# Exit status: 0 = no known vulnerability (or skipped with a message), 1 = vulnerabilities found, 2 = usage/tool error.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
LOCK="$ROOT/requirements.lock"
# pip-audit asks PyPI for each pinned version; some mirrors serve only the unversioned page, so probe a versioned one.
ADVISORY_URL="${PIP_AUDIT_PROBE_URL:-https://pypi.org/pypi/requests/2.31.0/json}"

if ! "$PYTHON" -m pip_audit --version >/dev/null 2>&1; then
  echo "audit: SKIPPED - pip-audit is not installed in $PYTHON (pip install pip-audit)" >&2
  exit 0
fi
if ! "$PYTHON" - "$ADVISORY_URL" <<'PY' >/dev/null 2>&1
import json, sys, urllib.request
assert "vulnerabilities" in json.load(urllib.request.urlopen(sys.argv[1], timeout=10))
PY
then
  echo "audit: SKIPPED - the advisory database ($ADVISORY_URL) cannot be reached from here" >&2
  exit 0
fi
if [[ -f "$LOCK" ]]; then
  echo "audit: pip-audit on $LOCK (PyPI advisory database)"
  exec "$PYTHON" -m pip_audit --requirement "$LOCK" --no-deps --disable-pip --strict --progress-spinner off --timeout 30
fi
echo "audit: pip-audit on the installed environment"
exec "$PYTHON" -m pip_audit --strict --progress-spinner off --timeout 30
