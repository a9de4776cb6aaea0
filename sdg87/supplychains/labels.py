"""Words for the exploitation types and changes, in the page's language."""

from __future__ import annotations

from django.utils.translation import gettext as _

from sdg87.assessments.models import Sector
from sdg87.supplychains.selectors import (
    ADDED,
    CHILD_LABOUR,
    FORCED_CHILD_LABOUR,
    FORCED_LABOUR,
    INPUT,
)


def type_label(code: str) -> str:
    return {
        CHILD_LABOUR: _("Child labour"),
        FORCED_LABOUR: _("Forced labour"),
        FORCED_CHILD_LABOUR: _("Forced child labour"),
        INPUT: _("Made with an input produced with child or forced labour"),
    }.get(code, code)


def type_abbreviation(code: str) -> str:
    return {
        CHILD_LABOUR: _("CL"),
        FORCED_LABOUR: _("FL"),
        FORCED_CHILD_LABOUR: _("FCL"),
        INPUT: _("IN"),
    }.get(code, code)


def change_label(code: str) -> str:
    return _("Added") if code == ADDED else _("Removed")


def sector_label(value: str) -> str:
    try:
        return str(Sector(value).label)
    except ValueError:
        return value
