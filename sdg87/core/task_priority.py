"""Priorities of the platform's background tasks (django.tasks; the database backend's worker
takes the highest priority first, then the oldest).

A fresh data load leaves a few thousand housekeeping tasks behind it (Wagtail's reference
index and the page search index, one per saved page, at the default priority 0; page warm-up
after each data change). A person who has just uploaded a file or a sourcing list must not
wait behind them, and a dataset whose embargo ends must become visible on time. So:

- VISIBILITY: what is shown or hidden on a schedule (embargo or release time reached);
- PERSON_WAITS: work a person is looking at a progress page for (validation, import,
  screening, disclosure checks);
- NOTIFY: mail;
- default (0): Wagtail's and the search index's own tasks, harvests;
- BACKGROUND: warm-up, pack refresh, clean-up of expired screenings.

A running task is not interrupted: priorities decide which task runs next.
"""

from __future__ import annotations

VISIBILITY = 30
PERSON_WAITS = 20
NOTIFY = 10
BACKGROUND = -10
