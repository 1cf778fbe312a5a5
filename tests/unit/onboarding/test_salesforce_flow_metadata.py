"""The shipped Flow, external service, named and external credential agree with each other and with the server:
the route the callout posts to, the header that carries the secret, the body field the server reads."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from admin_api.api.routes.webhooks import router
from crm_sync.salesforce.inbound import SECRET_HEADER, lead_id_from

SOURCE = Path(__file__).resolve().parents[3] / "crm_sync" / "salesforce" / "metadata" / "force-app" / "main" / "default"
NS = {"md": "http://soap.sforce.com/2006/04/metadata"}


def _root(path: str) -> ET.Element:
    return ET.parse(SOURCE / path).getroot()


def _all(element: ET.Element, path: str) -> list[str]:
    return [found.text or "" for found in element.findall(path, NS)]


def test_the_callout_posts_a_lead_id_body_to_the_lead_webhook() -> None:
    registration = _root("externalServiceRegistrations/Fellow_Scoring.externalServiceRegistration-meta.xml")
    schema = json.loads(_all(registration, "md:schema")[0])
    ((path, operations),) = schema["paths"].items()
    assert path in {route.path for route in router.routes}  # type: ignore[attr-defined]
    assert operations["post"]["operationId"] == "scoreLead"
    body = schema["components"]["schemas"]["ScoreLeadRequest"]
    assert body["required"] == ["lead_id"] and lead_id_from({"lead_id": "00Q5e00000AbCdEFGH"}) == "00Q5e00000AbCdEFGH"
    assert _all(registration, "md:namedCredentialReference") == ["Fellow_Scoring"]


def test_the_flow_calls_that_operation_on_the_async_path_with_the_record_id() -> None:
    flow = _root("flows/Fellow_Score_New_Lead.flow-meta.xml")
    assert _all(flow, "md:actionCalls/md:actionName") == ["Fellow_Scoring.scoreLead"]
    assert _all(flow, "md:actionCalls/md:actionType") == ["externalService"]
    assert _all(flow, "md:start/md:object") == ["Lead"]
    assert _all(flow, "md:start/md:scheduledPaths/md:pathType") == ["AsyncAfterCommit"]
    assert _all(flow, "md:assignments/md:assignmentItems/md:value/md:elementReference") == ["$Record.Id"]
    assert _all(flow, "md:variables/md:apexClass") == ["ExternalService__Fellow_Scoring_ScoreLeadRequest"]


def test_the_secret_travels_in_the_header_the_server_checks() -> None:
    named = _root("namedCredentials/Fellow_Scoring.namedCredential-meta.xml")
    assert _all(named, "md:namedCredentialParameters/md:externalCredential") == ["Fellow_Scoring"]
    external = _root("externalCredentials/Fellow_Scoring.externalCredential-meta.xml")
    headers = [
        p
        for p in external.findall("md:externalCredentialParameters", NS)
        if _all(p, "md:parameterType") == ["AuthHeader"]
    ]
    assert [_all(p, "md:parameterName") for p in headers] == [[SECRET_HEADER]]
    principal = _all(external, "md:externalCredentialParameters[md:parameterType='NamedPrincipal']/md:parameterName")
    access = _root("permissionsets/Fellow_Scoring_Callout.permissionset-meta.xml")
    expected = [f"Fellow_Scoring-{principal[0]}"]
    assert _all(access, "md:externalCredentialPrincipalAccesses/md:externalCredentialPrincipal") == expected
