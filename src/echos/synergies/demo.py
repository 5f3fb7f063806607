"""Invented activities of the demo hubs, in their own languages, with accepted synergies (all demo)."""

from datetime import date

from django.db import transaction

from echos.hubs.models import Hub
from echos.synergies import matching, services
from echos.synergies.models import Activity, Decision, SynergyLink

# Translations of some demo activities (#17), written for the demo: their titles and descriptions
# in other languages, which the pages show to visitors of those languages and the engine reads.
ACTIVITY_TRANSLATIONS = {
    "Aktionswoche Darmkrebsvorsorge": {
        "en": {
            "title": "Bowel cancer screening action week",
            "description": "For one week, family doctors' practices and pharmacies inform about "
            "colonoscopy and the stool test. We want more people aged 50 and over to take part in "
            "early detection.",
        },
        "fr": {
            "title": "Semaine d'action pour le dépistage du cancer colorectal",
            "description": "Pendant une semaine, cabinets de médecine générale et pharmacies "
            "informent sur la coloscopie et le test de selles. Nous voulons amener davantage de "
            "personnes de 50 ans et plus au dépistage précoce.",
        },
    },
    "Rauchfreie Schule": {
        "en": {
            "title": "Smoke-free school",
            "description": "Pupils in years 7 to 9 design campaigns against tobacco and "
            "e-cigarettes together with their teachers.",
        },
        "pl": {
            "title": "Szkoła wolna od dymu",
            "description": "Uczniowie klas 7–9 wraz z nauczycielami przygotowują kampanie "
            "przeciwko tytoniowi i e-papierosom.",
        },
    },
    "Vuelta al trabajo después del cáncer": {
        "en": {
            "title": "Back to work after cancer",
            "description": "A programme with companies in Catalonia to adapt the jobs and working "
            "hours of people who have come through cancer and want to return to work.",
        },
        "it": {
            "title": "Ritorno al lavoro dopo il cancro",
            "description": "Un programma con le imprese della Catalogna per adattare mansioni e "
            "orari delle persone che hanno superato un cancro e vogliono tornare a lavorare.",
        },
    },
}

# Translations of two initiatives of the catalogue, written for the demo (#17).
INITIATIVE_TRANSLATIONS = {
    "echos": {
        "de": {"name": "Aufbau von Cancer Mission Hubs: Netzwerke und Synergien"},
        "es": {"name": "Creación de los Cancer Mission Hubs: redes y sinergias"},
        "fr": {"name": "Mise en place des Cancer Mission Hubs : réseaux et synergies"},
    },
    "euonqol": {
        "de": {"name": "Lebensqualität in der Onkologie: messen, was für Krebspatienten und "
               "Überlebende in Europa zählt"},
        "es": {"name": "Calidad de vida en oncología: medir lo que importa a los pacientes y "
               "supervivientes de cáncer en Europa"},
    },
}  # fmt: skip

