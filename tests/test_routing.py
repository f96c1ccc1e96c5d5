"""Answers about who handles a concern, built from the shipped content."""

from __future__ import annotations

import pytest

from amtslotse.core import routing
from amtslotse.core.content import Catalogue, WalkIn, load_catalogue
from amtslotse.core.reply import lines_of


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return load_catalogue()


def test_wohngeld_says_the_next_step_then_who_helps_in_a_sentence(cat):
    reply = routing.office_reply(cat, cat.services["wohngeld"])
    assert reply.lines[0] == "Wohn·geld"
    assert reply.lines[1].startswith("Stellen Sie den Antrag")
    assert "Die Wohn·geld·stelle hilft Ihnen." in reply.lines
    assert "Sie brauchen einen Termin im Sozialen Kompetenz·zentrum." in reply.lines
    assert "Das sind Beispiel·daten." in reply.lines
    assert not any(line.startswith("Zuständig ist") for line in reply.lines)
    payload = reply.custom
    assert payload["type"] == "office_answer"
    assert payload["service_id"] == "wohngeld" and payload["office_id"] == "wohngeldstelle"
    assert payload["walk_in"] is False and payload["urgent"] is False
    assert payload["location"]["id"] == "skz"
    assert payload["location"]["address"] == "Chemieparkstraße 7, 06766 Bitterfeld-Wolfen"
    assert "Dienstag: 8 Uhr bis 12 Uhr und 13 Uhr bis 18 Uhr." in payload["opening_hours"]
    assert payload["documents"] == list(cat.services["wohngeld"].documents)
    assert reply.remember == {"service_id": "wohngeld", "office_id": "wohngeldstelle"}


def test_the_details_come_behind_buttons_of_the_follow_up_questions(cat):
    reply = routing.office_reply(cat, cat.services["wohngeld"])
    assert [b.payload for b in reply.buttons] == [
        '/termin_buchen{"service": "wohngeld:wohngeldstelle"}',
        "/frage_oeffnungszeiten",
        "/frage_unterlagen",
        "/frage_ort",
        "/nicht_verstanden",
    ]
    assert reply.buttons[0].title == "Termin machen"
    # The opening hours and all documents are not in the first answer.
    assert not any(line.startswith("Montag") for line in reply.lines)
    assert not any(line == "Bitte bringen Sie mit:" for line in reply.lines)


def test_no_answer_repeats_a_template_question(cat):
    for service in cat.services.values():
        lines = routing.office_reply(cat, service).lines
        assert "Möchten Sie einen Termin?" not in lines, service.id
        assert len(set(lines)) == len(lines), service.id


def test_every_first_answer_is_short(cat):
    """The heading and at most 6 sentences (issue 18: "at most about 6 lines")."""
    for service in cat.services.values():
        offices = [None]
        if service.choose_office is not None:
            offices = [o.payload_id for o in service.choose_office.options]
        for office_id in offices:
            reply = routing.office_reply(cat, service, office_id)
            # A child in danger: 2 sentences, then one line per emergency number (110, 112,
            # the Jugendamt with its example notice, 116 111, the Elterntelefon: issue 11).
            most = 8 if service.walk_in is WalkIn.URGENT else 7
            assert len(reply.lines) <= most, (service.id, reply.lines)


def test_walk_in_service_sends_the_citizen_to_the_buergerbuero(cat):
    reply = routing.office_reply(cat, cat.services["beglaubigung"])
    assert "Kommen Sie ohne Termin in das Bürger·büro Bitterfeld." in reply.lines
    assert "Das Bürger·büro macht das selbst, meistens sofort." in reply.lines
    assert not any("weiter" in line for line in reply.lines)
    assert reply.custom["walk_in"] is True and reply.custom["location"]["id"] == "buergerbuero"
    assert reply.custom["bookable"] is False
    assert not any(b.payload.startswith("/termin_buchen") for b in reply.buttons)


def test_car_deregistration_names_the_registration_office_and_the_papers(cat):
    reply = routing.office_reply(cat, cat.services["kfz_abmelden"])
    assert reply.custom["office_id"] == "kfz_zulassung"
    assert reply.custom["location"]["id"] == "buergerbuero" and reply.custom["walk_in"] is True
    text = reply.text
    assert "Kfz-Zulassungs·stelle" in text and "Fahr·zeug·schein" in text
    assert "Kenn·zeichen" in text


