"""`echos exchange pair`: JSON and text output from a file or stdin, exit 2 naming the field."""

import io
import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command

HUBS = [
    {"id": "NO", "levels": {"funding": 4, "mandate": 3}, "capacity": 1, "languages": ["en"],
     "seeking": False},
    {"id": "PT", "levels": {"funding": 1, "mandate": 2}, "capacity": 0, "languages": ["en", "pt"],
     "seeking": True},
    {"id": "MT", "levels": {"funding": 2, "mandate": 1}, "capacity": 0, "languages": ["en"],
     "seeking": True},
]  # fmt: skip


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("exchange", "pair", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_json_output(tmp_path):
    path = tmp_path / "hubs.json"
    path.write_text(json.dumps(HUBS))
    out, err = run("--hubs", str(path), "--format", "json")
    result = json.loads(out)
    # Oslo has one place: Lisbon gains 2×3 + 1 = 7, Malta 2 + 2×2 = 6; Lisbon gets it.
    assert result["benefits"] == {"PT": {"NO": 7}, "MT": {"NO": 6}}
    assert [(p["mentee"], p["mentor"], p["benefit"]) for p in result["pairs"]] == [("PT", "NO", 7)]
    assert result["total_benefit"] == 7
    assert err == ""


def test_text_output(tmp_path):
    path = tmp_path / "hubs.json"
    path.write_text(json.dumps(HUBS))
    out, _err = run("--hubs", str(path), "--format", "text")
    assert "PT <- NO  benefit 7" in out
    assert "funding: mentor 4, mentee 1 (+3, counted twice" in out
    assert out.strip().endswith("1 pairs, total benefit 7")


@pytest.mark.parametrize(
    "content, message",
    [
        (json.dumps([HUBS[0], {**HUBS[1], "id": "NO"}]), "error: hubs[1].id: Duplicate id"),
        (json.dumps([{**HUBS[0], "levels": {"funding": 7, "mandate": 3}}]),
         "error: hubs[0].levels.funding: Must be a whole number from 1 to 5."),
        (json.dumps([{**HUBS[0], "capacity": -2}]), "error: hubs[0].capacity:"),
        ("[{", "error: hubs: Invalid JSON at line 1, column 3"),
    ],
)  # fmt: skip
def test_bad_input_exits_2_naming_the_field(tmp_path, content, message):
    path = tmp_path / "hubs.json"
    path.write_text(content)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("exchange", "pair", "--hubs", str(path), stdout=out, stderr=err)
    assert exited.value.code == 2
    assert err.getvalue().startswith(message)
    assert out.getvalue() == ""


def test_missing_file_exits_2(tmp_path):
    err = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("exchange", "pair", "--hubs", str(tmp_path / "nope.json"), stderr=err)
    assert exited.value.code == 2
    assert "--hubs: no such file" in err.getvalue()


def test_console_script_reads_stdin_and_exits_2_on_bad_input():
    env = {**os.environ}
    ok = subprocess.run(
        [sys.executable, "-m", "echos", "exchange", "pair", "--hubs", "-"],
        input=json.dumps(HUBS), capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["total_benefit"] == 7
    bad = subprocess.run(
        [sys.executable, "-m", "echos", "exchange", "pair", "--hubs", "-"],
        input=json.dumps([{**HUBS[0], "seeking": 1}]), capture_output=True, text=True, env=env,
        timeout=120,
    )  # fmt: skip
    assert bad.returncode == 2
    assert "error: hubs[0].seeking: Must be true or false." in bad.stderr
    assert bad.stdout == ""
