"""Real SDMX clients against a live server: sdmx1 (both REST versions) and pysdmx."""

from __future__ import annotations

import urllib.request

import pytest
import sdmx

pytestmark = pytest.mark.django_db(transaction=True)


def test_sdmx1_client_lists_reads_and_fetches_nepal(live_server, bundled_data, tmp_path):
    """sdmx1 lists the dataflows, reads the 8.7.1 structure and fetches 8.7.1 for Nepal as a
    pandas object, through the 1.x (SDMX 2.1) and 2.x (SDMX 3.0) URL spaces."""
    from sdg87.indicators.models import Observation

    expected = {
        (code, sex, str(year)): value
        for code, sex, year, value in Observation.objects.filter(
            series__code__in=["SL_TLF_CHLDEA", "SL_TLF_CHLDEC"],
            geography__iso3="NPL",
            is_latest=True,
        ).values_list("series__code", "sex", "year", "value")
    }
    for version in ["2.1", "3.0.0"]:
        sdmx.add_source(
            {
                "id": "SDG87",
                "url": f"{live_server.url}/sdmx",
                "name": "SDG 8.7",
                "versions": [version],
            },
            override=True,
        )
        client = sdmx.Client("SDG87")
        flows = client.dataflow()
        assert {"SDG_8_7_1", "SDG_16_2_2", "SDG_5_3_1"} <= set(flows.dataflow)
        structure = client.dataflow("SDG_8_7_1", references="all")
        dsd = structure.dataflow["SDG_8_7_1"].structure
        assert (dsd.id, dsd.version) == ("SDG", "1.14")
        assert [d.id for d in dsd.dimensions][3] == "REF_AREA"
        message = client.data("SDG_8_7_1", key={"REF_AREA": "524"}, dsd=dsd)
        frame = sdmx.to_pandas(message)
        got = {
            (
                idx[frame.index.names.index("SERIES")],
                idx[frame.index.names.index("SEX")],
                str(idx[frame.index.names.index("TIME_PERIOD")]),
            ): float(v)
            for idx, v in frame.items()
        }
        assert got == expected, version


def test_pysdmx_reads_the_sdmx_csv(live_server, bundled_data, tmp_path):
    """pysdmx reads both SDMX-CSV versions (its CSV reader needs the data extra, pyarrow)."""
    from pysdmx.io import read_sdmx

    for fmt in ["sdmx-csv", "sdmx-csv-2.0"]:
        url = f"{live_server.url}/sdmx/data/SDG_8_7_1/A.G..524...........?format={fmt}"
        path = tmp_path / f"{fmt}.csv"
        path.write_bytes(urllib.request.urlopen(url).read())
        message = read_sdmx(str(path))
        assert message.data
        frame = message.data[0].data  # type: ignore[attr-defined]
        assert set(frame["REF_AREA"].astype(str)) == {"524"}
