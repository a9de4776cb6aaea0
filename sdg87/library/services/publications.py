"""A publication's metadata, creators and relations: create, edit; the row lock of every change.

Title and abstract are plain text (the templates escape them; no HTML is kept or rendered).
Every save runs `full_clean()`, and every problem of an edit (fields, creators, themes,
countries) is reported at once in one ValidationError keyed by field.

An edit of a record under review or published puts its working copy back to draft, as a new
file does for a dataset (sdg87.catalog.services.distributions): the change needs a new review,
and the next publication writes the version that records it. A live record stays live
meanwhile (contributors cannot edit a live record; its publisher's editors can).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sdg87.catalog.models import AuditAction, Status, Theme, Visibility
from sdg87.core.actors import Actor, signed_in_user
from sdg87.core.textsafe import bad_reason
from sdg87.geo.models import Geography
from sdg87.library import permissions
from sdg87.library.models import Creator, Publication
from sdg87.library.services.audit import publication_audit_write
from sdg87.orgs.models import Organisation

# Fields a contributor or editor may change (`verified` only by the publisher's editors).
EDITABLE_FIELDS = (
    "title",
    "resource_type",
    "abstract",
    "publisher_name",
    "container_title",
    "issued",
    "year",
    "language",
    "work",
    "doi",
    "isbns",
    "handle",
    "url",
    "licence",
    "sdg_targets",
    "visibility",
    "publish_at",
    "embargo_until",
    "verified",  # last: the admin's panels list the others (wagtail_hooks.py)
)
PLAIN_TEXT_FIELDS = ("title", "abstract", "publisher_name", "container_title", "handle")
# States whose working copy goes back to draft when it changes.
REVIEWED_STATES = frozenset({Status.SUBMITTED, Status.APPROVED, Status.PUBLISHED})
_DOI_PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:")
_ISBN_RE = re.compile(r"^(\d{9}[\dX]|\d{13})$")


def publication_lock(pub: Publication) -> Publication:
    """The publication re-read with its row locked, inside the caller's transaction."""
    return Publication.objects.select_for_update().get(pk=pub.pk)


def doi_normalise(text: str) -> str:
    """A DOI without its resolver or `doi:` prefix (as people paste it), trimmed."""
    text = text.strip()
    for prefix in _DOI_PREFIXES:
        if text.lower().startswith(prefix):
            return text[len(prefix) :].strip()
    return text


def orcid_checksum_ok(orcid: str) -> bool:
    """The ISO 7064 MOD 11-2 check character of an ORCID iD `0000-0002-1825-0097`."""
    digits = orcid.replace("-", "")
    if len(digits) != 16 or not digits[:15].isdigit():
        return False
    total = 0
    for ch in digits[:15]:
        total = (total + int(ch)) * 2
    check = (12 - total % 11) % 11
    return digits[15] == ("X" if check == 10 else str(check))


def isbn_normalise(text: str) -> str:
    return text.replace("-", "").replace(" ", "").upper()


def _isbn_ok(isbn: str) -> bool:
    if not _ISBN_RE.match(isbn):
        return False
    if len(isbn) == 10:
        total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(isbn))
        return total % 11 == 0
    total = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(isbn))
    return total % 10 == 0


