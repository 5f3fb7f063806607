"""Honeypot and hourly limits on every public form."""

import pytest
from django.core.cache import cache

from echos.core.abuse import HONEYPOT
from echos.participation.models import Answer, Comment, Proposal, Report, Support
from tests.participation.conftest import GOOD_ANSWERS, post_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits_on(settings):
    settings.ECHOS_RATE_LIMITS = True
    settings.ECHOS_RATE_FORMS = 10_000
    settings.ECHOS_RATE_PUBLIC = {
        "consultation": 2,
        "proposal": 2,
        "support": 2,
        "comment": 2,
        "report": 2,
    }
    cache.clear()
    yield
    cache.clear()


def forms(hubs, consultation, proposal):
    """(url, valid anonymous data, model) of every public form."""
    return [
        (
            consultation.get_absolute_url(),
            lambda i: post_data(GOOD_ANSWERS, email=f"a{i}@example.org"),
            Answer,
        ),
        (
            f"/participate/hubs/{hubs['norway'].pk}/proposals/new/",
            lambda i: {"title": f"Idea {i}", "body": "Text", "email": f"p{i}@example.org"},
            Proposal,
        ),
        (
            f"/participate/proposals/{proposal.pk}/support/",
            lambda i: {"email": f"s{i}@example.org"},
            Support,
        ),
        (
            f"/participate/proposals/{proposal.pk}/comment/",
            lambda i: {"body": "Nice", "email": f"c{i}@example.org"},
            Comment,
        ),
        (f"/participate/report/proposal/{proposal.pk}/", lambda i: {"reason": "spam"}, Report),
    ]


def test_honeypot_is_refused_on_every_form(login, hubs, consultation, proposal):
    client = login(None)
    for url, data, model in forms(hubs, consultation, proposal):
        before = model.objects.count()
        response = client.post(url, {**data(0), HONEYPOT: "http://spam.example"})
        assert response.status_code == 400, url
        assert model.objects.count() == before, url


def test_hourly_limit_answers_429_on_every_form(login, hubs, consultation, proposal, limits_on):
    for n, (url, data, model) in enumerate(forms(hubs, consultation, proposal)):
        client = login(None)
        client.defaults["REMOTE_ADDR"] = f"10.0.0.{n + 1}"
        for i in range(2):
            assert client.post(url, data(i)).status_code == 302, url
        before = model.objects.count()
        refused = client.post(url, data(9))
        assert refused.status_code == 429, url
        assert "Too many" in refused.content.decode()
        assert model.objects.count() == before, url


def test_limit_also_counts_per_account(login, hubs, limits_on, make_user):
    client = login(make_user("busy"))
    url = f"/participate/hubs/{hubs['norway'].pk}/proposals/new/"
    for i in range(2):
        client.defaults["REMOTE_ADDR"] = f"10.1.0.{i}"
        assert client.post(url, {"title": f"I{i}", "body": "b"}).status_code == 302
    client.defaults["REMOTE_ADDR"] = "10.1.0.99"
    assert client.post(url, {"title": "I3", "body": "b"}).status_code == 429
