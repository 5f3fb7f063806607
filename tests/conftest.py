"""Shared personas and data: the network coordinator, Norway's and Portugal's coordinators, an editor,
a stakeholder member and the anonymous public, over the real reference data."""

import os

os.environ.setdefault("ECHOS_TESTING", "1")
os.environ.setdefault(
    "ECHOS_DATA_DIR", os.path.join(os.path.dirname(__file__), "..", "data", "test")
)

from datetime import date  # noqa: E402

import pytest  # noqa: E402
from django.test import Client  # noqa: E402

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (cached reports, feeds and counters of other tests)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request leaves its language active in the thread
    (as Django's own locale middleware does, so that streamed responses keep it), and the next test
    would otherwise inherit the language a test client's request asked for."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load countries, regions and vocabularies once for the whole session."""
    from echos.core.reference import load_reference

    with django_db_blocker.unblock():
        load_reference()


@pytest.fixture
def terms():
    from echos.core.models import Term

    return {t.code: t for t in Term.objects.of("stakeholder_groups")}


@pytest.fixture
def make_user(db):
    from echos.core.models import User

    def make(username, **extra):
        user = User.objects.create_user(username=username, password=PASSWORD, **extra)
        return user

    return make


@pytest.fixture
def hubs(db):
    """Norway (national, regional, local), Portugal (national) and their organisations."""
    from echos.core.models import Country, Region, Term
    from echos.core.reference import load_reference
    from echos.hubs import services

    if not Term.objects.exists():
        load_reference()  # a transactional test before this one flushed the tables

    research = Term.objects.get(vocabulary="stakeholder_groups", code="research")
    patients = Term.objects.get(vocabulary="stakeholder_groups", code="patients")
    no = Country.objects.get(pk="NO")
    pt = Country.objects.get(pk="PT")
    norway = services.create_hub(
        actor=None,
        country=no,
        level="national",
        name="Kreftmisjonshub Norge",
        name_en="Cancer Mission Hub Norway",
        stage="launched",
        stage_date=date(2024, 1, 10),
    )
    vestland = services.create_hub(
        actor=None,
        country=no,
        level="regional",
        parent=norway,
        region=Region.objects.get(pk="NO-46"),
        name="Vestland hub",
        name_en="Vestland hub",
    )
    bergen = services.create_hub(
        actor=None,
        country=no,
        level="local",
        parent=vestland,
        name="Bergen hub",
        name_en="Bergen hub",
    )
    portugal = services.create_hub(
        actor=None,
        country=pt,
        level="national",
        name="Hub Nacional",
        name_en="National Cancer Hub Portugal",
    )
    occ = services.create_organisation(
        actor=None, name="Oslo Cancer Cluster", country=no, stakeholder_group=research
    )
    ncs = services.create_organisation(
        actor=None, name="Norwegian Cancer Society", country=no, stakeholder_group=patients
    )
    aicib = services.create_organisation(
        actor=None, name="AICIB", country=pt, stakeholder_group=research
    )
    services.add_membership(actor=None, hub=norway, organisation=occ, role="coordinating_group")
    services.add_membership(actor=None, hub=norway, organisation=ncs, role="member")
    services.add_membership(actor=None, hub=portugal, organisation=aicib, role="coordinating_group")
    services.add_contact(
        actor=None, organisation=occ, name="Test Contact", email="contact@example.invalid"
    )
    return {
        "norway": norway,
        "vestland": vestland,
        "bergen": bergen,
        "portugal": portugal,
        "occ": occ,
        "ncs": ncs,
        "aicib": aicib,
    }


@pytest.fixture
def personas(hubs, make_user):
    """One user per role, plus None for the anonymous public."""
    from echos.hubs.models import HubRole, Person

    network = make_user("secretariat", is_network_coordinator=True)
    coord_no = make_user("coordinator-no")
    coord_pt = make_user("coordinator-pt")
    editor_no = make_user("editor-no")
    member_no = make_user("member-no")
    HubRole.objects.create(user=coord_no, hub=hubs["norway"], role="coordinator")
    HubRole.objects.create(user=coord_pt, hub=hubs["portugal"], role="coordinator")
    HubRole.objects.create(user=editor_no, hub=hubs["norway"], role="editor")
    HubRole.objects.create(user=member_no, hub=hubs["norway"], role="member")
    Person.objects.create(organisation=hubs["ncs"], name="Member person", user=member_no)
    return {
        "network": network,
        "coord_no": coord_no,
        "coord_pt": coord_pt,
        "editor_no": editor_no,
        "member_no": member_no,
        "anonymous": None,
    }


@pytest.fixture
def login():
    """A Client signed in as the given user (or anonymous for None)."""

    def make(user):
        client = Client()
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make


@pytest.fixture
def token_client():
    """A Client that sends a fresh API token of the given user."""
    from echos.core.models import ApiToken

    def make(user):
        if user is None:
            return Client()
        _token, raw = ApiToken.issue(user)
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    return make
