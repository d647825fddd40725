"""CAP alerts and FEMA declarations over HTTP: a proposal that stores nothing, and incidents drawn from both."""

from __future__ import annotations

from pathlib import Path

import pytest

ALERTS = Path(__file__).parent / "data" / "alerts"
DECLARATIONS = Path(__file__).parent / "data" / "fema" / "openfema-declarations-sample.csv"
XML = {"content-type": "application/xml"}
POLYGON = "38.47,-120.14 38.34,-119.95 38.52,-119.74 38.62,-119.89 38.47,-120.14"


def bearer(token):
    return {"authorization": f"Bearer {token}"}


def read(name: str) -> bytes:
    return (ALERTS / name).read_bytes()


@pytest.fixture
def em(make_token):
    return bearer(make_token("emergency_manager"))


def propose(client, headers, body: bytes, content_type="application/xml"):
    return client.post("/api/v1/alerts/cap", content=body, headers={**headers, "content-type": content_type})


def test_a_proposal_posted_as_it_is_makes_the_incident(client, em):
    answer = propose(client, em, read("thunderstorm.cap"))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["counties"] == ["06003", "06009", "06109"] and body["unresolved"] == []
    assert body["alert"]["event"] == "SEVERE THUNDERSTORM" and body["alert"]["identifier"] == "KSTO1055887203"
    proposed = body["proposed"]
    assert proposed["type"] == "Severe Storm" and proposed["exercise"] is False
    assert proposed["name"] == "SEVERE THUNDERSTORM — SEVERE THUNDERSTORM WARNING"
    assert proposed["timezone"] == "America/Los_Angeles" and proposed["area"]["geojson"] == body["polygon"]
    assert client.get("/api/v1/incidents", headers=em).json()["incidents"] == []  # nothing stored
    made = client.post("/api/v1/incidents", json=proposed, headers=em)
    assert made.status_code == 201, made.text
    assert made.json()["counties"] == body["counties"] and made.json()["slug"] == "severe-thunderstorm-2003-06-17"


def test_every_xml_media_type_is_taken_and_others_are_refused(client, em):
    for kind in ("application/xml", "text/xml; charset=utf-8", "application/cap+xml"):
        assert propose(client, em, read("KAR0-0306112239-SW.cap"), kind).status_code == 200, kind
    for kind in ("application/json", "text/plain", ""):
        answer = propose(client, em, read("KAR0-0306112239-SW.cap"), kind)
        assert answer.status_code == 415, kind
        assert answer.json()["error"]["code"] == "unsupported_media_type"


def test_only_incident_managers_may_ask(client, make_token):
    assert propose(client, {}, read("thunderstorm.cap")).status_code == 401
    for role in ("supervisor", "call_taker", "partner"):
        answer = propose(client, bearer(make_token(role, name=role)), read("thunderstorm.cap"))
        assert answer.status_code == 403, role
    assert propose(client, bearer(make_token("admin", name="admin")), read("thunderstorm.cap")).status_code == 200


def _thunderstorm(old: str, new: str) -> bytes:
    return read("thunderstorm.cap").replace(old.encode(), new.encode())


BAD = [
    (b"<alert><open></alert>", "not well-formed"),
    (b'<alert xmlns="urn:example:other"/>', "not a CAP alert"),
    (read("invalid.cap"), "CAP 1.2 schema"),
    (read("no_optional_fields.cap"), "no <info>"),
    (read("43b080713727.cap"), "US county"),
    (_thunderstorm(POLYGON, POLYGON.rsplit(" ", 1)[0]), "not closed"),
    (_thunderstorm(POLYGON, "38.47,-120.14 38.34,-119.95 38.47,-120.14"), "fewer than four"),
    (b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">'
     b'&x;</alert>', "DTD"),
]


