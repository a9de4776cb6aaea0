"""What a translation translates: one field of one row, or one term of a vocabulary."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from sdg87.core.translations.registry import SOURCE_LANGUAGE


@dataclass(frozen=True)
class Target:
    """`model_label` + `object_id` + `field` for a row's field; `field` (the vocabulary) +
    `term` for a term. Build with `Target.of(obj, field)` or `Target.of_term(vocabulary, term)`."""

    field: str
    model_label: str = ""
    object_id: int | None = None
    term: str = ""

    @classmethod
    def of(cls, obj: models.Model, field: str) -> Target:
        return cls(field=field, model_label=obj._meta.label_lower, object_id=obj.pk)

    @classmethod
    def of_term(cls, vocabulary: str, term: str) -> Target:
        return cls(field=vocabulary, term=term)

    @property
    def is_term(self) -> bool:
        return not self.model_label

    def content_type(self) -> ContentType:
        app_label, _dot, model = self.model_label.partition(".")
        return ContentType.objects.get_by_natural_key(app_label, model)

    def lookup(self) -> dict[str, Any]:
        """Keyword arguments that find this target's Translation rows."""
        if self.is_term:
            return {"content_type": None, "object_id": None, "field": self.field, "term": self.term}
        return {
            "content_type": self.content_type(),
            "object_id": self.object_id,
            "field": self.field,
        }

    def label(self) -> str:
        """How audit entries name the target."""
        if self.is_term:
            return f"{self.field}: {self.term}"[:300]
        return f"{self.model_label}:{self.object_id}"


def source_language(obj: Any) -> str:
    """The language the object's own texts are written in: a dataset or publication says so
    (`language`); everything else loaded or typed here is English."""
    language = getattr(obj, "language", "") or ""
    return language[:2].lower() if isinstance(language, str) and language else SOURCE_LANGUAGE