# (country of the demo national hub, language, title, description, objectives, policy areas, start)
ACTIVITIES = [
    (
        "DE",
        "de",
        "Aktionswoche Darmkrebsvorsorge",
        "Eine Woche lang informieren Hausarztpraxen und Apotheken über die Darmspiegelung und den Stuhltest. "
        "Wir wollen mehr Menschen ab 50 Jahren zur Früherkennung bewegen.",
        ["prevention"],
        ["health"],
        date(2026, 3, 2),
    ),
    (
        "DE",
        "de",
        "Rauchfreie Schule",
        "Schülerinnen und Schüler der Klassen 7 bis 9 entwickeln mit Lehrkräften Kampagnen gegen Tabak und "
        "E-Zigaretten.",
        ["prevention"],
        ["education"],
        date(2026, 1, 12),
    ),
    (
        "ES",
        "es",
        "Vuelta al trabajo después del cáncer",
        "Programa con empresas de Cataluña para adaptar puestos y horarios de personas que han superado un "
        "cáncer y quieren volver a trabajar.",
        ["quality_of_life"],
        ["employment", "social_affairs"],
        date(2025, 10, 1),
    ),
    (
        "ES",
        "es",
        "Registro regional de cáncer infantil",
        "Mejoramos la calidad de los datos del registro de tumores pediátricos y los compartimos con la red "
        "europea.",
        ["understanding", "diagnosis_treatment"],
        ["research", "health"],
        date(2025, 6, 1),
    ),
    (
        "FR",
        "fr",
        "Dialogue citoyen sur la Mission cancer",
        "Des habitants tirés au sort débattent des priorités de la Mission européenne contre le cancer et "
        "formulent des recommandations pour le hub.",
        ["equitable_access"],
        ["social_affairs"],
        date(2026, 2, 7),
    ),
    (
        "FR",
        "fr",
        "Dépistage du cancer du col de l'utérus dans les quartiers prioritaires",
        "Autoprélèvement HPV proposé par des médiatrices de santé aux femmes qui ne se font jamais dépister.",
        ["prevention", "equitable_access"],
        ["health"],
        date(2025, 11, 15),
    ),
    (
        "IT",
        "it",
        "Telemedicina per i pazienti oncologici delle aree interne",
        "Visite di controllo a distanza e monitoraggio dei sintomi per chi vive lontano dai centri oncologici "
        "della Lombardia.",
        ["diagnosis_treatment", "equitable_access"],
        ["health"],
        date(2025, 9, 1),
    ),
    (
        "NL",
        "nl",
        "Beweegprogramma tijdens en na kanker",
        "Fysiotherapeuten begeleiden patiënten bij sporten tijdens de behandeling om vermoeidheid te "
        "verminderen en de kwaliteit van leven te verbeteren.",
        ["quality_of_life"],
        ["health"],
        date(2025, 4, 1),
    ),
    (
        "SE",
        "sv",
        "Screening för lungcancer hos rökare",
        "Pilotprojekt med lågdos-datortomografi för tidigare och nuvarande rökare i Skåne.",
        ["prevention", "diagnosis_treatment"],
        ["health", "research"],
        date(2026, 5, 1),
    ),
    (
        "FI",
        "fi",
        "Syövästä selviytyneiden nuorten vertaistuki",
        "Nuorille aikuisille, jotka ovat sairastaneet syövän lapsena, järjestetään vertaistukiryhmiä ja "
        "neuvontaa opiskeluun ja työhön.",
        ["quality_of_life"],
        ["social_affairs", "education"],
        date(2025, 8, 20),
    ),
    (
        "CZ",
        "cs",
        "Kampaň na očkování proti HPV",
        "Informační kampaň pro rodiče a školy o očkování dívek i chlapců proti lidskému papilomaviru.",
        ["prevention"],
        ["health", "education"],
        date(2026, 4, 10),
    ),
    (
        "RO",
        "ro",
        "Screening pentru cancerul de sân în mediul rural",
        "Unități mobile de mamografie vizitează satele fără acces la servicii de imagistică.",
        ["prevention", "equitable_access"],
        ["health"],
        date(2025, 7, 1),
    ),
    (
        "GR",
        "el",
        "Εκστρατεία για τον καρκίνο του δέρματος",
        "Ενημέρωση στις παραλίες για την προστασία από τον ήλιο και τον έλεγχο των σπίλων.",
        ["prevention"],
        ["health", "environment"],
        date(2026, 6, 15),
    ),
    (
        "SI",
        "sl",
        "Delavci in rakotvorne snovi",
        "Delavnice za delodajalce in sindikate o izpostavljenosti rakotvornim snovem na delovnem mestu.",
        ["prevention"],
        ["employment", "environment"],
        date(2025, 10, 20),
    ),
    (
        "LT",
        "lt",
        "Paliatyviosios pagalbos tinklas",
        "Kuriame paliatyviosios pagalbos namuose tinklą su šeimos gydytojais ir slaugytojais.",
        ["quality_of_life"],
        ["health", "social_affairs"],
        date(2026, 1, 5),
    ),
    (
        "UA",
        "uk",
        "Підтримка онкохворих переселенців",
        "Допомагаємо внутрішньо переміщеним особам з онкологічними захворюваннями продовжити лікування.",
        ["equitable_access", "diagnosis_treatment"],
        ["social_affairs", "health"],
        date(2025, 3, 1),
    ),
    (
        "TR",
        "tr",
        "Kanser taramalarında yapay zekâ",
        "Mamografi görüntülerinin yapay zekâ ile değerlendirilmesi üzerine araştırma ve veri paylaşımı.",
        ["diagnosis_treatment", "understanding"],
        ["research"],
        date(2025, 12, 1),
    ),
    (
        "EE",
        "et",
        "Geeniuuringud vähiriski hindamiseks",
        "Biopanga andmete põhjal hinnatakse pärilikku vähiriski ja pakutakse nõustamist.",
        ["understanding", "prevention"],
        ["research", "health"],
        date(2025, 5, 1),
    ),
    (
        "AT",
        "de",
        "Psychoonkologische Beratung für Angehörige",
        "Kostenlose Beratung für Familien und pflegende Angehörige von Menschen mit Krebs.",
        ["quality_of_life"],
        ["social_affairs"],
        date(2025, 9, 15),
    ),
    (
        "IE",
        "en",
        "Cancer inequalities atlas",
        "Mapping cancer incidence and survival by deprivation and region to target services where outcomes "
        "are worst.",
        ["equitable_access", "understanding"],
        ["research", "social_affairs"],
        date(2026, 2, 1),
    ),
    (
        "BE",
        "fr",
        "Alimentation et cancer à l'école",
        "Ateliers de cuisine et d'information sur l'alimentation saine et l'activité physique pour prévenir le "
        "cancer.",
        ["prevention"],
        ["education", "agriculture_food"],
        date(2025, 11, 3),
    ),
]


