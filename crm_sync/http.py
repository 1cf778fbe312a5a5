"""HTTP sessions for the external services: a timeout on every request and a CA bundle that really wins.

`requests` lets REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE override `Session.verify` whenever a request carries no
explicit `verify`, so a configured CA bundle is passed per request here instead of only set on the session.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import requests


class ConfiguredSession(requests.Session):
    """A `requests.Session` that adds a default timeout and, when given, the CA bundle to every request."""

    def __init__(self, timeout: float, ca_bundle: Path | str | None = None) -> None:
        super().__init__()
        self.timeout = timeout
        self.ca_bundle = str(ca_bundle) if ca_bundle is not None else None
        if self.ca_bundle is not None:
            self.verify = self.ca_bundle

    def request(self, method: str, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        """Send with the default timeout and the configured CA bundle unless the caller chose others."""
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout
        if self.ca_bundle is not None and kwargs.get("verify") in (None, True):
            kwargs["verify"] = self.ca_bundle
        return super().request(method, url, *args, **kwargs)


def make_session(timeout: float, ca_bundle: Path | str | None = None) -> ConfiguredSession:
    """A session for one external service (timeout in seconds; optional extra CA file to trust)."""
    if ca_bundle is not None and not Path(ca_bundle).is_file():
        raise FileNotFoundError(f"CA bundle {ca_bundle} does not exist")
    return ConfiguredSession(timeout, ca_bundle)
