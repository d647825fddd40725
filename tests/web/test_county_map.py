"""The server-drawn county map and the words for hours and waits: pure, no database."""

import re

from surge.web.pages import center_words
from surge.web.pages.county_map import MAX_POINTS, WIDTH, draw


def _points(drawing) -> int:
    return sum(len(re.findall(r"[ML]", shape.path)) for shape in drawing.shapes)


def test_a_state_is_fitted_to_the_width_with_every_county():
    louisiana = draw(("22",))
    assert len(louisiana.shapes) == 64 and louisiana.width == WIDTH and 0 < louisiana.height < 2 * WIDTH
    numbers = [float(n) for shape in louisiana.shapes for n in re.findall(r"-?\d+\.\d", shape.path)]
    assert min(numbers) >= -0.1 and max(numbers) <= WIDTH + 0.1
    assert {shape.state for shape in louisiana.shapes} == {"LA"}


def test_the_whole_country_stays_small():
    states = tuple(sorted({f"{n:02d}" for n in range(1, 57)} - {"02", "15"}))
    country = draw(states)
    assert len(country.shapes) > 3000
    assert _points(country) < MAX_POINTS * 1.2  # every ring keeps a few points, however coarse
    assert sum(len(shape.path) for shape in country.shapes) < 200_000


def test_hours_in_words_group_days_with_the_same_hours():
    words = lambda hours: center_words.hours_in_words(lambda text: text, hours)  # noqa: E731
    assert words("24/7") == "24 hours, every day"
    week = {day: [["08:00", "18:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}
    assert words(week) == "Mon–Fri 08:00–18:00"
    assert words({**week, "wed": [["08:00", "12:00"], ["13:00", "18:00"]], "sun": [["10:00", "14:00"]]}) == (
        "Mon–Tue 08:00–18:00; Wed 08:00–12:00, 13:00–18:00; Thu–Fri 08:00–18:00; Sun 10:00–14:00")
    assert words({}) == "Closed every day"


def test_waits_in_words():
    words = lambda seconds: center_words.seconds_in_words(lambda text: text, seconds)  # noqa: E731
    assert [words(s) for s in (None, 45, 200, 3725)] == ["—", "45 s", "3 min", "1 h 2 min"]
