"""Test certificates from `trustme`: a throwaway CA and a server certificate for 127.0.0.1/localhost."""

from __future__ import annotations

import shutil
import ssl
import tempfile
from pathlib import Path

import trustme


class TestCertificates:
    """A CA (written to `ca_file` for clients to trust) and a TLS server context signed by it."""

    __test__ = False  # not a pytest test class

    def __init__(self) -> None:
        self._ca = trustme.CA()
        self._cert = self._ca.issue_cert("127.0.0.1", "localhost")
        self._dir = Path(tempfile.mkdtemp(prefix="fake-ca-"))
        self.ca_file = str(self._dir / "ca.pem")
        self._ca.cert_pem.write_to_path(self.ca_file)

    def server_context(self) -> ssl.SSLContext:
        """An SSL context presenting the server certificate."""
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self._cert.configure_cert(context)
        return context

    def cleanup(self) -> None:
        """Remove the CA file directory."""
        shutil.rmtree(self._dir, ignore_errors=True)
