"""The unsubscribe page an e-mail-only brief subscriber opens: accessible in English and Spanish, and it works."""

from __future__ import annotations

import pytest

from surge.kernel.link_tokens import token_hash
from surge.briefs.subscription_models import BriefSubscription, BriefUnsubscribeLink
from surge.kernel.db import unit_of_work

from .conftest import axe_violations

pytestmark = pytest.mark.browser
TOKEN = "browser-unsubscribe-token"


def _subscribed(engine) -> int:
    with unit_of_work(engine) as session:
        row = BriefSubscription(email="duty@example.org", counties=["48201"], subscriber_key="email:duty@example.org",
                                target_key="area:test", created_by="test")
        session.add(row)
        session.flush()
        session.add(BriefUnsubscribeLink(token_hash=token_hash(TOKEN), subscription_id=row.id))
        return row.id


@pytest.mark.parametrize("language, button", [("en", "Unsubscribe"), ("es", "Cancelar la suscripción")])
def test_the_unsubscribe_page_is_accessible_and_ends_the_subscription(page, live_server, engine, language, button):
    row_id = _subscribed(engine)
    page.goto(f"{live_server}/briefs/unsubscribe/{TOKEN}?lang={language}")
    assert page.get_by_role("heading", level=1).is_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("status").is_visible()
    assert axe_violations(page) == []
    with unit_of_work(engine) as session:
        assert session.get(BriefSubscription, row_id) is None
