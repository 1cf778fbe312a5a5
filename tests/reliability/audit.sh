#!/usr/bin/env bash
# Dependency audit: pip-audit against the locked requirements when the advisory database can be reached.
# Exit status: 0 = no known vulnerability (or skipped with a message), 1 = vulnerabilities found, 2 = usage/tool error.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
LOCK="$ROOT/requirements.lock"
# Probe the advisory service with pip-audit itself (one pinned package, no index URL of our own): whatever index
# and proxy settings pip-audit uses for the real run are the ones probed.
PROBE_REQUIREMENT="${PIP_AUDIT_PROBE_REQUIREMENT:-idna==3.7}"

if ! "$PYTHON" -m pip_audit --version >/dev/null 2>&1; then
  echo "audit: SKIPPED - pip-audit is not installed in $PYTHON (pip install pip-audit)" >&2
  exit 0
fi
PROBE="$(mktemp)"
trap 'rm -f "$PROBE"' EXIT
echo "$PROBE_REQUIREMENT" >"$PROBE"
# pip-audit answers with a verdict even when it skipped every package ("could not be audited": the service is
# unreachable or the index has no per-version data), so the probe passes only with a verdict and no skip.
PROBE_OUTPUT="$("$PYTHON" -m pip_audit --requirement "$PROBE" --no-deps --disable-pip --progress-spinner off \
  --timeout 15 2>&1 || true)"
if ! grep -Eq "No known vulnerabilities found|known vulnerabilit" <<<"$PROBE_OUTPUT" \
    || grep -q "could not be audited" <<<"$PROBE_OUTPUT"; then
  echo "audit: SKIPPED - pip-audit could not audit $PROBE_REQUIREMENT here (advisory service unreachable, or the index has no per-version data)" >&2
  exit 0
fi
if [[ -f "$LOCK" ]]; then
  echo "audit: pip-audit on $LOCK (PyPI advisory database)"
  exec "$PYTHON" -m pip_audit --requirement "$LOCK" --no-deps --disable-pip --strict --progress-spinner off --timeout 30
fi
echo "audit: pip-audit on the installed environment"
exec "$PYTHON" -m pip_audit --strict --progress-spinner off --timeout 30
