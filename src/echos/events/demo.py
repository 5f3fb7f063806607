"""A year of invented events on the demo hubs, with registrations, for ``echos demo``.

Everything here is demo data (``is_demo=True``): events of invented hubs, participants named
"Demo participant N" with addresses under ``demo.invalid``. Real hubs get no invented events.
"""

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone, translation

from echos.core.models import Region
from echos.events import services
from echos.events.models import Audience, Event, EventType, Format, Registration, country_timezone
from echos.hubs.models import Hub

SEED = 2026

LANGUAGES = {
    "DE": "de",
    "FR": "fr",
    "IT": "it",
    "ES": "es",
    "NL": "nl",
    "SE": "sv",
    "FI": "fi",
    "IE": "en",
    "BE": "nl",
    "AT": "de",
    "CZ": "cs",
    "RO": "ro",
    "GR": "el",
    "SI": "sl",
    "LT": "lt",
    "UA": "uk",
    "TR": "tr",
    "EE": "et",
    "HU": "hu",
    "DK": "da",
    "HR": "hr",
    "NO": "nb",
    "PL": "pl",
    "PT": "pt",
}

# (type, title pattern, audiences, objectives, format, hours, capacity)
TEMPLATES = [
    (
        EventType.CITIZEN_DIALOGUE,
        "Citizen dialogue: screening in {place}",
        ["citizens", "patients_carers"],
        ["prevention", "equitable_access"],
        Format.IN_PERSON,
        3,
        60,
    ),
    (
        EventType.WEBINAR,
        "Webinar: living well after cancer",
        ["patients_carers", "health_professionals"],
        ["quality_of_life"],
        Format.ONLINE,
        2,
        None,
    ),
    (
        EventType.KNOWLEDGE_EXCHANGE,
        "Knowledge exchange: running a hub coordination group",
        ["policymakers", "researchers"],
        ["understanding"],
        Format.HYBRID,
        4,
        40,
    ),
    (
        EventType.WORKSHOP,
        "Workshop: schools against cancer risk factors",
        ["youth", "citizens"],
        ["prevention"],
        Format.IN_PERSON,
        3,
        30,
    ),
    (
        EventType.AWARENESS_DAY,
        "Awareness day in {place}",
        ["citizens", "youth"],
        ["prevention", "diagnosis_treatment"],
        Format.IN_PERSON,
        6,
        None,
    ),
    (
        EventType.CONFERENCE,
        "Conference: equitable access to cancer care",
        ["health_professionals", "policymakers", "industry"],
        ["equitable_access", "diagnosis_treatment"],
        Format.HYBRID,
        8,
        200,
    ),
    (
        EventType.INCEPTION_DIALOGUE,
        "Inception dialogue of the {place} hub",
        ["policymakers", "researchers", "patients_carers"],
        ["understanding", "equitable_access"],
        Format.IN_PERSON,
        5,
        25,
    ),
]


# --- Demo translations (issue #17): the fair and one event of three templates are translated, so
# that the calendar shows content in the visitor's language, and the fallback marker elsewhere.
# Written for the demo (in our own words); country names and event types come from the catalogues.