def _unique_slug(base: str) -> str:
    base = (slugify(base) or "publication")[:90].strip("-") or "publication"
    if base.isdigit():
        base = f"p-{base}"
    slug, n = base, 2
    while Publication.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def _add(errors: dict[str, list[str]], name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def _check_fields(pub: Publication, errors: dict[str, list[str]]) -> None:
    """Plain text, the identifiers and the model's own validation, into `errors`."""
    for name in PLAIN_TEXT_FIELDS:
        value = getattr(pub, name)
        if value and bad_reason(value):
            _add(errors, name, _("This text holds a character that cannot be stored."))
        setattr(pub, name, value.strip() if name != "abstract" else value)
    pub.doi = doi_normalise(pub.doi)
    isbns = [isbn_normalise(str(i)) for i in (pub.isbns or []) if str(i).strip()]
    bad = [i for i in isbns if not _isbn_ok(i)]
    if bad:
        _add(errors, "isbns", _("Not a valid ISBN: %(isbns)s") % {"isbns": ", ".join(bad)})
    pub.isbns = isbns
    if pub.issued is not None and pub.year is None:
        pub.year = pub.issued.year
    if pub.issued is not None and pub.year is not None and pub.issued.year != pub.year:
        _add(errors, "year", _("The year is not the year of the date of publication."))
    targets = pub.sdg_targets or []
    if not isinstance(targets, list) or not all(
        isinstance(t, str) and re.fullmatch(r"\d{1,2}\.[0-9a-z]{1,2}", t) for t in targets
    ):
        _add(errors, "sdg_targets", _('SDG targets are written like "8.7" or "16.2".'))
    try:
        pub.full_clean(exclude=["slug"] if not pub.slug else None)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)


def _creators_check(creators: Sequence[Mapping[str, str]], errors: dict[str, list[str]]) -> None:
    for number, spec in enumerate(creators, start=1):
        family, name = spec.get("family", "").strip(), spec.get("name", "").strip()
        orcid = spec.get("orcid", "").strip().upper()
        if not family and not name:
            _add(errors, "creators", _("Author %(n)s has no name.") % {"n": number})
        if orcid and not (
            re.fullmatch(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]", orcid) and orcid_checksum_ok(orcid)
        ):
            _add(
                errors,
                "creators",
                _("Author %(n)s: %(orcid)s is not a valid ORCID iD.")
                % {"n": number, "orcid": orcid},
            )
        if orcid and name and not family:
            _add(errors, "creators", _("An ORCID iD belongs to a person, not an organisation."))


def _creators_set(pub: Publication, creators: Sequence[Mapping[str, str]]) -> None:
    pub.creators.all().delete()
    for position, spec in enumerate(creators):
        creator = Creator(
            publication=pub,
            position=position,
            family=spec.get("family", "").strip(),
            given=spec.get("given", "").strip(),
            name=spec.get("name", "").strip() if not spec.get("family", "").strip() else "",
            orcid=spec.get("orcid", "").strip().upper(),
        )
        creator.full_clean()
        creator.save()


def _creator_values(pub: Publication) -> list[tuple[str, str, str, str]]:
    return list(pub.creators.order_by("position").values_list("family", "given", "name", "orcid"))


def _relations_resolve(
    themes: Sequence[str] | None,
    geographies: Sequence[str] | None,
    errors: dict[str, list[str]],
) -> tuple[list[Theme] | None, list[Geography] | None]:
    found_themes = found_places = None
    if themes is not None:
        found_themes = list(Theme.objects.filter(code__in=list(themes)))
        unknown = sorted(set(themes) - {t.code for t in found_themes})
        if unknown:
            _add(errors, "themes", _("Unknown themes: %(codes)s") % {"codes": ", ".join(unknown)})
    if geographies is not None:
        codes = [c.strip().upper() for c in geographies if c.strip()]
        found_places = list(Geography.objects.filter(iso3__in=codes)) + list(
            Geography.objects.filter(code__in=codes).exclude(iso3__in=codes)
        )
        known = {g.code for g in found_places} | {g.iso3 for g in found_places if g.iso3}
        unknown = [c for c in codes if c not in known]
        if unknown:
            _add(
                errors,
                "geographies",
                _("Unknown geography codes: %(codes)s") % {"codes": ", ".join(unknown)},
            )
    return found_themes, found_places


