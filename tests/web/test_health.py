def test_healthz_reports_a_working_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_an_unreachable_database(settings):
    from starlette.testclient import TestClient

    from surge.web.app import create_app

    broken = settings.with_(database_url="sqlite:////nonexistent-dir/nowhere.db")
    with TestClient(create_app(broken)) as client:
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_security_headers_are_set(client):
    response = client.get("/healthz")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"


def test_unknown_page_gets_a_friendly_404_without_a_trace(client):
    response = client.get("/no-such-page", headers={"accept": "text/html"})
    assert response.status_code == 404
    assert "does not exist" in response.text
    assert "Traceback" not in response.text


def test_unknown_api_route_gets_a_json_404(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_healthz_ignores_session_cookies(client):
    client.cookies.set("surge_session", "stale-or-forged")
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "surge_session=" not in response.headers.get("set-cookie", "")


def test_healthz_and_readyz_refuse_an_unmigrated_database(settings, tmp_path):
    from starlette.testclient import TestClient

    from surge.web.app import create_app

    empty = settings.with_(database_url=f"sqlite:///{tmp_path / 'empty.db'}")
    with TestClient(create_app(empty)) as client:
        for path in ("/healthz", "/readyz"):
            response = client.get(path)
            assert response.status_code == 503, path
            assert response.json()["database"] == "not_migrated"
            assert "surge db upgrade" in response.json()["reason"]


def test_readyz_reports_geography_once_loaded(client):
    from surge.locations import lookups

    lookups.warm_up()
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "geography": "loaded"}
    assert response.headers["cache-control"] == "no-store"
