"""The age of "latest" values: sdg87.core.ages and the `ages` template library."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import translation

from sdg87.core import ages

TODAY = dt.date(2026, 12, 3)


def test_an_old_year_says_how_old_it_is() -> None:
    """A 2015 value read in 2026 is "11 years old"."""
    assert ages.age_label(2015, TODAY) == "11 years old"
    assert ages.is_old(2015, TODAY)


def test_a_recent_year_has_no_label() -> None:
    """Values younger than OLD_AFTER_YEARS are as recent as sources allow: no label."""
    for year in (2026, 2025, 2026 - ages.OLD_AFTER_YEARS + 1):
        assert ages.age_label(year, TODAY) == ""
        assert not ages.is_old(year, TODAY)


def test_the_threshold_year_is_old() -> None:
    """Exactly OLD_AFTER_YEARS old counts as old."""
    year = TODAY.year - ages.OLD_AFTER_YEARS
    assert ages.is_old(year, TODAY)
    assert ages.age_label(year, TODAY) == f"{ages.OLD_AFTER_YEARS} years old"


def test_a_future_year_is_not_old() -> None:
    """A projection year (2030 target) has age 0, never a negative age."""
    assert ages.age_years(2030, TODAY) == 0
    assert ages.age_label(2030, TODAY) == ""


def test_the_label_is_translated() -> None:
    """The words go through gettext (the coordinator adds fr/es)."""
    with translation.override("en"):
        assert "years old" in ages.age_label(2000, TODAY)


@pytest.fixture
def frozen_today(monkeypatch: pytest.MonkeyPatch) -> None:
    from sdg87.core.templatetags import ages as tags

    monkeypatch.setattr(tags, "_today", lambda: TODAY)


@pytest.mark.usefixtures("frozen_today")
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (2015, "11 years old"),
        ("2015", "11 years old"),
        (dt.date(2010, 6, 1), "16 years old"),
        (2025, ""),
        (None, ""),
        ("n/a", ""),
        (True, ""),
    ],
)
def test_the_filter_accepts_years_strings_and_dates(value: object, expected: str) -> None:
    """`{{ year|age_label }}` reads ints, digit strings and dates; anything else gives ""."""
    out = Template("{% load ages %}{{ v|age_label }}").render(Context({"v": value}))
    assert out == expected


@pytest.mark.usefixtures("frozen_today")
def test_the_tag_styles_old_years_with_a_class_and_words() -> None:
    """`{% year_with_age %}` marks an old year with `age-old` and words, a new one neither."""
    old = Template("{% load ages %}{% year_with_age v %}").render(Context({"v": 2015}))
    assert 'class="year-age age-old"' in old
    assert "2015" in old and "11 years old" in old
    new = Template("{% load ages %}{% year_with_age v %}").render(Context({"v": 2025}))
    assert "age-old" not in new and "years old" not in new and "2025" in new


@pytest.mark.usefixtures("frozen_today")
def test_is_old_filter() -> None:
    """`{{ year|is_old }}` lets a template add its own class."""
    out = Template("{% load ages %}{{ a|is_old }} {{ b|is_old }}").render(
        Context({"a": 2001, "b": 2026})
    )
    assert out == "True False"


@pytest.mark.usefixtures("frozen_today")
def test_with_age_ages_any_text_by_the_values_year() -> None:
    """`{% with_age date text %}` shows the text, aged by the date's year."""
    html = Template('{% load ages %}{% with_age d d|date:"j F Y" %}').render(
        Context({"d": dt.date(2017, 12, 31)})
    )
    assert "31 December 2017" in html and "9 years old" in html and "age-old" in html
    html = Template("{% load ages %}{% with_age d t %}").render(Context({"d": None, "t": "x<y"}))
    assert html == "x&lt;y"
