"""The data directory's fixtures (organisations, a user per role, dataset helpers)."""

from sdg87.catalog.tests.conftest import (  # noqa: F401
    _media_root,
    make_dataset,
    org,
    other_org,
    upload,
    users,
)
