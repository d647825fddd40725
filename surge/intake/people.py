"""What volunteer and donor intake share: the open incident, where a ZIP code lies, reference numbers and the
confirmation e-mail."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam
from sqlmodel import Session, select

import geo
from surge.access.principal import Principal
from surge.incidents.models import Incident, Status
from surge.intake import place_stamps
from surge.kernel.audit import NAME_LENGTH
from surge.kernel.errors import Conflict, NotFound, ValidationFailed
from surge.kernel.i18n import N_, translate
from surge.outbox import enqueue
from surge.outbox.enqueue import Notice
from surge.outbox.models import Channel

# Crockford's base 32 without I, L, O and U: nothing to misread when a reference is said on the phone.
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


# Built once, on the table's columns: the statements of every registration are neither rebuilt nor put through the
# ORM's entity machinery each time (see bench/README.md).
_INCIDENTS = Incident.__table__.c


def incident_statement(*also):
    """The statement `open_incident` reads (by `slug`), with `also` (labelled scalar subqueries) beside it: a caller
    that needs one more value reads it in the same round trip."""
    return select(_INCIDENTS.name, _INCIDENTS.status, place_stamps.CURRENT_COLUMN, *also).where(
        _INCIDENTS.slug == bindparam("slug"))


_NAME_AND_STATUS = incident_statement()


@dataclass(frozen=True)
class OpenIncident:
    slug: str
    name: str
    place_stamp: str | None  # read in the same statement, for `places.snapshot`


def open_incident(session: Session, slug: str) -> OpenIncident:
    """The incident, if it takes registrations now: its name, and the place stamp now (not its area, which can be
    megabytes)."""
    return checked_incident(slug, session.execute(_NAME_AND_STATUS, {"slug": slug}).first())


def checked_incident(slug: str, found) -> OpenIncident:
    """The row `incident_statement` read (or None), if the incident takes registrations now."""
    if found is None:
        raise NotFound(N_("There is no incident %(slug)s."), params={"slug": slug})
    if found.status != Status.ACTIVE:
        raise Conflict(N_("Registration for %(name)s is closed."), params={"name": found.name})
    return OpenIncident(slug=slug, name=found.name, place_stamp=found.place_stamp)


def locate(zip_code: str) -> tuple[float | None, float | None, str]:
    """(lat, lon, county FIPS) of a ZIP code: its centroid and its main county."""
    try:
        county = geo.zip_shares(zip_code)[0].county_fips
    except geo.UnknownCode:
        raise ValidationFailed(N_("ZIP code %(code)s is not a known US ZIP code."), params={"code": zip_code},
                               fields={"zip": N_("Unknown ZIP code.")}) from None
    lat, lon = geo.zip_centroid(zip_code) or (None, None)
    return lat, lon, county


def taker(actor: Principal) -> str:
    """Who took a registration or an offer in, as the record keeps it (`taken_by`)."""
    return actor.actor[:NAME_LENGTH]


def new_reference(prefix: str) -> str:
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"{prefix}-{code[:4]}-{code[4:]}"


def confirm(session: Session, *, email: str | None, reference: str, incident: OpenIncident, text: str,
            language: str, now: datetime) -> None:
    """The confirmation e-mail, through the outbox; once per reference and text (a repeat adds nothing)."""
    if not email:
        return
    notice = Notice(topic="intake.confirmation", subject=translate(language, N_("%(incident)s: your reference %(reference)s"),
                                                                   incident=incident.name, reference=reference),
                    text=text)
    key = f"intake:{reference}:confirmation:{hashlib.sha256(text.encode()).hexdigest()[:16]}"
    enqueue.write(session, [enqueue.message_row(key=key, channel=Channel.EMAIL, recipient=email, notice=notice,
                                                now=now)])
