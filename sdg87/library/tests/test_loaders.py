"""The bundled library as loaded (data/library/): counts pinned to the tables."""

import pytest

from sdg87.library.models import EvidenceCoding, Publication
from sdg87.library.selectors import publication_public_queryset

pytestmark = pytest.mark.django_db


def test_the_bundled_library_loads_verified_rows_as_published_and_the_rest_as_drafts(
    bundled_data: None,
) -> None:
    """76 bibliography rows (74 verified) and 125 studies (104 verified; 4 of them code a
    record already in the bibliography): 197 records, 174 public, 23 unverified drafts."""
    bundled = Publication.objects.filter(is_bundled=True)
    assert bundled.count() == 197
    public = publication_public_queryset().filter(is_bundled=True)
    assert public.count() == 174
    assert not public.filter(verified=False).exists()
    assert bundled.filter(verified=False, live=False, status="draft").count() == 23
    assert EvidenceCoding.objects.filter(publication__in=public).count() == 104


def test_a_record_is_linked_to_its_publisher_and_editions(bundled_data: None) -> None:
    ge = Publication.objects.get(slug="ilo-ge-cl-2017-en")
    assert ge.publisher is not None and ge.publisher.slug == "ilo"
    assert set(Publication.objects.filter(work=ge.work).values_list("language", flat=True)) == {
        "en",
        "fr",
        "es",
    }
    study = Publication.objects.get(slug="dehoop-rosati-2014-wbro")
    assert study.doi == "10.1093/wbro/lku003"
    assert [str(c) for c in study.creators.all()] == ["de Hoop, Jacobus", "Rosati, Furio C."]
    assert study.evidence.get().direction == "reduced"
