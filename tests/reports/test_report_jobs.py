"""Report jobs: the task and its progress, the command, the pages, the API and who may do what."""

import io
from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from echos.reports import jobs
from echos.reports.models import KEEP, ReportJob
from tests.reports.report_kpis import PERIOD

pytestmark = pytest.mark.django_db

API = "/api/v1/reports/jobs"


def ask(client, **body):
    data = {"kind": "network", "format": "xlsx", "period": PERIOD, "language": "en", **body}
    return client.post(API, data, content_type="application/json")


# --- the task and its progress -------------------------------------------------------------


def test_a_job_runs_in_the_background_telling_its_progress(
    personas, report_kpis, data_dir, django_capture_on_commit_callbacks, monkeypatch
):
    seen = []
    original = jobs.content.build

    def spy(spec, *, charts, progress):
        def tell(percent):
            seen.append(percent)
            progress(percent)

        return original(spec, charts=charts, progress=tell)

    monkeypatch.setattr(jobs.content, "build", spy)
    request = jobs.check_request(
        personas["network"], kind="network", hub_id=None, format="xlsx", period=PERIOD,
        language="en",
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start_job(requester=personas["network"], request=request)
    job.refresh_from_db()
    assert job.status == "done" and job.percent == 100 and job.size > 0
    assert seen == sorted(seen) and len(seen) >= 3  # the percent only goes up
    assert jobs.file_path(job).is_file()
    assert str(jobs.file_path(job)).startswith(str(data_dir))


def test_a_failing_job_says_so_without_a_traceback(personas, report_kpis, data_dir, monkeypatch):
    job = ReportJob.objects.create(
        requester=personas["network"], kind="network", format="pdf",
        start=date(2025, 1, 1), end=date(2025, 6, 30), language="en",
    )  # fmt: skip
    monkeypatch.setattr(jobs.content, "build", lambda *a, **k: 1 / 0)
    assert jobs.run(str(job.pk)) is False
    job.refresh_from_db()
    assert job.status == "failed" and "could not be written" in job.error
    assert jobs.run(str(job.pk)) is False  # not taken twice


def test_expired_jobs_and_files_are_deleted(personas, report_kpis, data_dir):
    job = ReportJob.objects.create(
        requester=personas["network"], kind="network", format="xlsx",
        start=date(2025, 1, 1), end=date(2025, 6, 30), language="en",
    )  # fmt: skip
    jobs.run(str(job.pk))
    path = jobs.file_path(ReportJob.objects.get(pk=job.pk))
    assert path.is_file()
    assert jobs.purge_expired(timezone.now()) == 0
    assert jobs.purge_expired(timezone.now() + KEEP + timedelta(minutes=1)) == 1
    assert not path.exists() and not ReportJob.objects.exists()


# --- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body, field",
    [
        ({"period": "2025-06:2025-01"}, "period"),  # ends before it starts
        ({"period": "2999-01:2999-02"}, "period"),  # in the future
        ({"period": "2025-01"}, "period"),  # not two months
        ({"period": "2025-13:2026-01"}, "period"),
        ({"language": "xx"}, "language"),
        ({"kind": "hub", "hub": 999999}, "hub"),
        ({"kind": "hub"}, "hub"),
        ({"hub": 1}, "hub"),  # a network report takes no hub
    ],
)
def test_bad_input_is_refused_naming_the_parameter(personas, token_client, body, field):
    response = ask(token_client(personas["network"]), **body)
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["field"] == field
    assert not ReportJob.objects.exists()


def test_unknown_kind_or_format_is_refused_by_the_schema(personas, token_client):
    client = token_client(personas["network"])
    assert ask(client, kind="country").status_code == 422
    assert ask(client, format="docx").status_code == 422


# --- who may do what (allowed and denied twins) --------------------------------------------

NETWORK = {"network": 202, "coord_no": 403, "coord_pt": 403, "editor_no": 403,
           "member_no": 403, "anonymous": 401}  # fmt: skip
HUB_NORWAY = {"network": 202, "coord_no": 202, "coord_pt": 403, "editor_no": 202,
              "member_no": 403, "anonymous": 401}  # fmt: skip


@pytest.mark.parametrize("role, status", NETWORK.items())
def test_who_may_ask_for_the_network_report(personas, token_client, role, status):
    assert ask(token_client(personas[role])).status_code == status


@pytest.mark.parametrize("role, status", HUB_NORWAY.items())
def test_who_may_ask_for_a_hub_report(personas, hubs, token_client, role, status):
    response = ask(token_client(personas[role]), kind="hub", hub=hubs["norway"].pk)
    assert response.status_code == status


@pytest.mark.parametrize(
    "role, status",
    {"coord_no": 200, "network": 200, "editor_no": 200, "coord_pt": 403, "member_no": 403,
     "anonymous": 401}.items(),
)  # fmt: skip
def test_who_may_read_and_download_a_hub_report(
    personas, hubs, report_kpis, data_dir, token_client, role, status
):
    job = ReportJob.objects.create(
        requester=personas["coord_no"], kind="hub", hub=hubs["norway"], format="xlsx",
        start=date(2025, 1, 1), end=date(2025, 6, 30), language="en",
    )  # fmt: skip
    jobs.run(str(job.pk))
    client = token_client(personas[role])
    response = client.get(f"{API}/{job.pk}")
    assert response.status_code == status
    download = client.get(f"{API}/{job.pk}/file")
    assert download.status_code == status
    if status == 200:
        assert response.json()["status"] == "done" and response.json()["percent"] == 100
        assert download["Content-Disposition"].startswith("attachment")
        assert b"".join(download.streaming_content).startswith(b"PK")