FAIR_TRANSLATIONS = {
    "de": {
        "title": "Messe der EU-Krebsmission: {country} (Demo)",
        "description": (
            "Demo-Veranstaltung. Drei Tage, an denen sich der nationale Hub allen öffnet: der "
            "offizielle Start mit den Gründungsmitgliedern des Hubs, ein Bürgertag mit "
            "Informationsständen zur Früherkennung, Erfahrungsberichten von Überlebenden und einem "
            "Dialog darüber, was die Menschen vom Hub erwarten, sowie ein Synergietag, an dem sich "
            "Projekte der Mission, gemeinsame Aktionen und Hubs anderer Länder begegnen."
        ),
        "accessibility_notes": "Ruheraum im Erdgeschoss; Assistenzhunde sind willkommen.",
    },
    "fr": {
        "title": "Salon de la Mission cancer : {country} (démo)",
        "description": (
            "Événement de démonstration. Trois jours pour ouvrir le hub national à tous : le "
            "lancement officiel avec les membres fondateurs du hub, une journée citoyenne avec des "
            "stands d'information sur le dépistage, des témoignages de personnes ayant survécu au "
            "cancer et un dialogue sur ce que chacun attend du hub, puis une journée des synergies "
            "où se rencontrent projets de la Mission, actions conjointes et hubs d'autres pays."
        ),
        "accessibility_notes": "Salle calme au rez-de-chaussée ; chiens d'assistance bienvenus.",
    },
    "pl": {
        "title": "Targi Misji UE w dziedzinie raka: {country} (demo)",
        "description": (
            "Wydarzenie demonstracyjne. Trzy dni, w czasie których krajowy hub otwiera się dla "
            "wszystkich: oficjalna inauguracja z członkami założycielami hubu, dzień obywatelski ze "
            "stoiskami informacyjnymi o badaniach przesiewowych, historiami osób, które przeżyły "
            "raka, i rozmową o tym, czego ludzie oczekują od hubu, oraz dzień synergii, podczas "
            "którego spotykają się projekty Misji, wspólne działania i huby z innych krajów."
        ),
        "accessibility_notes": "Ciche pomieszczenie na parterze; psy asystujące mile widziane.",
    },
    "el": {
        "title": "Έκθεση της Αποστολής για τον Καρκίνο: {country} (επίδειξη)",
        "description": (
            "Εκδήλωση επίδειξης. Τρεις ημέρες που ανοίγουν τον εθνικό κόμβο σε όλους: η επίσημη "
            "έναρξη με τα ιδρυτικά μέλη του κόμβου, μια ημέρα πολιτών με περίπτερα ενημέρωσης για "
            "τον προσυμπτωματικό έλεγχο, ιστορίες επιζώντων και διάλογο για το τι περιμένουν οι "
            "πολίτες από τον κόμβο, και μια ημέρα συνεργειών όπου συναντώνται έργα της Αποστολής, "
            "κοινές δράσεις και κόμβοι άλλων χωρών."
        ),
        "accessibility_notes": "Ήσυχη αίθουσα στο ισόγειο· τα σκυλιά βοήθειας είναι ευπρόσδεκτα.",
    },
}

# The titles of three templates, the description's first sentence and the outcome, per language.
TEMPLATE_TRANSLATIONS = {
    "Webinar: living well after cancer": {
        "de": "Webinar: gut leben nach Krebs",
        "fr": "Webinaire : bien vivre après un cancer",
        "it": "Webinar: vivere bene dopo il cancro",
        "pl": "Webinarium: dobre życie po raku",
    },
    "Workshop: schools against cancer risk factors": {
        "de": "Workshop: Schulen gegen Krebsrisikofaktoren",
        "fr": "Atelier : les écoles contre les facteurs de risque du cancer",
        "es": "Taller: las escuelas contra los factores de riesgo del cáncer",
    },
    "Conference: equitable access to cancer care": {
        "de": "Konferenz: gerechter Zugang zur Krebsversorgung",
        "fr": "Conférence : un accès équitable aux soins contre le cancer",
        "it": "Conferenza: accesso equo alle cure oncologiche",
        "el": "Συνέδριο: ισότιμη πρόσβαση στη φροντίδα για τον καρκίνο",
    },
}
DEMO_SUFFIX = {
    "de": "(Demo)",
    "fr": "(démo)",
    "it": "(demo)",
    "pl": "(demo)",
    "es": "(demo)",
    "el": "(επίδειξη)",
}
DEMO_SENTENCE = {
    "de": "Demo-Veranstaltung mit erfundenen Inhalten, die zeigt, wie ein Hub seine Aktivitäten "
    "veröffentlicht.",
    "fr": "Événement de démonstration au contenu inventé, qui montre comment un hub publie ses "
    "activités.",
    "it": "Evento dimostrativo con contenuti inventati, che mostra come un hub pubblica le proprie "
    "attività.",
    "pl": "Wydarzenie demonstracyjne o wymyślonej treści, pokazujące, jak hub publikuje swoje "
    "działania.",
    "es": "Evento de demostración con contenido inventado, que muestra cómo un hub publica sus "
    "actividades.",
    "el": "Εκδήλωση επίδειξης με επινοημένο περιεχόμενο, που δείχνει πώς ένας κόμβος δημοσιεύει "
    "τις δραστηριότητές του.",
}
DEMO_OUTCOME = {
    "de": "Demo-Ergebnis: Die Teilnehmenden wünschten sich eine Folgeveranstaltung und nannten dem "
    "Hub ihre Ansprechpersonen.",
    "fr": "Résultat de démonstration : les participants ont demandé une séance de suivi et ont "
    "transmis leurs contacts au hub.",
    "it": "Risultato dimostrativo: i partecipanti hanno chiesto un incontro di follow-up e hanno "
    "condiviso i loro referenti con l'hub.",
    "pl": "Wynik demonstracyjny: uczestnicy poprosili o spotkanie uzupełniające i przekazali hubowi "
    "swoje punkty kontaktowe.",
    "es": "Resultado de demostración: los participantes pidieron una sesión de seguimiento y "
    "compartieron sus puntos de contacto con el hub.",
    "el": "Αποτέλεσμα επίδειξης: οι συμμετέχοντες ζήτησαν μια συνάντηση συνέχειας και μοιράστηκαν "
    "τα σημεία επαφής τους με τον κόμβο.",
}


