"""Search: one query over every kind of content, with facets, groups, a top result card,
highlights and "did you mean" (reads only).

The query is analysed like the documents (sdg87.search.analysis): each word may match its
stem in English, French or Spanish; words that name a thesaurus concept or a country (in any
language) match the concept instead, so "travail des enfants" finds "child labour".

Facets are disjunctive: values of one facet combine with OR, facets with AND, and each
facet's counts apply every *other* facet's selection (so choosing Kenya still shows how many
results Uganda would add). Counts are exact (COUNT over the matching documents); each facet
has a time budget, and a facet cut short says so instead of showing wrong numbers.

Visibility: only documents their source marked public (or organisation-only documents, for
that organisation's members), whose scheduled publication time has passed.
"""

from __future__ import annotations

import heapq
import math
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, get_language_info, gettext
from django.utils.translation import gettext_lazy as _

from sdg87.catalog.freshness import FRESHNESS_LABELS, Freshness
from sdg87.catalog.models import Licence, ThemeCode
from sdg87.core.actors import Actor
from sdg87.geo.models import Geography, GeographyMembership
from sdg87.library.resource_types import ResourceType
from sdg87.orgs.models import Organisation
from sdg87.orgs.roles import is_superuser, user_roles
from sdg87.search import analysis, documents, engine, facets, postings, ranking, scoring
from sdg87.search.documents import Shown
from sdg87.search.freshness import freshness_sets
from sdg87.search.highlight import hit_texts
from sdg87.search.indexing import served_generation, served_state
from sdg87.search.models import SearchDocument
from sdg87.search.query import AnyOf, Excluded, Phrase, Word, parse_query
from sdg87.search.registry import sources
from sdg87.search.sources.places import FACET_REGION_KIND
from sdg87.search.suggest import did_you_mean
from sdg87.search.thesaurus import Thesaurus
from sdg87.search.types import (
    FACETS,
    KINDS,
    MAX_PAGE,
    PER_PAGE_MAX,
    Facet,
    FacetValue,
    Group,
    Hit,
    SearchOutcome,
    SearchParams,
    TopResult,
)
from sdg87.search.vocabulary import thesaurus, vocabulary

GROUP_SIZE = 3
# The analysed text of a document (long: every term of its body), never shown: not read for
# the hits.
_INDEXED_TEXT = ("title", "body", "autocomplete")
# Fewer documents than this with every word: documents with any of the words are shown too.
FEW_RESULTS = 5
# Kinds whose exact name makes a top result card, best first.
TOP_KINDS = ("country", "indicator", "series", "region", "organisation")
FACET_LABELS = {
    "kind": _("Type"),
    "theme": _("Theme"),
    "place": _("Country or region"),
    "organisation": _("Organisation"),
    "language": _("Language"),
    "year": _("Year"),
    "resource_type": _("Resource type"),
    "format": _("Format"),
    "licence": _("Licence"),
    "freshness": _("Freshness"),
}
EXTRA_RESOURCE_TYPES = {
    "dataset": _("Dataset"),
    "news": _("News"),
    "campaign": _("Campaign"),
    "event": _("Event"),
}


# --- the query ----------


@dataclass
class Analysed:
    plan: engine.Plan
    words: list[str]  # folded words of the query (for "did you mean" and exact keys)
    terms: set[str]  # every term a matched word may have (highlighting)
    truncated: bool


def _concept_terms(words: Thesaurus, concept: str) -> set[str]:
    """The terms of every label of a concept (to highlight "child labour" for "trabajo
    infantil")."""
    return {
        term
        for lang in analysis.LANGUAGES
        for label in words.labels(concept, lang)
        for term in analysis.analyse(label, lang)
    }


def _phrase_group(words: tuple[str, ...]) -> list[engine.Phrase]:
    """Words in this order, analysed in each language."""
    group: list[engine.Phrase] = []
    for lang in analysis.LANGUAGES:
        phrase = tuple(analysis.analyse(" ".join(words), lang))
        if phrase and phrase not in group:
            group.append(phrase)
    return group


def _word_group(word: str) -> list[engine.Phrase]:
    if analysis.is_stopword(word) or word in analysis.OPERATORS:
        return []
    return [(form,) for form in analysis.query_forms(word)]


