"""Referrals over HTTP: a clearinghouse answers its own, never sees another's, and sees contact details only
once it accepts; each such view is audited; a decline sends the person on."""

import json

from tests.intake.referral_setup import (SLUGS, audits, network, offer_water, outbox,  # noqa: F401
                                         referrals_of, register)


def _post(client, headers, referral_id, action, **body):
    return client.post(f"/api/v1/referrals/{referral_id}/{action}", headers=headers, json=body)


def test_a_clearinghouse_acknowledges_then_accepts_and_only_then_sees_contact(client, network, engine):
    person = register(client, network["caller"])
    assert [r["clearinghouse"] for r in person["referrals"]] == ["alpha-vrc", "bravo-vrc"]
    mine = person["referrals"][0]["id"]

    seen = client.get(f"/api/v1/referrals/{mine}", headers=network["alpha-vrc"])
    assert seen.status_code == 200, seen.text
    assert seen.json()["contact"] is None and seen.json()["summary"]["skills"] == ["muck_out"]
    assert "713-555" not in seen.text and "Ana" not in seen.text

    answer = _post(client, network["alpha-vrc"], mine, "acknowledge")
    assert answer.status_code == 200, answer.text
    assert answer.json()["state"] == "acknowledged" and answer.json()["acknowledged_at"] and not answer.json()["contact"]
    assert audits(engine, "contact.view") == []

    answer = _post(client, network["alpha-vrc"], mine, "accept")
    assert answer.status_code == 200, answer.text
    assert answer.json()["contact"] == {"name": "Ana Pérez", "organisation": None, "phone": "713-555-0142",
                                        "email": "ana@example.org", "preferred_contact": "phone"}
    again = client.get(f"/api/v1/referrals/{mine}", headers=network["alpha-vrc"])
    assert again.json()["contact"]["phone"] == "713-555-0142"
    views = audits(engine, "contact.view")
    assert len(views) == 2 and {v.target_id for v in views} == {str(mine)}
    assert all(json.loads(v.diff) == {"person": f"volunteer:{person['id']}"} for v in views)
    assert views[0].actor.startswith("token:") and "alpha-vrc" in views[0].actor

    done = _post(client, network["alpha-vrc"], mine, "fulfill")
    assert done.json()["state"] == "fulfilled" and done.json()["fulfilled_at"]
    assert [a.diff for a in audits(engine, "referral.accept")] and audits(engine, "referral.fulfill")


def test_another_clearinghouses_referral_does_not_exist_for_it(client, network):
    person = register(client, network["caller"])
    alphas = person["referrals"][0]["id"]
    assert client.get(f"/api/v1/referrals/{alphas}", headers=network["charlie-vrc"]).status_code == 404
    assert _post(client, network["charlie-vrc"], alphas, "accept").status_code == 404
    assert client.get("/api/v1/referrals/999999", headers=network["charlie-vrc"]).status_code == 404


def test_a_wrong_move_is_a_conflict_naming_both_states(client, network):
    mine = register(client, network["caller"])["referrals"][0]["id"]
    answer = _post(client, network["alpha-vrc"], mine, "fulfill")
    assert answer.status_code == 409
    assert "sent" in answer.json()["error"]["message"] and "fulfilled" in answer.json()["error"]["message"]


def test_a_decline_needs_a_reason_and_sends_the_person_on(client, network, engine):
    person = register(client, network["caller"])
    alpha, bravo = (r["id"] for r in person["referrals"])
    answer = _post(client, network["alpha-vrc"], alpha, "decline")
    assert answer.status_code == 422 and "reason" in answer.json()["error"]["fields"]

    assert _post(client, network["alpha-vrc"], alpha, "decline", reason="crews full").json()["state"] == "declined"
    # bravo still holds the person, so nobody new yet
    assert [r.clearinghouse_slug for r in referrals_of(engine, volunteer_id=person["id"])] == SLUGS[:2]
    assert _post(client, network["bravo-vrc"], bravo, "decline", reason="no boots").status_code == 200
    made = referrals_of(engine, volunteer_id=person["id"])
    assert [(r.clearinghouse_slug, r.state) for r in made] == [("alpha-vrc", "declined"), ("bravo-vrc", "declined"),
                                                               ("charlie-vrc", "sent")]
    assert _post(client, network["charlie-vrc"], made[2].id, "decline", reason="no").status_code == 200
    listed = client.get("/api/v1/referrals?state=sent", headers=network["em"]).json()["items"]
    assert listed == []  # nobody left to try: the volunteer waits in the reserve


