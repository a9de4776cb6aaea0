"""core.translations.loaders and the load_translations command: files write through the
service, keep what a person set, and skip out-of-date or unloaded rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from sdg87.core.ingest import ParseError
from sdg87.core.models import Translation, TranslationAuditEntry
from sdg87.core.tests import translation_fixtures as fixtures
from sdg87.core.tests.translation_fixtures import CITATION, NAME_8_7_1, NAME_FR
from sdg87.core.translations.loaders import translations_import
from sdg87.core.translations.services import translation_set
from sdg87.core.translations.targets import Target
from sdg87.indicators.models import Indicator

pytestmark = pytest.mark.django_db

indicator = fixtures.indicator
empty_translations = fixtures.empty_translations
translator = fixtures.translator

HEADER = "model,key,field,language,origin,text,source_text,citation\n"
FILE = (
    HEADER
    + f'indicators.indicator,X8.7.1,name,fr,publisher,"{NAME_FR}","{NAME_8_7_1}","{CITATION}"\n'
    + ",Cocoa,dol-good,es,editorial,Cacao,,\n"
    + "indicators.indicator,99.9.9,name,fr,editorial,Rien,,\n"
)


@pytest.mark.usefixtures("empty_translations")
def test_import_writes_and_reports(indicator: Indicator) -> None:
    outcome = translations_import(FILE, file="t.csv")
    assert (outcome.written, outcome.unchanged, outcome.missing) == (2, 0, ["t.csv:4"])
    row = Translation.objects.get(field="name")
    assert (row.text, row.origin, row.citation, row.reviewed_by) == (
        NAME_FR,
        "publisher",
        CITATION,
        None,
    )
    again = translations_import(FILE, file="t.csv")
    assert (again.written, again.unchanged) == (0, 2)
    assert TranslationAuditEntry.objects.count() == 2


@pytest.mark.usefixtures("empty_translations")
def test_import_keeps_what_a_person_set(indicator: Indicator, translator: Any) -> None:
    translation_set(
        actor=translator,
        target=Target.of(indicator, "name"),
        language="fr",
        text="Corrigé par une personne",
        origin="editorial",
    )
    outcome = translations_import(FILE, file="t.csv")
    assert outcome.kept == ["t.csv:2"]
    assert Translation.objects.get(field="name").text == "Corrigé par une personne"


@pytest.mark.usefixtures("empty_translations")
def test_import_skips_a_translation_of_other_english(indicator: Indicator) -> None:
    Indicator.objects.filter(pk=indicator.pk).update(name="Corrected English")
    outcome = translations_import(FILE, file="t.csv")
    assert outcome.out_of_date == ["t.csv:2"]
    assert not Translation.objects.filter(field="name").exists()


@pytest.mark.parametrize(
    "line",
    [
        ",Cocoa,colours,fr,editorial,Cacao,,\n",
        "indicators.indicator,X8.7.1,code,fr,editorial,X,,\n",
        "geo.country,KEN,name,fr,editorial,Kenya,,\n",
    ],
)
def test_unknown_targets_are_refused(indicator: Indicator, line: str) -> None:
    with pytest.raises(ParseError) as info:
        translations_import(HEADER + line, file="t.csv")
    assert (info.value.file, info.value.row, info.value.column) == ("t.csv", 2, "field")


@pytest.mark.usefixtures("empty_translations")
def test_command(indicator: Indicator, tmp_path: Path, capsys: Any) -> None:
    path = tmp_path / "t.csv"
    path.write_text(FILE, encoding="utf-8")
    call_command("load_translations", str(path))
    out = capsys.readouterr().out
    assert "2 written, 0 unchanged, 0 kept" in out and "t.csv:4: names a row" in out
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + ",Cocoa,dol-good,xx,editorial,C,,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="language"):
        call_command("load_translations", str(bad))
    with pytest.raises(CommandError, match="No such file"):
        call_command("load_translations", str(tmp_path / "missing.csv"))


def test_bundled_files_load_on_the_bundled_data(bundled_data: None) -> None:
    """After `load_data` the bundled translations are in: the 5 UN names compared with a copy
    of A/RES/71/313 as the publisher's, the rest editorial; the French page shows the UN's
    French name of 8.7.1."""
    from sdg87.core.translations.selectors import translated, translation_counts

    assert translation_counts() == {
        ("publisher", "fr"): 3,
        ("publisher", "es"): 2,
        ("editorial", "fr"): 183,
        ("editorial", "es"): 184,
    }
    shown = translated(Indicator.objects.get(code="8.7.1"), "name", language="fr")
    assert (shown.origin, shown.text) == ("publisher", NAME_FR.replace("'", "\u2019"))
