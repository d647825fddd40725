"""The migration to centers carries every existing center tie over, then enforces it by foreign key."""

from __future__ import annotations

import os
from contextlib import nullcontext

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from surge.kernel.db import make_engine
from surge.schema import upgrade
from tests.conftest import _private_postgres_database

BEFORE_CENTERS = "c4d8e1a27f63"


@pytest.fixture
def empty_database(tmp_path):
    url = os.environ.get("SURGE_TEST_DATABASE_URL")
    if url and url.startswith("postgresql"):
        with _private_postgres_database(url) as private:
            yield private
    else:
        with nullcontext(f"sqlite:///{tmp_path / 'old.db'}") as path:
            yield path


def test_existing_ties_become_centers_and_unknown_ones_are_refused(empty_database):
    upgrade(empty_database, BEFORE_CENTERS)
    engine = make_engine(empty_database)
    try:
        with engine.begin() as conn:
            conn.execute(text(
                "insert into users (email, display_name, is_active, role, center_slug, password_hash, created_at) "
                "values ('sup@example.org', '', true, 'supervisor', 'old-center', 'x', CURRENT_TIMESTAMP)"))
            conn.execute(text(
                "insert into api_tokens (name, role, center_slug, token_hash, prefix, created_at) "
                "values ('ivr', 'call_taker', 'other-center', 'h', 'surge_', CURRENT_TIMESTAMP)"))
        upgrade(empty_database)
        with engine.connect() as conn:
            centers = conn.execute(text("select slug, name, active from centers order by slug")).all()
        assert [(slug, name, bool(active)) for slug, name, active in centers] == [
            ("old-center", "old-center", True), ("other-center", "other-center", True)]
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(text("update users set center_slug = 'ghost-center'"))
    finally:
        engine.dispose()
