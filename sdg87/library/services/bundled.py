"""The bundled library records (data/library/), written by sdg87.library.loaders.

A verified row is a published record (system action: no actor, one version); an unverified
row is a draft with `verified=False`, which the review workflow never publishes. A reload
rewrites each bundled record from its row (the files are checksummed, so this happens only
when the table changes) and never touches a record that is not bundled.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from sdg87.catalog.models import Status, Theme, Visibility
from sdg87.geo.models import Geography
from sdg87.library.ingest import CodingSpec, RecordSpec
from sdg87.library.models import Creator, EvidenceCoding, Publication, PublicationVersion
from sdg87.library.snapshots import publication_snapshot
from sdg87.orgs.models import Organisation

# Publisher names as printed, matched in order: the first organisation named is the publisher.
PUBLISHER_PATTERNS: tuple[tuple[str, str], ...] = (
    ("International Labour Organization", "ilo"),
    ("International Labour Office", "ilo"),
    ("(ILO)", "ilo"),
    ("United Nations Children's Fund", "unicef"),
    ("UNICEF", "unicef"),
    ("International Organization for Migration", "iom"),
    ("UNODC", "unodc"),
    ("Office on Drugs and Crime", "unodc"),
    ("High Commissioner for Human Rights", "ohchr"),
    ("Walk Free", "walk-free"),
    ("Department of Labor", "usdol-ilab"),
    ("Department of State", "us-department-of-state"),
    ("Freedom Fund", "freedom-fund"),
    ("International Cocoa Initiative", "ici"),
    ("Rights Lab", "rights-lab"),
    ("Modern Slavery and Human Rights Policy and Evidence Centre", "modern-slavery-pec"),
    ("World Bank", "world-bank"),
    ("Anti-Slavery International", "anti-slavery-international"),
    ("Inter-Agency Coordination Group against Trafficking", "icat"),
)


def publisher_for(printed: str, organisations: dict[str, Organisation]) -> Organisation | None:
    """The organisation first named in `printed` (None when it is not one of ours)."""
    hits = [
        (printed.find(fragment), slug)
        for fragment, slug in PUBLISHER_PATTERNS
        if fragment in printed and slug in organisations
    ]
    return organisations[min(hits)[1]] if hits else None


@transaction.atomic
def publications_upsert_bundled(
    *, specs: Iterable[RecordSpec], codings_of_existing: dict[str, CodingSpec] | None = None
) -> int:
    """Write the bundled records (system action); returns how many were written."""
    organisations = {o.slug: o for o in Organisation.objects.all()}
    themes = {t.code: t for t in Theme.objects.all()}
    places = {g.iso3: g for g in Geography.objects.exclude(iso3=None)}
    now = timezone.now()
    written = 0
    for spec in specs:
        pub = Publication.objects.filter(slug=spec.slug).first() or Publication(slug=spec.slug)
        if pub.pk and not pub.is_bundled:
            continue  # a contributor's record with the same slug is never overwritten
        for name in (
            "title",
            "resource_type",
            "verified",
            "year",
            "issued",
            "publisher_name",
            "container_title",
            "language",
            "work",
            "abstract",
            "doi",
            "isbns",
            "handle",
            "url",
            "copy_url",
            "notes",
            "source_urls",
        ):
            setattr(pub, name, getattr(spec, name))
        pub.publisher = publisher_for(spec.publisher_name, organisations)
        pub.visibility = Visibility.PUBLIC
        pub.is_bundled = True
        pub.status = Status.PUBLISHED if spec.verified else Status.DRAFT
        pub.live = spec.verified
        if spec.verified:
            pub.first_published_at = pub.first_published_at or now
            pub.last_published_at = pub.last_published_at or now
        else:
            pub.first_published_at = pub.last_published_at = None
        pub.full_clean(exclude=["doi"] if not spec.doi else None)
        # A record created now has no creators, codings or versions to replace: three
        # queries and two deletion collectors fewer per record on a first load.
        is_new = pub.pk is None
        pub.save()
        theme_rows = [themes[t] for t in spec.themes if t in themes]
        place_rows = [places[c] for c in spec.countries if c in places]
        if is_new:  # no links yet: add them without first reading the existing ones
            pub.themes.add(*theme_rows)
            pub.geographies.add(*place_rows)
        else:
            pub.themes.set(theme_rows)
            pub.geographies.set(place_rows)
        if not is_new:
            pub.creators.all().delete()
        Creator.objects.bulk_create(
            Creator(publication=pub, position=i, family=c.family, given=c.given, name=c.name)
            for i, c in enumerate(spec.creators)
        )
        _codings_set(pub, spec.codings, replace=not is_new)
        if spec.verified and (is_new or not pub.versions.exists()):
            PublicationVersion.objects.create(
                publication=pub,
                number=1,
                note="Bundled record (data/library/)",
                metadata=publication_snapshot(pub),
            )
        written += 1
    for slug, coding in (codings_of_existing or {}).items():
        existing = Publication.objects.filter(slug=slug, is_bundled=True).first()
        if existing is not None:
            _codings_set(existing, [coding])
    return written


def _codings_set(pub: Publication, codings: list[CodingSpec], *, replace: bool = True) -> None:
    if replace:
        pub.evidence.all().delete()
    EvidenceCoding.objects.bulk_create(
        EvidenceCoding(
            publication=pub,
            intervention=c.intervention,
            outcome=c.outcome,
            design=c.design,
            direction=c.direction,
            finding_quote=c.finding_quote,
        )
        for c in codings
    )
