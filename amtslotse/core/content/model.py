"""Immutable data model of a county's catalogue (see content/leichte_sprache/README.md)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, time

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
    # "Was muss ich mitbringen?" for a body outside the county without its own list.
    "documents_external": frozenset({"office"}),
    "external": frozenset({"office"}),
    "external_who": frozenset({"office"}),
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
    # The first answer to a concern (routing.office_reply) and its buttons.
    "answer_appointment": frozenset({"at"}),
    "answer_walk_in": frozenset({"to"}),
    "button_book": frozenset(),
    "button_hours": frozenset(),
    "button_documents": frozenset(),
    "button_place": frozenset(),
    "button_simpler": frozenset(),
    "button_contact": frozenset(),
    "clarify_other": frozenset(),
    "fallback_hotline": frozenset({"phone"}),
    "booking_by_phone": frozenset({"phone"}),
    "booking_button_yes": frozenset(),
    "booking_button_other_times": frozenset(),
    "booking_button_new": frozenset(),
    "booking_button_retry": frozenset(),
    "booking_button_privacy_yes": frozenset(),
    "booking_button_privacy_no": frozenset(),
    "booking_time": frozenset({"weekday", "day", "month", "clock"}),
    "booking_ask_office": frozenset(),
    "booking_ask_service": frozenset({"office"}),
    "booking_concerns_intro": frozenset(),
    "booking_concern": frozenset({"office", "service"}),
    "booking_split": frozenset({"location"}),
    "booking_offer_intro": frozenset(),
    "booking_offer_combined": frozenset(),
    "booking_offer_wish": frozenset(),
    "booking_offer_leg": frozenset({"clock", "office"}),
    "booking_no_match": frozenset(),
    "booking_none_free": frozenset({"phone"}),
    "booking_slot_taken": frozenset(),
    "booking_unavailable": frozenset({"phone"}),
    # {days}: SCHEDULING_PURGE_AFTER_DAYS, so the notice says what the backend does.
    "booking_privacy": frozenset({"days"}),
    "booking_privacy_declined": frozenset({"phone"}),
    "booking_ask_name": frozenset(),
    "booking_name_invalid": frozenset(),
    "booking_name_why": frozenset({"days"}),
    "booking_ask_contact": frozenset(),
    "booking_contact_invalid": frozenset(),
    "booking_confirmed": frozenset(),
    "booking_show": frozenset(),
    "booking_show_cancelled": frozenset(),
    "booking_leg": frozenset({"office", "time"}),
    "booking_bring": frozenset({"service"}),
    "booking_code": frozenset({"code", "pin"}),
    "booking_cancelled": frozenset({"code"}),
    "booking_ask_code": frozenset(),
    "booking_code_invalid": frozenset(),
    "booking_not_found": frozenset({"phone"}),
    "bad_input": frozenset(),
    "other_alphabet": frozenset(),
    # the list of concerns
    "list_intro": frozenset(),
    "list_appointment": frozenset({"service", "office"}),
    "list_walk_in": frozenset({"service"}),
    "list_external": frozenset({"service", "body"}),
    "list_urgent": frozenset(),
    "list_choose_office": frozenset({"service"}),
    "list_booked": frozenset({"service"}),
    "list_ask_one_visit": frozenset({"place"}),
    "list_ask_one": frozenset({"place"}),
    "list_houses": frozenset({"count"}),
    "list_ask_first_house": frozenset({"place"}),
    "list_no_appointment": frozenset(),
    "list_added": frozenset({"service"}),
    "list_removed": frozenset({"service"}),
    "list_remove_which": frozenset(),
    "list_not_on_list": frozenset(),
    "list_show_intro": frozenset(),
    "list_empty": frozenset(),
    "list_button_book_all": frozenset(),
    "list_button_book_one": frozenset(),
    "list_button_no": frozenset(),
    "list_button_remove": frozenset(),
    "list_button_show": frozenset(),
    "booking_confirm_list": frozenset(),
    "booking_confirm_question": frozenset(),
    "booking_button_confirm_yes": frozenset(),
    "booking_button_confirm_no": frozenset(),
    "booking_next_house": frozenset({"place"}),
    "booking_list_changed": frozenset(),
    "followup_assumed": frozenset({"service"}),
    "urgent_next": frozenset({"phone"}),
    "cancel_confirm": frozenset(),
    "cancel_kept": frozenset(),
    "booking_code_unknown": frozenset(),
    "booking_button_cancel_yes": frozenset(),
    "booking_button_cancel_no": frozenset(),
    "booking_ask_pin": frozenset(),
    "booking_pin_invalid": frozenset(),
    "booking_locked": frozenset({"phone", "minutes"}),
    "rebook_intro": frozenset(),
    "rebook_done": frozenset(),
    # Said by the portal when Rasa or a part behind it does not answer.
    "assistant_unavailable": frozenset({"phone"}),
}

#: The sentence frames of mail.yml: the e-mails and the cancel page their link opens.
MAIL_PHRASES: dict[str, frozenset[str]] = {
    "mail_subject_confirmation": frozenset({"time"}),
    "mail_subject_reminder": frozenset({"time"}),
    "mail_subject_cancellation": frozenset({"time"}),
    "mail_greeting": frozenset({"name"}),
    "mail_confirmation_intro": frozenset(),
    "mail_reminder_intro": frozenset(),
    "mail_cancellation_intro": frozenset(),
    "mail_cancellation_check": frozenset(),
    "mail_code": frozenset({"code"}),
    "mail_pin": frozenset({"pin"}),
    "mail_calendar": frozenset(),
    "mail_cancel": frozenset(),
    "mail_cancel_link": frozenset(),
    "mail_cancel_button": frozenset(),
    "mail_hotline": frozenset({"phone"}),
    "mail_privacy": frozenset({"days"}),
    "mail_automatic": frozenset(),
    "cancel_page_title": frozenset(),
    "cancel_page_button": frozenset(),
    "cancel_page_keep": frozenset(),
    "cancel_page_done": frozenset(),
    "cancel_page_already": frozenset(),
    "cancel_page_not_found": frozenset({"phone"}),
    "cancel_page_begun": frozenset({"phone"}),
    "cancel_page_expired": frozenset(),
    "cancel_page_unavailable": frozenset({"phone"}),
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
    # The place in a sentence: "im Sozialen Kompetenz·zentrum" (where),
    # "in das Bürger·büro Bitterfeld" (where to). Empty: the answer names it as "Ort: ...".
    at: str = ""
    to: str = ""


_DATIVE = {"der": "dem", "die": "der", "das": "dem"}
_ACCUSATIVE = {"der": "den"}


def at_phrase(who: str) -> str:
    """ "das Job·center" → "beim Job·center", "die Wohn·geld·stelle" → "bei der Wohn·geld·stelle".

    >>> at_phrase("das Jugend·amt"), at_phrase("die Wohn·geld·stelle")
    ('beim Jugend·amt', 'bei der Wohn·geld·stelle')
    """
    article, _, rest = who.partition(" ")
    dative = _DATIVE.get(article.lower())
    if dative is None or not rest:
        return f"bei {who}"
    return f"beim {rest}" if dative == "dem" else f"bei {dative} {rest}"


def object_phrase(who: str) -> str:
    """ "die Familien·kasse" stays, "der Bund" → "den Bund": the name as an object."""
    article, _, rest = who.partition(" ")
    accusative = _ACCUSATIVE.get(article.lower())
    return f"{accusative} {rest}" if accusative and rest else who


@dataclass(frozen=True)
class Office:
    id: str
    name: str
    location_id: str
    desks: int  # parallel appointments; 0 for walk-in only
    phone: str
    email: str
    text: str = ""
    # The office as the subject of a sentence: "das Jugend·amt" ("Das Jugend·amt hilft Ihnen.").
    who: str = ""

    @property
    def walk_in_only(self) -> bool:
        return self.desks == 0

    @property
    def at(self) -> str:
        """ "beim Job·center", "bei der Wohn·geld·stelle" (from ``who``)."""
        return at_phrase(self.who or self.name)


@dataclass(frozen=True)
class ExternalBody:
    """Someone other than the county who is responsible (id ``extern_*``)."""

    id: str
    name: str
    phone: str
    website: str
    text: str
    # As the subject of a sentence: "die Familien·kasse" ("Das macht die Familien·kasse.").
    who: str = ""
    # Behind "Telefon und Internet·seite", after phone and website: where to find the
    # number or the right office ("Die Telefon·nummer steht auf Ihrem Steuer·bescheid.").
    contact: str = ""

    @property
    def them(self) -> str:
        """The body as an object: "Fragen Sie die Familien·kasse."."""
        return object_phrase(self.who or self.name)


@dataclass(frozen=True)
class ClarifyOption:
    title: str
    payload_id: str  # an office id (choose_office) or a service id (clarification)


#: How an option says "I do not know" (every question needs one, see checks.py).
DONT_KNOW = "Ich weiß es nicht"


@dataclass(frozen=True)
class Clarification:
    """One short question with buttons, asked instead of guessing."""

    id: str
    question: str
    options: tuple[ClarifyOption, ...]
    synonyms: tuple[str, ...] = ()
    # Said before the question: what matters whatever the answer ("Melden Sie sich ...").
    text: str = ""

    @property
    def has_dont_know(self) -> bool:
        return any(o.title.strip().startswith(DONT_KNOW) for o in self.options)


@dataclass(frozen=True)
class Source:
    """The official page or law a service's facts were checked against."""

    url: str
    checked: date
    title: str = ""
    note: str = ""
    location: str = ""  # "services/wohngeld.yml:40", for messages


