"""QA fixes: bad batch items, events recorded as activities, bad decide-form values."""

import json
import os
import subprocess
import sys

import pytest

from echos.synergies import batch

INITIATIVES = [
    {"id": "i1", "name": "Screening", "description": "Cancer screening for breast cancer"},
]
ACTIVITY = {"id": "a1", "title": "Workshop", "description": "Breast cancer screening days"}

BAD_ITEMS = [
    ("activities", {**ACTIVITY, "title": 5}, "activities[1].title: must be text"),
    ("activities", {**ACTIVITY, "title": ["x"]}, "activities[1].title: must be text"),
    ("initiatives", {**INITIATIVES[0], "name": {"a": 1}}, "initiatives[1].name: must be text"),
    ("initiatives", {**INITIATIVES[0], "acronym": ["X"]}, "initiatives[1].acronym: must be text"),
    (
        "activities",
        {**ACTIVITY, "objectives": [{"a": 1}]},
        "activities[1].objectives[1]: must be text",
    ),
    (
        "activities",
        {**ACTIVITY, "policy_areas": [["a"]]},
        "activities[1].policy_areas[1]: must be text",
    ),
    ("initiatives", {**INITIATIVES[0], "id": ["x"]}, "initiatives[1].id: must be text"),
    ("activities", {**ACTIVITY, "description": 5}, "activities[1].description (id a1): must be"),
]


def _body(kind, item):
    body = {"initiatives": INITIATIVES, "activities": [ACTIVITY]}
    body[kind] = [item]
    return body


@pytest.mark.parametrize(("kind", "item", "message"), BAD_ITEMS)
@pytest.mark.django_db
def test_api_match_bad_item_fields_are_named(client, kind, item, message):
    response = client.post(
        "/api/v1/synergies/match", json.dumps(_body(kind, item)), content_type="application/json"
    )
    assert response.status_code in (400, 422)
    assert message in response.json()["detail"]
    assert response.json()["errors"][0]["field"] == kind


def test_third_item_is_counted_from_one():
    items = [{**ACTIVITY, "id": f"a{i}"} for i in range(3)]
    items[2]["title"] = 5
    with pytest.raises(batch.BatchError, match=r"^activities\[3\]\.title: must be text$"):
        batch.activities(items)


@pytest.mark.parametrize(("kind", "item", "message"), BAD_ITEMS[:2] + BAD_ITEMS[4:6])
def test_cli_match_bad_item_fields_exit_2(tmp_path, kind, item, message):
    body = _body(kind, item)
    for name in ("initiatives", "activities"):
        (tmp_path / f"{name}.json").write_text(json.dumps(body[name]))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "echos",
            "synergies",
            "match",
            "--initiatives",
            str(tmp_path / "initiatives.json"),
            "--activities",
            str(tmp_path / "activities.json"),
            "--mode",
            "lexical",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "ECHOS_DATA_DIR": str(tmp_path)},
    )
    assert done.returncode == 2, done.stderr
    assert message.replace(kind, f"{kind}.json", 1) in done.stderr
    assert "Traceback" not in done.stderr
