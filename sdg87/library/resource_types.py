"""The library's resource types, and what each is called by the standards it is exported to.

One table (`RESOURCE_TYPES`): the platform's code and label, then the type in CSL (citeproc and
CSL-JSON), DataCite (`resourceTypeGeneral`, kernel 4.5), schema.org (JSON-LD on the pages),
BibTeX, BibLaTeX and RIS. BibTeX never gets `@dataset` (classic BibTeX styles do not know it and
fall back badly): a dataset is `@misc` there and `@dataset` only in BibLaTeX. A type whose record
names a journal is cited as a journal article (`JOURNAL_VARIANT`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class ResourceType(models.TextChoices):
    REPORT = "report", _("Report")
    EVALUATION_REPORT = "evaluation_report", _("Evaluation report")
    IMPACT_EVALUATION = "impact_evaluation", _("Impact evaluation")
    SYSTEMATIC_REVIEW = "systematic_review", _("Systematic review")
    LESSONS_LEARNED = "lessons_learned", _("Lessons learned")
    CASE_STUDY = "case_study", _("Case study / successful intervention")
    POLICY_BRIEF = "policy_brief", _("Policy brief")
    GUIDANCE_TOOLKIT = "guidance_toolkit", _("Guidance and toolkit")
    LEGAL_INSTRUMENT = "legal_instrument", _("Legal instrument")
    DECLARATION = "declaration", _("Declaration")
    RESEARCH_ARTICLE = "research_article", _("Research article")
    GLOBAL_ESTIMATE = "global_estimate", _("Global estimate")
    DATASET_DOCUMENTATION = "dataset_documentation", _("Dataset documentation")


# Datasets are cited too (their own model, in sdg87.catalog); they are not a library type.
DATASET = "dataset"

# Spellings in the bundled tables that mean one of the types above.
ALIASES = {"evaluation": ResourceType.EVALUATION_REPORT}


@dataclass(frozen=True)
class TypeMapping:
    csl: str
    datacite: str
    schema_org: str
    bibtex: str
    biblatex: str
    ris: str


_REPORT = TypeMapping("report", "Report", "Report", "techreport", "report", "RPRT")

RESOURCE_TYPES: dict[str, TypeMapping] = {
    ResourceType.REPORT: _REPORT,
    ResourceType.EVALUATION_REPORT: _REPORT,
    ResourceType.IMPACT_EVALUATION: _REPORT,
    ResourceType.SYSTEMATIC_REVIEW: _REPORT,
    ResourceType.LESSONS_LEARNED: _REPORT,
    ResourceType.CASE_STUDY: _REPORT,
    ResourceType.POLICY_BRIEF: _REPORT,
    ResourceType.GLOBAL_ESTIMATE: _REPORT,
    ResourceType.DATASET_DOCUMENTATION: TypeMapping(
        "report", "Text", "TechArticle", "techreport", "report", "RPRT"
    ),
    ResourceType.GUIDANCE_TOOLKIT: TypeMapping(
        "document", "Text", "CreativeWork", "manual", "manual", "GEN"
    ),
    ResourceType.LEGAL_INSTRUMENT: TypeMapping(
        "treaty", "Text", "Legislation", "misc", "misc", "LEGAL"
    ),
    ResourceType.DECLARATION: TypeMapping(
        "document", "Text", "CreativeWork", "misc", "misc", "GEN"
    ),
    ResourceType.RESEARCH_ARTICLE: TypeMapping(
        "article-journal", "JournalArticle", "ScholarlyArticle", "article", "article", "JOUR"
    ),
    DATASET: TypeMapping("dataset", "Dataset", "Dataset", "misc", "dataset", "DATA"),
}

# A report-like record that names a journal (`container_title`) is cited as this.
JOURNAL_VARIANT = RESOURCE_TYPES[ResourceType.RESEARCH_ARTICLE]

# Types whose records are evidence of what works (shown on the evidence map when coded).
EVIDENCE_TYPES = frozenset(
    {
        ResourceType.IMPACT_EVALUATION,
        ResourceType.SYSTEMATIC_REVIEW,
        ResourceType.EVALUATION_REPORT,
        ResourceType.LESSONS_LEARNED,
        ResourceType.CASE_STUDY,
        ResourceType.RESEARCH_ARTICLE,
    }
)


def type_mapping(code: str, *, in_journal: bool = False) -> TypeMapping:
    """The standards' names of a type (`in_journal`: the record names a journal)."""
    code = ALIASES.get(code, code)
    if in_journal and code != DATASET:
        return JOURNAL_VARIANT
    return RESOURCE_TYPES[code]