@transaction.atomic
def load_demo() -> dict:
    """Activities for the demo hubs and, for half of them, the best suggestion accepted (idempotent)."""
    if Activity.objects.filter(is_demo=True).exists():
        return {"skipped": True}
    if not matching.Initiative.objects.exists():
        services.load_initiatives()
    for key, translations in INITIATIVE_TRANSLATIONS.items():
        initiative = matching.Initiative.objects.filter(key=key).first()
        if initiative is not None and not initiative.translations:
            initiative.translations = translations
            initiative.save(update_fields=["translations", "search_text"])
    made = []
    for code, language, title, description, objectives, areas, start in ACTIVITIES:
        hub = Hub.objects.national().filter(country_id=code, is_demo=True).first()
        if hub is None:
            continue
        made.append(
            services.save_activity(
                actor=None,
                hub=hub,
                title=title,
                description=description,
                source_language=language,
                translations=ACTIVITY_TRANSLATIONS.get(title, {}),
                start=start,
                objectives=objectives,
                policy_areas=areas,
                is_demo=True,
            )
        )
    statuses = list(SynergyLink.Status.values)
    for i, activity in enumerate(made):
        found = matching.suggestions(activity, top=3)
        if i % 2 == 0 and found["initiatives"]:
            best = found["initiatives"][0]
            services.decide(
                actor=None,
                activity=activity,
                verdict=Decision.Verdict.ACCEPTED,
                initiative=best["object"],
                score=best["score"],
            )
            link = SynergyLink.objects.get(activity=activity, initiative=best["object"])
            services.update_link(
                actor=None,
                link=link,
                status=statuses[i % len(statuses)],
                notes="Demo: first call held with the initiative's coordinators.",
            )
        if i % 3 == 1 and len(found["initiatives"]) > 2:
            services.decide(
                actor=None,
                activity=activity,
                verdict=Decision.Verdict.REJECTED,
                initiative=found["initiatives"][2]["object"],
                score=found["initiatives"][2]["score"],
            )
        if i % 4 == 0 and found["activities"]:
            other = found["activities"][0]
            services.decide(
                actor=None,
                activity=activity,
                verdict=Decision.Verdict.ACCEPTED,
                other_activity=other["object"],
                score=other["score"],
            )
    return {"activities": len(made), "links": SynergyLink.objects.count()}