@dataclass(frozen=True)
class Review:
    """A reviewer's score of a service's answers (1 unusable ... 5 publish as is; REVIEW.md)."""

    score: int | None = None
    reviewer: str = ""
    date: date | None = None
    note: str = ""
    location: str = ""


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
    # Where each hard word stands ("services/wohngeld.yml:17"), for messages.
    hard_words_where: tuple[str, ...] = ()
    leika: str | None = None
    choose_office: Clarification | None = None
    # The 1 to 3 things to bring, as one sentence for the first answer ("Bringen Sie ... mit.").
    bring: str = ""
    # Instead of "Das Jugend·amt hilft Ihnen." / "Das macht die Familien·kasse.", per office id.
    who: tuple[tuple[str, str], ...] = ()
    # A short label for buttons that offer this concern (default: the name).
    button: str = ""
    sources: tuple[Source, ...] = ()
    review: Review | None = None
    location: str = ""  # "services/wohngeld.yml:1", for messages

    @property
    def bookable(self) -> bool:
        return self.walk_in is WalkIn.NO and self.minutes is not None

    @property
    def offices(self) -> tuple[str, ...]:
        """The office, or each office its question can lead to once (several answers may
        lead to the same office: "Ich weiß es nicht." and "Nein, ...")."""
        if self.choose_office is not None:
            return tuple(dict.fromkeys(o.payload_id for o in self.choose_office.options))
        return (self.office_id,) if self.office_id else ()

    @property
    def label(self) -> str:
        """What a button offering this concern says: ``button``, else the name."""
        return self.button or self.name

    def who_for(self, office_id: str | None) -> str:
        """This service's own sentence about who helps at ``office_id`` ("" if none)."""
        return dict(self.who).get(office_id or "", "")


