"""Immutable data model of a county's catalogue (see content/leichte_sprache/README.md)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import time

#: The sentence frames of answers.yml and the {placeholders} each may use.
PHRASES: dict[str, frozenset[str]] = {
    "concern": frozenset({"service"}),
    "office": frozenset({"office"}),
    "appointment_needed": frozenset(),
    "appointment_length": frozenset({"minutes"}),
    "offer_appointment": frozenset(),
    "walk_in": frozenset(),
    "place": frozenset({"location", "address"}),
    "hours_intro": frozenset(),
    "hours_day": frozenset({"day", "spans"}),
    "hours_span": frozenset({"start", "end"}),
    "hours_and": frozenset(),
    "holidays_closed": frozenset(),
    "documents_intro": frozenset(),
    "documents_none": frozenset(),
    "external": frozenset({"office"}),
    "external_phone": frozenset({"phone"}),
    "external_website": frozenset({"website"}),
    "urgent": frozenset({"jugendamt_phone"}),
    "accessibility_intro": frozenset(),
    "simpler_intro": frozenset(),
    "glossary_intro": frozenset({"term"}),
    "no_concern_yet": frozenset(),
    "hotline": frozenset({"phone"}),
    "fallback_options": frozenset(),
    "fallback_other": frozenset(),
    "fallback_hotline": frozenset({"phone"}),
    "booking_by_phone": frozenset({"phone"}),
    "booking_button_yes": frozenset(),
    "booking_button_other_times": frozenset(),
    "booking_button_next": frozenset(),
    "booking_button_new": frozenset(),
    "booking_button_retry": frozenset(),
    "booking_button_privacy_yes": frozenset(),
    "booking_button_privacy_no": frozenset(),
    "booking_time": frozenset({"weekday", "day", "month", "clock"}),
    "booking_ask_office": frozenset(),
    "booking_ask_service": frozenset({"office"}),
    "booking_walk_in": frozenset({"service"}),
    "booking_office_walk_in": frozenset({"office"}),
    "booking_external": frozenset({"service"}),
    "booking_urgent": frozenset(),
    "booking_concerns_intro": frozenset(),
    "booking_concern": frozenset({"office", "service"}),
    "booking_split": frozenset({"location"}),
    "booking_later": frozenset({"location"}),
    "booking_offer_intro": frozenset(),
    "booking_offer_combined": frozenset(),
    "booking_offer_wish": frozenset(),
    "booking_offer_leg": frozenset({"clock", "office"}),
    "booking_no_match": frozenset(),
    "booking_none_free": frozenset({"phone"}),
    "booking_slot_taken": frozenset(),
    "booking_unavailable": frozenset({"phone"}),
    "booking_privacy": frozenset(),
    "booking_privacy_declined": frozenset({"phone"}),
    "booking_ask_name": frozenset(),
    "booking_name_invalid": frozenset(),
    "booking_name_why": frozenset(),
    "booking_ask_contact": frozenset(),
    "booking_contact_invalid": frozenset(),
    "booking_confirmed": frozenset(),
    "booking_show": frozenset(),
    "booking_show_cancelled": frozenset(),
    "booking_leg": frozenset({"office", "time"}),
    "booking_bring": frozenset({"service"}),
    "booking_code": frozenset({"code", "token"}),
    "booking_cancelled": frozenset({"code"}),
    "booking_ask_code": frozenset(),
    "booking_ask_token": frozenset(),
    "booking_code_invalid": frozenset(),
    "booking_not_found": frozenset({"phone"}),
    "bad_input": frozenset(),
    "other_alphabet": frozenset(),
    # Said by the portal when Rasa or a part behind it does not answer.
    "assistant_unavailable": frozenset({"phone"}),
}

WEEKDAYS = ("mo", "di", "mi", "do", "fr", "sa", "so")
WEEKDAY_NAMES = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
MONTH_NAMES = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)


class WalkIn(str, enum.Enum):
    """How a concern is served."""

    YES = "yes"  # walk in at the Bürgerbüro (or the office), no appointment
    NO = "no"  # an appointment is needed
    URGENT = "urgent"  # emergency: numbers at once, never a booking
    EXTERNAL = "external"  # the county is not responsible


@dataclass(frozen=True)
class Interval:
    start: time
    end: time


@dataclass(frozen=True)
class OpeningHours:
    """Weekly opening hours; index 0 is Monday. Closed on public holidays."""

    id: str
    weekly: tuple[tuple[Interval, ...], ...]

    def intervals(self, weekday: int) -> tuple[Interval, ...]:
        return self.weekly[weekday]


@dataclass(frozen=True)
class Address:
    street: str
    postcode: str
    city: str
    example: bool

    def one_line(self) -> str:
        return f"{self.street}, {self.postcode} {self.city}"


@dataclass(frozen=True)
class Accessibility:
    wheelchair: bool
    lift: bool
    text: str


@dataclass(frozen=True)
class Location:
    id: str
    name: str
    address: Address
    hours: OpeningHours
    appointments: bool
    accessibility: Accessibility
    directions: str = ""


@dataclass(frozen=True)
class Office:
    id: str
    name: str
    location_id: str
    desks: int  # parallel appointments; 0 for walk-in only
    phone: str
    email: str
    text: str = ""

    @property
    def walk_in_only(self) -> bool:
        return self.desks == 0


@dataclass(frozen=True)
class ExternalBody:
    """Someone other than the county who is responsible (id ``extern_*``)."""

    id: str
    name: str
    phone: str
    website: str
    text: str


@dataclass(frozen=True)
class ClarifyOption:
    title: str
    payload_id: str  # an office id (choose_office) or a service id (clarification)


@dataclass(frozen=True)
class Clarification:
    """One short question with buttons, asked instead of guessing."""

    id: str
    question: str
    options: tuple[ClarifyOption, ...]
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Service:
    id: str
    name: str
    office_id: str | None  # None when choose_office decides
    walk_in: WalkIn
    minutes: int | None
    text: str
    simple_text: str
    documents: tuple[str, ...] = ()
    synonyms: tuple[str, ...] = ()
    hard_words: tuple[str, ...] = ()
    leika: str | None = None
    choose_office: Clarification | None = None

    @property
    def bookable(self) -> bool:
        return self.walk_in is WalkIn.NO and self.minutes is not None


@dataclass(frozen=True)
class GlossaryEntry:
    term: str
    forms: tuple[str, ...]
    explanation: str


@dataclass(frozen=True)
class County:
    id: str
    name: str
    example_notice: str
    hotline_phone: str
    hotline_hours: str
    jugendamt_emergency_phone: str
    timezone: str
    holiday_subdivision: str


@dataclass(frozen=True)
class TextSource:
    """A citizen-facing text and where it starts ("services/wohngeld.yml:12")."""

    location: str
    text: str

    def line(self, n: int) -> str:
        """The file:line of line ``n`` (1-based) of this text."""
        file, _, start = self.location.rpartition(":")
        return f"{file}:{int(start) + n - 1}"


@dataclass(frozen=True)
class Catalogue:
    county: County
    locations: dict[str, Location]
    offices: dict[str, Office]
    external: dict[str, ExternalBody]
    services: dict[str, Service]
    clarifications: dict[str, Clarification]
    glossary: tuple[GlossaryEntry, ...]
    # Sentence frames of answers (answers.yml), keyed as in PHRASES.
    phrases: dict[str, str] = field(default_factory=dict)
    # Every citizen-facing text with where it stands, for the checker.
    sources: dict[str, TextSource] = field(default_factory=dict, compare=False)

    def service(self, service_id: str) -> Service:
        return self.services[service_id]

    def office_of(self, service: Service) -> Office | None:
        if service.office_id is None:
            return None
        return self.offices.get(service.office_id)

    def location_of(self, office: Office) -> Location:
        return self.locations[office.location_id]

    def external_of(self, service: Service) -> ExternalBody | None:
        if service.office_id is None:
            return None
        return self.external.get(service.office_id)

    def walk_in_office(self) -> Office:
        """The Bürgerbüro: the office with no desks, where walk-ins are served."""
        return self.offices["buergerbuero"]
