"""REST API v1: vintages (issue 13/14)."""

from ninja import Router

router = Router(tags=["vintages"])