def fair_translations(hub: Hub) -> dict[str, dict[str, str]]:
    """The fair's texts in German, French, Polish and Greek, the country named in each."""
    out = {}
    for language, texts in FAIR_TRANSLATIONS.items():
        with translation.override(language):
            country = hub.country.display_name
        out[language] = {k: v.format(country=country) for k, v in texts.items()}
    return out


def template_translations(title: str, kind: str, hub: Hub, past: bool) -> dict:
    """The texts of an event made from the template ``title`` in each language it is translated
    into ({} for the other templates)."""
    out = {}
    for language, translated in TEMPLATE_TRANSLATIONS.get(title, {}).items():
        with translation.override(language):
            what = f"{EventType(kind).label} · {hub.country.display_name}."
        texts = {
            "title": f"{translated} {DEMO_SUFFIX[language]}",
            "description": f"{DEMO_SENTENCE[language]} {what}",
        }
        if past:
            texts["outcomes"] = DEMO_OUTCOME[language]
        out[language] = texts
    return out


def _local(day, hour: int, tz: str) -> datetime:
    return datetime.combine(day, time(hour, 0), ZoneInfo(tz))


# --- Plausible days and hours (issue #16): no organiser holds an event between Christmas Eve and
# 2 January, few on a Sunday, and none before nine or after eight in the evening, local time.
QUIET_DAYS = {(12, d) for d in range(23, 32)} | {(1, 1), (1, 2)}
FIRST_HOUR, LAST_HOUR = 9, 20


def plausible_day(day: date) -> date:
    """The first day from ``day`` that is neither a Sunday nor in the Christmas-New Year break."""
    while (day.month, day.day) in QUIET_DAYS or day.weekday() == 6:
        day += timedelta(days=1)
    return day


def plausible_start(hour: int, hours: int) -> int:
    """A start hour from which an event of ``hours`` hours ends by eight in the evening."""
    return max(FIRST_HOUR, min(hour, LAST_HOUR - hours))


def fair_day(day: date) -> date:
    """The first Tuesday, Wednesday or Thursday from ``day`` whose three days are all plausible."""
    while day.weekday() not in (1, 2, 3) or any(
        plausible_day(day + timedelta(days=n)) != day + timedelta(days=n) for n in range(3)
    ):
        day += timedelta(days=1)
    return day


def _people(rng, n: int, start: int) -> list[tuple[str, str, str]]:
    audiences = [a.value for a in Audience]
    weights = [30, 15, 20, 12, 8, 5, 10]
    return [
        (
            f"Demo participant {start + i}",
            f"participant-{start + i}@demo.invalid",
            rng.choices(audiences, weights)[0],
        )
        for i in range(n)
    ]