def test_an_items_decline_goes_to_the_next_then_on_file(client, network, engine):
    offer = offer_water(client, network["caller"])
    [first] = offer["referrals"]
    assert first["clearinghouse"] == "alpha-vrc"
    _post(client, network["alpha-vrc"], first["id"], "decline", reason="warehouse full")
    made = referrals_of(engine, donation_item_id=referrals_of(engine, id=first["id"])[0].donation_item_id)
    assert [(r.clearinghouse_slug, r.state) for r in made][-1] == ("bravo-vrc", "sent")
    _post(client, network["bravo-vrc"], made[-1].id, "decline", reason="full")
    last = referrals_of(engine, clearinghouse_slug="charlie-vrc")[-1]
    _post(client, network["charlie-vrc"], last.id, "decline", reason="full")
    from surge.intake.models import DonationItem
    from surge.kernel.db import unit_of_work
    with unit_of_work(engine) as session:
        assert session.get(DonationItem, last.donation_item_id).status == "on_file"


def test_webhooks_carry_contact_details_only_from_acceptance(client, network, engine):
    offer = offer_water(client, network["caller"])
    mine = offer["referrals"][0]["id"]
    _post(client, network["alpha-vrc"], mine, "acknowledge")
    _post(client, network["alpha-vrc"], mine, "accept")
    _post(client, network["alpha-vrc"], mine, "release", reason="truck never came", why="no_show")
    hooks = {m.topic: m for m in outbox(engine) if m.channel == "webhook" and m.clearinghouse_slug == "alpha-vrc"}
    for topic in ("referral.sent", "referral.acknowledged"):
        assert "713-555" not in json.dumps(hooks[topic].body) and "contact" not in hooks[topic].body
    assert hooks["referral.accepted"].body["contact"]["email"] == "sales@water.example"
    assert hooks["referral.accepted"].body["summary"]["category"] == "water"
    assert "contact" not in hooks["referral.released"].body
    assert hooks["referral.released"].key == f"referral:{mine}:released:webhook"


def test_the_list_is_filtered_by_role(client, network, make_token):
    register(client, network["caller"])
    offer_water(client, network["caller"])
    everyone = client.get("/api/v1/referrals?incident=harvey&limit=2", headers=network["em"]).json()
    assert len(everyone["items"]) == 2 and everyone["next_offset"] == 2
    rest = client.get("/api/v1/referrals?incident=harvey&limit=2&offset=2", headers=network["em"]).json()
    assert len(rest["items"]) == 1 and rest["next_offset"] is None
    bravo = client.get("/api/v1/referrals?clearinghouse=alpha-vrc", headers=network["bravo-vrc"]).json()["items"]
    assert [r["clearinghouse"] for r in bravo] == ["bravo-vrc"]  # its own, whatever it asks for
    assert all(r["contact"] is None for r in everyone["items"] + rest["items"])
    assert client.get("/api/v1/referrals", headers=network["caller"]).status_code == 403
    assert client.get("/api/v1/referrals?limit=201", headers=network["em"]).status_code == 422


def test_managers_cancel_but_do_not_answer_for_a_clearinghouse(client, network):
    mine = register(client, network["caller"])["referrals"][0]["id"]
    assert _post(client, network["em"], mine, "accept").status_code == 403
    answer = _post(client, network["em"], mine, "release", reason="duplicate", why="cancelled")
    assert answer.status_code == 200 and answer.json()["released_why"] == "cancelled"


def test_after_stand_down_a_clearinghouse_still_finishes_its_referrals(client, network, engine):
    person = register(client, network["caller"])
    alpha, bravo = (r["id"] for r in person["referrals"])
    client.post("/api/v1/incidents/harvey/stand-down", headers=network["em"], json={"reason": "over"})
    assert _post(client, network["alpha-vrc"], alpha, "accept").status_code == 200
    assert _post(client, network["bravo-vrc"], bravo, "decline", reason="done").status_code == 200
    assert _post(client, network["alpha-vrc"], alpha, "fulfill").status_code == 200
    assert len(referrals_of(engine, volunteer_id=person["id"])) == 2  # nobody new after stand-down
