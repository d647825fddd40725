"""The router tries only the routes a path can match, and picks what Starlette's own router picks."""

from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route
from starlette.testclient import TestClient

from surge.web.infra.prefix_router import KEPT_PATHS, PrefixRouter


def _answer(text):
    async def endpoint(request):
        return PlainTextResponse(f"{text} {dict(request.path_params)}")
    return endpoint


def _client(routes):
    app = Starlette()
    app.router = PrefixRouter(routes)
    return TestClient(app)


ROUTES = [
    Route("/items/new", _answer("new"), methods=["GET"]),
    Route("/items/{id:int}", _answer("item"), methods=["GET"]),
    Route("/items/{name}", _answer("named"), methods=["GET", "POST"]),
    Route("/{page}", _answer("page"), methods=["GET"]),
    Route("/things/", _answer("things"), methods=["GET"]),
    Mount("/static", routes=[Route("/{file}", _answer("file"))]),
]


def test_the_first_declared_match_wins_as_in_starlette():
    client = _client(ROUTES)
    assert client.get("/items/new").text == "new {}"
    assert client.get("/items/7").text == "item {'id': 7}"
    assert client.get("/items/seven").text == "named {'name': 'seven'}"
    assert client.get("/about").text == "page {'page': 'about'}"
    assert client.get("/static/a.css").text == "file {'file': 'a.css'}"


def test_a_method_no_route_takes_is_405_and_an_unknown_path_404():
    client = _client(ROUTES)
    assert client.post("/items/7").text == "named {'name': '7'}"  # the full match later beats the partial one
    assert client.delete("/items/7").status_code == 405
    assert client.get("/items/7/parts").status_code == 404


def test_a_missing_trailing_slash_redirects_as_before():
    client = _client(ROUTES)
    answer = client.get("/items/new/", follow_redirects=False)
    assert answer.status_code == 307 and answer.headers["location"].endswith("/items/new")


def test_every_answer_is_starlettes_own():
    ours, theirs = _client(ROUTES), TestClient(Starlette(routes=ROUTES))
    for method, path in [("GET", "/items/new"), ("GET", "/items/7"), ("POST", "/items/7"), ("PUT", "/items/x"),
                         ("GET", "/"), ("GET", "/x/y"), ("GET", "/static/a"), ("GET", "/static"), ("GET", "/things/"),
                         ("GET", "/items/new/")]:
        mine, starlettes = (client.request(method, path, follow_redirects=False) for client in (ours, theirs))
        assert (mine.status_code, mine.text) == (starlettes.status_code, starlettes.text), (method, path)


def test_routes_added_later_are_tried_and_remembered_paths_stay_bounded():
    client = _client(list(ROUTES))
    assert client.get("/items/new/edit").status_code == 404
    client.app.router.routes.insert(0, Route("/items/new/edit", _answer("edit")))
    assert client.get("/items/new/edit").text == "edit {}"
    for n in range(KEPT_PATHS + 5):
        assert client.get(f"/p{n}").status_code == 200
    assert len(client.app.router._kept) <= KEPT_PATHS
