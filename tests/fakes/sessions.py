"""HTTP client sessions that trust a fake's test CA even when REQUESTS_CA_BUNDLE is set.

requests merges environment settings into every request; with REQUESTS_CA_BUNDLE (or CURL_CA_BUNDLE) set,
that environment bundle replaces `Session.verify`, so `session.verify = ca_file` alone still fails with
CERTIFICATE_VERIFY_FAILED. `trust_env = False` stops the merge (it also ignores *_PROXY variables and
.netrc, which the fakes on 127.0.0.1 do not need).
"""

from __future__ import annotations

import requests


def trusting_session(ca_file: str) -> requests.Session:
    """A requests Session that verifies TLS against `ca_file` only, whatever the environment says."""
    session = requests.Session()
    session.verify = ca_file
    session.trust_env = False
    return session
