"""Invented participation for a demo hub: a running and a closed consultation, proposals, all demo.

Attached only to a hub marked ``is_demo`` (never to the real hubs); invented participants have
``@demo.invalid`` addresses; answers come from a fixed seed, so every demo looks the same.
"""

import random
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from echos.hubs.models import Hub
from echos.participation import services
from echos.participation.generate import bulk_answers
from echos.participation.models import Comment, Consultation, Proposal, Support

SEED = 2026
PREFERRED_COUNTRIES = ["ES", "DE", "FR"]

# (title, body, supports, status, hub's answer)
PROPOSALS = [
    (
        "Evening screening slots",
        "Offer mammography and colorectal screening appointments after 18:00 and on Saturdays, "
        "so people who work shifts can attend.",
        42,
        Proposal.Status.IN_PROGRESS,
        "Two regional screening centres open on Thursday evenings from next month; we will "
        "report attendance in the autumn.",
    ),
    (
        "Plain-language letters",
        "Rewrite the screening invitation letters with patients so they are short and clear, "
        "and translate them into the main community languages.",
        35,
        Proposal.Status.ACCEPTED,
        "Accepted: a working group of the patients' association and the screening programme "
        "rewrites the letters this year.",
    ),
    (
        "Return-to-work coaches",
        "Fund coaches who help survivors and their employers plan a gradual return to work.",
        18,
        Proposal.Status.NOT_TAKEN,
        "Not taken forward by the hub: employment support is run by the labour agency, which "
        "already offers this; we have linked its service from our site.",
    ),
    (
        "Transport to treatment",
        "A volunteer driver network for patients from villages without public transport.",
        27,
        Proposal.Status.UNDER_CONSIDERATION,
        "",
    ),
    (
        "School workshops on sun protection",
        "Short workshops in primary schools before the summer holidays.",
        11,
        Proposal.Status.UNDER_CONSIDERATION,
        "",
    ),
]
COMMENTS = [
    "Yes please — my mother could never go during working hours.",
    "Could pharmacies also hand out the stool test kits?",
    "The letters should also explain what happens after a positive result.",
]
FOLLOW_UP = (
    "Thank you to the 180 people who answered. Prevention and equitable access came first, and "
    "distance to care was the barrier named most often. We have (1) asked the regional health "
    "authority for a mobile screening unit, (2) started rewriting invitation letters with "
    "patients, and (3) planned four evening information sessions outside the capital."
)


# The demo's text in other languages (issue #17): written for echos, invented like the rest.
RUNNING_TRANSLATIONS = {
    "es": {
        "title": "¿En qué debería trabajar el hub el año que viene? (demo)",
        "description": "Consulta de demostración con respuestas inventadas: diga al hub qué "
        "partes de la Misión contra el Cáncer le importan más y cómo le gustaría participar.",
    },
    "fr": {
        "title": "Sur quoi le hub devrait-il travailler l'an prochain ? (démo)",
        "description": "Consultation de démonstration aux réponses inventées : dites au hub "
        "quelles parties de la Mission cancer comptent le plus pour vous et comment vous "
        "aimeriez y prendre part.",
    },
    "pl": {
        "title": "Czym hub powinien zająć się w przyszłym roku? (demo)",
        "description": "Konsultacja demonstracyjna z wymyślonymi odpowiedziami: powiedz hubowi, "
        "które części Misji Nowotworowej są dla Ciebie najważniejsze i jak chcesz się włączyć.",
    },
}
CLOSED_TRANSLATIONS = {
    "es": {
        "title": "Cribado y acceso a la atención (demo)",
        "description": "Consulta de demostración, cerrada, con su seguimiento.",
    },
    "de": {
        "title": "Früherkennung und Zugang zur Versorgung (Demo)",
        "description": "Demo-Konsultation, abgeschlossen, mit ihrer Rückmeldung.",
    },
}
FOLLOW_UP_TRANSLATIONS = {
    "es": {
        "follow_up": "Gracias a las 180 personas que respondieron. La prevención y el acceso "
        "equitativo quedaron en primer lugar, y la distancia hasta la atención fue el obstáculo "
        "más citado. Hemos (1) pedido a la autoridad sanitaria regional una unidad móvil de "
        "cribado, (2) empezado a reescribir las cartas de invitación con pacientes y (3) "
        "previsto cuatro sesiones informativas por la tarde fuera de la capital."
    },
}
ANSWER_TRANSLATIONS = {
    0: {
        "es": {
            "answer": "Dos centros regionales de cribado abrirán los jueves por la tarde a partir "
            "del mes que viene; informaremos de la asistencia en otoño."
        }
    },
    1: {
        "es": {
            "answer": "Aceptada: un grupo de trabajo de la asociación de pacientes y del "
            "programa de cribado reescribe las cartas este año."
        },
        "fr": {
            "answer": "Acceptée : un groupe de travail de l'association de patients et du "
            "programme de dépistage réécrit les lettres cette année."
        },
    },
}


