"""REST API v1: screenings (issue 13/14)."""

from ninja import Router

router = Router(tags=["screenings"])
