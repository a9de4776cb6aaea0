"""The load framework: checksummed skipping, forced reruns, ordering and all-or-nothing steps."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from sdg87.core import loading
from sdg87.core.ingest import ParseError, reading
from sdg87.core.loading import LoadError, LoadStep, run_step
from sdg87.core.models import DataLoad
from sdg87.geo.models import Geography, GeographyMembership
from sdg87.indicators.models import Observation, Release

DATA = Path(settings.SDG87_DATA_DIR)


def geo_step(key: str) -> LoadStep:
    return next(step for step in loading.all_steps() if step.key == key)


def copy_data(tmp_path: Path, *names: str) -> Path:
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(DATA / name, tmp_path / name)
    return tmp_path


def corrupt_cell(path: Path, *, row: int, column: str, value: str) -> None:
    """Replace one cell (spreadsheet row, header = 1) of a CSV file."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    rows[row - 1][rows[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def snapshot() -> dict[str, object]:
    return {
        "geographies": Geography.objects.count(),
        "memberships": GeographyMembership.objects.count(),
        "observations": Observation.objects.count(),
        "loads": sorted(DataLoad.objects.values_list("key", "checksum", "rows")),
        "releases": sorted(Release.objects.values_list("code", "file_sha256")),
        "names": sorted(Geography.objects.values_list("code", "name_en")),
    }


class Counter:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, data_dir: Path) -> int:
        self.calls += 1
        Geography.objects.update_or_create(
            code="ZZA", defaults={"kind": "other", "name_en": (data_dir / "t.csv").read_text()}
        )
        return 1


@pytest.fixture
def counting_step(tmp_path: Path) -> tuple[LoadStep, Counter]:
    (tmp_path / "t.csv").write_text("one")
    counter = Counter()
    return LoadStep(key="test.counting", label="Test", files=("t.csv",), run=counter), counter


@pytest.mark.django_db
class TestRunStep:
    def test_skipped_when_checksum_unchanged(
        self, tmp_path: Path, counting_step: tuple[LoadStep, Counter]
    ) -> None:
        """A second run with the same files is skipped without running the step."""
        step, counter = counting_step
        assert run_step(step, data_dir=tmp_path).status == "loaded"
        outcome = run_step(step, data_dir=tmp_path)
        assert (outcome.status, outcome.rows, counter.calls) == ("skipped", 1, 1)

    def test_force_reruns(self, tmp_path: Path, counting_step: tuple[LoadStep, Counter]) -> None:
        """With force the step runs again even though nothing changed."""
        step, counter = counting_step
        run_step(step, data_dir=tmp_path)
        assert run_step(step, data_dir=tmp_path, force=True).status == "loaded"
        assert counter.calls == 2

    def test_changed_file_reloads(
        self, tmp_path: Path, counting_step: tuple[LoadStep, Counter]
    ) -> None:
        """A changed input file changes the checksum, so the step runs again."""
        step, _counter = counting_step
        run_step(step, data_dir=tmp_path)
        (tmp_path / "t.csv").write_text("two")
        assert run_step(step, data_dir=tmp_path).status == "loaded"
        assert Geography.objects.get(code="ZZA").name_en == "two"

    def test_a_step_bumps_the_data_version_once(
        self, tmp_path: Path, django_capture_on_commit_callbacks: Any
    ) -> None:
        """Writes that each scheduled a bump leave one for the step's commit (issue 15)."""
        from sdg87.core.cache import data_version, data_version_bump

        def run(data_dir: Path) -> int:
            for _ in range(5):
                data_version_bump()
            return 5

        (tmp_path / "t.csv").write_text("one")
        step = LoadStep(key="test.bumps", label="Test", files=("t.csv",), run=run)
        before = data_version()
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            run_step(step, data_dir=tmp_path)
        bumps = [c for c in callbacks if c.__qualname__ == "data_version_bump.<locals>.bump"]
        assert len(bumps) == 1
        assert data_version() == before + 1

    def test_version_is_part_of_the_checksum(self, tmp_path: Path) -> None:
        """Bumping a step's version makes unchanged files load again."""
        (tmp_path / "t.csv").write_text("one")
        v1 = LoadStep(key="k", label="k", files=("t.csv",), run=Counter(), version="1")
        v2 = LoadStep(key="k", label="k", files=("t.csv",), run=Counter(), version="2")
        assert v1.checksum(tmp_path) != v2.checksum(tmp_path)

    def test_parse_error_becomes_load_error_and_rolls_back(self, tmp_path: Path) -> None:
        """A ParseError after some writes rolls the step back and names file, row, column."""

        def run(data_dir: Path) -> int:
            Geography.objects.create(code="ZZA", kind="other", name_en="half-written")
            with reading("t.csv"):
                raise ParseError("bad cell", row=7, column="value")

        (tmp_path / "t.csv").write_text("x")
        step = LoadStep(key="test.failing", label="Test", files=("other.csv", "t.csv"), run=run)
        (tmp_path / "other.csv").write_text("y")
        with pytest.raises(LoadError) as info:
            run_step(step, data_dir=tmp_path)
        assert (info.value.file, info.value.row, info.value.column) == ("t.csv", 7, "value")
        assert str(info.value) == "t.csv, row 7, column 'value': bad cell"
        assert not Geography.objects.filter(code="ZZA").exists()
        assert not DataLoad.objects.filter(key="test.failing").exists()