@transaction.atomic
def publication_create(
    *,
    actor: Actor,
    publisher: Organisation,
    title: str,
    resource_type: str,
    abstract: str = "",
    slug: str = "",
    language: str = "en",
    issued: Any = None,
    year: int | None = None,
    publisher_name: str = "",
    container_title: str = "",
    doi: str = "",
    isbns: Sequence[str] = (),
    handle: str = "",
    url: str = "",
    licence: str = "",
    sdg_targets: Sequence[str] = (),
    visibility: str = Visibility.PUBLIC,
    publish_at: datetime | None = None,
    embargo_until: datetime | None = None,
    work: str = "",
    creators: Sequence[Mapping[str, str]] = (),
    themes: Sequence[str] = (),
    geographies: Sequence[str] = (),
) -> Publication:
    """A new draft publication of `publisher`. Its contributors, editors and admins may
    create; `creators` are dicts with `family`, `given`, `orcid` (a person) or `name` (an
    organisation), in order."""
    if not permissions.can_create_publication(actor, publisher.pk):
        raise PermissionDenied(_("You cannot add publications for this organisation."))
    pub = Publication(
        slug=slug or _unique_slug(title),
        title=title,
        abstract=abstract,
        resource_type=resource_type,
        publisher=publisher,
        publisher_name=publisher_name or publisher.name,
        container_title=container_title,
        issued=issued,
        year=year,
        language=language,
        work=work,
        doi=doi,
        isbns=list(isbns),
        handle=handle,
        url=url,
        licence=licence,
        sdg_targets=list(sdg_targets),
        visibility=visibility,
        publish_at=publish_at,
        embargo_until=embargo_until,
        status=Status.DRAFT,
        live=False,
        verified=True,  # described by its own publisher; editors review it before publication
        created_by=signed_in_user(actor),
    )
    errors: dict[str, list[str]] = {}
    _check_fields(pub, errors)
    _creators_check(creators, errors)
    found_themes, found_places = _relations_resolve(themes, geographies, errors)
    if errors:
        raise ValidationError(errors)
    pub.save()
    _creators_set(pub, creators)
    pub.themes.set(found_themes or [])
    pub.geographies.set(found_places or [])
    publication_audit_write(publication=pub, action=AuditAction.CREATE, actor=actor)
    return pub


@transaction.atomic
def publication_update(
    *,
    actor: Actor,
    publication: Publication,
    data: Mapping[str, Any],
    creators: Sequence[Mapping[str, str]] | None = None,
    themes: Sequence[str] | None = None,
    geographies: Sequence[str] | None = None,
) -> Publication:
    """Change fields (names in EDITABLE_FIELDS) and, when given, the creators, themes and
    countries. The audit entry names what changed; a change to a record under review or
    published puts it back to draft (see the module docstring). `publication` may be a stale
    or form-mutated object: the row is re-read and locked."""
    pub = publication_lock(publication)
    if not permissions.can_edit_publication(actor, pub):
        raise PermissionDenied(_("You cannot edit this publication."))
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    changed = []
    for name, value in data.items():
        if name in ("isbns", "sdg_targets"):
            value = list(value)
        if getattr(pub, name) != value:
            changed.append(name)
            setattr(pub, name, value)
    if "verified" in changed and not permissions.can_verify_publication(actor, pub):
        raise PermissionDenied(_("Only an editor of the publisher can mark a record verified."))
    errors: dict[str, list[str]] = {}
    _check_fields(pub, errors)
    if creators is not None:
        _creators_check(creators, errors)
    found_themes, found_places = _relations_resolve(themes, geographies, errors)
    if errors:
        raise ValidationError(errors)
    if creators is not None:
        before = _creator_values(pub)
        _creators_set(pub, creators)
        if _creator_values(pub) != before:
            changed.append("creators")
    if found_themes is not None:
        before_codes = set(pub.themes.values_list("code", flat=True))
        pub.themes.set(found_themes)
        if {t.code for t in found_themes} != before_codes:
            changed.append("themes")
    if found_places is not None:
        before_ids = set(pub.geographies.values_list("pk", flat=True))
        pub.geographies.set(found_places)
        if {g.pk for g in found_places} != before_ids:
            changed.append("geographies")
    before_status = pub.status
    if changed and pub.status in REVIEWED_STATES:
        pub.status = Status.DRAFT
    pub.full_clean()
    pub.save()
    if changed:
        publication_audit_write(
            publication=pub,
            action=AuditAction.EDIT,
            actor=actor,
            from_status=before_status,
            message=", ".join(changed),
        )
    return pub
