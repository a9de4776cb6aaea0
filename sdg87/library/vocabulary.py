"""The evidence map's controlled vocabularies: interventions, outcomes, study designs and the
direction of an effect (the lists of data/library/evaluations.csv, see PROVENANCE-evidence.md).

Labels are translated with gettext. Which published frameworks each category maps to is data
(data/library/egm_framework.csv); which statistics series measure an outcome is here
(`OUTCOME_SERIES`), because the link is the platform's own editorial judgement.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Intervention(models.TextChoices):
    CASH_TRANSFERS = "cash_transfers", _("Cash transfers")
    SOCIAL_PROTECTION_OTHER = "social_protection_other", _("Other social protection")
    SCHOOL_FEEDING_AND_EDUCATION = "school_feeding_and_education", _("School feeding and education")
    MICROFINANCE_AND_LIVELIHOODS = "microfinance_and_livelihoods", _("Microfinance and livelihoods")
    AWARENESS_AND_COMMUNITY_MOBILISATION = (
        "awareness_and_community_mobilisation",
        _("Awareness raising and community mobilisation"),
    )
    LEGAL_AND_POLICY_REFORM = "legal_and_policy_reform", _("Legal and policy reform")
    LABOUR_INSPECTION_AND_ENFORCEMENT = (
        "labour_inspection_and_enforcement",
        _("Labour inspection and enforcement"),
    )
    SUPPLY_CHAIN_DUE_DILIGENCE_AND_CERTIFICATION = (
        "supply_chain_due_diligence_and_certification",
        _("Supply-chain due diligence and certification"),
    )
    MIGRATION_AND_RECRUITMENT = (
        "migration_and_recruitment",
        _("Safe migration and fair recruitment"),
    )
    VICTIM_IDENTIFICATION_AND_SUPPORT = (
        "victim_identification_and_support",
        _("Victim identification and support"),
    )
    OTHER = "other", _("Other or several interventions")


class Outcome(models.TextChoices):
    CHILD_LABOUR_INCIDENCE = "child_labour_incidence", _("Child labour")
    HAZARDOUS_WORK = "hazardous_work", _("Hazardous work by children")
    SCHOOL_ATTENDANCE = "school_attendance", _("School attendance")
    FORCED_LABOUR_INCIDENCE = "forced_labour_incidence", _("Forced labour")
    TRAFFICKING_VICTIMS_IDENTIFIED = (
        "trafficking_victims_identified",
        _("Trafficking victims identified"),
    )
    AWARENESS_KNOWLEDGE = "awareness_knowledge", _("Awareness and knowledge")
    HOUSEHOLD_INCOME = "household_income", _("Household income")
    OTHER = "other", _("Other outcomes")


class StudyDesign(models.TextChoices):
    RCT = "rct", _("Randomised controlled trial")
    QUASI_EXPERIMENTAL = "quasi_experimental", _("Quasi-experimental")
    QUALITATIVE = "qualitative", _("Qualitative")
    MIXED_METHODS = "mixed_methods", _("Mixed methods")
    SYSTEMATIC_REVIEW = "systematic_review", _("Systematic review")
    OTHER = "other", _("Other design")


class Direction(models.TextChoices):
    REDUCED = "reduced", _("Reduced")
    INCREASED = "increased", _("Increased")
    MIXED = "mixed", _("Mixed")
    NO_SIGNIFICANT_EFFECT = "no_significant_effect", _("No significant effect")
    NOT_STATED = "not_stated", _("Not stated in the source read")


# The statistics series that measure an outcome (SDG series codes, sdg87.indicators.Series).
OUTCOME_SERIES: dict[str, tuple[str, ...]] = {
    Outcome.CHILD_LABOUR_INCIDENCE: ("SL_TLF_CHLDEA", "SL_TLF_CHLDEC"),
    Outcome.HAZARDOUS_WORK: ("SL_TLF_CHLDEA", "SL_TLF_CHLDEC"),
    Outcome.TRAFFICKING_VICTIMS_IDENTIFIED: ("VC_HTF_DETV", "VC_HTF_DETVFL"),
}