def _run_groups(run: list[str], words: Thesaurus, terms: set[str]) -> list[list[engine.Phrase]]:
    """Groups for consecutive plain words: thesaurus concepts first, other words as stems."""
    spans: dict[tuple[int, int], list[engine.Phrase]] = {}
    for match in words.query_concepts(run):
        # one run of words may name several concepts: any of them will do
        spans.setdefault((match.start, match.end), []).append((match.token,))
        terms.update(_concept_terms(words, match.concept))
    covered = {i for start, end in spans for i in range(start, end)}
    groups = list(spans.values())
    for i, word in enumerate(run):
        if i not in covered and (group := _word_group(word)):
            groups.append(group)
            terms.update(p[0] for p in group)
    return groups


def analyse_query(q: str) -> Analysed:
    parsed = parse_query(q)
    words = thesaurus()
    required: list[list[engine.Phrase]] = []
    excluded: list[list[engine.Phrase]] = []
    terms: set[str] = set()
    run: list[str] = []
    for clause in [*parsed.clauses, None]:
        if isinstance(clause, Word):
            run.append(clause.word)
            continue
        if run:
            required.extend(_run_groups(run, words, terms))
            run = []
        if isinstance(clause, Phrase):
            if group := _phrase_group(clause.words):
                required.append(group)
                terms.update(t for p in group for t in p)
        elif isinstance(clause, AnyOf):
            group = []
            for option in clause.options:
                found = (
                    _word_group(option.word)
                    if isinstance(option, Word)
                    else _phrase_group(option.words)
                )
                group.extend(p for p in found if p not in group)
            if group:
                required.append(group)
                terms.update(t for p in group for t in p)
        elif isinstance(clause, Excluded):
            found = (
                _word_group(clause.words[0])
                if len(clause.words) == 1
                else _phrase_group(clause.words)
            )
            if found:
                excluded.append(found)
    return Analysed(
        plan=engine.Plan(required=required, excluded=excluded),
        words=analysis.words(parsed.display),
        terms=terms,
        truncated=parsed.truncated,
    )


# --- filters ----------


def visibility_q(user: Actor | None, now: datetime) -> Q:
    seen = Q(public=True, audience_org__isnull=True)
    if is_superuser(user):  # as in the catalog: every organisation's organisation-only content
        seen |= Q(audience_org__isnull=False)
    elif orgs := list(user_roles(user)) if user is not None else []:
        seen |= Q(audience_org_id__in=orgs)
    return seen & (Q(visible_from__isnull=True) | Q(visible_from__lte=now))


def _storable(value: str) -> str:
    """The value with what no database can compare (NUL, lone surrogates from JSON escapes)
    replaced by U+FFFD: no facet value holds one, so it still matches nothing."""
    return "".join("\ufffd" if c == "\x00" or "\ud800" <= c <= "\udfff" else c for c in value)


def _normalised(params: SearchParams) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for facet in FACETS:
        if facet == "year":
            continue
        values = tuple(
            dict.fromkeys(_storable(v.strip()) for v in params.selected(facet) if v.strip())
        )
        if facet in ("format",):
            values = tuple(v.upper() for v in values)
        if facet == "place":
            values = tuple(v.upper() if len(v) == 3 and v.isalpha() else v for v in values)
        if values:
            out[facet] = values[:50]
    return out


# --- facets ----------


# Names of places and organisations, and the place facet's region tree, read once per index
# version (every rebuild and document refresh changes it, and a place's or an organisation's
# own documents are refreshed when it changes) instead of once per search: per process, the
# last version only.
_named: dict[tuple[str, str], Any] = {}
_named_version = [""]


def _named_for(version: str, key: tuple[str, str]) -> Any:
    if not version or _named_version[0] != version:
        _named.clear()
        _named_version[0] = version
        return None
    return _named.get(key)


def _place_names(lang: str, version: str) -> dict[str, str]:
    """Every place's code (ISO3 and its own code) -> its name in `lang`."""
    found = _named_for(version, ("place", lang))
    if found is not None:
        return found
    names: dict[str, str] = {}
    for iso3, code, name, name_en in Geography.objects.values_list(
        "iso3", "code", f"name_{lang}" if lang in ("en", "fr", "es") else "name_en", "name_en"
    ):
        names[iso3 or code] = name or name_en
        names[code] = name or name_en
    if version:
        _named[("place", lang)] = names
    return names


