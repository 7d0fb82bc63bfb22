"""The office staff's pages for motions and suggestions: the register, an
item's file with its timeline, entry from a paper original, review,
assignment, the category and routing tables, and the supervision actions
on an item. Reads go through visible_to; writes through services."""

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from renda.core.areas import area_of
from renda.core.forms import add_service_error, error_text, service_error_text
from renda.core.models import Body, BodyKind, Role
from renda.core.paging import CappedPaginator
from renda.core.params import as_id
from renda.core.permissions import (
    DEPUTIES,
    OFFICE,
    REGIONAL,
    UNITS,
    can_manage_region,
    has_role,
    role_required,
)
from renda.core.rules import RuleMissing
from renda.core.workflow import TransitionError, allowed_moves, timeline
from renda.deputies.models import Person
from renda.suggestions import services, supervision
from renda.suggestions.forms_staff import (
    MERGE_TARGET_EXCLUDED,
    AssignForm,
    CategoryForm,
    ExtensionDecisionForm,
    NoteForm,
    PaperEvaluationForm,
    PublishForm,
    ReviewForm,
    RoutingForm,
    SuggestionCreateForm,
    SuggestionFilterForm,
    SuperviseForm,
    categories_for,
    routes_for,
)
from renda.suggestions.models import (
    EVENT_LABELS,
    OPEN_DEADLINE_STATES,
    Assignment,
    Attachment,
    AuthorRole,
    Authorship,
    Deadline,
    DeadlineKind,
    Evaluation,
    ExtensionRequest,
    ExtensionStatus,
    JointInspection,
    Kind,
    RoutingRule,
    Status,
    Suggestion,
    UnitRole,
)
from renda.suggestions.reply_classes import label_replies
from renda.suggestions.similarity import similar_to

PAGE_SIZE = 50

STATUS_BADGES = {
    Status.DRAFT: "text-bg-light border",
    Status.SUBMITTED: "text-bg-info",
    Status.ACCEPTED: "text-bg-primary",
    Status.ASSIGNED: "text-bg-primary",
    Status.HANDLING: "text-bg-warning",
    Status.REPLIED: "text-bg-info",
    Status.REHANDLING: "text-bg-danger",
    Status.COMMITTED: "text-bg-warning",
    Status.CLOSED: "text-bg-success",
    Status.MERGED: "text-bg-secondary",
    Status.WITHDRAWN: "text-bg-secondary",
    Status.NOT_ACCEPTED: "text-bg-secondary",
}


FINISHED = (
    Status.DRAFT,
    Status.CLOSED,
    Status.MERGED,
    Status.WITHDRAWN,
    Status.NOT_ACCEPTED,
)
URGEABLE = (Status.ASSIGNED, Status.HANDLING, Status.REHANDLING, Status.COMMITTED)
REPLY_KINDS = (DeadlineKind.REPLY, DeadlineKind.REHANDLE)


# --- reading --------------------------------------------------------------------


def _items_for(user):
    """What the user may open. Office staff also keep the drafts their office
    entered from paper originals until they are submitted (visible_to shows
    staff no drafts, deputies' own drafts being private)."""
    if user.is_office_staff:
        return Suggestion.objects.kept_by_office(user)
    return Suggestion.objects.visible_to(user)


def _item_for(user, pk) -> Suggestion:
    return get_object_or_404(
        _items_for(user).select_related(
            "region", "congress", "session__term__body", "category", "merged_into", "entered_by"
        ),
        pk=pk,
    )


def _managed_item(user, pk) -> Suggestion:
    """An item the user may act on as its office: 404 outside scope, 403 if
    only readable (a township reading the county's item)."""
    item = _item_for(user, pk)
    if not can_manage_region(user, item.region):
        raise PermissionDenied("只有负责该建议的人大工作人员可以办理")
    return item


def _is_lead_deputy(user, item) -> bool:
    person = user.own_person
    return (
        person is not None and item.authorships.filter(person=person, role=AuthorRole.LEAD).exists()
    )


