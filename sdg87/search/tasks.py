"""Background work of the search index (django.tasks): ids in, one service call each."""

from __future__ import annotations

from django.tasks import task

from sdg87.core.task_priority import VISIBILITY


# A refresh is what hides a withdrawn, unpublished or quarantined object from search (the
# index stores each document's visibility): it must not wait behind anyone's upload.
@task(priority=VISIBILITY)
def documents_refresh_task(kind: str, object_ids: list[str]) -> int:
    """Rebuild the documents of these objects (idempotent; a deleted object is removed)."""
    from sdg87.search.indexing import document_refresh

    return sum(document_refresh(kind=kind, object_id=str(i)) for i in object_ids)


@task()
def index_rebuild_task() -> int:
    """Rebuild the whole index beside the one being served, then switch over."""
    from sdg87.search.indexing import index_rebuild

    return sum(index_rebuild().documents.values())
