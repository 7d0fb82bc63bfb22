"""The handling unit's workspace (承办单位工作台) and the deputy's own pages
(我的建议): thin views that parse, check who may act, call a service and
render. Rows are read through Suggestion.objects.visible_to(user): a unit
sees only items with an active assignment of its own unit, anything else
is 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F, Prefetch
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from renda.core.forms import SERVICE_ERRORS, add_service_error, error_text, service_error_text
from renda.core.models import Role, Unit
from renda.core.permissions import DEPUTIES, UNITS, role_required
from renda.core.rules import rule_value
from renda.core.workflow import allowed_moves, note_event, timeline
from renda.suggestions import services
from renda.suggestions.forms_workspace import (
    AttachmentForm,
    ConsultationStepForm,
    CoOpinionForm,
    DraftForm,
    EvaluationForm,
    ExtensionForm,
    ReplyForm,
    ReturnForm,
    WithdrawForm,
)
from renda.suggestions.models import (
    OPEN_DEADLINE_STATES,
    Assignment,
    Attachment,
    AuthorRole,
    Authorship,
    Deadline,
    DeadlineState,
    Evaluation,
    Reply,
    Status,
    Suggestion,
    UnitRole,
)
from renda.suggestions.reply_classes import SchemeBook, label_replies
from renda.suggestions.selectors import my_items, unit_filter, unit_items
from renda.suggestions.supervision import DUE_SOON_DEFAULT_DAYS

PAGE_SIZE = 50
UNIT_FILTERS = {"all": "全部", "sign": "待签收", "handling": "办理中", "replied": "已答复"}
HANDLING = (Status.HANDLING, Status.REHANDLING, Status.COMMITTED)
# Shown amber this many days before a deadline when the office has no rule
# `suggestion.due_soon_days` of its own (the sweep applies the same rule).


def deadline_tone(deadline: Deadline, today, soon_days: int) -> str:
    """ "overdue" (red), "due_soon" (amber) or "" for an open deadline."""
    if deadline.state not in OPEN_DEADLINE_STATES:
        return ""
    if deadline.state == DeadlineState.OVERDUE or deadline.due_on < today:
        return "overdue"
    if deadline.state == DeadlineState.DUE_SOON or (deadline.due_on - today).days <= soon_days:
        return "due_soon"
    return ""


def _soon_days(region, today) -> int:
    value = rule_value("suggestion.due_soon_days", region, today, default=DUE_SOON_DEFAULT_DAYS)
    return int(value.get("value") if isinstance(value, dict) else value)


# --- the handling unit's workspace ------------------------------------------------------


def _require_unit(user) -> None:
    # A superuser passes role checks but acts for no unit.
    if not user.unit_id:
        raise PermissionDenied("您的账号未关联承办单位")


def _unit(user) -> Unit:
    _require_unit(user)
    return Unit.objects.select_related("region").get(pk=user.unit_id)


def _unit_item(user, pk) -> Suggestion:
    _require_unit(user)
    return get_object_or_404(
        Suggestion.objects.visible_to(user).select_related(
            "region", "congress", "session__term__body", "category"
        ),
        pk=pk,
    )


def _unit_assignment(user, pk) -> Assignment:
    """One of the user's own unit's active assignments; any other is 404."""
    _require_unit(user)
    return get_object_or_404(
        Assignment.objects.select_related("suggestion", "unit"),
        pk=pk,
        unit_id=user.unit_id,
        active=True,
        suggestion__in=Suggestion.objects.visible_to(user),
    )


def _lead_assignment(user, item) -> Assignment:
    assignment = item.assignments.filter(
        unit_id=user.unit_id, role=UnitRole.LEAD, active=True
    ).first()
    if assignment is None:
        raise PermissionDenied("只有主办单位可以记录办理过程和答复")
    return assignment


@login_required
@role_required(UNITS, "只有承办单位可以使用承办工作台")
def unit_list(request):
    """The unit's items, what is due next first."""
    unit = _unit(request.user)
    today = timezone.localdate()
    show = request.GET.get("show", "all")
    show = show if show in UNIT_FILTERS else "all"
    items = unit_items(request.user, unit.pk)
    page = Paginator(unit_filter(items, show, unit.pk), PAGE_SIZE).get_page(request.GET.get("page"))
    soon_days = _soon_days(unit.region, today)
    for item in page:
        item.next_deadline = item.my_deadlines[0] if item.my_deadlines else None
        item.tone = (
            deadline_tone(item.next_deadline, today, soon_days) if item.next_deadline else ""
        )
    return render(
        request,
        "suggestions/unit_list.html",
        {"page": page, "unit": unit, "show": show, "filters": UNIT_FILTERS, "today": today},
    )