def _register(event: Event, rng, n: int, counter: list[int], *, past: bool) -> None:
    """Demo registrations written directly (the services would e-mail invented addresses)."""
    taken = 0
    rows = []
    for name, email, audience in _people(rng, n, counter[0]):
        if event.capacity is not None and taken >= event.capacity:
            status = Registration.Status.WAITLISTED
        elif past:
            status = rng.choices(
                [Registration.Status.ATTENDED, Registration.Status.NO_SHOW], [80, 20]
            )[0]
            taken += 1
        else:
            status = Registration.Status.REGISTERED
            taken += 1
        created = event.start - timedelta(days=rng.randint(2, 40), minutes=rng.randint(0, 600))
        rows.append(
            Registration(
                event=event,
                name=name,
                email=email,
                audience=audience,
                language=event.language_codes[0],
                status=status,
                consent_at=created,
                consent_text=services.CONSENT_TEXT,
                email_confirmed_at=created,
                checked_in_at=event.start if status == Registration.Status.ATTENDED else None,
                created_at=created,
                is_demo=True,
            )
        )
    counter[0] += n
    Registration.objects.bulk_create(rows)


def _fair(hub: Hub, day, counter, rng) -> Event:
    """A three-day Cancer Mission Fair: the hub's launch, a citizen day and a synergies day."""
    tz = country_timezone(hub.country_id)
    lang = LANGUAGES.get(hub.country_id, "en")
    fair = services.create_event(
        actor=None,
        hub=hub,
        title=f"Cancer Mission Fair {hub.country.name} (demo)",
        description=(
            "Demo event. Three days that open the national hub to everyone: the official launch "
            "with the hub's founding members, a citizen day with screening information stands, "
            "survivor stories and a dialogue on what people expect from the hub, and a synergies "
            "day where Mission projects, joint actions and hubs of other countries meet."
        ),
        type=EventType.MISSION_FAIR,
        format=Format.HYBRID,
        start=_local(day, 9, tz).replace(tzinfo=None),
        end=_local(day + timedelta(days=2), 17, tz).replace(tzinfo=None),
        time_zone=tz,
        venue="City conference centre (demo)",
        address="Main square 1",
        latitude=hub.latitude,
        longitude=hub.longitude,
        online_url="https://stream.demo.invalid/fair",
        languages=[lang, "en"],
        audiences=["citizens", "patients_carers", "health_professionals", "policymakers"],
        objectives=["understanding", "prevention", "quality_of_life", "equitable_access"],
        capacity=300,
        accessibility=["step_free", "captions", "sign_language", "easy_read"],
        accessibility_notes="Quiet room on the ground floor; assistance dogs welcome.",
        questions="event-registration",
        status=Event.Status.PUBLISHED,
        source_language="en",
        translations=fair_translations(hub),
    )
    programme = [
        (0, 9, 11, "Official launch of the national hub", "Main hall"),
        (0, 11, 13, "Founding members present their commitments", "Main hall"),
        (0, 14, 16, "Panel: the Mission on Cancer in our country", "Main hall"),
        (1, 10, 12, "Citizen day: ask the experts about screening", "Citizens' forum"),
        (1, 13, 15, "Survivors and carers: what helps after treatment", "Citizens' forum"),
        (1, 15, 17, "Citizen dialogue: what should the hub do first?", "Citizens' forum"),
        (2, 9, 11, "Synergies day: Mission projects meet the hub", "Room B"),
        (2, 11, 13, "Matchmaking with hubs of other countries", "Room B"),
        (2, 14, 16, "Cancer in all: employers, schools and social services", "Room B"),
    ]
    for offset, h1, h2, title, room in programme:
        d = day + timedelta(days=offset)
        services.add_session(
            actor=None,
            event=fair,
            title=title,
            start=_local(d, h1, tz).replace(tzinfo=None),
            end=_local(d, h2, tz).replace(tzinfo=None),
            room=room,
        )
    fair.refresh_from_db()
    _register(fair, rng, 180, counter, past=fair.end < timezone.now())
    return fair


