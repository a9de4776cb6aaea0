"""REST API v1: packs (issue 13/14)."""

from ninja import Router

router = Router(tags=["packs"])