@login_required
@role_required(UNITS, "只有承办单位可以使用承办工作台")
def unit_detail(request, pk):
    unit = _unit(request.user)
    item = _unit_item(request.user, pk)
    today = timezone.localdate()
    assignments = list(item.assignments.filter(active=True).select_related("unit"))
    mine = [a for a in assignments if a.unit_id == unit.pk]
    lead = next((a for a in mine if a.role == UnitRole.LEAD), None)
    co = next((a for a in mine if a.role == UnitRole.CO), None)
    soon_days = _soon_days(unit.region, today)
    deadlines = list(
        item.deadlines.filter(assignment__unit_id=unit.pk, assignment__active=True)
        .select_related("rule")
        .order_by("due_on")
    )
    for deadline in deadlines:
        deadline.tone = deadline_tone(deadline, today, soon_days)
        deadline.is_open = deadline.state in OPEN_DEADLINE_STATES
    return render(
        request,
        "suggestions/unit_detail.html",
        {
            "item": item,
            "unit": unit,
            # Deputies are shown by name and the phone they chose to publish only.
            "authorships": item.authorships.select_related("person").only(
                "role", "suggestion_id", "person__name", "person__public_phone"
            ),
            "assignments": assignments,
            "lead": lead,
            "co": co,
            "deadlines": deadlines,
            "consultations": item.consultations.all(),
            "replies": label_replies(item.replies.select_related("unit"), region=item.region),
            "attachments": item.attachments.all(),
            "timeline": timeline(item),
            "can_consult": lead is not None and lead.signed_at and item.status in HANDLING,
            "can_reply": lead is not None
            and lead.signed_at
            and Status.REPLIED in allowed_moves(item),
            "attach_form": AttachmentForm(),
        },
    )


def _action_page(request, form, item, *, title, intro="", extra=None):
    return render(
        request,
        "suggestions/unit_action_form.html",
        {"form": form, "item": item, "title": title, "intro": intro, **(extra or {})},
    )


@login_required
@role_required(UNITS, "只有承办单位可以签收")
@require_POST
def unit_sign(request, pk):
    assignment = _unit_assignment(request.user, pk)
    try:
        services.assignment_sign(assignment=assignment, actor=request.user)
    except SERVICE_ERRORS as error:
        messages.error(request, service_error_text(error))
    else:
        messages.success(request, f"已签收：{assignment.suggestion.title}")
    return redirect("suggestions:unit_detail", pk=assignment.suggestion_id)


@login_required
@role_required(UNITS, "只有承办单位可以退回交办")
def unit_return(request, pk):
    assignment = _unit_assignment(request.user, pk)
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_return(
                assignment=assignment, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except SERVICE_ERRORS as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"已退回：{assignment.suggestion.title}")
            return redirect("suggestions:unit_list")
    window = assignment.deadlines.filter(kind="return").select_related("rule").first()
    intro = (
        f"交办有误的，应在 {window.due_on:%Y年%m月%d日} 前退回（{window.explanation}"
        + (f"；依据：{window.rule.source}" if window.rule else "")
        + "）"
        if window
        else ""
    )
    return _action_page(request, form, assignment.suggestion, title="退回交办", intro=intro)


@login_required
@role_required(UNITS, "只有承办单位可以记录办理过程")
def unit_consult(request, pk):
    item = _unit_item(request.user, pk)
    lead = _lead_assignment(request.user, item)
    form = ConsultationStepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.consultation_record(
                suggestion=item,
                unit=lead.unit,
                actor=request.user,
                step=data["step"],
                held_on=data["held_on"],
                form=data["way"],
                content=data["content"],
                deputy_view=data["deputy_view"],
            )
        except SERVICE_ERRORS as error:
            add_service_error(form, error)
        else:
            messages.success(request, "已记录办理过程")
            return redirect("suggestions:unit_detail", pk=item.pk)
    return _action_page(
        request,
        form,
        item,
        title="记录办理过程",
        intro="三步工作法：分析研究、拟定方案；与代表面商；跟踪办理进展。",
    )


