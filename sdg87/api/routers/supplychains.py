"""REST API v1: supplychains (issue 13/14)."""

from ninja import Router

router = Router(tags=["supplychains"])