def test_external_concern_says_who_does_it_once_with_the_phone_number(cat):
    reply = routing.office_reply(cat, cat.services["kindergeld"])
    assert reply.custom["office_id"] == "extern_familienkasse"
    assert reply.custom["county_responsible"] is False and reply.custom["location"] is None
    assert reply.custom["website"] == "https://www.familienkasse.de"
    assert "Das macht nicht der Land·kreis." in reply.lines
    assert "Das macht die Familien·kasse." in reply.lines
    assert "Telefon: 0800 4 5555 30." in reply.lines
    assert reply.text.count("Familien·kasse") == 1
    assert [b.payload for b in reply.buttons] == ["/nicht_verstanden", "/frage_ort"]


def test_the_id_card_is_the_towns_buergeramt_not_the_standesamt(cat):
    text = routing.office_reply(cat, cat.services["personalausweis"]).text
    assert "Bürger·amt" in text and "Standes·amt" not in text


def test_losing_a_job_first_says_register_within_3_days(cat):
    reply = routing.clarify_reply(
        cat, cat.clarifications["job_verloren"], intent="anliegen_job_verloren"
    )
    question = reply.lines.index(cat.clarifications["job_verloren"].question.strip())
    before = " ".join(reply.lines[:question])
    assert "Agentur für Arbeit" in before and "3 Tage" in before


def test_stolen_licence_goes_to_the_police_first(cat):
    text = routing.office_reply(cat, cat.services["fuehrerschein_verloren"]).text
    assert text.index("Polizei") < text.index("Führer·schein·stelle")


def test_care_costs_speak_of_the_person_cared_for(cat):
    text = routing.office_reply(cat, cat.services["hilfe_zur_pflege"]).text
    assert "Sie haben zu wenig Geld" not in text
    assert "Person braucht Pflege" in text


def test_advance_maintenance_promises_nothing(cat):
    text = routing.office_reply(cat, cat.services["unterhaltsvorschuss"]).text
    assert "Dann zahlt das Jugend·amt" not in text and "Ihr Kind lebt bei Ihnen." not in text
    assert "Vielleicht bekommen Sie Geld vom Jugend·amt." in text


def test_childminder_uses_the_citizens_word(cat):
    assert routing.office_reply(cat, cat.services["kindertagespflege"]).lines[0] == "Tages·mutter"


def test_child_in_danger_gets_emergency_numbers_and_never_a_booking(cat):
    reply = routing.office_reply(cat, cat.services["kinderschutz"])
    text = reply.text
    assert "110" in text and "112" in text and "116 111" in text
    assert "0800 111 0 550" in text  # the Elterntelefon, as issue 11 asks
    assert cat.county.jugendamt_emergency_phone in text
    assert reply.custom["urgent"] is True and reply.custom["bookable"] is False
    assert reply.lines[0] == "Ist ein Kind in Gefahr?"
    assert not reply.buttons
    # The Jugendamt number is example data, and the answer says so.
    jugendamt = reply.lines.index(f"Jugend·amt: {cat.county.jugendamt_emergency_phone}.")
    assert "Beispiel" in reply.lines[jugendamt + 1]


def test_child_in_danger_simpler_shows_the_simple_text_and_the_numbers_again(cat):
    service = cat.services["kinderschutz"]
    reply = routing.simpler_reply(cat, service)
    simple = service.simple_text.splitlines()
    assert list(reply.lines[: len(simple)]) == simple
    assert "Polizei: 110." in reply.lines and not reply.buttons
    assert reply.custom["urgent"] is True