@login_required
@role_required(UNITS, "只有承办单位可以答复")
def unit_reply(request, pk):
    item = _unit_item(request.user, pk)
    lead = _lead_assignment(request.user, item)
    form = ReplyForm(
        request.POST or None, initial={"signed_by": lead.unit.head}, region=item.region
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.reply_submit(
                suggestion=item, unit=lead.unit, actor=request.user, **form.cleaned_data
            )
        except SERVICE_ERRORS as error:
            add_service_error(form, error)
        else:
            messages.success(request, "已提交答复，等待代表评价")
            return redirect("suggestions:unit_detail", pk=item.pk)
    return _action_page(
        request,
        form,
        item,
        title="答复代表",
        intro=form.intro(),
    )


@login_required
@role_required(UNITS, "只有承办单位可以提交协办意见")
def unit_co_opinion(request, pk):
    assignment = _unit_assignment(request.user, pk)
    form = CoOpinionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.co_opinion_submit(
                assignment=assignment, actor=request.user, opinion=form.cleaned_data["opinion"]
            )
        except SERVICE_ERRORS as error:
            add_service_error(form, error)
        else:
            messages.success(request, "已提交协办意见")
            return redirect("suggestions:unit_detail", pk=assignment.suggestion_id)
    return _action_page(
        request, form, assignment.suggestion, title="提交协办意见", intro="协办意见提交给主办单位。"
    )


@login_required
@role_required(UNITS, "只有承办单位可以申请延期")
def unit_extension(request, pk):
    _require_unit(request.user)
    deadline = get_object_or_404(
        Deadline.objects.select_related("suggestion", "assignment__unit", "rule"),
        pk=pk,
        assignment__unit_id=request.user.unit_id,
        assignment__active=True,
        suggestion__in=Suggestion.objects.visible_to(request.user),
    )
    form = ExtensionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.extension_request(
                deadline=deadline,
                unit=deadline.assignment.unit,
                actor=request.user,
                **form.cleaned_data,
            )
        except SERVICE_ERRORS as error:
            add_service_error(form, error)
        else:
            messages.success(request, "已提交延期申请，等待人大工作机构审批")
            return redirect("suggestions:unit_detail", pk=deadline.suggestion_id)
    return _action_page(
        request,
        form,
        deadline.suggestion,
        title=f"申请延长{deadline.get_kind_display()}",
        intro=f"现截止日期 {deadline.due_on:%Y年%m月%d日}（{deadline.explanation}）。延期须经批准。",
    )


@login_required
@role_required(UNITS, "只有承办单位可以上传附件")
@require_POST
def unit_attach(request, pk):
    item = _unit_item(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        _attachment_add(suggestion=item, upload=form.cleaned_data["file"], actor=request.user)
        messages.success(request, "已上传附件")
    else:
        messages.error(request, error_text(form))
    return redirect("suggestions:unit_detail", pk=item.pk)


@login_required
@role_required(UNITS | DEPUTIES)
def attachment_download(request, pk):
    """An attachment, to the unit handling the item or to its authors."""
    attachment = get_object_or_404(Attachment.objects.select_related("suggestion"), pk=pk)
    items = Suggestion.objects.visible_to(request.user)
    if request.user.role == Role.DEPUTY or request.user.is_superuser:
        items = items.filter(authorships__person=_person(request.user))
    get_object_or_404(items, pk=attachment.suggestion_id)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


# --- the deputy's own pages ------------------------------------------------------------------


def _person(user):
    person = getattr(user, "deputy", None)
    if person is None:
        raise PermissionDenied("您的账号未关联代表信息，请联系人大工作人员")
    return person


def _my_item(user, person, pk) -> Suggestion:
    return get_object_or_404(
        my_items(user, person).select_related(
            "region", "congress", "session__term__body", "category", "merged_into"
        ),
        pk=pk,
    )


def _is_lead(item, person) -> bool:
    return item.authorships.filter(person=person, role=AuthorRole.LEAD).exists()


def _replies_with_mine(person):
    return Reply.objects.select_related("unit").prefetch_related(
        Prefetch("evaluations", queryset=Evaluation.objects.filter(person=person), to_attr="mine")
    )


def _to_evaluate(target, replies):
    """The reply the deputy may rate now: the latest one, while it awaits evaluation."""
    latest = replies[-1] if replies else None
    if latest is not None and target.status == Status.REPLIED and not latest.mine:
        return latest
    return None


@login_required
@role_required(DEPUTIES, "只有人大代表可以使用此页面")
def my_list(request):
    person = _person(request.user)
    replies = _replies_with_mine(person).order_by("round")
    items = (
        my_items(request.user, person)
        .select_related("region", "congress", "category", "merged_into")
        .prefetch_related(
            Prefetch("replies", queryset=replies, to_attr="reply_list"),
            Prefetch("merged_into__replies", queryset=replies, to_attr="reply_list"),
            Prefetch(
                "authorships",
                queryset=Authorship.objects.filter(person=person),
                to_attr="my_authorship",
            ),
        )
        .order_by(F("submitted_at").desc(nulls_first=True), "-pk")
    )
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    # A merged item is answered in its main item, of the same congress.
    book = SchemeBook(item.region for item in page)
    for item in page:
        target = item.merged_into or item
        label_replies(target.reply_list, region=item.region, book=book)
        item.latest_reply = target.reply_list[-1] if target.reply_list else None
        item.to_evaluate = _to_evaluate(target, target.reply_list)
        item.my_role = item.my_authorship[0].get_role_display() if item.my_authorship else ""
    return render(request, "suggestions/my_list.html", {"page": page})


@login_required
@role_required(DEPUTIES, "只有人大代表可以使用此页面")
def my_detail(request, pk):
    person = _person(request.user)
    item = _my_item(request.user, person, pk)
    target = item.merged_into or item
    replies = label_replies(
        _replies_with_mine(person).filter(suggestion=target).order_by("round"), region=item.region
    )
    is_lead = _is_lead(item, person)
    return render(
        request,
        "suggestions/my_detail.html",
        {
            "item": item,
            "authorships": item.authorships.select_related("person").only(
                "role", "suggestion_id", "person__name"
            ),
            "attachments": item.attachments.all(),
            "replies": replies,
            "to_evaluate": _to_evaluate(target, replies),
            "timeline": timeline(item),
            "can_edit": is_lead and item.status == Status.DRAFT,
            "can_withdraw": is_lead and Status.WITHDRAWN in allowed_moves(item),
        },
    )


@login_required
@role_required(DEPUTIES, "只有人大代表可以提出建议")
def my_create(request):
    person = _person(request.user)
    form = DraftForm(request.POST or None, request.FILES or None, person=person)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                item = services.suggestion_draft(
                    entered_by=request.user,
                    congress=data["congress"],
                    occasion=data["occasion"],
                    session=data["session"],
                    kind=data["kind"],
                    category=data["category"],
                    title=data["title"],
                    body=data["body"],
                    lead=person,
                    co_signers=data["co_signers"],
                )
                if data["photo"]:
                    _attachment_add(suggestion=item, upload=data["photo"], actor=request.user)
        except SERVICE_ERRORS as error:
            add_service_error(form, error)
        else:
            return _after_save(request, item)
    return render(request, "suggestions/my_form.html", {"form": form, "item": None})


def _after_save(request, item):
    """Saved as a draft; submitted too when the deputy pressed 提交. A refused
    submission keeps the draft and says why."""
    if request.POST.get("action") != "submit":
        messages.success(request, "已保存草稿，可随时修改后提交")
        return redirect("suggestions:my_detail", pk=item.pk)
    try:
        services.suggestion_submit(suggestion=item, actor=request.user)
    except SERVICE_ERRORS as error:
        messages.error(request, f"草稿已保存，但未能提交：{service_error_text(error)}")
    else:
        messages.success(request, f"已提交，编号 {item.number}")
    return redirect("suggestions:my_detail", pk=item.pk)


def _draft_for_lead(request, pk):
    person = _person(request.user)
    item = _my_item(request.user, person, pk)
    if item.status != Status.DRAFT or not _is_lead(item, person):
        raise PermissionDenied("只有领衔代表可以修改或提交自己的草稿")
    return person, item


@login_required
@role_required(DEPUTIES, "只有人大代表可以修改建议")
def my_edit(request, pk):
    person, item = _draft_for_lead(request, pk)
    initial = {
        "congress": item.congress_id,
        "occasion": item.occasion,
        "session": item.session_id,
        "kind": item.kind,
        "category": item.category_id,
        "title": item.title,
        "body": item.body,
        "co_signers": list(
            item.authorships.filter(role=AuthorRole.CO).values_list("person_id", flat=True)
        ),
    }
    form = DraftForm(request.POST or None, request.FILES or None, person=person, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                _draft_update(suggestion=item, actor=request.user, **data)
        except SERVICE_ERRORS as error:
            add_service_error(form, error)
        else:
            return _after_save(request, item)
    return render(request, "suggestions/my_form.html", {"form": form, "item": item})


@login_required
@role_required(DEPUTIES, "只有人大代表可以提交建议")
@require_POST
def my_submit(request, pk):
    _, item = _draft_for_lead(request, pk)
    try:
        services.suggestion_submit(suggestion=item, actor=request.user)
    except SERVICE_ERRORS as error:
        messages.error(request, service_error_text(error))
    else:
        messages.success(request, f"已提交，编号 {item.number}")
    return redirect("suggestions:my_detail", pk=item.pk)


@login_required
@role_required(DEPUTIES, "只有人大代表可以撤回建议")
def my_withdraw(request, pk):
    person = _person(request.user)
    item = _my_item(request.user, person, pk)
    if not _is_lead(item, person):
        raise PermissionDenied("只有领衔代表可以撤回建议")
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.suggestion_withdraw(
                suggestion=item, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except SERVICE_ERRORS as error:
            add_service_error(form, error)
        else:
            messages.success(request, "已撤回")
            return redirect("suggestions:my_detail", pk=item.pk)
    return render(request, "suggestions/my_withdraw.html", {"form": form, "item": item})


@login_required
@role_required(DEPUTIES, "只有提出建议的代表可以评价答复")
def evaluate(request, pk):
    """An author rates the latest reply to their item (or to the item theirs
    was merged into)."""
    person = _person(request.user)
    reply = get_object_or_404(
        Reply.objects.select_related("suggestion__region", "unit"),
        pk=pk,
        suggestion__in=Suggestion.objects.visible_to(request.user),
    )
    label_replies([reply])
    item = reply.suggestion
    if person not in services.all_authors(item):
        raise PermissionDenied("只有提出该建议的代表可以评价")
    done = reply.evaluations.filter(person=person).first()
    form = EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_record(
                reply=reply, person=person, actor=request.user, **form.cleaned_data
            )
        except SERVICE_ERRORS as error:
            add_service_error(form, error)
        else:
            messages.success(request, "感谢您的评价")
            return redirect("suggestions:my_list")
    return render(
        request,
        "suggestions/evaluate.html",
        {"form": form, "reply": reply, "item": item, "done": done},
    )


# --- writes not yet in services.py ---------------------------------------------------------
# TODO(lead): move these two into renda/suggestions/services.py as
# `suggestion_draft_update` and `attachment_add`; they are here only because
# this change may not touch services.py.


@transaction.atomic
def _draft_update(
    *,
    suggestion,
    actor,
    congress,
    occasion,
    session,
    kind,
    category,
    title,
    body,
    co_signers,
    photo=None,
):
    """Change a draft (only a draft) and its co-signers; the lead stays."""
    if suggestion.status != Status.DRAFT:
        raise ValidationError("只有草稿可以修改")
    if occasion == "session" and session is None:
        raise ValidationError({"session": "大会期间提出的，请选择会议"})
    if not title.strip() or not body.strip():
        raise ValidationError({"title": "请填写案由和内容"})
    suggestion.congress = congress
    suggestion.region = congress.region
    suggestion.occasion = occasion
    suggestion.session = session if occasion == "session" else None
    suggestion.kind = kind
    suggestion.category = category
    suggestion.title = title.strip()
    suggestion.body = body.strip()
    suggestion._history_user = actor
    suggestion.save(
        update_fields=[
            "congress",
            "region",
            "occasion",
            "session",
            "kind",
            "category",
            "title",
            "body",
        ]
    )
    lead_id = suggestion.authorships.get(role=AuthorRole.LEAD).person_id
    keep = [person.pk for person in co_signers if person.pk != lead_id]
    suggestion.authorships.filter(role=AuthorRole.CO).exclude(person_id__in=keep).delete()
    for person_id in keep:
        Authorship.objects.get_or_create(
            suggestion=suggestion, person_id=person_id, defaults={"role": AuthorRole.CO}
        )
    if photo:
        _attachment_add(suggestion=suggestion, upload=photo, actor=actor)
    return suggestion


@transaction.atomic
def _attachment_add(*, suggestion, upload, actor) -> Attachment:
    """Keep an uploaded file (already checked by sniff_upload) with the item."""
    attachment = Attachment.objects.create(
        suggestion=suggestion, file=upload, name=upload.name[:200], uploaded_by=actor
    )
    note_event(suggestion, "attached", actor=actor, comment=f"上传附件：{attachment.name}")
    return attachment