def _organisation_names(version: str) -> dict[str, str]:
    found = _named_for(version, ("organisation", ""))
    if found is not None:
        return found
    names = dict(Organisation.objects.values_list("slug", "name"))
    if version:
        _named[("organisation", "")] = names
    return names


def _region_members(version: str) -> list[tuple[str, str | None]]:
    """(SDG region code, member's ISO3) pairs, for the place facet's tree."""
    key = ("region", "")
    found = _named_for(version, key)
    if found is not None:
        return list(found)
    pairs: list[tuple[str, str | None]] = list(
        GeographyMembership.objects.filter(group__kind=FACET_REGION_KIND)
        .order_by("pk")
        .values_list("group__code", "member__iso3")
    )
    if version:
        _named[key] = pairs
    return pairs


# Labels of the facets whose values are fixed in code (kinds, themes, licences, ...), per
# active language: made once per process and language, not once per value and search.
_fixed: dict[tuple[str, str | None], dict[str, str]] = {}


def _fixed_labels(facet: str) -> dict[str, str]:
    key = (facet, get_language())
    found = _fixed.get(key)
    if found is not None:
        return found
    if facet == "kind":
        found = {kind: str(source.label) for kind, source in sources().items()}
    elif facet == "theme":
        found = {v: str(ThemeCode(v).label) for v in ThemeCode.values}
    elif facet == "resource_type":
        found = {v: str(label) for v, label in EXTRA_RESOURCE_TYPES.items()}
        found.update({v: str(ResourceType(v).label) for v in ResourceType.values})
    elif facet == "licence":
        found = {v: str(Licence(v).label) for v in Licence.values}
    elif facet == "freshness":
        found = {str(f): str(FRESHNESS_LABELS.get(f, f)) for f in Freshness}
    else:  # language: filled as values come
        found = {}
    _fixed[key] = found
    return found


def _language_label(value: str) -> str:
    known = _fixed_labels("language")
    found = known.get(value)
    if found is None:
        try:
            found = str(get_language_info(value)["name_translated"])
        except KeyError:
            found = value
        if len(known) < 1000:  # values are the documents' language codes: a few
            known[value] = found
    return found


def _labels(facet: str, values: list[str], lang: str, version: str = "") -> dict[str, str]:
    if facet in ("kind", "theme", "resource_type", "licence"):
        fixed = _fixed_labels(facet)
        return {v: fixed.get(v, v) for v in values}
    if facet == "freshness":  # a value outside the scale has no label (it is not shown)
        fixed = _fixed_labels(facet)
        return {v: fixed[v] for v in values if v in fixed}
    if facet == "place":
        names = _place_names(lang, version)
        return {v: names.get(v, v) for v in values}
    if facet == "organisation":
        orgs = _organisation_names(version)
        return {v: orgs[v] for v in values if v in orgs}
    if facet == "language":
        return {v: _language_label(v) for v in values}
    return {v: v for v in values}


def _place_tree(items: list[FacetValue], version: str = "") -> list[FacetValue]:
    """SDG regions first, each with its countries as children; other places after."""
    by_value = {item.value: item for item in items}
    members = _members_by_region(version)
    placed: set[str] = set()
    tree = []
    for region in items:
        if not region.value.isdigit():
            continue
        found = [m for m in members.get(region.value, ()) if m in by_value]
        placed.update(found)
        region.children = sorted((by_value[m] for m in found), key=lambda i: (-i.count, i.label))
        placed.add(region.value)
        tree.append(region)
    rest = [i for i in items if i.value not in placed]
    return tree + rest


def _members_by_region(version: str) -> dict[str, list[str]]:
    """SDG region code -> its members' ISO3 codes (in _region_members' order), per version."""
    key = ("region members", "")
    found = _named_for(version, key)
    if found is not None:
        return found
    grouped: dict[str, list[str]] = defaultdict(list)
    for region_code, iso3 in _region_members(version):
        if iso3 is not None:
            grouped[region_code].append(iso3)
    members = dict(grouped)
    if version:
        _named[key] = members
    return members


# Facet names in the active language (their translations do not change in a process).
_facet_names: dict[tuple[str, str | None], str] = {}


def _facet_name(name: str) -> str:
    key = (name, get_language())
    found = _facet_names.get(key)
    if found is None:
        found = _facet_names[key] = str(FACET_LABELS[name])
    return found