@transaction.atomic
def load_demo() -> dict:
    """About a year of events (six months back, six ahead) on the demo hubs (idempotent)."""
    if Event.objects.filter(is_demo=True).exists():
        return {"skipped": True}
    hubs = list(
        Hub.objects.filter(is_demo=True, level="national").select_related("country").order_by("pk")
    )
    if not hubs:
        return {"skipped": True}
    rng = random.Random(f"echos-demo:{SEED}:events")
    today = timezone.localdate()
    counter = [1]
    events = []
    # The fair: on the first demo hub, three weeks from today.
    fair = _fair(hubs[0], fair_day(today + timedelta(days=21)), counter, rng)
    events.append(fair)
    # Events held somewhere name a region of their country (in turn, without drawing on the random
    # sequence), so that the participation gap's table by region has something to show.
    regions: dict[str, list[str]] = {}
    for code, country in Region.objects.filter(parent=None).values_list("code", "country_id"):
        regions.setdefault(country, []).append(code)
    translated: set[str] = set()  # templates whose first event got its translations
    for i in range(96):
        hub = hubs[i % len(hubs)]
        kind, title, audiences, objectives, fmt, hours, capacity = TEMPLATES[
            rng.randrange(len(TEMPLATES))
        ]
        day = plausible_day(today + timedelta(days=rng.randint(-182, 182)))
        tz = country_timezone(hub.country_id)
        lang = LANGUAGES.get(hub.country_id, "en")
        start = _local(day, plausible_start(rng.choice([10, 14, 17, 18]), hours), tz)
        past = start < timezone.now()
        event = Event(
            title=title.format(place=hub.country.name) + " (demo)",
            description=(
                "Demo event with invented content, showing how a hub publishes its activities. "
                f"{dict(EventType.choices)[kind]} in {hub.country.name}."
            ),
            type=kind,
            hub=hub,
            format=fmt,
            country=hub.country,
            venue="" if fmt == Format.ONLINE else "Community centre (demo)",
            online_url="https://meet.demo.invalid/" + str(i) if fmt != Format.IN_PERSON else "",
            latitude=hub.latitude if fmt != Format.ONLINE else None,
            longitude=hub.longitude if fmt != Format.ONLINE else None,
            languages=f",{lang},en," if lang != "en" and rng.random() < 0.3 else f",{lang},",
            audiences="," + ",".join(sorted(audiences)) + ",",
            objectives="," + ",".join(sorted(objectives)) + ",",
            start=start,
            end=start + timedelta(hours=hours),
            time_zone=tz,
            capacity=capacity,
            region_id=(
                regions[hub.country_id][i % len(regions[hub.country_id])]
                if fmt != Format.ONLINE and regions.get(hub.country_id)
                else None
            ),
            accessibility=",step_free," if fmt != Format.ONLINE else ",captions,",
            status=Event.Status.PUBLISHED,
            outcomes=(
                "Demo outcome: participants asked for a follow-up session and shared their "
                "contact points with the hub."
                if past
                else ""
            ),
            is_demo=True,
        )
        if title in TEMPLATE_TRANSLATIONS and title not in translated:
            translated.add(title)
            event.translations = template_translations(title, kind, hub, past)
        event.save()
        events.append(event)
        n = rng.randint(0, (capacity or 80) + (10 if capacity and rng.random() < 0.2 else 0))
        _register(event, rng, n, counter, past=past)
    # One postponed and one cancelled event, as organisers really have them.
    upcoming = [e for e in events if e.start > timezone.now() and e.pk != fair.pk]
    if len(upcoming) >= 2:
        Event.objects.filter(pk=upcoming[0].pk).update(
            status=Event.Status.POSTPONED, status_reason="The venue is being renovated (demo)."
        )
        Event.objects.filter(pk=upcoming[1].pk).update(
            status=Event.Status.CANCELLED, status_reason="Speaker unavailable (demo)."
        )
        Registration.objects.filter(event=upcoming[1]).update(
            status=Registration.Status.CANCELLED, cancel_reason="event cancelled"
        )
    Event.objects.filter(pk__in=[e.pk for e in events]).update(is_demo=True)
    return {"events": len(events), "registrations": counter[0] - 1}
