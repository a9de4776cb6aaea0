"""deleted_record_write: a row deleted from the database stays deleted for harvesters."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from sdg87.library.models import DeletedRecord, Publication
from sdg87.library.oai import selectors, services
from sdg87.library.tests.test_oai_fixtures import ORG_SET, build_world


@pytest.mark.django_db
def test_a_hard_deleted_publication_is_answered_deleted_with_its_sets():
    world = build_world()
    report = Publication.objects.get(pk=world.pubs["report"].pk)
    identifier = selectors.oai_identifier("publication", report.slug)
    record = services.deleted_record_write_for(item=report)
    report.delete()
    assert record is not None and record.identifier == identifier
    assert record.sets == sorted(["type:report", "theme:child_labour", ORG_SET, "country:XQZ"])

    got = selectors.record_get(identifier=identifier)
    assert got is not None and got.header.deleted and got.item is None
    assert got.header.datestamp == record.datestamp

    later = timezone.now() + timedelta(seconds=5)
    again = services.deleted_record_write(identifier=identifier, sets=["type:report"], now=later)
    assert DeletedRecord.objects.filter(identifier=identifier).count() == 1
    assert again.datestamp == later and again.sets == ["type:report"]


@pytest.mark.django_db
def test_never_public_rows_leave_no_deleted_record():
    world = build_world()
    assert services.deleted_record_write_for(item=world.pubs["draft"]) is None
