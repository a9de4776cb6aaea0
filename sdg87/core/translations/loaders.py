"""Loading the versioned translations in data/translations/ (ADR 0008): a load step of
`load_data` and the `load_translations` command, both through `translations_import`.

A file row is written through `translation_set` as the system, except where:
- a person has since set that translation in the admin (`reviewed_by`): the editor's text is
  kept, as loads keep editors' corrections of statistics metadata (ADR 0007);
- the English it translates is no longer the English stored (an editor corrected it): the row
  is skipped and reported, and pages show the marked English until someone translates again;
- the row it names is not loaded: skipped and reported.
A file that names an unknown model, field or vocabulary is refused (ParseError).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.utils.translation import gettext as _

from sdg87.core.ingest import ParseError, reading
from sdg87.core.loading import LoadStep
from sdg87.core.models import Translation
from sdg87.core.translations.parsers import TranslationRow, parse_translations
from sdg87.core.translations.registry import (
    NATURAL_KEYS,
    VOCABULARIES,
    field_allowed,
    target_languages,
)
from sdg87.core.translations.services import translation_set
from sdg87.core.translations.targets import Target

DIRECTORY = "translations"
FILES = ("translations/sdg_framework.csv", "translations/dol_goods.csv")


@dataclass
class ImportOutcome:
    written: int = 0
    unchanged: int = 0
    kept: list[str] = field(default_factory=list)  # set by a person since: not overwritten
    out_of_date: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return self.written + self.unchanged


def _target(row: TranslationRow) -> tuple[Target, str] | None:
    """The target of a file row and the English it translates now; None when the row it
    names is not loaded."""
    if not row.model:
        if row.field not in VOCABULARIES:
            raise ParseError(
                _("unknown vocabulary '%(value)s'") % {"value": row.field},
                row=row.line,
                column="field",
            )
        target = Target.of_term(row.field, row.key)
        return target, row.source_text or row.key
    if row.model not in NATURAL_KEYS or not field_allowed(row.model, row.field):
        raise ParseError(
            _("'%(field)s' of '%(model)s' cannot be translated")
            % {"field": row.field, "model": row.model},
            row=row.line,
            column="field",
        )
    model = apps.get_model(row.model)
    obj = model._default_manager.filter(**{NATURAL_KEYS[row.model]: row.key}).first()
    if obj is None:
        return None
    return Target.of(obj, row.field), str(getattr(obj, row.field) or "")


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def translations_import(text: str, *, file: str) -> ImportOutcome:
    """Write the translations of one file (its text); see the module docstring."""
    outcome = ImportOutcome()
    with reading(file):
        for row in parse_translations(text, languages=target_languages()):
            where = f"{file}:{row.line}"
            found = _target(row)
            if found is None:
                outcome.missing.append(where)
                continue
            target, english = found
            if row.model and row.source_text and not _same(row.source_text, english):
                outcome.out_of_date.append(where)
                continue
            existing = Translation.objects.filter(**target.lookup(), language=row.language).first()
            if existing is not None and existing.reviewed_by_id is not None:
                outcome.kept.append(where)
                continue
            before = existing and (existing.text, existing.origin, existing.citation)
            saved = translation_set(
                actor=None,
                target=target,
                language=row.language,
                text=row.text,
                origin=row.origin,
                citation=row.citation,
                source_text=english,
            )
            if before == (saved.text, saved.origin, saved.citation):
                outcome.unchanged += 1
            else:
                outcome.written += 1
    return outcome


def run_translations(data_dir: Path) -> int:
    rows = 0
    for name in FILES:
        rows += translations_import((data_dir / name).read_text(encoding="utf-8"), file=name).rows
    return rows


STEPS: list[LoadStep] = [
    LoadStep(
        key="core.translations",
        label="Translations of indicator names, SDG targets and goods (data/translations)",
        files=FILES,
        run=run_translations,
        # After every step that creates the rows translated here.
        depends_on=("catalog.bundled_datasets", "orgs.organisations"),
        version="1",
    ),
]
