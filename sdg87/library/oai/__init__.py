"""OAI-PMH 2.0 repository of the library's publications and the catalog's datasets, at /oai.

protocol.py parses requests and resumption tokens (pure), selectors.py reads the records
(through the public querysets), metadata.py writes oai_dc and oai_datacite, views.py answers.
See docs/howto/oai-pmh.md."""
