"""Shared machinery of the fake services: threaded server, call recording, fault injection."""

from tests.fakes.core.faults import ANY_ENDPOINT, Fault, FaultPlan, slow
from tests.fakes.core.messages import Request, Response
from tests.fakes.core.recording import CallLog, RecordedCall
from tests.fakes.core.server import FakeServer

__all__ = [
    "ANY_ENDPOINT",
    "CallLog",
    "FakeServer",
    "Fault",
    "FaultPlan",
    "RecordedCall",
    "Request",
    "Response",
    "slow",
]
