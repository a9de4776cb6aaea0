"""REST API v1: sourcing-list screenings (issue 13).

POST a CSV or XLSX file (multipart, field `file`) to `/screenings`: 202 with the screening's
`id` and the URL to poll. The API is anonymous, so the id is the capability: an unguessable
token (secrets.token_urlsafe(32)) that only the caller who posted the file knows. GET
`/screenings/{id}` answers 202 while the list is queued or being screened (status and
progress), then 200 with the summary and the rows (keyset-paginated by row number: follow
`next`). Screenings made through the API are never saved to an organisation and expire 24
hours after upload, like unsaved ones made on the pages.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from sdg87.api.errors import ERROR_RESPONSES, ApiError
from sdg87.api.pagination import cursor_decode, next_url
from sdg87.core.client_ip import client_ip
from sdg87.supplychains.models import Screening, ScreeningChannel, ScreeningStatus
from sdg87.supplychains.screening_parser import ScreeningFileError
from sdg87.supplychains.screening_selectors import (
    MAX_PAGE_SIZE,
    pack_path,
    screening_for_api,
    screening_rows,
)
from sdg87.supplychains.screening_services import ScreeningThrottled, screening_create

router = Router(tags=["screenings"])


class ScreeningAcceptedOut(Schema):
    id: str = Field(description="Unguessable id: keep it, it is the only key to the result")
    status: str
    poll_url: str


class ScreeningRowOut(Schema):
    row: int = Field(description="Row in the file, the header being row 1")
    good_input: str
    country_input: str
    supplier: str
    volume: float | None
    status: str = Field(description="listed, formerly_listed, not_listed or unmatched")
    reason: str = Field(description="Why unmatched: no_good, no_country, good_unknown, ...")
    good: str = Field(description="DOL good name matched")
    good_rule: str = Field(description="exact, synonym, normalised or fuzzy")
    good_score: float | None
    needs_confirmation: bool = Field(description="A fuzzy match: confirm it")
    iso3: str
    country: str
    country_rule: str = Field(description="code, name or variant")
    child_labour: bool
    forced_labour: bool
    forced_child_labour: bool
    first_edition: str
    last_edition: str
    pack_url: str


class ScreeningOut(Schema):
    id: str
    status: str = Field(description="queued, running, done or failed")
    file_name: str
    row_count: int
    processed_rows: int
    progress_percent: int
    problems: list[str] = Field(description="Why the file was refused (status failed)")
    summary: dict[str, Any]
    expires_at: str | None
    next: str | None = None
    results: list[ScreeningRowOut] = []


class ScreeningRowsQuery(Schema):
    cursor: str | None = None
    limit: int = Field(100, ge=1, le=MAX_PAGE_SIZE)


def _poll_url(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("api-v1:screening_detail", args=[token]))


# The file is read from request.FILES, and the multipart body documented here, rather than
# declared as a ninja File parameter: the API's parser checks every form value as text
# (sdg87.api.errors) and cannot take a file.
MULTIPART_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "The sourcing list, CSV (UTF-8) or XLSX",
                        }
                    },
                }
            }
        },
    }
}


@router.post(
    "/screenings",
    operation_id="sdg87_supplychains_api_screening_create",
    response={202: ScreeningAcceptedOut, **ERROR_RESPONSES},
    url_name="screening_create",
    summary="Screen a sourcing list (CSV or XLSX) against the DOL List of Goods",
    openapi_extra=MULTIPART_BODY,
)
def screening_create_api(request: HttpRequest) -> Any:
    """Upload a CSV or XLSX file (multipart field `file`) with a header row naming a good
    column and a country column (optionally supplier and volume), up to 100,000 rows and
    10 MB. Answers 202 with the id to poll; a file refused outright (type, size, header)
    answers 422 naming the problem."""
    file = request.FILES.get("file")
    if file is None:
        raise ApiError(
            status=422,
            code="missing_file",
            message=_("Send the sourcing list as the multipart field 'file'."),
            parameter="file",
        )
    try:
        screening = screening_create(
            file=file,
            channel=ScreeningChannel.API,
            session_key="",
            user=None,
            client_ip=client_ip(request),
        )
    except ScreeningThrottled as exc:
        raise ApiError(status=429, code="too_many_requests", message=exc.message) from exc
    except ScreeningFileError as exc:
        raise ApiError(
            status=422, code="invalid_file", message=" ".join(exc.problems), parameter="file"
        ) from exc
    screening.refresh_from_db(fields=["status"])
    return 202, {
        "id": screening.token,
        "status": screening.status,
        "poll_url": _poll_url(request, screening.token),
    }


def _row(request: HttpRequest, row: Any) -> dict[str, Any]:
    pack = pack_path(lang="en", good=row.good, iso3=row.iso3) if row.good and row.iso3 else ""
    return {
        "row": row.row,
        "good_input": row.good_input,
        "country_input": row.country_input,
        "supplier": row.supplier,
        "volume": row.volume,
        "status": row.status,
        "reason": row.reason,
        "good": row.good,
        "good_rule": row.good_rule,
        "good_score": row.good_score,
        "needs_confirmation": row.needs_confirmation,
        "iso3": row.iso3,
        "country": row.country_name,
        "country_rule": row.country_rule,
        "child_labour": row.child_labour,
        "forced_labour": row.forced_labour,
        "forced_child_labour": row.forced_child_labour,
        "first_edition": row.first_edition,
        "last_edition": row.last_edition,
        "pack_url": request.build_absolute_uri(pack) if pack else "",
    }


@router.get(
    "/screenings/{id}",
    operation_id="sdg87_supplychains_api_screening_detail",
    response={200: ScreeningOut, 202: ScreeningOut, **ERROR_RESPONSES},
    url_name="screening_detail",
    summary="Progress, summary and rows of a screening",
)
def screening_detail_api(
    request: HttpRequest, id: str, query: Query[ScreeningRowsQuery]
) -> JsonResponse:
    """202 while queued or running (poll again), 200 once done or failed. Rows are in file
    order, `limit` per page (at most 500); follow `next` until it is null."""
    screening: Screening | None = screening_for_api(token=id) if len(id) <= 64 else None
    if screening is None:
        raise ApiError(
            status=404,
            code="not_found",
            message=_("No such screening (it may have expired)."),
            parameter="id",
        )
    body: dict[str, Any] = {
        "id": screening.token,
        "status": screening.status,
        "file_name": screening.file_name,
        "row_count": screening.row_count,
        "processed_rows": screening.processed_rows,
        "progress_percent": screening.progress_percent,
        "problems": screening.problems,
        "summary": screening.summary,
        "expires_at": screening.expires_at.isoformat() if screening.expires_at else None,
        "next": None,
        "results": [],
    }
    if screening.status == ScreeningStatus.DONE:
        rows = screening_rows(screening=screening)
        if query.cursor:
            rows = rows.filter(row__gt=cursor_decode(query.cursor))
        page = list(rows[: query.limit + 1])
        if len(page) > query.limit:
            page = page[: query.limit]
            body["next"] = next_url(request, last_id=page[-1].row)
        body["results"] = [_row(request, row) for row in page]
    running = screening.status in (ScreeningStatus.QUEUED, ScreeningStatus.RUNNING)
    response = JsonResponse(body, status=202 if running else 200)
    response["Cache-Control"] = "private, no-store"
    return response
