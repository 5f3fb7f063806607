"""The ECHoS reference project (public facts with sources) and the demo additions."""

import pytest
from django.test import Client


@pytest.fixture
def project(hubs):
    """Loaded after the shared hubs fixture, whose organisations it reuses (Oslo Cancer Cluster)."""
    from echos.consortium.demo import load_reference_consortium
    from echos.consortium.models import Project

    load_reference_consortium()
    return Project.objects.get(acronym="ECHoS")


@pytest.fixture
def demo(project):
    from echos.consortium.demo import load_demo

    load_demo()
    return project


@pytest.fixture
def staff(personas, hubs, project):
    """An account linked to a contact person of a partner organisation (partner staff)."""
    from echos.consortium.models import Partner
    from echos.hubs.models import Person

    Partner.objects.create(project=project, organisation=hubs["ncs"], role="beneficiary")
    # member_no's contact person belongs to the Norwegian Cancer Society (tests/conftest.py).
    assert Person.objects.filter(user=personas["member_no"], organisation=hubs["ncs"]).exists()
    return personas["member_no"]


@pytest.fixture
def client_for():
    """A page client signed in as the user (anonymous for None)."""

    def make(user):
        c = Client()
        if user is not None:
            c.force_login(user)
        return c

    return make


@pytest.fixture
def api():
    """An API client with a token for the user (no header for None)."""
    from echos.core.models import ApiToken

    def make(user):
        if user is None:
            return Client()
        _, raw = ApiToken.issue(user, "test")
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return make
