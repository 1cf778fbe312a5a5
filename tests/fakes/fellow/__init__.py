"""Fake Fellow developer API and Svix-style webhook signing."""

from tests.fakes.fellow.server import FakeFellow
from tests.fakes.fellow.webhooks import new_webhook_secret, svix_headers, svix_signature

__all__ = ["FakeFellow", "new_webhook_secret", "svix_headers", "svix_signature"]