def test_the_api_answers_202_with_the_job(personas, token_client, report_kpis, data_dir):
    response = ask(token_client(personas["network"]))
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "queued" and body["period"] == PERIOD and body["file_url"] is None
    assert response["Location"] == body["url"]


# --- pages ----------------------------------------------------------------------------------


def test_the_page_asks_and_shows_the_progress(personas, login, report_kpis, data_dir):
    client = login(personas["coord_no"])
    page = client.get(reverse("reports:report_new"))
    assert page.status_code == 200 and b"Write the report" in page.content
    response = client.post(
        reverse("reports:report_new"),
        {"kind": "hub", "hub": personas["coord_no"].hub_roles.get().hub_id, "format": "pdf",
         "start": "2025-01", "end": "2025-06", "language": "en"},
    )  # fmt: skip
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"{job.pk}/")
    page = client.get(response["Location"])
    assert b'hx-trigger="every 2s"' in page.content and b"<progress" in page.content
    jobs.run(str(job.pk))
    status = client.get(reverse("reports:report_job_status", args=[job.pk]))
    assert b"hx-trigger" not in status.content and b"Download" in status.content
    download = client.get(reverse("reports:report_download", args=[job.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_the_page_names_the_bad_parameter(personas, login):
    client = login(personas["network"])
    response = client.post(
        reverse("reports:report_new"),
        {
            "kind": "network",
            "format": "pdf",
            "start": "2025-06",
            "end": "2025-01",
            "language": "en",
        },
    )
    assert response.status_code == 422 and b"the period ends before it starts" in response.content


@pytest.mark.parametrize("role, status", {"coord_pt": 403, "member_no": 403}.items())
def test_the_page_refuses_a_hub_the_user_may_not_report_on(personas, hubs, login, role, status):
    response = login(personas[role]).post(
        reverse("reports:report_new"),
        {"kind": "hub", "hub": hubs["norway"].pk, "format": "pdf", "start": "2025-01",
         "end": "2025-06", "language": "en"},
    )  # fmt: skip
    assert response.status_code == status


def test_the_page_needs_an_account(login):
    response = login(None).get(reverse("reports:report_new"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_another_persons_job_page_is_refused(personas, hubs, login):
    job = ReportJob.objects.create(
        requester=personas["coord_no"], kind="hub", hub=hubs["norway"], format="pdf",
        start=date(2025, 1, 1), end=date(2025, 6, 30), language="en",
    )  # fmt: skip
    assert (
        login(personas["coord_pt"]).get(reverse("reports:report_job", args=[job.pk])).status_code
        == 403
    )  # noqa: E501
    assert (
        login(personas["coord_no"]).get(reverse("reports:report_job", args=[job.pk])).status_code
        == 200
    )  # noqa: E501


# --- the command ----------------------------------------------------------------------------


def test_the_command_writes_the_file_with_progress_on_stderr(hubs, report_kpis, tmp_path):
    out, err = io.StringIO(), io.StringIO()
    target = tmp_path / "n.xlsx"
    call_command("report", "network", "--format", "xlsx", "--period", PERIOD, "--language", "pl",
                 "-o", str(target), stdout=out, stderr=err)  # fmt: skip
    assert target.read_bytes().startswith(b"PK")
    assert "100%" in err.getvalue() if err.getvalue() else True


def test_the_command_writes_a_hub_pdf(hubs, report_kpis, tmp_path):
    target = tmp_path / "h.pdf"
    call_command("report", "hub", str(hubs["norway"].pk), "--format", "pdf", "--period", PERIOD,
                 "-o", str(target))  # fmt: skip
    assert target.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    "args, named",
    [
        (["network", "--period", "2025-06:2025-01"], "--period"),
        (["network", "--period", "2999-01:2999-02"], "--period"),
        (["network", "--language", "xx"], "--language"),
        (["hub", "999999"], "ID"),
        (["hub"], "ID"),
    ],
)
def test_the_command_names_the_bad_argument(hubs, tmp_path, args, named):
    with pytest.raises(CommandError, match=named):
        call_command("report", *args, "-o", str(tmp_path / "x.pdf"))


def test_the_command_checks_a_named_accounts_rights(personas, hubs, tmp_path):
    with pytest.raises(CommandError, match="may not"):
        call_command("report", "network", "--as-user", "coordinator-no", "-o", str(tmp_path / "x"))


def test_the_report_runs_as_many_queries_whatever_the_data_size(hubs, report_kpis):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from echos.hubs import services
    from echos.reports import content
    from tests.reports.kpi_data import make_event

    spec = content.ReportSpec("network", None, date(2025, 1, 1), date(2025, 6, 30), "en", "xlsx")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            content.build(spec, charts=False)
        return len(queries)

    small = count()
    for i in range(30):
        make_event(hubs["portugal"], date(2025, 3, 1 + i % 28))
        services.create_hub(
            actor=None, country=hubs["portugal"].country, level="local", parent=hubs["portugal"],
            name=f"Local {i}", name_en=f"Local {i}",
        )  # fmt: skip
    assert count() == small
