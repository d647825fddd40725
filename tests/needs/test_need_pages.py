"""The call-taker's needs page and the import page: signed in, CSRF-checked, one need a form, English and Spanish."""

import re

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from surge.kernel.db import unit_of_work
from surge.needs.models import NeedReport
from surge.web.app import create_app
from tests.conftest import csrf_from
from tests.needs.setup import EXERCISE, incidents, stand_down  # noqa: F401
from tests.needs.test_imports import GOOD, MAPPING

LOG = f"/ops/incidents/{EXERCISE}/need-reports/log"
IMPORT = f"/ops/incidents/{EXERCISE}/need-reports/import"


def form_token(html: str) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', html).group(1)


def count(engine) -> int:
    with unit_of_work(engine) as session:
        return len(session.exec(select(NeedReport.id)).all())


@pytest.fixture
def call_taker(client, incidents, make_user, login):
    make_user(role="call_taker", center="houston-211")
    login("call_taker@example.org")
    return client


def fields(page, **changes):
    body = {"csrf_token": csrf_from(page.text), "form_token": form_token(page.text), "zip": "77002", "county": "",
            "category": "shelter", "met": "unmet", "unmet_reason": "no_service"}
    body.update(changes)
    return body


def test_a_need_is_logged_and_the_form_comes_back_empty_with_a_tally(call_taker, engine):
    page = call_taker.get(LOG)
    assert page.status_code == 200 and 'name="zip"' in page.text and "autofocus" in page.text
    assert "Harris, TX" in page.text  # the incident's counties to choose from
    done = call_taker.post(LOG, data=fields(page))
    assert done.status_code == 200, done.text
    assert "Logged." in done.text and "Shelter in Harris, TX: not met (No service available)." in done.text
    assert "Today you have logged 1 need: 0 met, 1 not met." in done.text
    assert 'value="77002"' not in done.text  # an empty form for the next call
    again = call_taker.post(LOG, data=fields(done, zip="", county="48245", category="water", met="met",
                                             unmet_reason="waitlist"))  # a reason for a met need is dropped
    assert "Today you have logged 2 needs: 1 met, 1 not met." in again.text
    with unit_of_work(engine) as session:
        rows = session.exec(select(NeedReport).order_by(NeedReport.id)).all()
    assert [(r.county_fips, r.category, r.met, r.unmet_reason) for r in rows] == [
        ("48201", "shelter", False, "no_service"), ("48245", "water", True, None)]
    assert rows[0].logged_by is not None  # a person signed in


def test_a_double_submit_logs_once(call_taker, engine):
    page = call_taker.get(LOG)
    body = fields(page)
    assert call_taker.post(LOG, data=body).status_code == 200
    assert call_taker.post(LOG, data=body).status_code == 200
    assert count(engine) == 1


def test_a_mistake_is_shown_on_the_field_and_nothing_is_logged(call_taker, engine):
    page = call_taker.get(LOG)
    answer = call_taker.post(LOG, data=fields(page, zip="00000"))
    assert answer.status_code == 422
    assert 'id="zip-error"' in answer.text and 'aria-invalid="true"' in answer.text
    assert 'value="00000"' in answer.text
    missing = call_taker.post(LOG, data=fields(page, met="", unmet_reason=""))
    assert missing.status_code == 422 and 'id="met-error"' in missing.text
    assert count(engine) == 0


def test_the_form_needs_its_csrf_and_form_tokens(call_taker, engine):
    page = call_taker.get(LOG)
    assert call_taker.post(LOG, data=fields(page, csrf_token="0" * 64)).status_code == 403
    assert call_taker.post(LOG, data=fields(page, form_token="forged.token")).status_code == 400
    assert count(engine) == 0


def test_the_page_speaks_spanish(call_taker):
    page = call_taker.get(LOG + "?lang=es")
    assert page.status_code == 200 and 'lang="es"' in page.text
    assert "Registrar necesidades" in page.text and "Refugio" in page.text
    done = call_taker.post(LOG, data=fields(page), headers={"accept-language": "es"})
    assert "Registrada." in done.text


def test_only_those_who_take_calls_see_it_and_not_once_closed(client, incidents, make_user, login, engine):
    make_user(role="emergency_manager")
    login("emergency_manager@example.org")
    assert client.get(LOG).status_code == 403
    make_user(role="supervisor", center="houston-211")
    login("supervisor@example.org")
    assert client.get(LOG).status_code == 200
    stand_down(engine)
    stand_down(engine)
    assert client.get(LOG).status_code == 409


