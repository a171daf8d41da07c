"""Public notices' pages: the list (officials of the area; villagers their village's), a
notice with its objections, raising an objection, answering one, withdrawing a notice."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from hemei.accounts.policy import allowed, allows, get_or_404, holds_any, restrict
from hemei.accounts.roles import VILLAGE_READ_ROLES
from hemei.core.downloads import download
from hemei.core.forms import apply_errors
from hemei.core.lists import paginate, wants_export, xlsx_response

from . import registry, selectors, services
from .choices import NoticeState, ObjectionState
from .forms import AnswerForm, ObjectionForm, WithdrawForm
from .models import Notice, NoticeFile, NoticeObjection


def _area(request: HttpRequest) -> str:
    area = (request.GET.get("area") or "").strip()
    return area if area.isascii() and area.isdigit() and len(area) <= 12 else ""


@allowed(Notice)
def notice_list(request: HttpRequest) -> HttpResponse:
    q = (request.GET.get("q") or "").strip()[:100]
    state = request.GET.get("state") or ""
    kind = (request.GET.get("kind") or "").strip()[:40]
    area = _area(request)
    rows = selectors.notices(request.user, q=q, state=state, kind=kind, area=area)
    if wants_export(request):
        return xlsx_response(
            filename="notices",
            title=_("Public notices"),
            columns=selectors.export_columns(),
            queryset=rows,
        )
    page = paginate(request, rows)
    for notice in page:
        notice.status = selectors.status_text(notice)
        notice.kind_label = registry.label_of(notice.kind)
    return render(
        request,
        "notices/notice_list.html",
        {
            "page": page,
            "q": q,
            "state": state,
            "kind": kind,
            "area": area,
            "states": [("running", _("running now")), *NoticeState.choices],
            "kinds": registry.kinds(),
        },
    )


def _notice(request: HttpRequest, pk: int, action: str = "view") -> Notice:
    return get_or_404(
        request.user, action, Notice.objects.select_related("village", "posted_by"), pk=pk
    )


@allowed(Notice)
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _notice(request, pk)
    handlers = registry.for_notice(notice)
    official = holds_any(request.user, VILLAGE_READ_ROLES)
    may_run = allows(request.user, "change", notice)
    return render(
        request,
        "notices/notice_detail.html",
        {
            "notice": notice,
            "kind_label": handlers.label,
            "status": selectors.status_text(notice),
            "period": selectors.period_text(notice),
            "objections": restrict(request.user, "view", notice.objections.all()).select_related(
                "raised_by", "answered_by"
            ),
            "files": notice.files.all(),
            "subject_url": handlers.url(notice) if handlers.url and official else None,
            "can_object": notice.is_running and allows(request.user, "object", notice),
            "may_answer": may_run,
            "can_withdraw": may_run and notice.state == NoticeState.POSTED,
            "open_state": ObjectionState.OPEN,
        },
    )


def _form_page(
    request: HttpRequest, notice: Notice, form: Any, heading: str, button: str, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "notices/notice_form.html",
        {"notice": notice, "form": form, "heading": heading, "button": button, **extra},
        status=400 if request.method == "POST" else 200,
    )


@allowed(Notice, "object")
def objection_create(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _notice(request, pk, "object")
    if not notice.is_running:
        messages.error(request, _("The notice is not running (any more)."))
        return redirect("notices:notice_detail", pk=notice.pk)
    form = ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.raise_objection(
                actor=request.user, notice=notice, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your objection is on record; the village will answer it."))
            return redirect("notices:notice_detail", pk=notice.pk)
    return _form_page(request, notice, form, _("Raise an objection"), _("Send the objection"))


@allowed(NoticeObjection, "change")
def objection_answer(request: HttpRequest, pk: int) -> HttpResponse:
    objection = get_or_404(
        request.user,
        "change",
        NoticeObjection.objects.select_related("notice", "notice__village", "raised_by"),
        pk=pk,
    )
    notice = objection.notice
    if objection.state != ObjectionState.OPEN:
        messages.error(request, _("The objection is answered already."))
        return redirect("notices:notice_detail", pk=notice.pk)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_objection(
                actor=request.user,
                objection=objection,
                upheld=form.cleaned_data["decision"] == "upheld",
                answer=form.cleaned_data["answer"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The objection is answered."))
            return redirect("notices:notice_detail", pk=notice.pk)
    return _form_page(
        request,
        notice,
        form,
        _("Answer an objection"),
        _("Send the answer to the objection"),
        objection=objection,
    )


@allowed(Notice, "change")
def notice_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _notice(request, pk, "change")
    if notice.state != NoticeState.POSTED:
        messages.error(request, _("The notice is not running (any more)."))
        return redirect("notices:notice_detail", pk=notice.pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_notice(
                actor=request.user, notice=notice, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The notice is withdrawn."))
            return redirect("notices:notice_detail", pk=notice.pk)
    return _form_page(request, notice, form, _("Withdraw the notice"), _("Withdraw"))


@allowed(Notice)
def notice_file(request: HttpRequest, pk: int, file_pk: int) -> HttpResponseBase:
    notice = _notice(request, pk)
    item = get_or_404(request.user, "view", NoticeFile.objects.filter(notice=notice), pk=file_pk)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return download(handle, filename=item.name, content_type=item.content_type, inline=True)


@allowed(Notice)
def notice_docx(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The notice as a Word document for the physical board: the county's template of the
    generic 公示 kind (else the default), with the signature and seal boxes of the paper form.
    Rendered through the personal-data guard like every public document."""
    import io

    from hemei.documents import services as documents

    notice = _notice(request, pk)
    starts, ends = selectors.local(notice.starts_at), selectors.local(notice.ends_at)
    village = notice.village.name
    data = documents.render(
        "notice",
        notice.village_id,
        {
            "title": notice.title,
            "village": f"{village}{notice.group}" if notice.group else village,
            "period_from": f"{starts:%Y年%m月%d日 %H:%M}",
            "period_to": f"{ends:%Y年%m月%d日 %H:%M}",
            "body": notice.body,
            "items": [],
            "contact": _("the village committee"),
            "signer": "",
            "issuer": _("%(village)s Villagers' Committee") % {"village": village},
            "date": "",
        },
    )
    return download(
        io.BytesIO(data),
        filename=f"{notice.title}.docx",
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
