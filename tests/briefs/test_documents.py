"""A brief as HTML and PDF: every section, the empty brief, escaping, paper size and page numbers, Spanish,
the needs figures against the needs API, and who may read them."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlmodel import select

from surge.briefs import charts_svg, documents_pdf
from surge.briefs.models import Brief
from surge.kernel.db import unit_of_work
from tests.briefs.setup import bearer, make_incident
from tests.briefs.test_figures import post_calls
from tests.briefs.test_production import ACTIVATED, incident, produce  # noqa: F401  (the fixture)

BASE = "/api/v1/incidents/gulf-flood"
SCRIPT = '<script>alert("x")</script>'
NEEDS = [("77002", "food", False, "waitlist"), ("77002", "food", False, "no_service"),
         ("77002", "shelter", True, None), ("48157", "water", False, "waitlist")]


def log_needs(client, make_token):
    taker = bearer(make_token("call_taker", name="taker"))
    for place, category, met, reason in NEEDS:
        where = {"zip": place} if len(place) == 5 and place.startswith("77") else {"county": place}
        body = {**where, "category": category, "met": met, **({"unmet_reason": reason} if reason else {})}
        answer = client.post(f"{BASE}/need-reports", headers=taker, json=body)
        assert answer.status_code == 201, answer.text


def texts_of(box):
    """Every piece of text WeasyPrint laid out under a box: what the PDF prints."""
    found = [box.text] if getattr(box, "text", None) else []
    for child in getattr(box, "children", []) or []:
        found.extend(texts_of(child))
    return found


@pytest.fixture
def full_brief(app, client, engine, incident, make_token, make_center):  # noqa: F811
    em = incident
    post_calls(client, make_token, make_center)
    app.state.clock = lambda: ACTIVATED + timedelta(hours=3)
    log_needs(client, make_token)
    narrative = {"situation": SCRIPT + " Flooding in Harris County.", "actions": "Shelters open.",
                 "rumor_control": "", "next_steps": "Reopen roads."}
    assert client.put(f"{BASE}/narrative", headers=em, json=narrative).status_code == 200
    produce(engine)
    with unit_of_work(engine) as session:
        return session.exec(select(Brief).where(Brief.number == 2)).one().number


def test_the_html_brief_carries_every_section_and_escapes_the_narrative(client, make_token, full_brief):
    partner = bearer(make_token("partner", name="p"))
    assert client.post("/api/v1/brief-subscriptions", json={"incident": "gulf-flood"}, headers=partner).status_code == 201
    page = client.get(f"{BASE}/briefs/{full_brief}.html", headers=partner)
    assert page.status_code == 200, page.text
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["content-disposition"] == 'inline; filename="gulf-flood-brief-2.html"'
    text = page.text
    assert SCRIPT not in text and "&lt;script&gt;alert(" in text
    for heading in ("Key figures", "Calls", "Overflow", "Needs and unmet needs", "Top unmet needs", "Volunteers",
                    "Donations", "Clearinghouses", "Narrative", "EXERCISE", "Harris County", "Food", "On a waiting list"):
        assert heading in text, heading
    assert text.count("<svg") == 2 and "<script" not in text.replace("&lt;script", "")
    assert "style=" not in text.split("<svg", 1)[1]  # the drawings obey the page's no-inline-style policy


def test_the_brief_needs_equal_the_needs_summary_api_for_its_window(client, engine, make_token, full_brief):
    em = bearer(make_token("emergency_manager", name="reader"))
    brief = client.get(f"{BASE}/briefs/{full_brief}.json", headers=em).json()
    needs = brief["figures"]["needs"]
    summary = client.get(f"{BASE}/need-reports/summary", headers=em, params={
        "from": brief["period_start"], "to": brief["period_end"]}).json()
    assert needs["overall"] == summary["overall"] and needs["overall"]["total"] == len(NEEDS)
    assert [{key: row[key] for key in ("category", "total", "met", "unmet", "unmet_by_reason")}
            for row in summary["by_category"]] == needs["by_category"]
    assert [(row["county_fips"], row["county"], row["total"], row["unmet"]) for row in summary["by_county"]] == [
        (row["county_fips"], row["county"], row["total"], row["unmet"]) for row in needs["by_county"]]
    harris = next(row for row in needs["by_county"] if row["county_fips"] == "48201")
    assert harris["per_10k"] == round(3 * 10_000 / harris["population"], 2)
    assert needs["top_unmet"][0] == {"category": "food", "unmet": 2, "reasons": {"no_service": 1, "waitlist": 1}}


def test_the_pdf_is_letter_numbered_and_prints_the_script_as_text(client, engine, make_token, full_brief):
    em = bearer(make_token("emergency_manager", name="reader"))
    answer = client.get(f"{BASE}/briefs/{full_brief}.pdf", headers=em)
    assert answer.status_code == 200, answer.text[:200]
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-disposition"] == 'inline; filename="gulf-flood-brief-2.pdf"'
    assert answer.content.startswith(b"%PDF")
    page = client.get(f"{BASE}/briefs/{full_brief}.html", headers=em).text
    laid_out = documents_pdf.document(page.replace("</head>", "") )
    first = laid_out.pages[0]
    assert (round(first.width), round(first.height)) == (816, 1056)  # 8.5 x 11 in at 96 px per inch
    printed = " ".join(texts_of(first._page_box))
    assert "Gulf flood" in printed and "EXERCISE" in printed
    every = " ".join(" ".join(texts_of(p._page_box)) for p in laid_out.pages)
    assert SCRIPT in every


def test_page_numbers_print_in_the_readers_language(engine, full_brief):
    from surge.briefs import documents

    with unit_of_work(engine) as session:
        brief = session.exec(select(Brief).where(Brief.number == full_brief)).one()
        english = documents.html(session, brief, print_version=True)
        spanish = documents.html(session, brief, language="es", print_version=True)
    pages = documents_pdf.document(english).pages
    assert f"Page 1 of {len(pages)}" in " ".join(texts_of(pages[0]._page_box))
    assert "Página 1 de" in " ".join(texts_of(documents_pdf.document(spanish).pages[0]._page_box))
    assert "Necesidades" in spanish and "Sin datos para este periodo." in spanish or "Narrativa" in spanish


def test_an_empty_brief_says_no_data_in_every_section(client, make_token):
    em = bearer(make_token("emergency_manager"))
    make_incident(client, em, slug="quiet")
    made = client.post("/api/v1/incidents/quiet/briefs", headers=em)
    page = client.get(f"/api/v1/incidents/quiet/briefs/{made.json()['number']}.html", headers=em)
    assert page.status_code == 200, page.text
    # calls, overflow, needs, volunteers, donations, clearinghouses and the four narrative parts
    assert page.text.count("No data for this period.") == 10 and "<svg" not in page.text
    pdf = client.get(f"/api/v1/incidents/quiet/briefs/{made.json()['number']}.pdf", headers=em)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    spanish = client.get(f"/api/v1/incidents/quiet/briefs/{made.json()['number']}.html?lang=es", headers=em)
    assert spanish.text.count("Sin datos para este periodo.") == 10 and 'lang="es"' in spanish.text


def test_unknown_briefs_are_404_and_phone_systems_are_refused(client, make_token):
    em = bearer(make_token("emergency_manager"))
    make_incident(client, em)
    client.post(f"{BASE}/briefs", headers=em)
    for suffix in ("html", "pdf"):
        assert client.get(f"{BASE}/briefs/99.{suffix}", headers=em).status_code == 404
        assert client.get(f"/api/v1/incidents/no-such/briefs/1.{suffix}", headers=em).status_code == 404
        assert client.get(f"{BASE}/briefs/1.{suffix}", headers=bearer(make_token("phone_system", name="ph"))
                          ).status_code == 403
        assert client.get(f"{BASE}/briefs/1.{suffix}").status_code == 401
    # A partner reads the briefs of an incident it subscribes to, and no other.
    partner = bearer(make_token("partner", name="pa"))
    assert client.get(f"{BASE}/briefs/1.pdf", headers=partner).status_code == 404
    assert client.post("/api/v1/brief-subscriptions", json={"incident": "gulf-flood"}, headers=partner).status_code == 201
    for suffix in ("html", "pdf"):
        assert client.get(f"{BASE}/briefs/1.{suffix}", headers=partner).status_code == 200


def test_the_pdf_fetches_nothing_from_the_network():
    page = ('<html><head><link rel="stylesheet" href="https://example.com/x.css"></head><body>'
            '<img src="http://127.0.0.1:9/x.png" alt=""><img src="file:///etc/passwd" alt="">'
            '<p>ok</p></body></html>')
    fetcher = documents_pdf.OwnFilesOnly(allowed_protocols=("data", "https"), allow_redirects=False)
    for url in ("https://example.com/x.css", "http://127.0.0.1:9/x.png", "file:///etc/passwd",
                documents_pdf.STATIC_PREFIX + "../../pyproject.toml"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert fetcher.fetch(documents_pdf.STATIC_PREFIX + "brief.css").status == 200
    assert documents_pdf.render_pdf(page).startswith(b"%PDF")


def test_drawings_lose_scripts_handlers_and_inline_styles():
    dirty = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
             'onload="alert(1)" viewBox="0 0 10 10"><script>alert(2)</script><style>*{}</style>'
             '<a href="javascript:x"><text>link</text></a><text style="font: 10px \'DejaVu Sans\'; fill: #000">A &lt;b&gt;</text>'
             '<use xlink:href="https://example.com/x#y"/><foreignObject><p>x</p></foreignObject></svg>')
    clean = charts_svg.clean(dirty, label="L")
    for gone in ("onload", "script", "<style", "javascript", "link", "example.com", "foreignObject", "style="):
        assert gone not in clean, gone
    assert 'font-size="10px"' in clean and "A &lt;b&gt;" in clean and 'aria-label="L"' in clean


def test_long_words_and_long_tables_wrap_inside_the_page(engine, full_brief):
    from surge.briefs import documents

    with unit_of_work(engine) as session:
        brief = session.exec(select(Brief).where(Brief.number == full_brief)).one()
        brief.narrative = {**brief.narrative, "actions": "Reopen " + "x" * 400 + " roads. " * 300}
        page = documents.html(session, brief, print_version=True)
    laid_out = documents_pdf.document(page)
    assert len(laid_out.pages) > 4  # the narrative ran on over more pages
    right_margin = 0.6 * 96

    def boxes(box):
        yield box
        for child in getattr(box, "children", []) or []:
            yield from boxes(child)

    for sheet in laid_out.pages:
        edge = sheet.width - right_margin + 1
        assert all(box.position_x + box.width <= edge for box in boxes(sheet._page_box)
                   if isinstance(getattr(box, "width", None), (int, float))), "something runs off the page"