def test_bad_alerts_get_422_with_a_reason_and_nothing_is_stored(client, em):
    for raw, words in BAD:
        answer = propose(client, em, raw)
        assert answer.status_code == 422, (words, answer.text)
        assert words in answer.json()["error"]["message"], answer.text
        made = client.post("/api/v1/incidents", headers=em, json={
            "slug": "from-a-bad-alert", "name": "Bad", "type": "Flood", "area": {"cap": raw.decode()}})
        assert made.status_code == 422, (words, made.text)
    assert client.get("/api/v1/incidents", headers=em).json()["incidents"] == []
    assert propose(client, em, b"").status_code == 400


def test_the_refusal_reads_in_spanish(client, em):
    answer = client.post("/api/v1/alerts/cap", content=read("no_optional_fields.cap"),
                         headers={**em, **XML, "accept-language": "es"})
    assert answer.status_code == 422 and "<info>" in answer.json()["error"]["message"]
    assert "alerta" in answer.json()["error"]["message"]


def test_script_in_a_headline_comes_back_as_plain_json_text(client, em):
    script = "&lt;script&gt;alert(1)&lt;/script&gt;"
    answer = propose(client, em, _thunderstorm("<headline>SEVERE THUNDERSTORM WARNING</headline>",
                                               f"<headline>{script}</headline>"))
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/json")
    assert answer.json()["alert"]["headline"] == "<script>alert(1)</script>"
    assert answer.json()["proposed"]["name"] == "SEVERE THUNDERSTORM — <script>alert(1)</script>"


def test_an_incident_from_a_cap_alert(client, em):
    made = client.post("/api/v1/incidents", headers=em, json={
        "slug": "amber", "name": "Amber alert", "type": "Other", "timezone": "America/Los_Angeles",
        "area": {"cap": read("KAR0-0306112239-SW.cap").decode()}})
    assert made.status_code == 201, made.text
    assert made.json()["counties"] == ["06037"] and made.json()["area_source"] == "cap"
    assert made.json()["area"]["type"] in ("Polygon", "MultiPolygon")


def test_an_incident_from_an_imported_fema_declaration(client, em, surge):
    assert surge("fema", "import", str(DECLARATIONS)).returncode == 0
    made = client.post("/api/v1/incidents", headers=em, json={
        "slug": "moore-tornadoes", "name": "Oklahoma tornadoes", "type": "Tornado",
        "area": {"fema_declaration": "DR-4706-OK"}})
    assert made.status_code == 201, made.text
    assert {"40027", "40087"} <= set(made.json()["counties"])  # Cleveland and McClain
    assert made.json()["area_source"] == "fema_declaration"
    assert made.json()["area"]["type"] in ("Polygon", "MultiPolygon")
    unknown = client.post("/api/v1/incidents", headers=em, json={
        "slug": "unknown", "name": "Nothing", "type": "Tornado", "area": {"fema_declaration": "DR-9999-OK"}})
    assert unknown.status_code == 404 and "DR-9999-OK" in unknown.json()["error"]["message"]
    malformed = client.post("/api/v1/incidents", headers=em, json={
        "slug": "malformed", "name": "Nothing", "type": "Tornado", "area": {"fema_declaration": "4706"}})
    assert malformed.status_code == 422


def test_script_from_an_alert_stays_text_on_the_incident_pages(client, em):
    script = "&lt;script&gt;alert(1)&lt;/script&gt;"
    proposal = propose(client, em, _thunderstorm("<headline>SEVERE THUNDERSTORM WARNING</headline>",
                                                 f"<headline>{script}</headline>")).json()["proposed"]
    proposal["slug"] = "storm-with-script"
    assert client.post("/api/v1/incidents", headers=em, json=proposal).status_code == 201
    client.post("/api/v1/incidents/storm-with-script/activate", headers=em, json={"reason": "test"})
    page = client.get("/incidents/storm-with-script")
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.text
    assert "SEVERE THUNDERSTORM — &lt;script&gt;alert(1)&lt;/script&gt;" in page.text
