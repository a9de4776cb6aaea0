"""The Alliance 8.7 in the index: Pathfinder Countries, their roadmap actions and the Action
Groups, each linking to its public page (/<lang>/pathfinders/<iso3>/, the action's place on it,
/<lang>/action-groups/<slug>/).

Only what sdg87.alliance.visibility shows makes a document: a Pathfinder Country whose row is a
fact (with its public milestones as text), a public roadmap action (never a draft, a submitted
or an unverified one), an Action Group whose row is a fact (its verified workstreams, its chair
only when verified). `get` answers only for public rows, so a row that stops being public loses
its document at the next refresh (sdg87.search.signals, on commit).

Facets: place (the country), organisation (responsible organisations; an Action Group's
members and verified chair), theme (an Action Group's own theme; a roadmap action's by the
words of its plan and text), language (the bundled texts are in English, except the plans that
are quoted in their own language).
"""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from sdg87.alliance import visibility
from sdg87.alliance.api_selectors import action_group_list_public
from sdg87.alliance.models import (
    SHOWN,
    ActionGroup,
    ActionIndicator,
    Milestone,
    PathfinderCountry,
    PathfinderStatus,
    Plan,
    RoadmapAction,
    Workstream,
)
from sdg87.catalog.models import ThemeCode
from sdg87.search.registry import DocumentData, Source, Text
from sdg87.search.sources.library import label_texts, place_code, place_texts, summary_of, unique

# An Action Group's theme, where one of the catalog's themes is its subject.
GROUP_THEMES = {
    "supply_chains": ThemeCode.SUPPLY_CHAINS,
    "migration": ThemeCode.MIGRATION,
    "rule_of_law_governance": ThemeCode.RULE_OF_LAW,
    "conflict_humanitarian": ThemeCode.CONFLICT_HUMANITARIAN,
    "sdg87_monitoring_wg": ThemeCode.MEASUREMENT,
}
# A roadmap action's themes by the words of its plan and text (English, French, Spanish).
ACTION_THEMES = (
    (re.compile(r"child[\s-]labou?r|travail des enfants|trabajo infantil", re.I), "child_labour"),
    (re.compile(r"forced labou?r|travail forc|trabajo forzoso", re.I), "forced_labour"),
    (re.compile(r"traffick|traite|trata de", re.I), "human_trafficking"),
    (re.compile(r"supply[\s-]chain|cha[iî]ne d.approvisionnement|cadena", re.I), "supply_chains"),
    (re.compile(r"migra", re.I), "migration"),
    (re.compile(r"school|educat|[ée]cole|escuela", re.I), "education"),
)
PATHFINDER_HEADING = _("%(country)s: Alliance 8.7 Pathfinder Country")
# Plans quoted in their own language (the bundled Peruvian strategy is in Spanish).
_SPANISH = re.compile(r"\b(Estrategia|Nacional|para|del|de la|Trabajo)\b")


def _en(view: str, **kwargs: Any) -> str:
    with translation.override("en"):
        return reverse(view, kwargs=kwargs)


# --- Pathfinder Countries ----------------------------------------------------------------------


def pathfinder_rows() -> list[PathfinderCountry]:
    return list(visibility.public_pathfinders().order_by("country__name_en"))


def pathfinder_row(object_id: str) -> PathfinderCountry | None:
    return visibility.public_pathfinders().filter(country__iso3=object_id.upper()).first()


def build_pathfinder(pf: PathfinderCountry) -> DocumentData:
    country = pf.country
    iso3 = country.iso3 or ""
    milestones = list(visibility.public_milestones().filter(country=country).order_by("date"))
    stage = (
        label_texts(PathfinderStatus(pf.status).label)
        if pf.status in PathfinderStatus.values
        else []
    )
    headings = {}
    for lang, name in (("en", country.name_en), ("fr", country.name_fr), ("es", country.name_es)):
        with translation.override(lang):
            headings[lang] = str(PATHFINDER_HEADING) % {"country": name or country.name_en}
    heading = headings["en"]
    with translation.override("en"):
        stage_en = (
            str(PathfinderStatus(pf.status).label) if pf.status in PathfinderStatus.values else ""
        )
    texts = [
        *[Text(h, lang, "title") for lang, h in headings.items()],
        *label_texts(_("Pathfinder Country")),
        *stage,
        *place_texts([country]),
        *[Text(m.title, "en") for m in milestones],
        *[Text(m.description, "en") for m in milestones if m.description],
    ]
    return DocumentData(
        kind="pathfinder",
        object_id=iso3,
        heading=heading,
        path=_en("pathfinders:detail", iso3=iso3),
        summary=summary_of("; ".join(m.title for m in milestones[-3:])),
        translations={lang: {"heading": h} for lang, h in headings.items() if lang != "en"},
        language="en",
        meta=[m for m in (stage_en, country.name_en) if m],
        texts=unique(texts),
        facets={"place": [place_code(country)], "language": ["en"]},
        boost=1.0,
    )


# --- roadmap actions ---------------------------------------------------------------------------


