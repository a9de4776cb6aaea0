"""Links from an Action Group's hub to the library: a publication the group produced (an
output) or a news or event page about the group, each with the address of a source that shows
the link. The secretariat adds and removes them (sdg87.alliance.permissions); every change is
audited. Only public publications and live, public pages can be linked; the hub hides a link
again if its target stops being public (sdg87.alliance.group_selectors).

Bundled links (data/alliance87/action_group_links.csv) are corrected in that file: they are
replaced on every load, so removing one here would not last and is refused."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import Page

from sdg87.alliance import permissions
from sdg87.alliance.models import ActionGroup, GroupLink, GroupLinkKind
from sdg87.alliance.services.audit import audit_write, plain_text
from sdg87.core.actors import Actor, signed_in_user
from sdg87.library.models import Publication
from sdg87.library.selectors import publication_public_queryset

GROUP_LINK = "group_link"  # AllianceAuditEntry.subject_type


def _require(user: Actor | None) -> None:
    if not permissions.can_link_group_content(user):
        raise PermissionDenied(_("Only the Alliance 8.7 secretariat links content to groups."))


def _news_page_public(page: Page) -> bool:
    from sdg87.library.pages import EventPage, NewsPage

    specific = page.specific_class
    return (
        specific is not None
        and issubclass(specific, NewsPage | EventPage)
        and Page.objects.live().public().filter(pk=page.pk).exists()
    )


@transaction.atomic
def group_link_add(
    *,
    actor: Actor | None,
    group: ActionGroup,
    publication: Publication | None = None,
    page: Page | None = None,
    evidence_url: str,
    note: str = "",
) -> GroupLink:
    """Link one public publication (an output) or one live news or event page to `group`."""
    _require(actor)
    if (publication is None) == (page is None):
        raise ValidationError({"target": _("Choose one publication or one news or event page.")})
    if (
        publication is not None
        and not publication_public_queryset().filter(pk=publication.pk).exists()
    ):
        raise ValidationError({"target": _("Only a published library record can be linked.")})
    if page is not None and not _news_page_public(page):
        raise ValidationError({"target": _("Only a published news or event page can be linked.")})
    duplicate = GroupLink.objects.filter(group=group, publication=publication, page=page)
    if duplicate.exists():
        raise ValidationError({"target": _("This is already linked to the group.")})
    link = GroupLink(
        group=group,
        kind=GroupLinkKind.OUTPUT if publication is not None else GroupLinkKind.NEWS,
        publication=publication,
        page=page,
        evidence_url=(evidence_url or "").strip(),
        note=plain_text(note, field="note", required=False)[:500],
        added_by=signed_in_user(actor),
    )
    if not link.evidence_url.startswith(("https://", "http://")):
        raise ValidationError({"evidence_url": _("Give the web address of a source.")})
    link.full_clean()
    link.save()
    audit_write(
        subject_type=GROUP_LINK,
        subject=group,
        country_id=None,
        action="link_added",
        actor=actor,
        message=_link_label(link),
    )
    return link


@transaction.atomic
def group_link_remove(*, actor: Actor | None, link: GroupLink) -> None:
    _require(actor)
    link = GroupLink.objects.select_for_update().get(pk=link.pk)
    if link.bundled:
        raise ValidationError(
            _(
                "This link comes with the bundled data: correct "
                "data/alliance87/action_group_links.csv instead."
            )
        )
    label = _link_label(link)
    link.delete()
    audit_write(
        subject_type=GROUP_LINK,
        subject=link.group,
        country_id=None,
        action="link_removed",
        actor=actor,
        message=label,
    )


def _link_label(link: GroupLink) -> str:
    target = link.publication.slug if link.publication else link.page.slug if link.page else ""
    return f"{link.kind}: {target} ({link.evidence_url})"
