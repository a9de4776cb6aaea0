"""CKAN's `package_search` answered from the site search index, so that a CKAN client finds
the same datasets, in the same order, as `/api/v1/search?kind=dataset` and the results page.

The catalog's action dispatches here when `settings.SDG87_CKAN_PACKAGE_SEARCH` names this
module's `package_search` (the catalog never imports the search app: the search app depends
on the catalog).

- `q` goes through the search service (sdg87.search.selectors.search, kind=dataset): stems in
  English, French and Spanish, thesaurus concepts ("travail des enfants" finds child labour
  datasets) and its relevance ranking ("score desc", the default when there is a `q`).
- `fq` (and `q=field:value`): `organization`, `groups`, `res_format` and `license_id` become
  the index's organisation, theme, format and licence filters. Every other field the catalog
  knows (`tags`, `name`, `id`, `owner_org`, `spatial`, `frequency`, `freshness`) and every
  exclusion (`-field:value`) is applied by the catalog's own package_search filters
  (sdg87.catalog.ckan.selectors): the index has no tags and no exclusions. The catalog's
  filters also keep CKAN's visibility (published datasets the user may see; organisation-only
  ones with `include_private=true`), so the answer is the index's ranked matches that the
  catalog lists for the user.
- `sort`: "score desc" is the index's ranking; any other sort ("metadata_modified desc",
  "name asc", ...) and a search without `q` are ordered by the catalog.
- `facet.field`: organization, groups, res_format and license_id come from the index's
  facets (restricted to the selected values for a field the `fq` filters on, so counts are
  over the results, as CKAN's); `tags`, a facet whose counting ran out of time, and any
  search narrowed by a catalog-only filter are counted by the catalog over the same results.

Falls back to the catalog's own package_search (its word match, no ranking) before the index
has ever been built and with `include_drafts=true` (drafts are never indexed).
Only the first MAX_PAGE x PER_PAGE_MAX ranked matches of a query are reachable.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from django.utils import timezone, translation

from sdg87.catalog.ckan import actions
from sdg87.catalog.ckan import selectors as ckan
from sdg87.catalog.ckan.actions import ActionContext
from sdg87.catalog.ckan.query import SearchParams as CkanParams
from sdg87.catalog.ckan.query import parse_search
from sdg87.catalog.models import Dataset
from sdg87.core.actors import Actor
from sdg87.search.models import SearchState
from sdg87.search.selectors import search
from sdg87.search.types import PER_PAGE_MAX, Facet, SearchOutcome, SearchParams

# CKAN field -> the index's facet
INDEX_FIELDS = {
    "organization": "organisation",
    "groups": "theme",
    "res_format": "format",
    "license_id": "licence",
}
LANGS = ("en", "fr", "es")


def index_built() -> bool:
    return SearchState.objects.filter(rebuilt_at__isnull=False).exists()


def search_params(params: CkanParams) -> SearchParams:
    """The index's side of a package_search: `q`, kind=dataset and the fields it filters on."""
    chosen = {ours: tuple(params.filters.get(field, ())) for field, ours in INDEX_FIELDS.items()}
    chosen["format"] = tuple(v.upper() for v in chosen["format"])
    return SearchParams(q=params.q, kind=("dataset",), per_page=PER_PAGE_MAX, **chosen)  # type: ignore[arg-type]


def ranked_dataset_ids(
    params: SearchParams, *, user: Actor | None, lang: str, now: datetime, facets: bool
) -> tuple[SearchOutcome, list[int]]:
    """The first page's outcome (total, facets) and every matching dataset id, best first."""
    first = search(params=replace(params, page=1), user=user, lang=lang, now=now, facets=facets)
    outcomes = [first]
    for page in range(2, first.pages + 1):
        outcomes.append(
            search(params=replace(params, page=page), user=user, lang=lang, now=now, facets=False)
        )
    ids = [int(hit.object_id) for outcome in outcomes for hit in outcome.hits]
    return first, list(dict.fromkeys(ids))