def test_school_money_asks_which_help_the_family_gets(cat):
    reply = routing.office_reply(cat, cat.services["bildung_teilhabe"])
    assert reply.custom["type"] == "clarify"
    assert sorted(reply.custom["candidates"]) == ["jobcenter", "sozialamt"]
    assert reply.lines[0] == cat.services["bildung_teilhabe"].name  # the heading, then the question
    titles = [b.title for b in reply.buttons]
    assert titles == [
        "Ja, wir bekommen Bürger·geld.",
        "Wir bekommen Wohn·geld oder Kinder·zuschlag.",
        "Wir bekommen eine andere Hilfe vom Amt.",
        "Nein, wir bekommen keine Hilfe.",
        "Ich weiß es nicht.",
        "Ich meine etwas anderes.",
    ]
    assert all(b.payload.startswith("/anliegen_bildung_teilhabe{") for b in reply.buttons[:-1])
    assert reply.buttons[-1].payload == routing.WAY_OUT
    assert "Sozial·hilfe" in reply.text  # said before the question: who can get the money
    service = cat.services["bildung_teilhabe"]
    for office_id in ("jobcenter", "sozialamt"):  # each office's own sentence, after the answer
        answered = routing.office_reply(cat, service, office_id)
        assert answered.custom["office_id"] == office_id
        own = lines_of(service.who_for(office_id))
        assert own and all(line in answered.lines for line in own)


def test_lost_job_clarification_offers_both_services_and_a_dont_know(cat):
    reply = routing.clarify_reply(
        cat, cat.clarifications["job_verloren"], intent="anliegen_job_verloren"
    )
    assert [b.payload for b in reply.buttons] == [
        "/anliegen_arbeitslosengeld",
        "/anliegen_buergergeld_antrag",
        "/anliegen_arbeitslosengeld",
        "/help",
    ]
    assert reply.buttons[2].title == "Ich weiß es nicht."
    assert reply.custom["candidates"] == ["extern_agentur_fuer_arbeit", "jobcenter"]
    assert [o["title"] for o in reply.custom["options"]] == [b.title for b in reply.buttons]


def _every_reply(cat: Catalogue):
    """(label, reply) of every first answer, question and follow-up the content gives."""
    for service in cat.services.values():
        offices = [None]
        if service.choose_office is not None:
            yield f"{service.id} (question)", routing.office_reply(cat, service)
            offices = [o.payload_id for o in service.choose_office.options]
        for office_id in offices:
            yield service.id, routing.office_reply(cat, service, office_id)
            for follow_up in (
                routing.documents_reply,
                routing.hours_reply,
                routing.accessibility_reply,
                routing.appointment_reply,
                routing.simpler_reply,
            ):
                yield f"{service.id} {follow_up.__name__}", follow_up(cat, service, office_id)
    for cid, clarification in cat.clarifications.items():
        yield cid, routing.clarify_reply(cat, clarification, intent=f"anliegen_{cid}")


def test_every_answer_and_question_has_a_way_on(cat):
    """Buttons lead on from every reply; only the emergency numbers stand alone."""
    for label, reply in _every_reply(cat):
        if reply.custom and reply.custom.get("urgent"):
            assert "110" in reply.text, label
            continue
        assert reply.buttons, label
        assert all(b.title and b.payload.startswith("/") for b in reply.buttons), label


def test_every_question_offers_dont_know_and_a_way_out(cat):
    questions = [c for c in cat.clarifications.values()]
    questions += [s.choose_office for s in cat.services.values() if s.choose_office]
    assert questions
    for question in questions:
        assert question.has_dont_know, question.id
    for label, reply in _every_reply(cat):
        if reply.custom and reply.custom["type"] == "clarify":
            assert "Ich weiß es nicht." in [b.title for b in reply.buttons], label
            assert reply.buttons[-1] == routing.Button("Ich meine etwas anderes.", "/help"), label


def test_no_button_label_is_longer_than_the_widget_shows(cat):
    limit = cat.county.checks.button_max_chars
    for label, reply in _every_reply(cat):
        for button in reply.buttons:
            assert len(button.title) <= limit, (label, button.title)
    for service in cat.services.values():
        assert len(service.label) <= limit, service.id


def test_concerns_are_offered_with_their_short_label(cat):
    button = routing.concern_button(cat.services["personalausweis"])
    assert button == routing.Button("Ausweis oder Pass", "/anliegen_personalausweis")
    assert routing.concern_button(cat.services["wohngeld"]).title == "Wohn·geld"