@dataclass(frozen=True)
class GlossaryEntry:
    term: str
    forms: tuple[str, ...]
    explanation: str


@dataclass(frozen=True)
class ContentChecks:
    """Editorial limits that `amtslotse content check` applies (county.yml ``content_check``)."""

    # A source checked longer ago than this is reported for a new check.
    source_max_age_days: int = 365
    # The longest button label: about 2 lines in the widget on a small phone.
    button_max_chars: int = 48


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
    checks: ContentChecks = field(default_factory=ContentChecks)


@dataclass(frozen=True)
class TextSource:
    """A citizen-facing text and where it starts ("services/wohngeld.yml:12").

    ``path`` is where the text stands in its file's YAML: keys and list
    indices, e.g. ``(3, "name")`` in offices.yml or ``("documents", 0)``.
    """

    location: str
    text: str
    path: tuple[str | int, ...] = field(default=(), compare=False)

    @property
    def file(self) -> str:
        return self.location.rpartition(":")[0]

    @property
    def entry(self) -> tuple[str | int, ...]:
        """The path of the entry the text belongs to: a list item, or the whole file."""
        return self.path[:1] if self.path and isinstance(self.path[0], int) else ()

    @property
    def name(self) -> str:
        """The text's name inside its entry ("text", "documents.0", "accessibility.text")."""
        return ".".join(str(p) for p in self.path[len(self.entry) :])

    def line(self, n: int) -> str:
        """The file:line of line ``n`` (1-based) of this text."""
        file, _, start = self.location.rpartition(":")
        return f"{file}:{int(start) + n - 1}"


@dataclass(frozen=True)
class TextMark:
    """``geprueft:`` readers of the target group checked this text (DIN SPEC 33429).

    It stands in the ``geprueft`` block of the text's entry, under the text's
    name: ``geprueft: {text: {am: 2026-12-01, von: Prüf·gruppe, fassung: "..."}}``.
    ``fassung`` is the hash of the text as it was checked: a changed text is
    unchecked again (amtslotse.core.content.review).
    """

    file: str
    entry: tuple[str | int, ...]
    name: str
    am: date
    von: str
    fassung: str
    location: str = ""


@dataclass(frozen=True)
class Catalogue:
    county: County
    locations: dict[str, Location]
    offices: dict[str, Office]
    external: dict[str, ExternalBody]
    services: dict[str, Service]
    clarifications: dict[str, Clarification]
    glossary: tuple[GlossaryEntry, ...]
    # Sentence frames of answers.yml and mail.yml, keyed as in PHRASES and MAIL_PHRASES.
    phrases: dict[str, str] = field(default_factory=dict)
    # Every citizen-facing text with where it stands, for the checker.
    sources: dict[str, TextSource] = field(default_factory=dict, compare=False)
    # The review marks of the texts (geprueft:), as written.
    marks: tuple[TextMark, ...] = field(default=(), compare=False)

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
