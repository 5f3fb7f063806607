"""Evidence files are checked by content (core.uploads) on the service, the API and the page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from echos.assessment import services
from echos.assessment.models import Evidence
from echos.core.exceptions import RuleViolation
from tests.core.test_uploads import HTML, PDF, PROGRAM, SVG, docx, package, png

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(instruments, hubs, personas):
    return services.start_response(
        actor=personas["coord_no"], instrument=instruments["maturity"], hub=hubs["norway"]
    )


def attach(draft, actor, name: str, content: bytes) -> Evidence:
    return services.add_evidence(
        actor=actor,
        response=draft,
        question="governance_level",
        upload=SimpleUploadedFile(name, content),
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [("minutes.pdf", PDF), ("report.docx", docx()), ("chart.png", png())],
)
def test_real_files_are_stored_as_uploaded(draft, personas, name, content):
    evidence = attach(draft, personas["coord_no"], name, content)
    assert evidence.filename == name
    with evidence.file.open("rb") as stored:
        assert stored.read() == content


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("calc.exe.pdf", PROGRAM),
        ("page.pdf", HTML),
        ("evil.html.pdf", HTML),
        ("report.docx", package({"readme.txt": "a zip, not a Word document"})),
        ("logo.svg", SVG),
        ("logo.png", SVG),
        ("big.pdf", PDF + b"0" * (10 * 1024 * 1024)),
    ],
)
def test_files_not_matching_their_type_are_refused(draft, personas, name, content):
    with pytest.raises(RuleViolation) as exc:
        attach(draft, personas["coord_no"], name, content)
    assert exc.value.field == "file"
    assert not Evidence.objects.exists()


def test_long_name_keeps_its_extension(draft, personas):
    evidence = attach(draft, personas["coord_no"], "m" * 300 + ".pdf", PDF)
    assert evidence.filename.endswith(".pdf") and len(evidence.filename) <= 100
    assert evidence.file.name.endswith(".pdf")


def test_inner_extension_is_not_kept(draft, personas):
    evidence = attach(draft, personas["coord_no"], "evil.html.pdf", PDF)
    assert evidence.filename == "evil_html.pdf" and ".html" not in evidence.file.name


def test_api_refuses_html_named_pdf_and_accepts_a_pdf(draft, personas, token_client):
    client = token_client(personas["coord_no"])
    url = f"/api/v1/responses/{draft.pk}/evidence"
    bad = client.post(
        url, {"question": "governance_level", "file": SimpleUploadedFile("evil.html.pdf", HTML)}
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "file"
    ok = client.post(
        url, {"question": "governance_level", "file": SimpleUploadedFile("minutes.pdf", PDF)}
    )
    assert ok.status_code == 201 and ok.json()["file"] == "minutes.pdf"
    assert Evidence.objects.count() == 1


def test_page_refuses_a_renamed_program_and_accepts_a_docx(draft, personas, login):
    client = login(personas["coord_no"])
    url = f"/assessment/responses/{draft.pk}/evidence/"
    bad = client.post(
        url,
        {"question": "governance_level", "file": SimpleUploadedFile("calc.exe.pdf", PROGRAM)},
        follow=True,
    )
    assert "Programs are not accepted" in bad.content.decode()
    assert not Evidence.objects.exists()
    client.post(
        url, {"question": "governance_level", "file": SimpleUploadedFile("plan.docx", docx())}
    )
    assert Evidence.objects.get().filename == "plan.docx"


def test_the_response_page_lists_evidence_through_the_shared_question_template(
    draft, personas, login, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    evidence = attach(draft, personas["coord_no"], "minutes.pdf", PDF)
    link = Evidence.objects.create(
        response=draft, question="governance_level", link="https://example.org/charter"
    )
    page = login(personas["coord_no"]).get(f"/assessment/responses/{draft.pk}/").content.decode()
    assert f'href="/assessment/evidence/{evidence.pk}/" download>minutes.pdf</a>' in page
    assert f'href="{link.link}" rel="noopener nofollow">{link.link}</a>' in page