def test_follow_ups_use_the_content(cat):
    wohngeld = cat.services["wohngeld"]
    documents = routing.documents_reply(cat, wohngeld)
    assert documents.lines[1:] == wohngeld.documents
    assert "/frage_unterlagen" not in [b.payload for b in documents.buttons]
    hours = routing.hours_reply(cat, wohngeld)
    assert "Freitag: 8 Uhr bis 12 Uhr." in hours.lines
    assert "Der Termin dauert etwa 30 Minuten." in hours.lines
    assert "Adresse: Chemieparkstraße 7, 06766 Bitterfeld-Wolfen." in hours.lines
    assert routing.appointment_reply(cat, wohngeld).lines[0] == "Sie brauchen einen Termin."
    simpler = routing.simpler_reply(cat, wohngeld)
    assert simpler.lines[0] == "Ich erkläre es einfacher."
    assert any(line.startswith("Das Wort Wohn·geld bedeutet") for line in simpler.lines)


def test_follow_ups_of_an_external_concern_give_its_contact_not_the_answer_again(cat):
    rente = cat.services["rente"]
    for reply in (routing.hours_reply(cat, rente), routing.accessibility_reply(cat, rente)):
        assert "Telefon: 0800 1000 4800." in reply.lines
        assert "Internet·seite: https://www.deutsche-rentenversicherung.de." in reply.lines
        assert reply.lines[0] != rente.name


def test_the_contact_button_of_a_town_service_gives_the_finder_not_the_answer_again(cat):
    service = cat.services["personalausweis"]
    first = routing.office_reply(cat, service)
    contact = routing.accessibility_reply(cat, service)
    assert "Das macht nicht der Land·kreis." not in contact.lines
    assert not set(contact.lines) & set(first.lines[1:4])
    assert "Telefon: 115." in contact.lines
    assert "Internet·seite: https://buerger.sachsen-anhalt.de." in contact.lines


def test_the_contact_button_says_where_to_find_a_number_without_a_nationwide_one(cat):
    care = routing.accessibility_reply(cat, cat.services["pflegegrad"]).text
    assert "Kranken·karte" in care and "Telefon·nummer" in care
    # Without a tax notice: the Finanzamtsuche (its address as external.yml has it).
    tax = routing.accessibility_reply(cat, cat.services["steuer"]).text
    website = cat.external["extern_finanzamt"].website
    assert website and website in tax and "Finanz·amt·suche" in tax


def test_every_body_outside_the_county_can_be_reached(cat):
    for body in cat.external.values():
        assert body.phone or body.website or body.contact, body.id


def test_what_to_bring_for_a_body_outside_the_county_is_never_nothing(cat):
    for service in cat.services.values():
        if service.walk_in is not WalkIn.EXTERNAL:
            continue
        lines = routing.documents_reply(cat, service).lines
        assert "Sie brauchen keine Unter·lagen." not in lines, service.id
    assert routing.documents_reply(cat, cat.services["kindergeld"]).lines == (
        "Fragen Sie die Familien·kasse nach den Unter·lagen.",
    )
    moving = routing.documents_reply(cat, cat.services["wohnsitz_anmelden"]).lines
    assert moving[1:] == cat.services["wohnsitz_anmelden"].documents
    many = routing.documents_for_many(cat, [cat.services["kindergeld"], cat.services["wohngeld"]])
    assert "Fragen Sie die Familien·kasse nach den Unter·lagen." in many.lines
    assert "Ihr Miet·vertrag." in many.lines


def test_every_service_gets_an_answer(cat):
    for service in cat.services.values():
        reply = routing.office_reply(cat, service)
        assert reply.lines and reply.custom is not None, service.id


@pytest.mark.parametrize(
    "text, reason",
    [
        ("", "no_words"),
        ("😀😀😀", "no_words"),
        ("123 456", "no_words"),
        ("Привет как дела", "other_alphabet"),
        ("مرحبا أحتاج مساعدة", "other_alphabet"),
        ("Wohngeld?", None),
        ("Привет, мне нужен Bürgergeld", None),
        ("Führerschein", None),
        ("<script>alert(1)</script>", "markup"),
    ],
)
def test_unreadable_messages_are_recognised(text, reason):
    assert routing.unreadable(text) == reason


def test_bad_input_gets_a_short_polite_answer(cat):
    assert routing.bad_input_reply(cat, "no_words").lines[0] == "Entschuldigung."
    assert (
        "Please write in German or English." in routing.bad_input_reply(cat, "other_alphabet").lines
    )
