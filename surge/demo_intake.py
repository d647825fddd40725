"""A few hundred made-up volunteers and donation offers on the demo's exercise, so every intake page shows
something. Seeded, so each install gets the same people; loaded once."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlmodel import Session, select

from surge.access.principal import Principal
from surge.demo_network import EXERCISE
from surge.intake import donations, referrals, volunteers
from surge.intake.forms import DonationIn, VolunteerIn
from surge.intake.models import Referral, Source, Volunteer
from surge.intake.referral_states import Action
from surge.kernel.validation import validate

VOLUNTEERS = 300
OFFERS = 80
# ZIP codes in the exercise's counties: Houston, Galveston, Corpus Christi, New Orleans, Lake Charles.
ZIPS = ("77002", "77004", "77006", "77019", "77550", "78401", "78404", "70112", "70115", "70601")
SKILLS = ("debris_removal", "muck_out", "chainsaw", "construction_trades", "warehouse", "food_service",
          "interpreter", "shelter_support", "phone_bank", "mental_health", "animal_care", "data_entry",
          "licensed_medical", "cdl_driver", "childcare")
FIRST = ("Ana", "Luis", "Mai", "Jamal", "Grace", "Tomás", "Priya", "Noah", "Lena", "Omar", "Rosa", "Ken")
LAST = ("Nguyen", "García", "Johnson", "Broussard", "Patel", "Smith", "Hernández", "Thibodeaux", "Lee", "Okafor")
GOODS = (("water", "cases of bottled water", "cases", "boxed"), ("used_clothing", "bags of clothes", "bags", "loose"),
         ("non_perishable_food", "canned food", "boxes", "boxed"), ("cleaning_supplies", "mops and bleach", "kits",
         "boxed"), ("bedding", "blankets", "each", "boxed"), ("furniture", "sofa", "each", "loose"),
         ("pet_supplies", "dog food", "bags", "boxed"), ("infant_supplies", "diapers", "boxes", "boxed"))


def _volunteer(rng: random.Random, n: int) -> dict:
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    start = datetime(2026, 9, 1) + timedelta(days=rng.randrange(10))
    return {"name": name, "phone": f"713-555-{n:04d}", "zip": rng.choice(ZIPS),
            "email": f"volunteer{n}@surge.example" if n % 3 == 0 else None,
            "skills": rng.sample(SKILLS, rng.randint(1, 3)), "travel_miles": rng.choice((10, 25, 50, 100)),
            "languages": ["en", "es"] if n % 4 == 0 else (["es"] if n % 17 == 0 else ["en"]),
            "availability": {"from": start.date().isoformat(), "to": (start + timedelta(days=7)).date().isoformat(),
                             "days": rng.sample(["mon", "tue", "wed", "thu", "fri", "sat", "sun"], 3),
                             "shifts": [rng.choice(["morning", "afternoon", "evening"])]},
            "activity": rng.choice(["significant", "some", "little"]),
            "consents": {"share_with_clearinghouses": True, "background_check": n % 2 == 0}}


def _offer(rng: random.Random, n: int) -> dict:
    items = []
    for category, description, unit, packaging in rng.sample(GOODS, rng.randint(1, 2)):
        items.append({"category": category, "description": description, "quantity": rng.randint(1, 40),
                      "unit": unit, "packaging": packaging, "condition": "used" if category == "used_clothing"
                      else "new"})
    donor = rng.choice(["individual", "individual", "business", "organisation"])
    return {"name": f"{rng.choice(FIRST)} {rng.choice(LAST)}", "donor_type": donor, "phone": f"504-555-{n:04d}",
            "zip": rng.choice(ZIPS), "items": items, "can_deliver": rng.random() < 0.4,
            "estimated_value": rng.choice((None, 50, 200, 1500)),
            "cash_pledge": rng.choice((None, None, 25, 100)) if n % 5 == 0 else None}


def _forget(session: Session) -> None:
    """Written rows need not stay in the session: hundreds of them would make every later flush slower."""
    session.flush()
    session.expunge_all()


def load_intake(session: Session, *, actor: Principal, now: datetime) -> int:
    """Register the demo's people once; how many volunteers the exercise has."""
    if session.exec(select(Volunteer.id).where(Volunteer.incident_slug == EXERCISE["slug"])).first() is None:
        rng = random.Random(211)
        for n in range(VOLUNTEERS):
            volunteers.register(session, incident_slug=EXERCISE["slug"], data=validate(VolunteerIn, _volunteer(rng, n)),
                                source=Source.PHONE if n % 2 else Source.WEB, actor=actor, now=now)
            _forget(session)
        for n in range(OFFERS):
            donations.offer(session, incident_slug=EXERCISE["slug"], data=validate(DonationIn, _offer(rng, n)),
                            source=Source.WEB, actor=actor, now=now)
            _forget(session)
        _answer_some(session, actor=actor, now=now)
    return len(session.exec(select(Volunteer.id).where(Volunteer.incident_slug == EXERCISE["slug"])).all())


def _answer_some(session: Session, *, actor: Principal, now: datetime) -> None:
    """The clearinghouses' side: of every ten referrals, four accepted (two of them fulfilled), one declined."""
    sent = session.exec(select(Referral).where(Referral.incident_slug == EXERCISE["slug"]).order_by(Referral.id)).all()
    for n, referral in enumerate(sent):
        steps = {0: [Action.ACCEPT, Action.FULFILL], 1: [Action.ACCEPT, Action.FULFILL], 2: [Action.ACCEPT],
                 3: [Action.ACCEPT], 4: [Action.DECLINE], 5: [Action.ACKNOWLEDGE]}.get(n % 10, [])
        for action in steps:
            referrals.transition(session, referral, action, actor=actor.actor, now=now,
                                 reason="crew full this week" if action is Action.DECLINE else "")
