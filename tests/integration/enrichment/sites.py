"""The fixture companies: a dozen kinds of site plus the awkward cases (redirects, robots, stalls, huge, binary)."""

from __future__ import annotations

from tests.integration.enrichment.site_server import Reply, page, redirect, robots

CP1252_BODY = (
    b"<html><head><title>Caf\xe9 Lumi\xe8re</title></head><body>"
    b"<p>Caf\xe9 Lumi\xe8re \x93the neighbourhood bistro\x94 serves brunch every day in Lyon.</p>"
    b"<p>Book a table online.</p></body></html>"
)
INTERNAL_HOST = "internal.test"


def fixture_sites(port: int) -> dict[str, dict[str, Reply]]:
    """Every fixture host and its paths; hosts resolve to 127.0.0.1 in tests (INTERNAL_HOST to 10.0.0.5)."""
    return {
        "dental.test": {"/": page("dental_home.html"), "/contact": page("dental_contact.html")},
        "bpo.test": {"/": page("bpo_home.html")},
        "saas.test": {
            "/robots.txt": robots("User-agent: *\nAllow: /\n"),
            "/": page("saas_home.html"),
            "/pricing": page("saas_pricing.html"),
            "/login": page("saas_login.html"),
        },
        "shop.test": {"/": page("shop_home.html")},
        "marketplace.test": {"/": page("marketplace_home.html")},
        "voiceai.test": {"/": page("voiceai_home.html"), "/careers": page("voiceai_careers.html")},
        "parked.test": {"/": page("parked_home.html")},
        "robots-partial.test": {
            "/robots.txt": robots(
                "User-agent: OtherBot\nDisallow: /\n\nUser-agent: *\nDisallow: /pricing\nDisallow: /login\n"
            ),
            "/": page("robots_home.html"),
            "/pricing": page("saas_pricing.html"),
            "/login": page("saas_login.html"),
            "/about": page("robots_home.html"),
        },
        "robots-all.test": {
            "/robots.txt": robots("User-agent: FellowQualificationBot\nDisallow: /\n"),
            "/": page("saas_home.html"),
        },
        "robots-error.test": {"/robots.txt": Reply(status=503), "/": page("saas_home.html")},
        "redirect.test": {"/": redirect(f"http://www.redirect.test:{port}/")},
        "www.redirect.test": {"/": page("voiceai_home.html"), "/careers": page("voiceai_careers.html")},
        "loop.test": {"/": redirect("/", 302)},
        "redirect-ip.test": {"/": redirect(f"http://127.0.0.1:{port}/", 302)},
        "redirect-internal.test": {"/": redirect(f"http://{INTERNAL_HOST}:{port}/", 302)},
        "redirect-port.test": {"/": redirect("http://dental.test:6379/", 302)},
        INTERNAL_HOST: {"/": page("saas_home.html")},
        "slow-home.test": {"/": Reply(stall_seconds=30, body=b"<p>late</p>")},
        "hang.test": {"/robots.txt": Reply(stall_seconds=30), "/": Reply(stall_seconds=30)},
        "huge.test": {"/": Reply(stream_bytes=20_000_000)},
        "pdf.test": {"/": Reply(body=b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", content_type="application/pdf")},
        "latin1.test": {"/": page("latin1_home.html", content_type="text/html")},
        "cp1252.test": {"/": Reply(body=CP1252_BODY, content_type="text/html")},
        "notfound.test": {},
    }