def _facet(
    name: str,
    counts: dict[str, int] | None,
    selected: tuple[str, ...],
    lang: str,
    version: str = "",
) -> Facet:
    """The facet from its counts (None: counting ran out of its time budget). With an index
    version, the labels and their order come from facets.ordering (made once per version and
    language); without, from _facet_plain (the same values in the same order)."""
    if counts is None:
        return Facet(name=name, label=_facet_name(name), values=[], cut_short=True)
    for value in selected:  # a selected value with no result still shows (with 0) to unselect
        counts.setdefault(value, 0)
    order = facets.ordering(
        version,
        (name, lang, get_language() or ""),
        counts,
        lambda values: _labels(name, values, lang, version),
        hide_unlabelled=name == "freshness",
    )
    if order is None:
        return _facet_plain(name, counts, selected, lang, version)
    labels, hidden = order.labels, order.hidden
    if name in ("year", "kind"):
        shown = [v for v in counts if v not in hidden] if hidden else list(counts)
        if name == "year":
            shown.sort(reverse=True)
        else:
            shown.sort(key=lambda v: KINDS.index(v) if v in KINDS else 99)
    else:
        ordered = facets.by_count(order, counts)
        shown = facets.selected_first(ordered, selected)
        if name == "place":
            key = facets.child_key(order, counts, ordered)
            tree = _place_tree_of(shown, key, counts, selected, labels, version)
            return Facet(name=name, label=_facet_name(name), values=tree)
    values = [FacetValue(v, labels[v], counts[v], v in selected) for v in shown]
    return Facet(name=name, label=_facet_name(name), values=values)


def _place_tree_of(
    shown: list[str],
    key: Callable[[str], int],
    counts: dict[str, int],
    selected: tuple[str, ...],
    labels: dict[str, str],
    version: str,
) -> list[FacetValue]:
    """_place_tree over the values in their order (`key`: the children's order, by count then
    label), without reading the FacetValues back."""
    made = {v: FacetValue(v, labels[v], counts[v], v in selected) for v in shown}
    members = _members_by_region(version)
    placed: set[str] = set()
    tree = []
    for value in shown:
        if not value.isdigit():
            continue
        found = [m for m in members.get(value, ()) if m in made]
        placed.update(found)
        found.sort(key=key)
        region = made[value]
        region.children = [made[m] for m in found]
        placed.add(value)
        tree.append(region)
    return tree + [made[v] for v in shown if v not in placed]


def _facet_plain(
    name: str,
    counts: dict[str, int],
    selected: tuple[str, ...],
    lang: str,
    version: str = "",
) -> Facet:
    """_facet made from the labels at each search (the reference the cached order must
    equal; used for postings without a version)."""
    labels = _labels(name, list(counts), lang, version)
    values = [
        FacetValue(value=v, label=labels.get(v, v), count=n, selected=v in selected)
        for v, n in counts.items()
        if name != "freshness" or v in labels
    ]
    if name == "year":
        values.sort(key=lambda i: i.value, reverse=True)
    elif name == "kind":
        values.sort(key=lambda i: KINDS.index(i.value) if i.value in KINDS else 99)
    else:
        values.sort(key=lambda i: (not i.selected, -i.count, i.label))
    if name == "place":
        values = _place_tree(values, version)
    return Facet(name=name, label=_facet_name(name), values=values)


# --- hits ----------


def _hits(
    docs: list[Shown],
    scores: dict[int, float],
    terms: set[str],
    lang: str,
    made: dict[int, Hit] | None = None,
) -> list[Hit]:
    """`made`: hits already highlighted in this search, by document id (a group's best hits
    are often on the page too), reused and added to."""
    made = {} if made is None else made
    hits = []
    term_set = frozenset(terms)
    for doc in docs:
        if doc.pk in made:
            hits.append(made[doc.pk])
            continue
        doc_lang = doc.language or "en"
        heading, summary = doc.heading_in(lang), doc.summary_in(lang)
        text_lang = lang if heading != doc.heading else doc_lang
        # highlighted once per process for these texts and terms (highlight.hit_texts)
        title, shown = hit_texts(heading, summary, term_set, text_lang)
        hits.append(
            Hit(
                kind=doc.kind,
                object_id=doc.object_id,
                title=title,
                url=doc.path_in(lang),
                snippet=shown,
                date=doc.date,
                language=doc.language,
                meta=[str(m) for m in doc.meta],
                score=scores.get(doc.pk, 0.0),
            )
        )
        made[doc.pk] = hits[-1]
    return hits


