"""What browsers and caches may keep, which hosts are answered, and where language links point."""

import re

from starlette.testclient import TestClient

from surge.web.app import create_app
from tests.conftest import csrf_from


def test_signed_in_pages_and_token_answers_are_not_stored(client, make_user, login, make_token):
    make_user("admin", email="chief@example.org")
    assert login("chief@example.org").status_code == 303
    assert client.get("/").headers["cache-control"] == "no-store"
    assert client.get("/api/v1/me").headers["cache-control"] == "no-store"
    token = make_token(role="partner")
    with TestClient(client.app) as other:
        answer = other.get("/api/v1/me", headers={"authorization": f"Bearer {token}"})
        assert answer.status_code == 200 and answer.headers["cache-control"] == "no-store"


def test_pages_with_forms_are_not_stored_but_static_files_are_cached(client):
    login_page = client.get("/login")
    assert "csrf_token" in login_page.text and login_page.headers["cache-control"] == "no-store"
    css = client.get("/static/surge.css")
    assert css.status_code == 200 and "no-store" not in css.headers.get("cache-control", "")
    public_json = client.get("/api/v1/geo/locate", params={"zip": "77002"})
    assert "no-store" not in public_json.headers.get("cache-control", "")


def test_back_after_log_out_cannot_show_the_previous_page(client, make_user, login):
    make_user("admin", email="chief@example.org")
    login("chief@example.org")
    home = client.get("/")
    assert "chief@example.org" in home.text and home.headers["cache-control"] == "no-store"
    client.post("/logout", data={"csrf_token": csrf_from(home.text)})
    assert "chief@example.org" not in client.get("/").text


def _language_links(html: str) -> list[str]:
    nav = html[html.index('class="languages"'):]
    return re.findall(r'href="([^"]+)"', nav[: nav.index("</nav>")])


def test_a_404_for_a_double_slash_path_links_only_to_this_site(client):
    for path in ("//evil.example/steal", "/%5Cevil.example/steal", "/%2F%2Fevil.example"):
        page = client.get(f"http://testserver{path}", headers={"accept": "text/html"})
        assert page.status_code == 404
        links = _language_links(page.text)
        assert len(links) == 2, page.text
        for link in links:
            assert link.startswith("/") and not link.startswith(("//", "/\\")), link


def test_language_links_keep_the_page_and_its_query(client):
    links = _language_links(client.get("/login?next=/x").text)
    assert "/login?next=%2Fx&amp;lang=es" in links


def test_an_unknown_host_gets_400_and_redirects_never_echo_it(client):
    forged = client.get("/api/v1/me/", headers={"host": "evil.example"}, follow_redirects=False)
    assert forged.status_code == 400
    assert "evil.example" not in forged.headers.get("location", "")


def test_allowed_hosts_are_answered_and_redirect_to_themselves(settings, engine):
    app = create_app(settings.with_(allowed_hosts="surge.example.org, *.211.example", env="development"))
    with TestClient(app, base_url="http://surge.example.org") as client:
        moved = client.get("/api/v1/me/", follow_redirects=False)
        assert moved.status_code in (307, 308)
        assert moved.headers["location"].startswith("http://surge.example.org/")
        assert client.get("/healthz", headers={"host": "houston.211.example"}).status_code == 200
        assert client.get("/healthz", headers={"host": "testserver"}).status_code == 400


def test_a_language_link_from_another_site_is_not_remembered(client):
    for headers in ({}, {"sec-fetch-site": "cross-site"}, {"referer": "https://evil.example/"}):
        client.cookies.clear()
        page = client.get("/login?lang=es", headers=headers)
        assert 'lang="es"' in page.text
        assert "surge_lang" not in page.headers.get("set-cookie", "")
        assert 'lang="en"' in client.get("/login").text


def test_the_switcher_on_our_own_pages_remembers_the_language(client):
    for headers in ({"sec-fetch-site": "same-origin"}, {"referer": "http://testserver/login"}):
        client.cookies.clear()
        page = client.get("/login?lang=es", headers=headers)
        assert "surge_lang=es" in page.headers["set-cookie"]
        assert 'lang="es"' in client.get("/login").text