def _similar(title: str, body: str, candidates, region) -> list:
    """Similar earlier items with scores (0–1), best first, at most five."""
    return similar_to(body, candidates, title=title, region=region, on=timezone.localdate())


def _posted(request):
    """The form data of a POST, even an empty one (so it is checked, not ignored)."""
    return request.POST if request.method == "POST" else None


def _kind_label(item) -> str:
    return Kind(item.final_kind or item.kind).label


# --- the register ------------------------------------------------------------------


@login_required
@role_required(REGIONAL)
def suggestion_list(request):
    user, today = request.user, timezone.localdate()
    form = SuggestionFilterForm(request.GET, user=user, area=area_of(request))
    form.is_valid()
    items = form.apply(_items_for(user), overdue_ids=supervision.past_due(today))
    items = items.select_related("category").prefetch_related(
        Prefetch(
            "authorships",
            queryset=Authorship.objects.filter(role=AuthorRole.LEAD).select_related("person"),
            to_attr="lead_authorships",
        ),
        Prefetch(
            "assignments",
            queryset=Assignment.objects.filter(active=True, role=UnitRole.LEAD).select_related(
                "unit"
            ),
            to_attr="lead_assignments",
        ),
        Prefetch(
            "deadlines",
            queryset=Deadline.objects.filter(state__in=OPEN_DEADLINE_STATES).order_by("due_on"),
            to_attr="open_deadlines",
        ),
    )
    page = CappedPaginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page)
    for row in rows:
        row.lead_author = row.lead_authorships[0].person if row.lead_authorships else None
        row.lead_unit = row.lead_assignments[0].unit if row.lead_assignments else None
        replies = [d for d in row.open_deadlines if d.kind in REPLY_KINDS]
        row.reply_deadline = replies[0] if replies else None
        row.overdue = [d for d in row.open_deadlines if d.due_on < today]
        row.badge = STATUS_BADGES[row.status]
        row.kind_label = _kind_label(row)
    return render(
        request,
        "suggestions/list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "today": today,
            "can_create": user.is_office_staff,
        },
    )


@login_required
@role_required(REGIONAL | UNITS)
def suggestion_detail(request, pk):
    user = request.user
    item = _item_for(user, pk)
    can_manage = can_manage_region(user, item.region)
    authorships = item.authorships.select_related("person__region").order_by("-role", "pk")
    merged = item.merged_items.prefetch_related(
        Prefetch("authorships", queryset=Authorship.objects.select_related("person"))
    )
    today = timezone.localdate()
    deadlines = list(
        item.deadlines.select_related("rule__region", "assignment__unit").prefetch_related(
            Prefetch(
                "extension_requests",
                queryset=ExtensionRequest.objects.select_related(
                    "unit", "requested_by", "decided_by"
                ),
            )
        )
    )
    for deadline in deadlines:
        deadline.late = deadline.state in OPEN_DEADLINE_STATES and deadline.due_on < today
    replies = list(
        item.replies.select_related("unit").prefetch_related(
            Prefetch("evaluations", queryset=Evaluation.objects.select_related("person"))
        )
    )
    label_replies(replies, region=item.region)
    authors = services.all_authors(item)
    for reply in replies:
        given = {evaluation.person_id: evaluation for evaluation in reply.evaluations.all()}
        reply.by_author = [(person, given.get(person.pk)) for person in authors]
    changes = timeline(item)
    for change in changes:
        change.event_label = EVENT_LABELS.get(change.event, change.event)
    moves = allowed_moves(item)
    lead_deputy = _is_lead_deputy(user, item)
    latest = replies[-1] if replies else None
    return render(
        request,
        "suggestions/detail.html",
        {
            "item": item,
            "kind_label": _kind_label(item),
            "badge": STATUS_BADGES[item.status],
            "authorships": authorships,
            "merged": merged,
            "assignments": item.assignments.select_related("unit", "assigned_by").order_by(
                "assigned_at", "pk"
            ),
            "deadlines": deadlines,
            "consultations": item.consultations.select_related("unit", "recorded_by"),
            "replies": replies,
            "attachments": item.attachments.select_related("uploaded_by"),
            "timeline": changes,
            "can_manage": can_manage,
            "is_unit": user.role == Role.UNIT and not user.is_superuser,
            "actions": {
                "submit": item.status == Status.DRAFT and (can_manage or lead_deputy),
                "review": can_manage and item.status == Status.SUBMITTED,
                "assign": can_manage and item.status == Status.ACCEPTED,
                "withdraw": (can_manage or lead_deputy) and Status.WITHDRAWN in moves,
                "urge": can_manage and item.status in URGEABLE,
                "supervise": can_manage and item.status not in FINISHED,
                "close_commitment": can_manage and item.status == Status.COMMITTED,
                "publish": can_manage and bool(replies),
                "evaluate_paper": can_manage and item.status == Status.REPLIED,
                "extensions": can_manage,
            },
            "latest_reply": latest,
            "pending_extensions": ExtensionStatus.PENDING,
            # The inspection pages are the office's own.
            "inspections": JointInspection.objects.visible_to(user)
            .filter(suggestions=item)
            .order_by("-held_on", "-pk")
            if has_role(user, OFFICE)
            else [],
        },
    )


