"""The brief archive page: every brief with its documents, a brief made on demand, the narrative edited by
managers and supervisors with CSRF, English and Spanish."""

from __future__ import annotations

from tests.briefs.setup import bearer, make_incident
from tests.conftest import csrf_from

PAGE = "/ops/incidents/gulf-flood/briefs"


def test_a_manager_makes_a_brief_and_writes_the_narrative(client, make_token, make_user, login):
    make_incident(client, bearer(make_token("emergency_manager", name="setup")))
    make_user(role="emergency_manager")
    login("emergency_manager@example.org")
    page = client.get(PAGE)
    assert page.status_code == 200 and "No brief yet." in page.text and "Make a brief now" in page.text
    assert client.post(PAGE, data={"csrf_token": "forged"}).status_code == 403
    made = client.post(PAGE, data={"csrf_token": csrf_from(page.text)}, follow_redirects=False)
    assert made.status_code == 303 and made.headers["location"].endswith("?done=made&lang=en")
    listed = client.get(made.headers["location"])
    for link in ("/briefs/1.html", "/briefs/1.pdf", "/briefs/1.json"):
        assert link in listed.text
    assert "A brief was made for the period so far." in listed.text and "Approve brief 1" in listed.text
    saved = client.post(f"{PAGE}/narrative", follow_redirects=False, data={
        "csrf_token": csrf_from(listed.text), "situation": "<b>Rising water</b>", "actions": "", "rumor_control": "",
        "next_steps": ""})
    assert saved.status_code == 303, saved.text
    again = client.get(PAGE)
    assert "&lt;b&gt;Rising water&lt;/b&gt;" in again.text
    too_long = client.post(f"{PAGE}/narrative", data={"csrf_token": csrf_from(again.text),
                                                      "situation": "x" * 20_001})
    assert too_long.status_code == 422 and 'role="alert"' in too_long.text
    approved = client.post(f"{PAGE}/1/approve", data={"csrf_token": csrf_from(again.text)}, follow_redirects=False)
    assert approved.status_code == 303 and approved.headers["location"].endswith("?done=approved&lang=en")
    after = client.get(approved.headers["location"])
    assert "The brief was approved." in after.text and "Approve brief 1" not in after.text
    twice = client.post(f"{PAGE}/1/approve", data={"csrf_token": csrf_from(after.text)})
    assert twice.status_code == 409 and 'role="alert"' in twice.text and "was approved already" in twice.text
    assert client.post(f"{PAGE}/%C2%B2/approve", data={"csrf_token": csrf_from(after.text)}).status_code == 404
    spanish = client.get(PAGE + "?lang=es")
    assert "Hacer un informe ahora" in spanish.text and 'lang="es"' in spanish.text


def test_a_call_taker_reads_and_makes_briefs_but_not_the_narrative(client, make_token, make_user, login):
    make_incident(client, bearer(make_token("emergency_manager", name="setup")))
    make_user(role="call_taker", center="houston-211")
    login("call_taker@example.org")
    made = client.post(PAGE, data={"csrf_token": csrf_from(client.get(PAGE).text)}, follow_redirects=False)
    assert made.status_code == 303
    page = client.get(PAGE)
    assert page.status_code == 200 and 'name="situation"' not in page.text
    assert "/briefs/1.pdf" in page.text and "Approve brief" not in page.text and "Not approved" in page.text
    assert client.post(f"{PAGE}/1/approve", data={"csrf_token": csrf_from(page.text)}).status_code == 403
    refused = client.post(f"{PAGE}/narrative", data={"csrf_token": csrf_from(page.text), "situation": "x"})
    assert refused.status_code == 403
    assert client.get("/ops/incidents/no-such/briefs").status_code == 404
