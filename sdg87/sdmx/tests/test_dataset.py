"""dataset.Vintage: the validity an SDMX history answer writes (pure)."""

import datetime

from sdg87.sdmx.dataset import Vintage

D = datetime.date


def test_validity_is_inclusive_and_never_before_its_start():
    """validTo is the last second before the next release's day; a value superseded the day
    it was published (two releases of one day) is valid for that instant only; a current
    value has no validTo."""
    revised = Vintage(D(2017, 9, 19), "ilo-cl-ge-2017", D(2022, 3, 1))
    assert revised.valid_from_time == "2017-09-19T00:00:00"
    assert revised.valid_to_time == "2022-02-28T23:59:59"
    same_day = Vintage(D(2021, 6, 10), "a", D(2021, 6, 10))
    assert same_day.valid_to_time == "2021-06-10T00:00:00"
    assert Vintage(D(2025, 6, 11), "ilo-unicef-cl-ge-2025", None).valid_to_time is None
    assert sorted([Vintage(D(2025, 1, 1), "b", None), revised])[0] == revised
