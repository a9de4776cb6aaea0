"""Load data/library/news_events.csv (30 dated news items, events and campaigns, all verified)
into Wagtail pages: English pages published under /en/news/ and /en/events/, with French and
Spanish wagtail-localize translations (English text until translated). Re-running updates
pages in place: each page is keyed by its slug, the row's `event_id`.

How a row becomes a page (documented in docs/howto/news-and-events.md):
- `type` event -> EventPage; news and campaign -> NewsPage of that kind;
- dates keep their precision: "2002" is the year 2002 only, "2017-06" June 2017; no day or
  time is invented, and every bundled event is an all-day event;
- `place` "online" is an event held online (no link is known);
- the source is the first `source_url` on the own web domain of an organisation in the
  directory (that organisation published it); otherwise the first link, shown as "reported by
  <host>" and never as the source;
- themes are derived from words of the title and description (the table has none).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path

from django.utils.html import escape

from sdg87.core.ingest import ParseError, read_rows, reading
from sdg87.core.loading import LoadStep
from sdg87.library.ingest import themes_in
from sdg87.library.news_services import ItemSpec, item_upsert, news_tree_ensure
from sdg87.library.pages import host_of

NEWS_EVENTS_CSV = "library/news_events.csv"
KINDS = ("event", "news", "campaign")
_ISO3 = re.compile(r"^[A-Z]{3}$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


def parse_partial_date(text: str, *, row: int, column: str) -> tuple[date, str]:
    """("2017-06", ...) -> (date(2017, 6, 1), "month"); "2002" -> (date(2002, 1, 1), "year")."""
    try:
        if re.fullmatch(r"\d{4}", text):
            return date(int(text), 1, 1), "year"
        if re.fullmatch(r"\d{4}-\d{2}", text):
            return date(int(text[:4]), int(text[5:]), 1), "month"
        return date.fromisoformat(text), "day"
    except ValueError:
        raise ParseError(
            f"not a date (YYYY, YYYY-MM or YYYY-MM-DD): {text!r}", row=row, column=column
        ) from None


def themes_of(text: str) -> list[str]:
    return sorted(themes_in(text))


def pick_source(urls: list[str], org_domains: Mapping[str, str]) -> tuple[str, str]:
    """(url, organisation slug): the first link on an organisation's own domain, else the
    first link with no organisation (a report by someone else)."""
    for url in urls:
        host = host_of(url)
        for domain, slug in org_domains.items():
            if host == domain or host.endswith("." + domain):
                return url, slug
    return (urls[0], "") if urls else ("", "")


def parse_news_events(text: str, *, org_domains: Mapping[str, str]) -> list[ItemSpec]:
    """Pure parser: verified rows of news_events.csv as ItemSpecs (English).
    `org_domains` maps web domains ("ilo.org") to organisation slugs."""
    required = ("event_id", "date", "title", "type", "description", "verification_status")
    out = []
    seen: set[str] = set()
    for number, row in read_rows(text, required=required):
        if row["verification_status"] != "verified":
            continue
        slug = row["event_id"]
        if not _SLUG.match(slug) or slug in seen:
            raise ParseError(f"not a new slug: {slug!r}", row=number, column="event_id")
        seen.add(slug)
        kind = row["type"]
        if kind not in KINDS:
            raise ParseError(
                f"{kind!r} is not one of {', '.join(KINDS)}", row=number, column="type"
            )
        start, precision = parse_partial_date(row["date"], row=number, column="date")
        end = None
        if row.get("end_date"):
            end, end_precision = parse_partial_date(row["end_date"], row=number, column="end_date")
            if end_precision != "day" or precision != "day" or end < start:
                raise ParseError(
                    "an end date needs a start date, both to the day, in order",
                    row=number,
                    column="end_date",
                )
        iso3 = row.get("country_iso3", "").strip()
        if iso3 and not _ISO3.match(iso3):
            raise ParseError(f"not an ISO3 code: {iso3!r}", row=number, column="country_iso3")
        urls = [u.strip() for u in row.get("source_url", "").split(";") if u.strip()]
        source_url, source_org = pick_source(urls, org_domains)
        place = row.get("place", "").strip()
        online = place.lower() == "online"
        description = row["description"].strip()
        common = {
            "slug": slug,
            "title": row["title"].strip(),
            "kind": kind,
            "date": start,
            "date_precision": precision,
            "end_date": end,
            "themes": themes_of(f"{row['title']} {description}"),
            "source_url": source_url,
            "source_organisation": source_org,
        }
        if kind == "event":
            spec = ItemSpec(
                **common,  # type: ignore[arg-type]
                body=f"<p>{escape(description)}</p>",
                place="" if online else place,
                online=online,
                country=iso3,
            )
        else:
            spec = ItemSpec(
                **common,  # type: ignore[arg-type]
                summary=description,
                countries=[iso3] if iso3 else [],
                organisation=source_org,  # the organisation that published the news
            )
        out.append(spec)
    return out


def organisation_domains() -> dict[str, str]:
    from sdg87.orgs.models import Organisation

    out: dict[str, str] = {}
    for slug, website in Organisation.objects.exclude(website="").values_list("slug", "website"):
        domain = host_of(website)
        if domain:
            out.setdefault(domain, slug)
    return out


def load_news_events(data_dir: Path) -> int:
    with reading(NEWS_EVENTS_CSV):
        specs = parse_news_events(
            (data_dir / NEWS_EVENTS_CSV).read_text("utf-8"), org_domains=organisation_domains()
        )
    tree = news_tree_ensure()
    for spec in specs:
        item_upsert(spec=spec, tree=tree)
    return len(specs)


STEPS = [
    LoadStep(
        key="library.news_events",
        label="Library: news and events (Wagtail pages in en/fr/es)",
        files=(NEWS_EVENTS_CSV,),
        run=load_news_events,
        depends_on=("orgs.organisations", "geo.countries"),
        version="1",
    )
]
