"""Translations of content (ADR 0008): the texts that come from data or from contributors —
indicator names and methodology, dataset titles, source notes, goods names — in French and
Spanish, with their origin, and the English shown (marked) where none exists yet.

- `registry`: which fields of which models, and which vocabularies, may be translated.
- `services`: `translation_set` and `translation_clear` (permission first, audited).
- `selectors`: `translated` and `term_translated` (what a page shows, with fallback).
- `parsers`: the pure reader of the versioned CSV files in data/translations/.
- templatetags `translated`: `{% translated obj "field" %}` and friends for templates.
"""
