"""The search index: one `SearchDocument` per searchable thing (a country, an indicator, a
dataset, a publication, a news item ...), whatever app it comes from.

A document holds what the results page shows (heading, summary, path, date), what facets
count (`SearchFacetValue` rows: kind, theme, place, organisation, language, resource type,
format, licence), who may see it (`public`, `visible_from`, `audience_org`), and its analysed
text (`title`, `body`: Snowball terms and thesaurus concepts, see sdg87.search.analysis).
modelsearch indexes `title`, `body` and `autocomplete` into its full-text tables (SQLite FTS5
or PostgreSQL tsvector); sdg87.search.engine queries them.

Documents are rebuilt from their source rows (sdg87.search.sources), never edited by hand.
A full rebuild writes a new `generation` beside the one being served and switches over when
it is complete (`SearchState`), so searches never see a half-built index.
"""

from __future__ import annotations

from django.db import models
from modelsearch import index


class ShownInLanguage:
    """What a results page shows of a document in a language: its translation's heading and
    summary when it has them, the path under that language's prefix (for SearchDocument and
    sdg87.search.documents' plain rows alike)."""

    heading: str
    summary: str
    translations: dict[str, dict[str, str]]
    path: str

    def heading_in(self, lang: str) -> str:
        return str(self.translations.get(lang, {}).get("heading") or self.heading)

    def summary_in(self, lang: str) -> str:
        return str(self.translations.get(lang, {}).get("summary") or self.summary)

    def path_in(self, lang: str) -> str:
        if self.path.startswith("/en/") and lang != "en":
            return f"/{lang}/{self.path[4:]}"
        return self.path


class SearchDocument(ShownInLanguage, index.Indexed, models.Model):
    generation = models.PositiveIntegerField(default=1)
    kind = models.CharField(max_length=16)
    object_id = models.CharField(max_length=64)
    # What the results page shows, in the document's own language; `translations` holds
    # {"fr": {"heading": ..., "summary": ...}, "es": {...}} where the source has them.
    heading = models.CharField(max_length=500)
    summary = models.TextField(blank=True)
    translations = models.JSONField(default=dict, blank=True)
    # Path under /en/ (other languages swap the prefix); absolute URLs for off-site items.
    path = models.CharField(max_length=500)
    language = models.CharField(max_length=8, blank=True)
    date = models.DateField(null=True, blank=True)  # published or last updated
    year = models.PositiveSmallIntegerField(null=True, blank=True)  # the year it is about
    meta = models.JSONField(default=list, blank=True)  # short facts shown under the title
    # Who may see it: the source's own rule, written down when the document is built.
    public = models.BooleanField(default=True)
    visible_from = models.DateTimeField(null=True, blank=True)  # scheduled publication
    audience_org = models.ForeignKey(
        "orgs.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Organisation-only documents: members of this organisation see it",
    )
    # Analysed text (terms), indexed by modelsearch.
    title = models.TextField(blank=True)
    body = models.TextField(blank=True)
    autocomplete = models.TextField(blank=True)  # folded words of the headings, for prefixes
    boost = models.FloatField(default=1.0)
    indexed_at = models.DateTimeField(auto_now=True)

    search_fields = [
        index.SearchField("title"),
        index.SearchField("body"),
        index.AutocompleteField("autocomplete"),
        index.FilterField("kind"),
        index.FilterField("generation"),
    ]
    search_auto_update = False  # sdg87.search.signals refreshes documents on commit

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["generation", "kind", "object_id"], name="search_document_unique"
            )
        ]
        indexes = [
            models.Index(fields=["kind", "object_id"], name="search_doc_source"),
            models.Index(fields=["generation", "public", "kind"], name="search_doc_served"),
            models.Index(fields=["generation", "date"], name="search_doc_date"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} {self.heading}"


class SearchFacetValue(models.Model):
    """One value of one facet of a document (a document has several places, themes ...)."""

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="facets")
    facet = models.CharField(max_length=16)
    value = models.CharField(max_length=100)

    class Meta:
        indexes = [
            models.Index(fields=["facet", "value", "document"], name="search_facet_value"),
            # covering: a search counts the values of its documents from this index alone
            models.Index(fields=["document", "facet", "value"], name="search_facet_doc_value"),
        ]

    def __str__(self) -> str:
        return f"{self.facet}={self.value}"


class SearchKey(models.Model):
    """An exact name of a document ("kenya", "kenia", "ken", "871"): a query that is exactly
    one of them gets the document as its top result card."""

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="keys")
    key = models.CharField(max_length=200)

    class Meta:
        indexes = [models.Index(fields=["key"], name="search_key")]

    def __str__(self) -> str:
        return self.key


class SearchWord(models.Model):
    """The index's vocabulary (folded title words and their document frequency) for
    "did you mean"; rebuilt with the index."""

    generation = models.PositiveIntegerField(default=1)
    word = models.CharField(max_length=64)
    frequency = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["generation", "word"], name="search_word_unique")
        ]

    def __str__(self) -> str:
        return self.word


class SearchState(models.Model):
    """One row: the generation searches read, and the one a rebuild is writing (if any)."""

    served_generation = models.PositiveIntegerField(default=1)
    building_generation = models.PositiveIntegerField(null=True, blank=True)
    thesaurus_version = models.CharField(max_length=20, blank=True)
    rebuilt_at = models.DateTimeField(null=True, blank=True)
    # changed by every rebuild and document refresh: processes keep the served index's
    # postings in memory while it stays the same (sdg87.search.postings)
    version = models.CharField(max_length=32, blank=True)

    def __str__(self) -> str:
        return f"serving {self.served_generation}"
