"""A small county catalogue built in Python, independent of content/.

Mirrors the demo county's ids and hours (catalogue.md) for the offices the
tests need, so the scheduling tests run while editors change the content.
"""

from __future__ import annotations

from datetime import time

from amtslotse.core.content import (
    Accessibility,
    Address,
    Catalogue,
    Clarification,
    ClarifyOption,
    County,
    ExternalBody,
    Interval,
    Location,
    Office,
    OpeningHours,
    Service,
    WalkIn,
)


def _span(a: str, b: str) -> Interval:
    return Interval(time.fromisoformat(a), time.fromisoformat(b))


MORNING = (_span("08:00", "12:00"),)
TERMIN_HOURS = OpeningHours(
    id="termin",
    weekly=(
        MORNING,
        (*MORNING, _span("13:00", "18:00")),
        MORNING,
        (*MORNING, _span("13:00", "16:00")),
        MORNING,
        (),
        (),
    ),
)


def _location(lid: str, name: str, appointments: bool = True) -> Location:
    return Location(
        id=lid,
        name=name,
        address=Address(
            street="Beispielstraße 1", postcode="06749", city="Bitterfeld-Wolfen", example=True
        ),
        hours=TERMIN_HOURS,
        appointments=appointments,
        accessibility=Accessibility(wheelchair=True, lift=True, text="Es gibt einen Aufzug."),
    )


def _office(oid: str, location: str, desks: int) -> Office:
    return Office(
        id=oid,
        name=oid.capitalize(),
        location_id=location,
        desks=desks,
        phone="03496 0000-0",
        email=f"{oid}@beispiel.de",
    )


def _service(
    sid: str,
    office: str | None,
    minutes: int | None,
    walk_in: WalkIn = WalkIn.NO,
    choose: Clarification | None = None,
) -> Service:
    return Service(
        id=sid,
        name=sid.replace("_", " ").title(),
        office_id=office,
        walk_in=walk_in,
        minutes=minutes,
        text="Beispiel·text.",
        simple_text="Beispiel.",
        synonyms=(sid,),
        choose_office=choose,
    )


def demo_catalogue() -> Catalogue:
    offices = [
        _office("jobcenter", "skz", 3),
        _office("sozialamt", "skz", 2),
        _office("jugendamt", "skz", 2),
        _office("wohngeldstelle", "skz", 1),
        _office("buergerbuero", "buergerbuero", 0),
        _office("gesundheitsamt", "kreishaus", 1),
    ]
    choose = Clarification(
        id="services.bildung_teilhabe.choose_office",
        question="Bekommen Sie Bürger·geld?",
        options=(ClarifyOption("Ja", "jobcenter"), ClarifyOption("Nein", "sozialamt")),
    )
    services = [
        _service("buergergeld_antrag", "jobcenter", 45),
        _service("jobcenter_beratung", "jobcenter", 30),
        _service("grundsicherung_alter", "sozialamt", 45),
        _service("unterhaltsvorschuss", "jugendamt", 45),
        _service("erziehungsberatung", "jugendamt", 60),
        _service("wohngeld", "wohngeldstelle", 30),
        _service("bildung_teilhabe", None, 30, choose=choose),
        _service("impfung", "gesundheitsamt", 20),
        _service("beglaubigung", "buergerbuero", None, WalkIn.YES),
        _service("kinderschutz", "jugendamt", None, WalkIn.URGENT),
        _service("kindergeld", "extern_familienkasse", None, WalkIn.EXTERNAL),
    ]
    return Catalogue(
        county=County(
            id="beispiel",
            name="Land·kreis Beispiel",
            example_notice="Beispiel·daten.",
            hotline_phone="03496 0000-0",
            hotline_hours="Mo-Fr",
            timezone="Europe/Berlin",
            jugendamt_emergency_phone="03496 0000-1111",
            holiday_subdivision="ST",
        ),
        locations={
            "skz": _location("skz", "Soziales Kompetenz·zentrum"),
            "buergerbuero": _location("buergerbuero", "Bürger·büro", appointments=False),
            "kreishaus": _location("kreishaus", "Kreis·haus"),
        },
        offices={o.id: o for o in offices},
        external={
            "extern_familienkasse": ExternalBody(
                id="extern_familienkasse",
                name="Familien·kasse",
                phone="0800 4 5555 30",
                website="https://www.arbeitsagentur.de/familie-und-kinder",
                text="Kinder·geld.",
            )
        },
        services={s.id: s for s in services},
        clarifications={},
        glossary=(),
    )
