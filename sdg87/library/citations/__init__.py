"""Citations of publications, datasets and evidence records (issue 10 item 5).

Pure core (no ORM): `record` (CitationRecord), writers `csl`, `bibtex` (BibTeX and
BibLaTeX), `ris`, `export` (formats, CSV, bulk export), `styles` (APA, Chicago, Harvard via
citeproc-py), `meta` (Highwire tags), `jsonld` (schema.org). ORM adapters: `records`.
See docs/howto/citations.md.
"""
