"""The library's generator step: searchable synthetic resources with text, tags and versions,
non-public ones hidden from search, same seed same rows."""

from types import SimpleNamespace

import pytest

from echos.hubs.generate import Context, HubInfo
from echos.library import generate, search
from echos.library.models import Resource, ResourceTag, ResourceVersion, Visibility

pytestmark = pytest.mark.django_db


def context(hubs, *, count: int, seed: int = 3) -> Context:
    ctx = Context(
        seed=seed,
        scale=SimpleNamespace(resources=count),
        batch=17,
        progress=lambda label, done, total: None,
    )
    ctx.hubs = [
        HubInfo(hubs["norway"].pk, "NO", "national", "launched", None),
        HubInfo(hubs["portugal"].pk, "PT", "national", "no_structure", None),
    ]
    return ctx


def snapshot() -> list[tuple]:
    return [
        (r.title, r.language, r.type, r.visibility, r.hub_id, r.published, r.latest_version().text)
        for r in Resource.objects.order_by("pk")
    ]


def test_step_creates_searchable_resources_with_text(hubs):
    assert generate.generate_resources(context(hubs, count=120)) == 120
    resources = Resource.objects.all()
    assert resources.count() == 120 and not resources.filter(is_demo=False).exists()
    assert ResourceVersion.objects.filter(resource__in=resources).exclude(text="").count() == 120
    assert ResourceTag.objects.exists()
    assert len(set(resources.values_list("language", flat=True))) >= 8
    assert resources.filter(visibility=Visibility.NETWORK).exists()
    # Norway's resources are in Norwegian, Portugal's in Portuguese.
    assert set(resources.filter(hub=hubs["portugal"]).values_list("language", flat=True)) == {"pt"}
    # A word that only the version text holds is found, and only in public resources.
    public = resources.filter(visibility=Visibility.PUBLIC, language="pt").first()
    words = [w for w in public.latest_version().text.split() if len(w) > 7 and w.isalpha()]
    page = search.search(words[0], user=None, language="pt", per_page=100)
    assert page.count >= 1
    assert {r.resource.visibility for r in page.results} == {Visibility.PUBLIC}


def test_same_seed_same_rows(hubs):
    generate.generate_resources(context(hubs, count=40, seed=9))
    first = snapshot()
    Resource.objects.all().delete()
    generate.generate_resources(context(hubs, count=40, seed=9))
    assert snapshot() == first
