"""Citation exports: /<lang>/library/<slug>/cite.bib (BibTeX), cite-biblatex.bib (BibLaTeX),
cite.ris (RIS), cite.json (CSL-JSON); the same under /<lang>/datasets/<slug>/.

Included once inside config/urls.py's i18n_patterns, before Wagtail's catch-all:
`path("", include("sdg87.library.cite_urls"))` (namespace `library_cite`).
"""

from django.urls import URLPattern, URLResolver, path

from sdg87.library import cite_views

app_name = "library_cite"

# (file name in the URL, export format)
CITE_FILES = (
    ("cite.bib", "bibtex"),
    ("cite-biblatex.bib", "biblatex"),
    ("cite.ris", "ris"),
    ("cite.json", "json"),
)

urlpatterns: list[URLPattern | URLResolver] = [
    *(
        path(
            f"library/<slug:slug>/{filename}",
            cite_views.publication_cite,
            {"fmt": fmt},
            name=f"publication_{fmt}",
        )
        for filename, fmt in CITE_FILES
    ),
    *(
        path(
            f"datasets/<slug:slug>/{filename}",
            cite_views.dataset_cite,
            {"fmt": fmt},
            name=f"dataset_{fmt}",
        )
        for filename, fmt in CITE_FILES
    ),
]
