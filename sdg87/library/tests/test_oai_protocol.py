"""The OAI-PMH request grammar and resumption tokens (pure)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sdg87.library.oai import protocol
from sdg87.library.oai.protocol import ListState, OaiError, Position

FORMATS = ["oai_dc", "oai_datacite"]


def parse(**params):
    return protocol.request_parse(
        {k: v if isinstance(v, list) else [v] for k, v in params.items()},
        formats=FORMATS,
        token_max_age=60,
    )


def test_until_covers_its_whole_day_or_second():
    assert protocol.date_bounds("2024-03-11", "2024-03-11") == (
        datetime(2024, 3, 11, tzinfo=UTC),
        datetime(2024, 3, 12, tzinfo=UTC),
    )
    assert protocol.date_bounds("", "2024-03-11T10:00:00Z") == (
        None,
        datetime(2024, 3, 11, 10, 0, 1, tzinfo=UTC),
    )
    # from == until at second granularity is one second, not an error
    assert protocol.date_bounds("2024-02-29T23:59:59Z", "2024-02-29T23:59:59Z")[0] == datetime(
        2024, 2, 29, 23, 59, 59, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("from_", "until"),
    [
        ("2024-03-11", "2024-03-11T00:00:00Z"),
        ("2024-03-12", "2024-03-11"),
        ("2023-02-29", ""),
        ("2024-03-11T10:00:00", ""),
        ("2024-03-11T10:00:00+01:00", ""),
        ("20240311", ""),
    ],
)
def test_bad_dates(from_, until):
    with pytest.raises(OaiError) as err:
        protocol.date_bounds(from_, until)
    assert err.value.code == "badArgument"


def test_token_round_trip_keeps_the_list_and_its_position():
    state = ListState(
        verb="ListRecords",
        metadata_prefix="oai_datacite",
        set_spec="org:ilo",
        lower=datetime(2024, 1, 1, tzinfo=UTC),
        upper=datetime(2024, 2, 1, tzinfo=UTC),
        position=Position(datetime(2024, 1, 5, 3, 4, 5, 123456, tzinfo=UTC), "p", 42),
        cursor=100,
    )
    token = protocol.token_encode(state)
    request = parse(verb="ListRecords", resumptionToken=token)
    assert request.state == state and request.resumed
    with pytest.raises(OaiError) as err:
        parse(verb="ListIdentifiers", resumptionToken=token)
    assert err.value.code == "badResumptionToken"


def test_arguments():
    request = parse(verb="ListRecords", metadataPrefix="oai_dc", set="theme:child_labour")
    assert request.state is not None and request.state.set_spec == "theme:child_labour"
    for params, code in (
        ({"verb": "GetRecord", "identifier": "x"}, "badArgument"),
        (
            {"verb": "GetRecord", "identifier": "x", "metadataPrefix": "mods"},
            "cannotDisseminateFormat",
        ),
        ({"verb": "ListSets", "set": "a"}, "badArgument"),
        ({"verb": ["ListSets", "Identify"]}, "badVerb"),
        ({"verb": "listrecords"}, "badVerb"),
        ({"verb": "ListRecords", "metadataPrefix": "oai dc"}, "badArgument"),
    ):
        with pytest.raises(OaiError) as err:
            parse(**params)
        assert err.value.code == code, params