def _index_facet(
    facet: Facet, selected: list[str], limit: int | None
) -> list[tuple[str, str, int]]:
    values = [(v.value, v.label, v.count) for v in facet.values if v.count > 0]
    if selected:  # CKAN counts within the results: a filtered field shows its chosen values
        values = [v for v in values if v[0] in selected]
    values.sort(key=lambda v: (-v[2], v[0]))
    return values[:limit] if limit is not None else values


def _facets(
    params: CkanParams, outcome: SearchOutcome, ids: list[int], exact: bool
) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, Any]]]:
    """CKAN's `facets` and `search_facets`: the index's facets when `exact` (the results are
    exactly the index's matches), else (and for tags) the catalog's counts over `ids`."""
    ours = {f.name: f for f in outcome.facets}
    limit = params.facet_limit if params.facet_limit >= 0 else None
    facets: dict[str, dict[str, int]] = {}
    search_facets: dict[str, dict[str, Any]] = {}
    counted_by_catalog = []
    for name in params.facet_fields:
        facet = ours.get(INDEX_FIELDS.get(name, ""))
        if not exact or facet is None or facet.cut_short:
            counted_by_catalog.append(name)
            continue
        values = _index_facet(facet, params.filters.get(name, []), limit)
        if name == "res_format":
            values = [(value.upper(), label, n) for value, label, n in values]
        facets[name] = {value: n for value, _label, n in values}
        search_facets[name] = {
            "title": name,
            "items": [
                {"name": value, "display_name": label, "count": n} for value, label, n in values
            ],
        }
    if counted_by_catalog:
        more, more_search = ckan.ckan_facets(
            qs=Dataset.objects.filter(id__in=ids),
            params=replace(params, facet_fields=counted_by_catalog),
        )
        facets.update(more)
        search_facets.update(more_search)
    order = {name: i for i, name in enumerate(params.facet_fields)}
    return (
        dict(sorted(facets.items(), key=lambda kv: order[kv[0]])),
        dict(sorted(search_facets.items(), key=lambda kv: order[kv[0]])),
    )


def package_search(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Search datasets: q, fq, rows, start, sort, facet.field, include_private, include_drafts.

    `q` is the site search (stems in English, French and Spanish; relevance ranking);
    fq fields organization, groups, res_format and license_id filter in the search index,
    the others (tags, name, id, owner_org, spatial, frequency, freshness) and exclusions
    as the catalog does."""
    include_drafts = str(data.get("include_drafts")) == "true"
    if include_drafts or not index_built():
        return actions.catalog_package_search(ctx, data)
    params = parse_search(data)
    now = timezone.now()
    lang = translation.get_language() or "en"
    lang = lang.split("-")[0] if lang.split("-")[0] in LANGS else "en"
    # the datasets CKAN lists for the user, every fq filter and exclusion applied, in the
    # order the sort asks for (sdg87.catalog.ckan.selectors)
    listed = ckan.ckan_dataset_search(user=ctx.user, params=replace(params, q=""))
    outcome, ranked = ranked_dataset_ids(
        search_params(params),
        user=ctx.user,
        lang=lang,
        now=now,
        facets=bool(params.facet_fields),
    )
    listed_ids = list(listed.values_list("id", flat=True))
    by_score = bool(params.q) and (not params.sort or params.sort[0][0] == "score")
    if by_score:
        allowed = set(listed_ids)
        ids = [i for i in ranked if i in allowed]
    else:
        matched = set(ranked)
        ids = [i for i in listed_ids if i in matched]
    page_ids = ids[params.start : params.start + params.rows]
    datasets = listed.in_bulk(page_ids)
    # the index's facets hold when nothing but the index narrowed its matches
    exact = len(ids) == outcome.total
    facets, search_facets = (
        _facets(params, outcome, ids, exact) if params.facet_fields else ({}, {})
    )
    return {
        "count": len(ids),
        "sort": data.get("sort") or "score desc, metadata_modified desc",
        "results": [actions.package_dict(ctx, datasets[i]) for i in page_ids if i in datasets],
        "facets": facets,
        "search_facets": search_facets,
    }
