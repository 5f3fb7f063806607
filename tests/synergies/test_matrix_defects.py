"""The "Cancer in all" matrix marks every empty cell (issue #16, defects item 1)."""

import json
import re

import pytest

from echos.synergies import charts, services

pytestmark = pytest.mark.django_db


def test_every_empty_cell_of_every_row_is_marked(hubs, login):
    services.save_activity(
        actor=None,
        hub=hubs["norway"],
        title="Skole uten røyk",
        description="Forebygging av røyking i skolen.",
        language="nb",
        objectives=["prevention"],
        policy_areas=["education"],
    )
    html = login(None).get("/synergies/matrix/").content.decode()
    table = html[html.index('id="matrix"') : html.index("</table>", html.index('id="matrix"'))]
    cells = re.findall(r"<td([^>]*)>([^<]*)</td>", table)
    zeros = [attrs for attrs, text in cells if text.strip() == "0"]
    assert len(cells) >= 25 and len(zeros) == len(cells) - 1
    assert all('class="gap"' in attrs for attrs in zeros)
    assert [attrs for attrs, text in cells if text.strip() == "1"] == [""]
    summary = re.search(r"(\d+) combinations of objective and policy area have no activity", html)
    assert summary and int(summary.group(1)) == len(zeros)


def test_chart_draws_a_zero_differently_from_a_one_without_relying_on_colour():
    spec = charts.matrix_spec(
        [
            {"objective": "Prevention", "area": "Health", "count": 0},
            {"objective": "Prevention", "area": "Education", "count": 1},
        ]
    )
    rect, numbers, zeros = spec["layer"]
    assert rect["encoding"]["strokeDash"]["condition"] == {
        "test": "datum.count === 0",
        "value": [5, 3],
    }
    assert rect["encoding"]["color"]["condition"]["value"] == "#ffffff"
    assert zeros["transform"] == [{"filter": "datum.count === 0"}]
    assert zeros["mark"]["fontWeight"] == "bold" and zeros["mark"]["fontStyle"] == "italic"
    assert numbers["transform"] == [{"filter": "!(datum.count === 0)"}]
    # The y-axis title lies level above the labels, where it cannot run into the longest one.
    axis = spec["encoding"]["y"]["axis"]
    assert axis["titleAngle"] == 0 and axis["titleY"] < 0
    json.dumps(spec)
