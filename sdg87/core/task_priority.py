"""Priorities of the platform's background tasks (django.tasks; the database backend's worker
takes the highest priority first, then the oldest).

A fresh data load leaves a few thousand housekeeping tasks behind it (Wagtail's reference
index and the page search index, one per saved page, at the default priority 0; page warm-up
after each data change). A person who has just uploaded a file or a sourcing list must not
wait behind them, and a dataset whose embargo ends must become visible on time. So:

- VISIBILITY: what shows or hides data: an embargo or release time reached, and the search
  index's refresh of changed objects (the index keeps each document's visibility, so a
  withdrawal or a quarantine reaches search only when that refresh runs);
- NOTIFY: mail (a password reset must not wait behind uploads);
- PERSON_WAITS: work a person is looking at a progress page for (validation, import,
  screening, disclosure checks);
- default (0): Wagtail's and the search index's own tasks, harvests;
- BACKGROUND: warm-up, pack refresh, clean-up of expired screenings.

A running task is not interrupted: priorities decide which task runs next.
"""

from __future__ import annotations

VISIBILITY = 30
NOTIFY = 25
PERSON_WAITS = 20
BACKGROUND = -10