class TestOrdering:
    def test_dependencies_come_first(self) -> None:
        """Steps are moved after the steps they depend on, otherwise keep their order."""

        def noop(data_dir: Path) -> int:
            return 0

        a = LoadStep(key="a", label="a", files=(), run=noop, depends_on=("c",))
        b = LoadStep(key="b", label="b", files=(), run=noop)
        c = LoadStep(key="c", label="c", files=(), run=noop)
        assert [s.key for s in loading._dependency_order([a, b, c])] == ["c", "a", "b"]

    def test_unknown_dependency_and_cycle_fail(self) -> None:
        """A dependency on a missing step or a cycle is a programming error."""

        def noop(data_dir: Path) -> int:
            return 0

        with pytest.raises(ValueError, match="unknown step"):
            loading._dependency_order(
                [LoadStep(key="a", label="a", files=(), run=noop, depends_on=("zz",))]
            )
        a = LoadStep(key="a", label="a", files=(), run=noop, depends_on=("b",))
        b = LoadStep(key="b", label="b", files=(), run=noop, depends_on=("a",))
        with pytest.raises(ValueError, match="cycle"):
            loading._dependency_order([a, b])

    def test_all_registered_steps(self) -> None:
        """Every loader module is registered and the geography steps come first."""
        keys = [s.key for s in loading.all_steps()]
        assert keys[:4] == ["geo.countries", "geo.aggregates", "geo.aliases", "geo.population"]
        assert len(keys) == len(set(keys))