def _fetch(ids: list[int]) -> list[Shown]:
    by_id = documents.shown_by_id(ids)
    return [by_id[i] for i in ids if i in by_id]


def _top(words: list[str], index: postings.Postings, visible: int, lang: str) -> TopResult | None:
    """The card of the document whose exact name the query is (the first 20 such documents
    the user may see, by id; of those the first kind of TOP_KINDS)."""
    key = " ".join(words)
    if not key:
        return None
    found = []
    for doc in documents.keyed(key, index.generation, TOP_KINDS):
        position = index.position_of(doc.pk)
        if position is not None and index.has(visible, position):
            found.append(doc)
            if len(found) == 20:
                break
    if not found:
        return None
    doc = min(found, key=lambda d: TOP_KINDS.index(d.kind))
    return TopResult(
        kind=doc.kind,
        title=doc.heading_in(lang),
        url=doc.path_in(lang),
        summary=doc.summary_in(lang)[:300],
        facts=[str(m) for m in doc.meta],
    )


# --- the search ----------


def search(
    *,
    params: SearchParams,
    user: Actor | None = None,
    lang: str = "en",
    now: datetime | None = None,
    facets: bool = True,
) -> SearchOutcome:
    now = now or timezone.now()
    return _search(params=params, user=user, lang=lang, now=now, facets=facets)


@dataclass
class _Sets:
    """One search's sets of documents (postings bitsets)."""

    index: postings.Postings
    matched: int  # the words' matches the user may see (every visible document: no words)
    filters: dict[str, int]  # facet -> the documents its selection allows
    freshness: dict[str, int] | None  # freshness -> datasets' documents (when needed)

    def within(self, skip: str = "") -> int:
        found = self.matched
        for facet, bits in self.filters.items():
            if facet != skip:
                found &= bits
        return found


def _matched(index: postings.Postings, plan: engine.Plan) -> int:
    """The documents of the index that match the plan (any visibility)."""
    return index.matched_cached(_plan_key(plan), lambda: engine.matching_entries(plan))


def _plan_key(plan: engine.Plan) -> tuple[Any, ...]:
    """The query as the engine reads it (the key of the kept matches and scores)."""
    return (
        tuple(tuple(group) for group in plan.required),
        tuple(tuple(group) for group in plan.excluded),
    )


def _sets(
    index: postings.Postings,
    plan: engine.Plan,
    selected: dict[str, tuple[str, ...]],
    params: SearchParams,
    visible: int,
    now: datetime,
    facets: bool,
) -> _Sets:
    if plan.is_empty and plan.excluded:  # only words to leave out: everything without them
        unwanted = engine.Plan(required=[[p for group in plan.excluded for p in group]])
        matched = visible & ~_matched(index, unwanted)
    elif plan.is_empty:
        matched = visible
    else:
        matched = visible & _matched(index, plan)
    freshness = None
    if facets or "freshness" in selected:
        freshness = freshness_sets(index, now)
    filters = {}
    for facet, values in selected.items():
        if facet == "freshness":
            filters[facet] = 0
            for value in values:
                filters[facet] |= (freshness or {}).get(value, 0)
        else:
            filters[facet] = index.any_of(facet, values)
    if params.year_from is not None or params.year_to is not None:
        filters["year"] = index.year_range(params.year_from, params.year_to)
    return _Sets(index=index, matched=matched, filters=filters, freshness=freshness)