def _actions() -> Any:
    return visibility.public_actions().prefetch_related("indicators", "responsible_organisations")


def action_rows() -> list[RoadmapAction]:
    return list(_actions().order_by("id"))


def action_row(object_id: str) -> RoadmapAction | None:
    if not object_id.isdigit():
        return None
    return _actions().filter(pk=int(object_id)).first()


def _action_language(action: RoadmapAction) -> str:
    return "es" if _SPANISH.search(action.plan.title) else "en"


def build_action(action: RoadmapAction) -> DocumentData:
    country = action.plan.country
    iso3 = country.iso3 or ""
    orgs = list(action.responsible_organisations.all())
    indicators = list(action.indicators.all())
    plan_lang = _action_language(action)
    words = " ".join((action.plan.title, action.priority_area, action.text))
    themes = [code for pattern, code in ACTION_THEMES if pattern.search(words)]
    texts = [
        Text(action.text, "en", "title"),
        Text(action.priority_area, "en"),
        Text(action.plan.title, plan_lang),
        Text(action.responsible_body, "en"),
        Text(action.timeline, "en"),
        *label_texts(_("roadmap action")),
        *[Text(i.label, "en") for i in indicators],
        *[Text(i.target_text, "en") for i in indicators if i.target_text],
        *[Text(t, "en") for o in orgs for t in (o.name, o.acronym) if t],
        *place_texts([country]),
    ]
    page = _en("pathfinders:detail", iso3=iso3)
    return DocumentData(
        kind="roadmap_action",
        object_id=str(action.pk),
        heading=action.text,
        path=f"{page}#action-{action.key}",
        summary=summary_of(f"{action.priority_area}. {action.plan.title}"),
        language="en",
        date=action.start_date,
        year=action.start_date.year if action.start_date else None,
        meta=[m for m in (country.name_en, action.plan.title, action.timeline) if m],
        texts=unique(t for t in texts if t.text),
        facets={
            "theme": themes,
            "place": [place_code(country)],
            "organisation": [o.slug for o in orgs],
            "language": sorted({"en", plan_lang}),
        },
        boost=1.0,
    )


# --- Action Groups -----------------------------------------------------------------------------


def group_rows() -> list[ActionGroup]:
    return list(action_group_list_public().prefetch_related("members"))


def group_row(object_id: str) -> ActionGroup | None:
    return action_group_list_public().prefetch_related("members").filter(slug=object_id).first()


def build_group(group: ActionGroup) -> DocumentData:
    workstreams = [w for w in group.workstreams.all() if w.verification in SHOWN]
    members = list(group.members.all())
    chair = group.chair_organisation if group.chair_verified else None
    orgs = [o for o in [chair, *members] if o is not None]
    theme = GROUP_THEMES.get(group.slug)
    texts = [
        Text(group.name, "en", "title"),
        Text(group.description, "en"),
        *label_texts(_("Action Group")),
        *[Text(w.name, "en") for w in workstreams],
        *[Text(t, "en") for o in orgs for t in (o.name, o.acronym) if t],
    ]
    if group.chair_verified and group.chair:
        texts.append(Text(group.chair, "en"))
    return DocumentData(
        kind="action_group",
        object_id=group.slug,
        heading=group.name,
        path=_en("alliance-groups:group_detail", slug=group.slug),
        summary=summary_of(group.description),
        language="en",
        meta=[m for m in (group.chair if group.chair_verified else "", group.established) if m],
        texts=unique(t for t in texts if t.text),
        facets={
            "theme": [theme] if theme else [],
            "organisation": list(dict.fromkeys(o.slug for o in orgs)),
            "language": ["en"],
        },
        keys=[group.name],
        boost=1.0,
    )


# --- what changes them -------------------------------------------------------------------------


def _pathfinder_of_country(row: Any) -> list[str]:
    country = getattr(row, "country", None)
    return [country.iso3] if country is not None and country.iso3 else []


def _plan_actions(plan: Plan) -> list[str]:
    return [str(pk) for pk in plan.actions.values_list("pk", flat=True)]


SOURCES = [
    Source(
        kind="pathfinder",
        label=_("Pathfinder Countries"),
        rows=pathfinder_rows,
        build=build_pathfinder,
        get=pathfinder_row,
        watches=(
            (PathfinderCountry, _pathfinder_of_country),
            (Milestone, _pathfinder_of_country),
        ),
    ),
    Source(
        kind="roadmap_action",
        label=_("Roadmap actions"),
        rows=action_rows,
        build=build_action,
        get=action_row,
        watches=(
            (RoadmapAction, lambda a: [str(a.pk)]),
            (ActionIndicator, lambda i: [str(i.action_id)]),
            (Plan, _plan_actions),
        ),
    ),
    Source(
        kind="action_group",
        label=_("Action Groups"),
        rows=group_rows,
        build=build_group,
        get=group_row,
        watches=(
            (ActionGroup, lambda g: [g.slug]),
            (Workstream, lambda w: [w.group.slug]),
        ),
    ),
]
