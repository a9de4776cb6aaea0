"""Writes for the data directory (the services), one module per concern:

- `datasets`: create and edit a dataset's metadata and relations; the row lock.
- `review`: the review workflow as one transition table (submit, request changes, approve,
  publish, unpublish, retract and restore statistics) run by one function.
- `publication`: what a publication writes (released files, the immutable version).
- `distributions`: uploaded files and links, data dictionaries, removal.
- `validation`: the task worker's validation of uploaded files.
- `observations`: tidy files as statistics (checked at validation, imported by the worker
  after publication) and their visibility.
- `access`: requests for the data of restricted datasets.
- `bundled`: the published datasets that describe the bundled statistics releases.
- `audit`, `notify`, `files`: the audit entry, the mail to the people concerned, local paths
  of stored files.

Callers import the module they need (`from sdg87.catalog.services import review`).
"""
