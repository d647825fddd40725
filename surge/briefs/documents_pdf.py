"""HTML to PDF with WeasyPrint, kept off the network: only data: URIs and our own static files are read."""

from __future__ import annotations

from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from surge.kernel.paths import STATIC_DIR

# The page's own address for WeasyPrint: relative links such as /static/brief.css resolve under it, and
# nothing under it is fetched but files that exist in our static folder.
BASE_URL = "https://surge.invalid/"
STATIC_PREFIX = BASE_URL + "static/"
PRINT_STYLESHEET = STATIC_DIR / "brief-print.css"


class OwnFilesOnly(URLFetcher):
    """data: URIs, and files that exist in our static folder; every other address is refused."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith(STATIC_PREFIX):
            name = url[len(STATIC_PREFIX):].split("?", 1)[0].split("#", 1)[0]
            path = (STATIC_DIR / name).resolve()
            if path.is_file() and STATIC_DIR.resolve() in path.parents:
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": _mime(path)})
        raise ValueError(f"not fetched: {url[:80]}")  # no remote fetches, ever


def _mime(path: Path) -> str:
    return {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}.get(path.suffix,
                                                                                 "application/octet-stream")


def document(page: str):
    """The laid-out document (its pages can be measured and read in tests)."""
    fetcher = OwnFilesOnly(allowed_protocols=("data", "https"), allow_redirects=False)
    return HTML(string=page, base_url=BASE_URL, url_fetcher=fetcher).render(
        stylesheets=[CSS(string=PRINT_STYLESHEET.read_text(encoding="utf-8"), base_url=BASE_URL, url_fetcher=fetcher)])


def render_pdf(page: str) -> bytes:
    return document(page).write_pdf()