@login_required
@role_required(REGIONAL | UNITS)
def attachment_download(request, pk):
    attachment = get_object_or_404(
        Attachment.objects.filter(suggestion__in=_items_for(request.user)), pk=pk
    )
    if not attachment.file.storage.exists(attachment.file.name):
        raise Http404("附件文件不存在")
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


# --- entry from a paper original ------------------------------------------------------


def _attachments_add(item, files, actor) -> None:
    # A write outside services.py until it has an attachment_add service.
    for upload in files:
        Attachment.objects.create(
            suggestion=item, file=upload, name=Path(upload.name).name[:200], uploaded_by=actor
        )


@login_required
@role_required(OFFICE, "只有人大工作人员可以代代表录入建议")
def suggestion_create(request):
    user = request.user
    form = SuggestionCreateForm(
        _posted(request),
        request.FILES if request.method == "POST" else None,
        user=user,
        area=area_of(request),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                item = services.suggestion_draft(
                    entered_by=user,
                    congress=data["congress"],
                    occasion=data["occasion"],
                    session=data["session"],
                    kind=data["kind"],
                    title=data["title"],
                    body=data["body"],
                    lead=data["lead"],
                    co_signers=list(data["co_signers"]),
                    category=data["category"],
                    from_paper=True,
                )
                _attachments_add(item, data["attachments"], user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if request.POST.get("action") == "submit":
                _submit(request, item)
            else:
                messages.success(request, f"已保存为草稿：{item.title}")
            return redirect(item)
    return render(request, "suggestions/create.html", {"form": form})


def _submit(request, item) -> None:
    try:
        services.suggestion_submit(suggestion=item, actor=request.user)
    except (ValidationError, TransitionError, RuleMissing) as error:
        messages.error(request, "已保存为草稿，未能提交：" + service_error_text(error))
    else:
        messages.success(request, f"已提交，编号 {item.number}，待审查")


@login_required
@role_required(OFFICE | DEPUTIES)
@require_POST
def suggestion_submit(request, pk):
    """Submit a draft kept earlier (by its office or its lead deputy)."""
    item = _item_for(request.user, pk)
    if not (can_manage_region(request.user, item.region) or _is_lead_deputy(request.user, item)):
        raise PermissionDenied("只有领衔代表或负责的人大工作人员可以提交")
    _submit(request, item)
    return redirect(item)


@login_required
@role_required(REGIONAL)
def suggestion_similar(request):
    """htmx: similar earlier items for the title and body being entered."""
    user = request.user
    title = request.GET.get("title", "").strip()
    body = request.GET.get("body", "").strip()
    congress_id = as_id(request.GET.get("congress"))
    congress = None
    if congress_id:
        congress = (
            Body.objects.visible_to(user)
            .filter(kind=BodyKind.CONGRESS, pk=congress_id)
            .select_related("region")
            .first()
        )
    context = {"results": None, "error": ""}
    if len(title + body) >= 4:
        candidates = _items_for(user).exclude(status=Status.DRAFT)
        if congress is not None:
            candidates = candidates.filter(congress=congress)
        region = congress.region if congress else user.region
        try:
            context["results"] = _similar(title, body, candidates, region)
        except RuleMissing as error:
            context["error"] = str(error)
    return render(request, "suggestions/similar.html", context)


# --- review and withdrawal ----------------------------------------------------------------


def _merge_targets(user, item):
    return (
        _items_for(user)
        .filter(region=item.region, merged_into__isnull=True)
        .exclude(status__in=MERGE_TARGET_EXCLUDED)
        .exclude(pk=item.pk)
    )


@login_required
@role_required(OFFICE, "只有人大工作人员可以审查议案建议")
def suggestion_review(request, pk):
    user = request.user
    item = _managed_item(user, pk)
    if item.status != Status.SUBMITTED:
        messages.info(request, f"该建议当前为“{item.get_status_display()}”，不在待审查状态")
        return redirect(item)
    targets = _merge_targets(user, item)
    form = ReviewForm(_posted(request), item=item, targets=targets)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "accept":
                services.suggestion_accept(
                    suggestion=item,
                    actor=user,
                    final_kind=data["final_kind"],
                    comment=data["detail"],
                )
                done = f"已立案，作为{Kind(data['final_kind']).label}办理，待交办"
            elif data["decision"] == "reject":
                services.suggestion_reject(
                    suggestion=item,
                    actor=user,
                    reason_code=data["reason_code"],
                    detail=data["detail"],
                )
                done = f"不予立案：{item.rejection_reason}"
            else:
                services.suggestion_merge(
                    suggestion=item, into=data["into"], actor=user, comment=data["detail"]
                )
                done = f"已并入 {data['into']}"
        except (ValidationError, TransitionError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, done)
            return redirect(item)
    similar = []
    try:
        similar = _similar(item.title, item.body, targets, item.region)
    except RuleMissing as error:
        messages.warning(request, str(error))
    return render(
        request,
        "suggestions/review.html",
        {
            "item": item,
            "form": form,
            "similar": similar,
            "authorships": item.authorships.select_related("person").order_by("-role", "pk"),
        },
    )


@login_required
@role_required(OFFICE | DEPUTIES)
@require_POST
def suggestion_withdraw(request, pk):
    """Withdrawal in writing, by the office for the deputy or by the lead deputy."""
    item = _item_for(request.user, pk)
    if not (can_manage_region(request.user, item.region) or _is_lead_deputy(request.user, item)):
        raise PermissionDenied("只有领衔代表或负责的人大工作人员可以撤回")
    try:
        services.suggestion_withdraw(
            suggestion=item, actor=request.user, reason=request.POST.get("reason", "")
        )
    except (ValidationError, TransitionError) as error:
        messages.error(request, service_error_text(error, {"reason": "撤回理由"}))
    else:
        messages.success(request, "已撤回")
    return redirect(item)


# --- assignment ------------------------------------------------------------------------------


def proposed_route(item) -> RoutingRule | None:
    """The routing row for the item's category in the nearest region up the tree."""
    if not item.category_id:
        return None
    routes = (
        RoutingRule.objects.filter(
            category_id=item.category_id, region__code__in=item.region.ancestor_codes()
        )
        .select_related("region", "lead_unit")
        .prefetch_related("co_units")
    )
    return max(routes, key=lambda route: len(route.region.code), default=None)


@login_required
@role_required(OFFICE, "只有人大工作人员可以交办")
def suggestion_assign(request, pk):
    user = request.user
    item = _managed_item(user, pk)
    if item.status != Status.ACCEPTED:
        messages.info(request, f"该建议当前为“{item.get_status_display()}”，不在待交办状态")
        return redirect(item)
    route = proposed_route(item)
    initial = {"is_complex": item.is_complex}
    if route is not None:
        initial |= {"lead_unit": route.lead_unit, "co_units": list(route.co_units.all())}
    form = AssignForm(_posted(request), user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.suggestion_assign(
                suggestion=item,
                actor=user,
                lead_unit=data["lead_unit"],
                co_units=list(data["co_units"]),
                is_complex=data["is_complex"],
            )
        except (ValidationError, TransitionError, RuleMissing) as error:
            add_service_error(form, error)
        else:
            due = "；".join(
                f"{d.get_kind_display()} {d.due_on:%Y年%m月%d日}（{d.explanation}）"
                for d in item.deadlines.filter(state__in=OPEN_DEADLINE_STATES)
            )
            messages.success(request, f"已交办给{data['lead_unit']}。{due}")
            return redirect(item)
    return render(
        request,
        "suggestions/assign.html",
        {
            "item": item,
            "form": form,
            "route": route,
            "returned": item.assignments.filter(active=False, returned_at__isnull=False)
            .select_related("unit")
            .order_by("returned_at"),
        },
    )


# --- categories and the routing table ------------------------------------------------------


@login_required
@role_required(OFFICE)
def category_list(request):
    categories = (
        categories_for(request.user)
        .select_related("region")
        .order_by("region__code", "order", "name")
    )
    return render(request, "suggestions/category_list.html", {"categories": categories})


@login_required
@role_required(OFFICE, "只有人大工作人员可以维护建议类别")
def category_create(request):
    form = CategoryForm(_posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        # A write outside services.py until it has a category_save service.
        category = form.save()
        messages.success(request, f"已添加类别“{category.name}”")
        return redirect("suggestions:category_list")
    return render(request, "suggestions/category_form.html", {"form": form})


@login_required
@role_required(OFFICE)
def routing_list(request):
    """The routing table; a province's, of the county its staff pick (every
    county's table at once is thousands of rows)."""
    area = area_of(request)
    routes = (
        area.choices(routes_for(request.user), "region")
        .select_related("category", "region", "lead_unit")
        .prefetch_related("co_units")
        .order_by("category__order", "category__name", "region__code")
    )
    rows = [(route, can_manage_region(request.user, route.region)) for route in routes]
    return render(request, "suggestions/routing_list.html", {"rows": rows, "area": area})


@login_required
@role_required(OFFICE, "只有人大工作人员可以维护交办路由")
def routing_create(request):
    form = RoutingForm(_posted(request), user=request.user, area=area_of(request))
    if request.method == "POST" and form.is_valid():
        # A write outside services.py until it has a routing_save service.
        route = form.save()
        messages.success(request, f"已添加交办路由：{route}")
        return redirect(f"{reverse('suggestions:routing_list')}?{request.GET.urlencode()}")
    return render(request, "suggestions/routing_form.html", {"form": form, "area": form.area})


@login_required
@role_required(OFFICE, "只有人大工作人员可以维护交办路由")
@require_POST
def routing_delete(request, pk):
    route = get_object_or_404(routes_for(request.user).select_related("region"), pk=pk)
    if not can_manage_region(request.user, route.region):
        raise PermissionDenied("只能删除本级及下级的交办路由")
    if request.POST.get("confirm") != "1":
        messages.error(request, "确认：请确认删除该交办路由")
    else:
        label = str(route)
        route.delete()
        messages.success(request, f"已删除交办路由：{label}")
    return redirect("suggestions:routing_list")


# --- supervision actions ---------------------------------------------------------------------


def _act(request, item, form, action, done: str, labels: dict):
    """Run a supervision action from a panel on the detail page and say how it went."""
    if not form.is_valid():
        messages.error(request, error_text(form))
    else:
        try:
            action(form.cleaned_data)
        except (ValidationError, TransitionError) as error:
            messages.error(request, service_error_text(error, labels))
        else:
            messages.success(request, done)
    return redirect(item)


@login_required
@role_required(OFFICE, "只有人大工作人员可以催办")
@require_POST
def suggestion_urge(request, pk):
    item = _managed_item(request.user, pk)
    return _act(
        request,
        item,
        NoteForm(request.POST),
        lambda data: services.suggestion_urge(
            suggestion=item, actor=request.user, note=data["note"].strip()
        ),
        "已催办，承办单位将收到提醒",
        {"note": "催办说明"},
    )


@login_required
@role_required(OFFICE, "只有人大工作人员可以督办")
@require_POST
def suggestion_supervise(request, pk):
    item = _managed_item(request.user, pk)
    form = SuperviseForm(request.POST)
    return _act(
        request,
        item,
        form,
        lambda data: services.suggestion_supervise(
            suggestion=item,
            actor=request.user,
            key_supervised=bool(data["key_supervised"]),
            group=data["group"],
        ),
        "已列为重点督办" if request.POST.get("key_supervised") == "1" else "已取消重点督办",
        {"group": "督办组"},
    )


@login_required
@role_required(OFFICE, "只有人大工作人员可以审批延期")
@require_POST
def extension_decide(request, pk):
    extension = get_object_or_404(
        ExtensionRequest.objects.filter(
            deadline__suggestion__in=_items_for(request.user)
        ).select_related("deadline__suggestion__region"),
        pk=pk,
    )
    item = extension.deadline.suggestion
    if not can_manage_region(request.user, item.region):
        raise PermissionDenied("只有负责该建议的人大工作人员可以审批延期")
    approve = request.POST.get("decision") == "approve"
    return _act(
        request,
        item,
        ExtensionDecisionForm(request.POST),
        lambda data: services.extension_decide(
            request=extension, actor=request.user, approve=approve, note=data["note"].strip()
        ),
        f"已批准延期至 {extension.requested_until:%Y-%m-%d}" if approve else "已不批准延期",
        {"note": "审批意见"},
    )


@login_required
@role_required(OFFICE, "只有人大工作人员可以办结承诺事项")
@require_POST
def commitment_close(request, pk):
    item = _managed_item(request.user, pk)
    if item.status != Status.COMMITTED:
        messages.error(request, "只有承诺落实中的建议可以在此办结")
        return redirect(item)
    return _act(
        request,
        item,
        NoteForm(request.POST),
        lambda data: services.commitment_close(
            suggestion=item, actor=request.user, note=data["note"]
        ),
        "承诺事项已落实，已办结",
        {"note": "落实情况"},
    )


@login_required
@role_required(OFFICE, "只有人大工作人员可以公开答复")
@require_POST
def suggestion_publish(request, pk):
    item = _managed_item(request.user, pk)
    published = request.POST.get("published") == "1"
    return _act(
        request,
        item,
        PublishForm(request.POST),
        lambda data: services.suggestion_publish(
            suggestion=item, actor=request.user, published=bool(data["published"])
        ),
        "答复已公开" if published else "答复已取消公开",
        {},
    )


@login_required
@role_required(OFFICE, "只有人大工作人员可以录入纸质评价回执")
def evaluate_paper(request, pk):
    """An author's evaluation of the latest reply, entered from the paper receipt."""
    item = _managed_item(request.user, pk)
    reply = item.replies.order_by("-round").first()
    if item.status != Status.REPLIED or reply is None:
        messages.info(request, "该建议当前没有待评价的答复")
        return redirect(item)
    authors = [person.pk for person in services.all_authors(item)]
    people = (
        Person.objects.filter(pk__in=authors)
        .exclude(pk__in=reply.evaluations.values("person"))
        .order_by("name_pinyin")
    )
    form = PaperEvaluationForm(_posted(request), people=people)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.evaluation_record(
                reply=reply,
                person=data["person"],
                actor=request.user,
                rating=data["rating"],
                comment=data["comment"].strip(),
                from_paper=True,
            )
        except (ValidationError, TransitionError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"已录入{data['person'].name}的评价")
            return redirect(item)
    label_replies([reply], region=item.region)
    return render(
        request,
        "suggestions/staff_evaluate_paper.html",
        {"item": item, "reply": reply, "form": form},
    )
