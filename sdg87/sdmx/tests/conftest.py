"""Official SDMX schemas, copied into the tests (see README.md in this folder)."""

import json
from pathlib import Path

import pytest
import xmlschema

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="session")
def sdmx_ml_schema() -> xmlschema.XMLSchema:
    # lax: xmlschema rejects a few restrictions in the 2.1 schemas that other validators
    # accept (CodingTextFormatType); instance validation stays strict.
    return xmlschema.XMLSchema(str(HERE / "xsd" / "SDMXMessage.xsd"), validation="lax")


@pytest.fixture(scope="session")
def sdmx_json_2_schema() -> dict:
    return json.loads((HERE / "jsonschema" / "sdmx-json-data-schema-2.0.0.json").read_text())


@pytest.fixture(scope="session")
def sdmx_json_1_schema() -> dict:
    return json.loads((HERE / "jsonschema" / "sdmx-json-data-schema-1.0.json").read_text())