def _search(
    *, params: SearchParams, user: Actor | None, lang: str, now: datetime, facets: bool
) -> SearchOutcome:
    budget = int(getattr(settings, "SDG87_SEARCH_FACET_BUDGET_MS", 500))
    notices: list[str] = []
    query = analyse_query(params.q)
    if query.truncated:
        notices.append(gettext("Your search was long: only its beginning was used."))
    if query.plan.is_empty and query.plan.excluded:
        notices.append(
            gettext("Showing everything without the words after “-”: add a word to look for.")
        )
    elif query.plan.is_empty and params.q.strip():
        notices.append(gettext("Nothing in your search can be looked for: showing everything."))
    per_page = max(1, min(params.per_page, PER_PAGE_MAX))
    page = max(1, params.page)
    generation, version = served_state()
    index = postings.postings(version=version, generation=generation)
    visible = index.visible(
        orgs=[] if user is None else list(user_roles(user)),
        superuser=is_superuser(user),
        now=now,
    )
    selected = _normalised(params)
    sets = _sets(index, query.plan, selected, params, visible, now, facets)
    if len(query.plan.required) > 1 and sets.matched.bit_count() < FEW_RESULTS:
        # (almost) no document has every word: rank those with any of them; bm25 puts the
        # ones with the most words (and the rarest) first
        relaxed = _sets(index, query.plan.relaxed(), selected, params, visible, now, facets)
        if relaxed.matched.bit_count() > sets.matched.bit_count():
            query.plan, sets = query.plan.relaxed(), relaxed
            notices.append(
                gettext("Few results have all your words: results with some of them are included.")
            )
    result = sets.within()
    kinds = {
        kind: n for kind in sorted(index.kinds) if (n := (index.kinds[kind] & result).bit_count())
    }
    total = sum(kinds.values())
    pages = max(1, math.ceil(total / per_page)) if total else 0
    if page > MAX_PAGE:
        notices.append(
            gettext("Results stop at page %(max)s: narrow the search with the filters.")
            % {"max": MAX_PAGE}
        )
    elif total and page > pages:
        notices.append(
            gettext("There is no page %(page)s: the results end at page %(pages)s.")
            % {"page": page, "pages": pages}
        )
    relevance = params.sort != "date" and not query.plan.is_empty
    on_a_page = page <= min(pages, MAX_PAGE)
    offset = (page - 1) * per_page
    wanted = relevance and total and (on_a_page or (page == 1 and "kind" not in selected))
    result_order = scoring.Ordered.empty()
    if wanted:
        positions = postings.positions_array(result, index.size)
        text = scoring.text_scores(
            index, query.plan, _plan_key(query.plan), positions, every=result == sets.matched
        )
        grouping = relevance and page == 1 and "kind" not in selected
        result_order = scoring.ordered(
            index,
            positions,
            text,
            first=max(ranking.WINDOW, offset + per_page) if on_a_page else 0,
            per_kind=(ranking.WINDOW if query.words else GROUP_SIZE) if grouping else 0,
        )
    # (position, score times boost), best first: as far as the page or the title step reads
    ranked = result_order.rows(max(ranking.WINDOW, offset + per_page))
    page_ids: list[int] = []
    scores: dict[int, float] = {}
    heads: dict[str, list[tuple[int, float]]] = {}
    if relevance and page == 1 and "kind" not in selected and total:
        # each kind's first results: ranking.WINDOW of them when the title step will reorder
        # them (there are words), else GROUP_SIZE
        heads = result_order.heads(index, ranking.WINDOW if query.words else GROUP_SIZE)
    # the headings the title step compares, for the page's window and the groups: one read
    headings: dict[int, list[tuple[str, str]]] = {}
    if query.words and ranked and (heads or (on_a_page and offset < ranking.WINDOW)):
        wanted_ids = {index.ids[p] for p, _s in ranked[: ranking.WINDOW]} if on_a_page else set()
        wanted_ids.update(i for found in heads.values() for i, _s in found)
        headings = ranking.headings_by_id(wanted_ids)
    if on_a_page:
        if relevance:
            window = ranking.ranked_window(
                [(index.ids[p], s) for p, s in ranked[: max(ranking.WINDOW, offset + per_page)]],
                query.words,
                offset=offset,
                limit=per_page,
                headings=headings if query.words else None,
            )
            scores = dict(window)
            page_ids = [i for i, _s in window]
        elif params.sort == "date":
            found = postings.positions_of(result, index.size)  # positions are in date order
            page_ids = [index.ids[p] for p in found[offset : offset + per_page]]
        else:
            found = heapq.nsmallest(
                offset + per_page,
                postings.positions_of(result, index.size),
                key=index.boost_rank.__getitem__,
            )
            page_ids = [index.ids[p] for p in found[offset:]]
    grouped = _group_heads(heads, headings, query.words)
    fetched = documents.shown_by_id({*page_ids, *(g[0] for g in grouped)})
    docs = [fetched[i] for i in page_ids if i in fetched]
    made: dict[int, Hit] = {}
    hits = _hits(docs, scores, query.terms, lang, made) if docs else []
    groups = _groups(grouped, fetched, kinds, query, lang, made)
    facet_list = []
    if facets:
        counts = _facet_counts(sets, kinds, budget)
        facet_list = [
            _facet(name, counts[name], selected.get(name, ()), lang, version) for name in FACETS
        ]
    suggestion = None
    if query.words and total < 3:
        suggestion = did_you_mean(query.words, vocabulary(generation))
    return SearchOutcome(
        params=params,
        total=total,
        hits=hits,
        groups=groups,
        facets=facet_list,
        top=_top(query.words, index, visible, lang) if page == 1 else None,
        suggestion=suggestion,
        notices=notices,
        pages=min(pages, MAX_PAGE),
    )


