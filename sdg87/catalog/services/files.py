"""Stored files as local paths (frictionless and the row readers need a path)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from sdg87.catalog.models import Distribution


class local_copy:  # used like a function: `with local_copy(dist) as path`
    """A filesystem path for a stored file, copying it out of remote storage if needed."""

    def __init__(self, dist: Distribution) -> None:
        self.dist = dist
        self.tmp: Any = None

    def __enter__(self) -> Path:
        try:
            return Path(self.dist.file.path)
        except NotImplementedError:
            self.tmp = tempfile.NamedTemporaryFile(suffix="." + self.dist.format.lower())
            with self.dist.file.open("rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    self.tmp.write(chunk)
            self.tmp.flush()
            return Path(self.tmp.name)

    def __exit__(self, *exc: object) -> None:
        if self.tmp is not None:
            self.tmp.close()