@pytest.mark.django_db
@pytest.mark.usefixtures("bundled_data")
class TestBundledData:
    def test_load_all_is_recorded_and_then_skipped(self) -> None:
        """After the session load every step is recorded; loading again skips them all."""
        outcomes = loading.load_all()
        assert {o.status for o in outcomes} == {"skipped"}
        assert set(DataLoad.objects.values_list("key", flat=True)) >= {
            s.key for s in loading.all_steps()
        }

    def test_a_load_refreshes_the_planner_statistics(self) -> None:
        """When a step loaded, load_all ends with ANALYZE of the observation tables: their
        statistics (SQLite's sqlite_stat1, PostgreSQL's pg_statistic), deleted first, are back."""
        from django.db import connection

        def observed() -> int:
            with connection.cursor() as cursor:
                if connection.vendor == "sqlite":
                    cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
                    if cursor.fetchone() is None:  # never analysed
                        return 0
                    cursor.execute(
                        "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'indicators_observation'"
                    )
                else:  # written by ANALYZE in this transaction, unlike pg_stat_* counters
                    cursor.execute(
                        "SELECT count(*) FROM pg_statistic "
                        "WHERE starelid = 'indicators_observation'::regclass"
                    )
                row = cursor.fetchone()
                return int(row[0]) if row else 0

        if observed():
            with connection.cursor() as cursor:
                if connection.vendor == "sqlite":
                    cursor.execute("DELETE FROM sqlite_stat1")
                else:  # the test role is a superuser (CI: postgres); rolled back with the test
                    cursor.execute(
                        "DELETE FROM pg_statistic "
                        "WHERE starelid = 'indicators_observation'::regclass"
                    )
        assert observed() == 0
        outcomes = loading.load_all(only=["geo.aliases"], force=True)
        assert [o.status for o in outcomes] == ["loaded"]
        assert observed() > 0

    def test_bad_population_cell_leaves_database_unchanged(self, tmp_path: Path) -> None:
        """A non-numeric cell deep in a copy of the WPP file (after thousands of observations
        were written) raises LoadError naming file, row and column, and the database is
        exactly as before: the release's old observations are back and nothing else moved."""
        name = "population/wpp2019_population_aged_5_17.csv"
        copy_data(tmp_path, name)
        corrupt_cell(tmp_path / name, row=3000, column="pop_5_11_thousands", value="n/a")
        before = snapshot()
        with pytest.raises(LoadError) as info:
            run_step(geo_step("geo.population"), data_dir=tmp_path, force=True)
        assert (info.value.file, info.value.row, info.value.column) == (
            name,
            3000,
            "pop_5_11_thousands",
        )
        assert "n/a" in info.value.message
        assert snapshot() == before

    def test_unknown_country_in_population_rolls_back(self, tmp_path: Path) -> None:
        """An ISO3 code that is not a geography fails in the import, after earlier batches
        were written, and the database is unchanged."""
        name = "population/wpp2019_population_aged_5_17.csv"
        copy_data(tmp_path, name)
        corrupt_cell(tmp_path / name, row=4000, column="iso3", value="QQQ")
        before = snapshot()
        with pytest.raises(LoadError) as info:
            run_step(geo_step("geo.population"), data_dir=tmp_path, force=True)
        assert (info.value.file, info.value.row) == (name, 4000)
        assert "QQQ" in info.value.message
        assert snapshot() == before

    def test_bad_country_cell_leaves_database_unchanged(self, tmp_path: Path) -> None:
        """A country name too long for the model fails after earlier countries were
        updated; LoadError names the file, row and column and nothing changes."""
        names = (
            "reference/country_codes_iso_m49.csv",
            "reference/gapminder_country_groups.csv",
            "geo/country_name_corrections.csv",
        )
        copy_data(tmp_path, *names)
        path = tmp_path / names[0]
        corrupt_cell(path, row=2, column="official_name_en", value="Renamed first row")
        corrupt_cell(path, row=240, column="official_name_en", value="X" * 250)
        before = snapshot()
        with pytest.raises(LoadError) as info:
            run_step(geo_step("geo.countries"), data_dir=tmp_path, force=True)
        assert (info.value.file, info.value.row, info.value.column) == (
            names[0],
            240,
            "official_name_en",
        )
        assert snapshot() == before
        assert not Geography.objects.filter(name_en="Renamed first row").exists()

    def test_bad_m49_cell(self, tmp_path: Path) -> None:
        """A non-numeric M49 code is reported by the parser with file, row and column."""
        names = (
            "reference/country_codes_iso_m49.csv",
            "reference/gapminder_country_groups.csv",
            "geo/country_name_corrections.csv",
        )
        copy_data(tmp_path, *names)
        corrupt_cell(tmp_path / names[0], row=100, column="M49", value="4x")
        before = snapshot()
        with pytest.raises(LoadError, match="row 100, column 'M49'"):
            run_step(geo_step("geo.countries"), data_dir=tmp_path, force=True)
        assert snapshot() == before
