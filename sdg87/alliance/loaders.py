"""Load the bundled Alliance 8.7 tables (data/alliance87/; PROVENANCE-alliance.md) in one step:
Pathfinder Countries, their milestones, roadmap actions and national targets, the Global
Coordinating Group's meetings and decisions, the Action Groups with their workstreams and
events, the Alliance's published counts and the goals with a sourced numeric target
(gcg_goals.csv, parsed by sdg87.alliance.goals). Every row keeps its source, quote and
verification status; the selectors decide what is shown as fact."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sdg87.alliance import goals, ingest
from sdg87.alliance.services.bundled import Bundle, bundled_replace
from sdg87.core.ingest import reading
from sdg87.core.loading import LoadStep

FILES = {
    "pathfinders": "alliance87/pathfinder_countries.csv",
    "milestones": "alliance87/pathfinder_milestones.csv",
    "actions": "alliance87/roadmap_actions.csv",
    "targets": "alliance87/national_targets.csv",
    "meetings": "alliance87/gcg_meetings.csv",
    "groups": "alliance87/action_groups.csv",
    "workstreams": "alliance87/action_group_workstreams.csv",
    "group_events": "alliance87/action_group_events.csv",
    "snapshots": "alliance87/alliance_count_snapshots.csv",
    "goals": "alliance87/gcg_goals.csv",
    "group_links": "alliance87/action_group_links.csv",
}


def read_bundle(data_dir: Path) -> Bundle:
    def text(name: str) -> str:
        return (data_dir / FILES[name]).read_text(encoding="utf-8")

    def parse[T](name: str, parser: Callable[[str], list[T]]) -> list[T]:
        with reading(FILES[name]):
            return parser(text(name))

    with reading(FILES["groups"]):
        groups = ingest.parse_groups(text("groups"), text("workstreams"))
    return Bundle(
        pathfinders=parse("pathfinders", ingest.parse_pathfinders),
        milestones=parse("milestones", ingest.parse_milestones),
        actions=parse("actions", ingest.parse_actions),
        targets=parse("targets", ingest.parse_targets),
        meetings=parse("meetings", ingest.parse_meetings),
        groups=groups,
        group_events=parse("group_events", ingest.parse_group_events),
        snapshots=parse("snapshots", ingest.parse_snapshots),
        goals=parse("goals", goals.parse_goals),
        group_links=parse("group_links", ingest.parse_group_links),
    )


def load_alliance(data_dir: Path) -> int:
    return bundled_replace(bundle=read_bundle(data_dir))


STEPS = [
    LoadStep(
        key="alliance.bundled",
        label="Alliance 8.7: Pathfinder Countries, roadmaps, GCG meetings, Action Groups",
        files=tuple(FILES.values()),
        run=load_alliance,
        # The goals name a series and a place (World): loaded after the statistics.
        depends_on=(
            "geo.countries",
            "geo.aggregates",
            "orgs.organisations",
            "indicators.ge_child_labour",
            # Action Groups link to news and event pages and to publications.
            "library.news_events",
            "library.publications",
        ),
        version="3",
    ),
]
