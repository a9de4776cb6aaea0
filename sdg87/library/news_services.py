"""Writes of news and event pages. Every page is saved through Wagtail's revision API
(`save_revision()` then `publish()`), so each change has a revision, an audit log entry and
Wagtail's publish signals, exactly as if an editor had made it in the admin.

- `news_tree_ensure`: the locales of WAGTAIL_CONTENT_LANGUAGES, the home page's translations,
  and the news and events index pages (/<lang>/news/, /<lang>/events/) in every locale.
- `news_item_upsert` / `event_upsert`: one English page by slug, created or updated only when
  something changed, then its translations synced.
- `page_translations_sync`: French and Spanish pages as wagtail-localize translations of the
  English page (a TranslationSource and a Translation per locale). Segments nobody has
  translated yet fall back to the English text; translations made in wagtail-localize's
  editor are kept when the English page changes.
- `news_contribution_submit`: a member's news item or event as a draft page submitted to
  Wagtail's moderation workflow; editors approve (publish) or reject it in the admin.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import nh3
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.coreutils import find_available_slug
from wagtail.models import Locale, Page, Site
from wagtail_localize.models import Translation, TranslationSource

from sdg87.core.html import ALLOWED_ATTRIBUTES, ALLOWED_TAGS
from sdg87.library.pages import EventIndexPage, EventPage, NewsIndexPage, NewsPage


def news_locales_ensure() -> list[Locale]:
    """A Locale for every content language, the default one first."""
    locales = []
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        locale, _created = Locale.objects.get_or_create(language_code=code)
        locales.append(locale)
    return locales


def page_publish(page: Page, *, user: Any = None) -> Page:
    """Save a revision of `page` (already in the tree; full_clean runs) and publish it."""
    revision = page.save_revision(user=user, log_action=True)
    revision.publish(user=user)
    page.refresh_from_db()
    return page


def _child_create(parent: Page, page: Page, *, user: Any = None, publish: bool = True) -> Page:
    page.live = False
    page.locale = parent.locale
    page.owner = user
    if isinstance(page, EventPage):
        page.derive_dates()  # a draft is saved without full_clean()
    parent.add_child(instance=page)
    revision = page.save_revision(user=user, log_action=True)
    if publish:
        revision.publish(user=user)
        page.refresh_from_db()
    return page


def page_translations_sync(
    *, page: Page, locales: Iterable[Locale], user: Any = None
) -> list[Page]:
    """Create or refresh `page`'s translations in `locales` through wagtail-localize, and
    publish them when `page` is live. Parents must be translated first."""
    page = page.specific
    source, _created = TranslationSource.update_or_create_from_instance(page)
    out = []
    for locale in locales:
        if locale.pk == page.locale_id:
            continue
        Translation.objects.get_or_create(
            source=source, target_locale=locale, defaults={"enabled": True}
        )
        # publish=False: wagtail-localize would publish on commit; publishing here keeps the
        # page live within this transaction (and within a test's).
        translated, _created = source.create_or_update_translation(
            locale, user=user, publish=False, fallback=True, copy_parent_pages=False
        )
        if page.live:
            revision = translated.get_latest_revision()
            if revision is not None:
                revision.publish(user=user)
        out.append(Page.objects.get(pk=translated.pk).specific)
    return out


@dataclass
class NewsTree:
    news: dict[str, NewsIndexPage] = field(default_factory=dict)
    events: dict[str, EventIndexPage] = field(default_factory=dict)


def _home() -> Page:
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    return (site or _default_site()).root_page.specific


def _default_site() -> Site:
    """What Wagtail's migrations create (the default locale, the root page, a home page and
    the default site), made again where a database flush removed them (test runs)."""
    locale, _created = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=locale)
    )
    home = root.get_children().filter(locale=locale).first() or root.add_child(
        instance=Page(title=settings.WAGTAIL_SITE_NAME, slug="home", locale=locale)
    )
    return Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)


@transaction.atomic
def news_tree_ensure(*, user: Any = None) -> NewsTree:
    """The index pages in every content language (idempotent)."""
    locales = news_locales_ensure()
    default, others = locales[0], locales[1:]
    home = _home()
    if home.locale_id != default.pk:
        raise ValidationError(_("The site's home page is not in the default language."))
    missing_home = [loc for loc in others if home.get_translation_or_none(loc) is None]
    if missing_home:
        page_translations_sync(page=home, locales=missing_home, user=user)
    tree = NewsTree()
    for model, slug, title, store in (
        (NewsIndexPage, "news", "News", tree.news),
        (EventIndexPage, "events", "Events", tree.events),
    ):
        index = model.objects.child_of(home).filter(locale=default).first()
        if index is None:
            index = _child_create(home, model(title=title, slug=slug), user=user)
        missing = [loc for loc in others if index.get_translation_or_none(loc) is None]
        if missing:
            page_translations_sync(page=index, locales=missing, user=user)
        for locale in locales:
            store[locale.language_code] = index.get_translation(locale).specific
    return tree


@dataclass
class ItemSpec:
    """One English news item or event, as the loader or a form gives it."""

    slug: str
    title: str
    kind: str  # "news", "campaign" or "event"
    date: dt.date
    date_precision: str = "day"
    end_date: dt.date | None = None
    summary: str = ""
    body: str = ""  # sanitised rich text (HTML)
    place: str = ""
    online: bool = False
    online_url: str = ""
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    time_zone: str = ""
    organiser_name: str = ""
    registration_url: str = ""
    country: str = ""  # ISO3 (events)
    countries: list[str] = field(default_factory=list)  # ISO3 (news)
    themes: list[str] = field(default_factory=list)
    organisation: str = ""  # slug
    source_url: str = ""
    source_organisation: str = ""  # slug


def rich_text_clean(text: str) -> str:
    """Rich text from outside the admin (loader, site form, API clients) through the site's
    sanitiser, keeping Wagtail's internal link attributes (`linktype`, `id`). The admin's
    editor whitelists its own input."""
    return nh3.clean(
        text or "",
        tags=ALLOWED_TAGS,
        attributes={**ALLOWED_ATTRIBUTES, "a": {"href", "title", "linktype", "id"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    ).strip()


def _fields(spec: ItemSpec) -> dict[str, Any]:
    from sdg87.geo.models import Geography
    from sdg87.orgs.models import Organisation

    def org(slug: str) -> Organisation | None:
        return Organisation.objects.filter(slug=slug).first() if slug else None

    common = {
        "title": spec.title,
        "source_url": spec.source_url,
        "source_organisation": org(spec.source_organisation),
        "organisation": org(spec.organisation),
    }
    if spec.kind == "event":
        return common | {
            "start_date": spec.date,
            "end_date": spec.end_date,
            "date_precision": spec.date_precision,
            "starts_at": spec.starts_at,
            "ends_at": spec.ends_at,
            "time_zone": spec.time_zone,
            "place": spec.place,
            "online": spec.online,
            "online_url": spec.online_url,
            "organiser_name": spec.organiser_name,
            "registration_url": spec.registration_url,
            "description": rich_text_clean(spec.body),
            "country": Geography.objects.filter(iso3=spec.country).first()
            if spec.country
            else None,
        }
    return common | {
        "date": spec.date,
        "date_precision": spec.date_precision,
        "end_date": spec.end_date,
        "kind": spec.kind,
        "summary": spec.summary,
        "body": rich_text_clean(spec.body),
    }


def _m2m(spec: ItemSpec) -> dict[str, list[Any]]:
    from sdg87.catalog.models import Theme
    from sdg87.geo.models import Geography

    out: dict[str, list[Any]] = {"themes": list(Theme.objects.filter(code__in=spec.themes))}
    if spec.kind != "event":
        out["countries"] = list(Geography.objects.filter(iso3__in=spec.countries))
    return out


def _differs(page: Page, values: dict[str, Any], m2m: dict[str, list[Any]]) -> bool:
    if any(getattr(page, name) != value for name, value in values.items()):
        return True
    return any(
        {o.pk for o in getattr(page, name).all()} != {o.pk for o in objs}
        for name, objs in m2m.items()
    )


def _apply(page: Page, values: dict[str, Any], m2m: dict[str, list[Any]]) -> None:
    for name, value in values.items():
        setattr(page, name, value)
    for name, objs in m2m.items():
        getattr(page, name).set(objs)


@transaction.atomic
def item_upsert(
    *, spec: ItemSpec, tree: NewsTree | None = None, user: Any = None
) -> tuple[Page, bool]:
    """The English page of `spec` (by slug under its index), created or updated and published,
    with its translations; (page, changed). Unchanged pages get no new revision."""
    tree = tree or news_tree_ensure(user=user)
    default = settings.WAGTAIL_CONTENT_LANGUAGES[0][0]
    parent: Page
    model: type[Page]
    if spec.kind == "event":
        parent, model = tree.events[default], EventPage
    else:
        parent, model = tree.news[default], NewsPage
    values, m2m = _fields(spec), _m2m(spec)
    page = model.objects.child_of(parent).filter(slug=spec.slug).first()
    changed = True
    if page is None:
        page = model(slug=spec.slug)
        _apply(page, values, m2m)
        page = _child_create(parent, page, user=user)
    elif _differs(page, values, m2m) or not page.live:
        _apply(page, values, m2m)
        page = page_publish(page, user=user)
    else:
        changed = False
    others = [loc for loc in Locale.objects.exclude(pk=page.locale_id)]
    if changed:  # every translation is refreshed: no need to ask which ones exist
        page_translations_sync(page=page, locales=others, user=user)
        return page, changed
    missing = [loc for loc in others if page.get_translation_or_none(loc) is None]
    if missing:
        page_translations_sync(page=page, locales=missing, user=user)
    return page, changed


@transaction.atomic
def news_contribution_submit(*, user: Any, organisation: Any, spec: ItemSpec) -> Page:
    """A member's news item or event: a draft page (not live) whose first revision is
    submitted to Wagtail's moderation workflow. Editors approve or reject it in the admin;
    nothing is public before an editor publishes it."""
    from sdg87.orgs.models import Membership

    if not Membership.objects.filter(user=user, organisation=organisation).exists():
        raise PermissionDenied(_("Only members of the organisation may submit for it."))
    tree = news_tree_ensure()
    default = settings.WAGTAIL_CONTENT_LANGUAGES[0][0]
    parent: Page = tree.events[default] if spec.kind == "event" else tree.news[default]
    model: type[Page] = EventPage if spec.kind == "event" else NewsPage
    spec.slug = find_available_slug(parent, spec.slug)
    spec.organisation = organisation.slug
    page = model(slug=spec.slug)
    _apply(page, _fields(spec), _m2m(spec))
    page = _child_create(parent, page, user=user, publish=False)
    workflow = page.get_workflow()
    if workflow is None:
        raise ValidationError(_("No moderation workflow is set up for news and events."))
    workflow.start(page, user)
    return page
