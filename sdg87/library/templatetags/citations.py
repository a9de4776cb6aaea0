"""Template tags for citations: `{% cite_block record %}` (APA, Chicago and Harvard in the
page's language, with the export links), `{% citation_meta record %}` (Highwire
`citation_*` meta tags) and `{% jsonld record_or_dict %}` (schema.org JSON-LD in a data
block). `record` is a `CitationRecord` (see sdg87.library.citations.records)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sdg87.library.citations.jsonld import record_jsonld, script_json
from sdg87.library.citations.meta import highwire_tags
from sdg87.library.citations.record import CitationRecord
from sdg87.library.citations.styles import format_all

register = template.Library()

# (export format, link text, file format named for screen readers and tooltips)
EXPORT_LINKS = (
    ("bibtex", "BibTeX", "application/x-bibtex"),
    ("biblatex", "BibLaTeX", "application/x-bibtex"),
    ("ris", "RIS", "application/x-research-info-systems"),
    ("json", "CSL-JSON", "application/vnd.citationstyles.csl+json"),
)


def export_links(record: CitationRecord) -> list[dict[str, str]]:
    """The record's download links; none when it has no slug or the export URLs are not
    installed."""
    if not record.slug or record.kind not in ("publication", "dataset"):
        return []
    links = []
    for fmt, label, media_type in EXPORT_LINKS:
        try:
            url = reverse(f"library_cite:{record.kind}_{fmt}", kwargs={"slug": record.slug})
        except NoReverseMatch:
            return []
        links.append({"url": url, "label": label, "type": media_type})
    return links


@register.inclusion_tag("library/includes/cite_block.html")
def cite_block(record: CitationRecord, heading_level: int = 2) -> dict[str, Any]:
    language = (get_language() or "en").split("-")[0]
    return {
        "record": record,
        "entries": [
            {"label": s.label, "code": s.code, "html": h} for s, h in format_all(record, language)
        ],
        "links": export_links(record),
        "heading_tag": f"h{heading_level}",
        "heading_id": f"cite-{record.kind}-{record.slug or 'record'}",
        "title": _("Cite this"),
    }


@register.simple_tag
def citation_meta(record: CitationRecord) -> SafeString:
    return format_html_join("\n", '<meta name="{}" content="{}">', highwire_tags(record))


@register.simple_tag(takes_context=True)
def jsonld(context: template.Context, data: CitationRecord | Mapping[str, Any]) -> SafeString:
    payload = record_jsonld(data) if isinstance(data, CitationRecord) else data
    nonce = context.get("csp_nonce", "")
    if nonce:
        return format_html(
            '<script type="application/ld+json" nonce="{}">{}</script>',
            nonce,
            script_json(payload),
        )
    return format_html('<script type="application/ld+json">{}</script>', script_json(payload))


@register.simple_tag(takes_context=True)
def dataset_citation(context: template.Context, dataset: Any) -> CitationRecord:
    """`{% dataset_citation dataset as record %}`: a dataset page's citation record (the
    catalog's pages use the library's citation formats through templates only, so that the
    catalog app does not import the library, which imports the catalog)."""
    from sdg87.library.citations.records import record_for_dataset

    return record_for_dataset(dataset, request=context.get("request"))
