"""Load the bundled library: data/library/publications.csv (76 rows) and
data/library/evaluations.csv (125 studies, with their evidence codings). Unverified rows load
as drafts that are never published (sdg87.library.services.bundled)."""

from __future__ import annotations

from pathlib import Path

from sdg87.core.ingest import reading
from sdg87.core.loading import LoadStep
from sdg87.library.ingest import parse_evaluations, parse_publications
from sdg87.library.services.bundled import publications_upsert_bundled

PUBLICATIONS_CSV = "library/publications.csv"
EVALUATIONS_CSV = "library/evaluations.csv"


def load_library(data_dir: Path) -> int:
    with reading(PUBLICATIONS_CSV):
        publications = parse_publications((data_dir / PUBLICATIONS_CSV).read_text("utf-8"))
    with reading(EVALUATIONS_CSV):
        studies, codings = parse_evaluations((data_dir / EVALUATIONS_CSV).read_text("utf-8"))
    return publications_upsert_bundled(specs=[*publications, *studies], codings_of_existing=codings)


STEPS = [
    LoadStep(
        key="library.publications",
        label="Library: publications and evaluation studies",
        files=(PUBLICATIONS_CSV, EVALUATIONS_CSV),
        run=load_library,
        depends_on=("orgs.organisations", "geo.countries"),
        version="1",
    )
]