def test_signed_out_people_are_sent_to_log_in(client, incidents):
    answer = client.get(LOG, follow_redirects=False)
    assert answer.status_code in (302, 303, 401)


@pytest.fixture
def supervisor(client, incidents, make_user, login):
    make_user(role="supervisor", center="houston-211")
    login("supervisor@example.org")
    return client


def upload(page, data: bytes, **changes):
    form = {"csrf_token": csrf_from(page.text), "mapping_json": "", "date_format": MAPPING["date_format"],
            "category_words": "Emergency Food = food\nRoof tarp = housing_repair", "reason_words": "Waiting list = waitlist",
            **{f"column_{name}": column for name, column in MAPPING["columns"].items()}}
    form.update(changes)
    return form, {"file": ("export.csv", data, "text/csv")}


def test_an_import_on_the_page_shows_its_report(supervisor, engine):
    page = supervisor.get(IMPORT)
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.text
    form, files = upload(page, GOOD.encode())
    answer = supervisor.post(IMPORT, data=form, files=files)
    assert answer.status_code == 200, answer.text
    assert re.search(r'id="report-stored">4<', answer.text) and re.search(r'id="report-rejected">0<', answer.text)
    again = supervisor.post(IMPORT, data=form, files=files)
    assert re.search(r'id="report-duplicates">4<', again.text)
    assert count(engine) == 4


def test_the_page_takes_the_mapping_as_json_and_lists_rejected_rows(supervisor, engine):
    import json

    page = supervisor.get(IMPORT)
    bad = GOOD + "09/02/2026 10:15,00000,,Emergency Food,yes,,R-9,\n"
    form, files = upload(page, bad.encode(), mapping_json=json.dumps(MAPPING), column_logged_at="ignored")
    answer = supervisor.post(IMPORT, data=form, files=files, headers={"accept-language": "es"})
    assert answer.status_code == 200, answer.text
    assert re.search(r'id="report-rejected">1<', answer.text)
    assert "<td>6</td>" in answer.text and "00000" in answer.text and "Informe de la importación" in answer.text


def test_a_file_in_another_encoding_is_refused_with_a_message(supervisor, engine):
    page = supervisor.get(IMPORT)
    form, files = upload(page, GOOD.replace("Emergency Food", "Comida de emergencia ñ").encode("latin-1"))
    answer = supervisor.post(IMPORT, data=form, files=files)
    assert answer.status_code == 422 and "not UTF-8" in answer.text
    assert count(engine) == 0


def test_call_takers_do_not_import_and_the_form_needs_csrf(client, incidents, make_user, login, engine):
    make_user(role="call_taker", center="houston-211")
    login("call_taker@example.org")
    assert client.get(IMPORT).status_code == 403
    make_user(role="supervisor", center="houston-211")
    login("supervisor@example.org")
    page = client.get(IMPORT)
    form, files = upload(page, GOOD.encode(), csrf_token="0" * 64)
    assert client.post(IMPORT, data=form, files=files).status_code == 403
    assert count(engine) == 0


def test_an_upload_may_exceed_the_body_limit_up_to_the_import_limit(settings, engine, incidents, make_user):
    small = settings.with_(max_body_bytes=2000, needs_import_max_bytes=20_000)
    make_user(role="supervisor", center="houston-211")
    with TestClient(create_app(small)) as client:
        token = csrf_from(client.get("/login").text)
        client.post("/login", data={"email": "supervisor@example.org", "password": "correct-horse-battery",
                                    "csrf_token": token})
        page = client.get(IMPORT)
        bigger = GOOD + "".join(f"09/02/2026 10:15,77002,,Emergency Food,yes,,X-{n},\n" for n in range(60))
        assert 2000 < len(bigger) < 20_000
        form, files = upload(page, bigger.encode())
        answer = client.post(IMPORT, data=form, files=files)
        assert answer.status_code == 200 and re.search(r'id="report-stored">64<', answer.text)
        huge = bigger * 8
        form, files = upload(page, huge.encode())
        assert client.post(IMPORT, data=form, files=files).status_code == 413
        assert client.post(LOG, data={"zip": "7" * 3000}).status_code == 413  # other pages keep the small limit
