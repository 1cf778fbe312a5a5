"""The canvas app metadata agrees with itself and with the product: the connected app posts a signed request to
the panel's route, the Visualforce host names that app and passes the Lead Id, the Lead page places the host,
and the AE permission set opens the host and is the one the connected app admits."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

from admin_api.api.headers import FRAMED_PREFIX

SOURCE = Path(__file__).resolve().parents[3] / "crm_sync/salesforce/metadata/canvas-app/main/default"
NS = {"md": "http://soap.sforce.com/2006/04/metadata"}
APP = SOURCE / "connectedApps" / "Fellow_Qualification.connectedApp-meta.xml"


def _root(path: Path) -> ET.Element:
    return ET.parse(path).getroot()


def _text(root: ET.Element, path: str) -> list[str]:
    return [node.text or "" for node in root.findall(path, NS)]


def test_the_connected_app_posts_a_signed_request_to_the_panel_route() -> None:
    app = _root(APP)
    assert _text(app, "md:canvasConfig/md:accessMethod") == ["Post"]  # Post = signed request
    (url,) = _text(app, "md:canvasConfig/md:canvasUrl")
    assert urlsplit(url).scheme == "https" and urlsplit(url).path == FRAMED_PREFIX
    assert "Visualforce" in _text(app, "md:canvasConfig/md:locations")
    assert _text(app, "md:oauthConfig/md:isAdminApproved") == ["true"]
    (permission_set,) = _text(app, "md:permissionSetName")
    assert (SOURCE / "permissionsets" / f"{permission_set}.permissionset-meta.xml").is_file()


def test_the_visualforce_host_names_the_app_and_passes_the_lead_id() -> None:
    page = (SOURCE / "pages" / "FellowLeadPanel.page").read_text()
    assert 'standardController="Lead"' in page
    (developer_name,) = re.findall(r'developerName="(\w+)"', page)
    assert APP.name == f"{developer_name}.connectedApp-meta.xml"
    assert 'entityFields="Id"' in page
    assert _root(SOURCE / "pages" / "FellowLeadPanel.page-meta.xml").tag.endswith("ApexPage")


def test_the_lead_page_places_the_host_and_the_ae_permission_set_opens_it() -> None:
    flexipage = _root(SOURCE / "flexipages" / "Fellow_Lead_Record_Page.flexipage-meta.xml")
    assert _text(flexipage, "md:sobjectType") == ["Lead"] and _text(flexipage, "md:type") == ["RecordPage"]
    components = flexipage.findall(".//md:componentInstance", NS)
    hosts = [c for c in components if _text(c, "md:componentName") == ["flexipage:visualforcePage"]]
    (host,) = hosts
    properties = {
        p.findtext("md:name", namespaces=NS): p.findtext("md:value", namespaces=NS)
        for p in host.findall("md:componentInstanceProperties", NS)
    }
    assert properties["pageName"] == "FellowLeadPanel"
    panel = _root(SOURCE / "permissionsets" / "Fellow_Lead_Panel.permissionset-meta.xml")
    assert _text(panel, "md:pageAccesses/md:apexPage") == ["FellowLeadPanel"]
    assert _text(panel, "md:pageAccesses/md:enabled") == ["true"]
    assert set(_text(panel, "md:fieldPermissions/md:editable")) == {"false"}  # AEs read the fields, never edit
