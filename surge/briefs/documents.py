"""A brief as a document: a stand-in page and its PDF, replaced by the full renderer."""

from __future__ import annotations

from html import escape

from sqlmodel import Session

from surge.briefs.models import Brief


def html(session: Session, brief: Brief, *, language: str = "en") -> str:
    title = escape(f"{brief.incident_slug} #{brief.number}")
    return (f'<!doctype html><html lang="{escape(language)}"><head><meta charset="utf-8"><title>{title}</title>'
            f"</head><body><h1>{title}</h1><p>{brief.period_start.isoformat()} to {brief.period_end.isoformat()}"
            "</p></body></html>")


def pdf(session: Session, brief: Brief) -> bytes:
    import weasyprint  # a second of imports: paid by the first brief, not by every process that starts

    return weasyprint.HTML(string=html(session, brief)).write_pdf()