def _demo_hub() -> Hub | None:
    national = Hub.objects.national().filter(is_demo=True)
    for code in PREFERRED_COUNTRIES:
        hub = national.filter(country_id=code).first()
        if hub:
            return hub
    return national.order_by("pk").first()


def _confirmed(model, **fields):
    return model.objects.create(confirmed_at=timezone.now(), is_demo=True, **fields)


@transaction.atomic
def load_demo() -> dict:
    """Consultations, answers, proposals, supports, comments, a hidden proposal and answers (idempotent)."""
    if Consultation.objects.filter(is_demo=True).exists():
        return {"skipped": True}
    hub = _demo_hub()
    if hub is None:
        return {"skipped": True}
    rng = random.Random(f"echos-demo:{SEED}:participation")
    now = timezone.now()
    running = services.open_consultation(
        actor=None,
        hub=hub,
        title="What should the hub work on next year? (demo)",
        description="Demo consultation with invented answers: tell the hub which parts of the "
        "Mission on Cancer matter most to you and how you would like to take part.",
        opens_at=now - timedelta(days=10),
        closes_at=now + timedelta(days=20),
        languages=["en", "es"],
        is_demo=True,
        source_language="en",
        translations=RUNNING_TRANSLATIONS,
    )
    closed = services.open_consultation(
        actor=None,
        hub=hub,
        title="Screening and access to care (demo)",
        description="Demo consultation, closed, with its follow-up.",
        opens_at=now - timedelta(days=120),
        closes_at=now - timedelta(days=60),
        languages=["en", "es"],
        is_demo=True,
        source_language="en",
        translations=CLOSED_TRANSLATIONS,
    )
    answers = bulk_answers([(running, 320), (closed, 180)], rng=rng)
    services.publish_follow_up(
        actor=None, consultation=closed, text=FOLLOW_UP, translations=FOLLOW_UP_TRANSLATIONS
    )
    made = []
    for i, (title, body, supports, status, answer) in enumerate(PROPOSALS):
        proposal = _confirmed(
            Proposal,
            hub=hub,
            consultation=closed if i < 3 else running,
            title=f"{title} (demo)",
            body=body,
            language="en",
            display_name=f"Demo participant {i + 1}",
            email=f"demo-author-{i + 1}@demo.invalid",
        )
        Support.objects.bulk_create(
            [
                Support(
                    proposal=proposal,
                    email=f"demo-supporter-{n}@demo.invalid",
                    confirmed_at=now,
                    is_demo=True,
                )
                for n in range(supports)
            ]
        )
        Proposal.objects.filter(pk=proposal.pk).update(support_count=F("support_count") + supports)
        for j, text in enumerate(rng.sample(COMMENTS, rng.randint(1, 2))):
            services.count_confirmed(
                "comment",
                _confirmed(
                    Comment,
                    proposal=proposal,
                    body=text,
                    language="en",
                    display_name=f"Demo commenter {j + 1}",
                    email=f"demo-commenter-{i}-{j}@demo.invalid",
                ),
            )
        if status != Proposal.Status.UNDER_CONSIDERATION:
            services.answer_proposal(
                actor=None,
                proposal=proposal,
                status=status,
                reason=answer,
                source_language="en",
                translations=ANSWER_TRANSLATIONS.get(i),
            )
        made.append(proposal)
    spam = _confirmed(
        Proposal,
        hub=hub,
        title="Buy cheap supplements (demo spam)",
        body="Miracle cure, visit our shop.",
        email="demo-spammer@demo.invalid",
    )
    services.report(target=spam, reason="spam", details="Advertising.")
    services.moderate(
        actor=None, target=spam, action="hide", reason="Advertising, not a proposal (demo)."
    )
    return {
        "consultations": 2,
        "answers": answers,
        "proposals": len(made) + 1,
        "hub": hub.pk,
    }
