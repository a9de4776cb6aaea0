"""CKAN-compatible Action API (`/api/3/action/<name>` and `/api/action/<name>`).

Existing CKAN clients (ckanapi, ckanr, harvesters) work unchanged: CKAN's envelope
`{"help", "success", "result" | "error": {"__type", "message"}}`, its error types and its
paging (`rows`/`start`, clients page until an empty page).
"""
