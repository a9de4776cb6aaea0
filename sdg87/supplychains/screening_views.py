"""Pages of the sourcing-list screening: upload, progress and report, CSV and PDF, save to an
organisation, delete. Who sees what: sdg87.supplychains.screening_selectors."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sdg87.core.client_ip import client_ip
from sdg87.core.ratelimit import too_many_requests
from sdg87.orgs.models import Organisation
from sdg87.orgs.roles import user_roles
from sdg87.supplychains import matching as m
from sdg87.supplychains.models import Screening, ScreeningChannel, ScreeningRow, ScreeningStatus
from sdg87.supplychains.screening_exports import (
    REASON_LABELS,
    RULE_LABELS,
    STATUS_LABELS,
    csv_lines,
    flags_text,
    screening_pdf,
)
from sdg87.supplychains.screening_forms import ScreeningSaveForm, ScreeningUploadForm
from sdg87.supplychains.screening_parser import ScreeningFileError
from sdg87.supplychains.screening_selectors import (
    pack_path,
    screening_rows,
    screening_saved_list,
    screening_visible,
)
from sdg87.supplychains.screening_services import (
    ScreeningThrottled,
    screening_create,
    screening_delete,
    screening_save,
)

PAGE_SIZE = 100
_PRIVATE = {"Cache-Control": "private, no-store"}


def _session_key(request: HttpRequest) -> str:
    if not request.session.session_key:
        request.session.save()
    return request.session.session_key or ""


def _visible(request: HttpRequest, token: str) -> Screening:
    screening = screening_visible(
        token=token, user=request.user, session_key=request.session.session_key
    )
    if screening is None:
        raise Http404
    return screening


def _no_store(response: HttpResponseBase) -> HttpResponseBase:
    for key, value in _PRIVATE.items():
        response[key] = value
    return response


def screening_upload(request: HttpRequest) -> HttpResponseBase:
    form = ScreeningUploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            screening = screening_create(
                file=form.cleaned_data["file"],
                channel=ScreeningChannel.WEB,
                session_key=_session_key(request),
                user=request.user,
                client_ip=client_ip(request),
            )
        except ScreeningThrottled as exc:
            return too_many_requests(request, message=exc.message, retry_after=exc.retry_after)
        except ScreeningFileError as exc:
            problems = exc.problems
        else:
            return redirect("screening:detail", token=screening.token)
    saved = screening_saved_list(user=request.user)[:50] if request.user.is_authenticated else []
    return _no_store(
        render(
            request,
            "supplychains/screening_upload.html",
            {"form": form, "problems": problems, "saved": saved},
        )
    )


def _row_view(row: ScreeningRow, lang: str) -> dict[str, Any]:
    listed = row.status in (m.LISTED, m.FORMERLY_LISTED)
    return {
        "row": row,
        "status": STATUS_LABELS.get(row.status, ""),
        "good_rule": RULE_LABELS.get(row.good_rule, ""),
        "country_rule": RULE_LABELS.get(row.country_rule, ""),
        "reason": REASON_LABELS.get(row.reason, ""),
        "flags": flags_text(row) if listed else "",
        "pack": pack_path(lang=lang, good=row.good, iso3=row.iso3) if row.good and row.iso3 else "",
    }


def screening_detail(request: HttpRequest, token: str) -> HttpResponseBase:
    screening = _visible(request, token)
    lang = get_language() or "en"
    status = request.GET.get("status", "")
    if status not in STATUS_LABELS:
        status = ""
    page = None
    if screening.status == ScreeningStatus.DONE:
        paginator = Paginator(screening_rows(screening=screening, status=status), PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
    organisations = Organisation.objects.filter(id__in=list(user_roles(request.user))).order_by(
        "name"
    )
    context = {
        "screening": screening,
        "running": screening.status in (ScreeningStatus.QUEUED, ScreeningStatus.RUNNING),
        "summary": screening.summary,
        "status_counts": [
            (code, label, screening.summary.get("statuses", {}).get(code, 0))
            for code, label in STATUS_LABELS.items()
        ],
        "status": status,
        "status_label": STATUS_LABELS.get(status, ""),
        "page": page,
        "rows": [_row_view(row, lang) for row in page.object_list] if page else [],
        "save_form": ScreeningSaveForm(organisations=organisations)
        if organisations and screening.organisation_id is None
        else None,
    }
    return _no_store(render(request, "supplychains/screening_detail.html", context))


def screening_csv(request: HttpRequest, token: str) -> HttpResponseBase:
    screening = _visible(request, token)
    if screening.status != ScreeningStatus.DONE:
        raise Http404
    lang = get_language() or "en"

    def pack_url(row: ScreeningRow) -> str:
        if not (row.good and row.iso3):
            return ""
        return request.build_absolute_uri(pack_path(lang=lang, good=row.good, iso3=row.iso3))

    response = StreamingHttpResponse(
        csv_lines(screening_rows(screening=screening).iterator(chunk_size=2000), pack_url=pack_url),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="screening.csv"'
    return _no_store(response)


def screening_pdf_download(request: HttpRequest, token: str) -> HttpResponseBase:
    screening = _visible(request, token)
    if screening.status != ScreeningStatus.DONE:
        raise Http404
    content = screening_pdf(
        screening=screening,
        rows=screening_rows(screening=screening).iterator(chunk_size=2000),
        lang=get_language() or "en",
        page_url=request.build_absolute_uri(reverse("screening:detail", args=[token])),
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="screening.pdf"'
    return _no_store(response)


@require_POST
def screening_save_view(request: HttpRequest, token: str) -> HttpResponseBase:
    screening = _visible(request, token)
    organisations = Organisation.objects.filter(id__in=list(user_roles(request.user)))
    form = ScreeningSaveForm(request.POST, organisations=organisations)
    if not form.is_valid():
        messages.error(request, _("Choose one of your organisations."))
        return redirect("screening:detail", token=token)
    try:
        screening_save(
            screening=screening,
            user=request.user,
            organisation=form.cleaned_data["organisation"],
            title=form.cleaned_data["title"],
        )
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(
            request,
            _("Saved. Only members of %(org)s can see this screening.")
            % {"org": form.cleaned_data["organisation"].name},
        )
    return redirect("screening:detail", token=token)


@require_POST
def screening_delete_view(request: HttpRequest, token: str) -> HttpResponseBase:
    screening = _visible(request, token)
    screening_delete(screening=screening)
    messages.success(request, _("The screening and its rows are deleted."))
    return redirect("screening:upload")