def _facet_counts(
    sets: _Sets, kinds: dict[str, int], budget_ms: int
) -> dict[str, dict[str, int] | None]:
    """Every facet's counts (None: cut short by its time budget). A facet counts over the
    matching documents with every *other* facet's selection applied (so the facets without a
    selection share one set: the result). Kept postings are counted from their packed words
    (facets.Counter: the same counts, fewer Python steps); freshness (made per search) and
    unkept postings value by value."""
    index = sets.index
    packed = facets.counter(index)
    words: list[tuple[int, Any]] = []  # within -> its words, for the facets sharing it
    counts: dict[str, dict[str, int] | None] = {}
    for name in FACETS:
        if name == "kind" and "kind" not in sets.filters:
            counts[name] = kinds
            continue
        within = sets.within(skip=name)
        deadline = time.perf_counter() + budget_ms / 1000
        if name == "freshness":
            counts[name] = postings.count_each(sets.freshness or {}, within, deadline)
            continue
        if packed is not None:
            converted = next((w for bits, w in words if bits == within), None)
            if converted is None:
                converted = packed.words(within)
                words.append((within, converted))
            table = packed.tables.get(name, {})
            counts[name] = packed.count(name, converted, deadline, bool(table))
            continue
        if name == "kind":
            table = index.kinds
        elif name == "year":
            table = facets.years_table(index)
        else:
            table = index.values.get(name, {})
        counts[name] = postings.count_each(table, within, deadline)
    return counts


def _group_heads(
    by_kind: dict[str, list[tuple[int, float]]],
    headings: dict[int, list[tuple[str, str]]],
    words: list[str],
) -> list[tuple[int, float, str]]:
    """Each kind's first GROUP_SIZE results, as ranking.ranked_window orders that kind alone
    (the engine's order, then the title step over its first ranking.WINDOW)."""
    if not words:
        return [(i, s, kind) for kind, heads in by_kind.items() for i, s in heads]
    concepts = thesaurus()
    return [
        (doc_id, score, kind)
        for kind, heads in by_kind.items()
        for doc_id, score in ranking.in_tiers(heads, headings, words, concepts)[:GROUP_SIZE]
    ]


def _groups(
    grouped: list[tuple[int, float, str]],
    fetched: dict[int, Shown],
    kinds: dict[str, int],
    query: Analysed,
    lang: str,
    made: dict[int, Hit],
) -> list[Group]:
    """Groups by kind: each kind's best hits (in rank order), the kind with the best hit
    first."""
    by_kind: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for doc_id, score, kind in grouped:
        by_kind[kind].append((doc_id, score))
    groups = []
    registry = sources()
    for kind, n in kinds.items():
        if kind not in by_kind:
            continue
        ranked = by_kind[kind]  # best first
        scores = dict(ranked)
        docs = [fetched[i] for i, _s in ranked if i in fetched]
        best = max((scores[d.pk] for d in docs), default=0.0)
        label = str(registry[kind].label) if kind in registry else kind
        hits = _hits(docs, scores, query.terms, lang, made)
        groups.append((best, Group(kind=kind, label=label, total=n, hits=hits)))
    groups.sort(key=lambda g: -g[0])
    return [g for _best, g in groups]


def autocomplete(
    *, prefix: str, user: Actor | None = None, lang: str = "en", limit: int = 8
) -> list[Hit]:
    """Headings that begin with what was typed (every word, the last as a prefix)."""
    words = analysis.words(prefix)[:8]
    if not words or len(words[-1]) < 2:
        return []
    base = SearchDocument.objects.filter(generation=served_generation()).filter(
        visibility_q(user, timezone.now())
    )
    try:
        ranked = engine.ranked_ids(base, engine.Plan(), offset=0, limit=limit, autocomplete=words)
    except ValueError:
        return []
    scores = dict(ranked)
    docs = _fetch(list(scores))
    return _hits(docs, scores, set(), lang)
