"""Every change to the library is audited and the sensible ones revert; the privacy section
exports and unlinks what a person uploaded."""

import pytest

from echos.core.models import ActionLog
from echos.core.revert import revert
from echos.library import privacy, services
from echos.library.models import Resource

from .conftest import pdf_bytes, upload

pytestmark = pytest.mark.django_db


def test_changes_are_audited_and_reverted(personas, make_resource):
    network = personas["network"]
    resource = make_resource(
        "Original", actor=personas["editor_no"], tags=[("objectives", "prevention")]
    )
    services.update_resource(
        actor=network, resource=resource, title="Changed", tags=[("policy_areas", "employment")]
    )
    entry = ActionLog.objects.get(action="library.resource.updated")
    assert entry.data["changed"]["title"] == ["Original", "Changed"]
    revert(actor=network, entry=entry)
    resource.refresh_from_db()
    assert resource.title == "Original"
    assert [(t.vocabulary, t.code) for t in resource.tags.all()] == [("objectives", "prevention")]


def test_a_new_version_reverts_to_the_one_before(personas, django_capture_on_commit_callbacks):
    network = personas["network"]
    with django_capture_on_commit_callbacks(execute=True):
        resource = services.create_resource(
            actor=network,
            title="Doc",
            description="",
            language="en",
            type="report",
            tags=[],
            file=upload("a.pdf", pdf_bytes("alpha")),
        )
        services.add_version(
            actor=network, resource=resource, file=upload("b.pdf", pdf_bytes("beta"))
        )
    entry = ActionLog.objects.get(action="library.version.added")
    revert(actor=network, entry=entry)
    assert list(resource.versions.values_list("number", flat=True)) == [1]
    assert ActionLog.objects.filter(action="library.version.withdrawn").exists()


def test_an_addition_reverts_by_deleting_and_deletion_is_audited(personas, make_resource):
    network = personas["network"]
    resource = make_resource("Spam", actor=personas["editor_no"])
    revert(actor=network, entry=ActionLog.objects.get(action="library.resource.created"))
    assert not Resource.objects.filter(pk=resource.pk).exists()
    deleted = ActionLog.objects.get(action="library.resource.deleted")
    assert deleted.data["title"] == "Spam"


def test_privacy_export_and_erasure(personas, make_resource):
    person = personas["editor_no"]
    resource = make_resource("Mine", actor=person)
    exported = privacy.collect(person, [])
    assert [r["title"] for r in exported["resources_added"]] == ["Mine"]
    assert privacy.erase(person, [], apply=True) == {
        "resources_unlinked": 1,
        "versions_unlinked": 0,
    }
    resource.refresh_from_db()
    assert resource.created_by is None
