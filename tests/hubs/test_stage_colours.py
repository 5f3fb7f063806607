"""Stage colours stay apart in greyscale, and the page's CSS uses the map's colours (issue #16,
defects item 4)."""

import re
from pathlib import Path

from echos.hubs.charts import STAGE_COLOURS
from echos.hubs.models import Stage

CSS = Path(__file__).resolve().parents[2] / "src/echos/static/echos/echos.css"


def lightness(hex_colour: str) -> float:
    """CIE L* of an sRGB colour: what is left of it in greyscale."""
    r, g, b = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b))
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 116 * y ** (1 / 3) - 16 if y > 0.008856 else 903.3 * y


def test_each_stage_is_a_clear_lightness_step_darker_than_the_one_before():
    steps = [lightness(STAGE_COLOURS[s]) for s in Stage]
    assert len(set(STAGE_COLOURS.values())) == len(Stage)
    assert all(a - b >= 9 for a, b in zip(steps, steps[1:], strict=False)), steps


def test_exploring_and_inception_dialogue_are_far_apart():
    gap = lightness(STAGE_COLOURS[Stage.EXPLORING]) - lightness(
        STAGE_COLOURS[Stage.INCEPTION_DIALOGUE]
    )
    assert gap >= 10


def test_css_chips_and_tiles_use_the_map_colours():
    css = CSS.read_text()
    for index, stage in enumerate(Stage):
        rule = re.search(
            rf"\.stage-{stage.value}, \.stage-tile\.stage-{index} \{{ background: (#[0-9a-f]{{6}});",
            css,
        )
        assert rule and rule.group(1) == STAGE_COLOURS[stage], stage
