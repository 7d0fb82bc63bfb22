"""One item through every path of the workflow, at the service level."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from renda.core.workflow import timeline
from renda.suggestions import services
from renda.suggestions.models import Deadline, DeadlineState, Status, Suggestion
from renda.suggestions.tests.helpers import submitted_item


def test_an_item_goes_from_submission_to_a_satisfied_answer(world):
    clerk, unit_user = world.user("township"), world.user("unit")
    item = submitted_item(world, title="关于硬化东河村产业路的建议")
    other = submitted_item(world, title="关于东河村产业路硬化的建议", lead=world.county_person)
    services.suggestion_merge(suggestion=other, into=item, actor=clerk)
    services.suggestion_accept(suggestion=item, actor=clerk, final_kind="suggestion")
    first = services.suggestion_assign(suggestion=item, actor=clerk, lead_unit=world.township_unit)
    services.assignment_return(assignment=first, actor=unit_user, reason="不属于本单位职责")
    lead = services.suggestion_assign(suggestion=item, actor=clerk, lead_unit=world.county_unit)
    services.assignment_sign(assignment=lead, actor=unit_user)
    services.consultation_record(
        suggestion=item,
        unit=world.county_unit,
        actor=unit_user,
        step="consult",
        held_on=timezone.localdate(),
        form="face",
        content="与代表当面商定方案",
        deputy_view="同意",
    )
    reply = services.reply_submit(
        suggestion=item,
        unit=world.county_unit,
        actor=unit_user,
        reply_class="B",
        text="已列入明年计划",
        commitment="2027年6月前完成硬化",
        signed_by="孙局长",
        replied_on=timezone.localdate(),
    )
    services.evaluation_record(
        reply=reply,
        person=world.person,
        actor=world.user("deputy"),
        rating="dissatisfied",
        comment="时间太晚",
    )
    item.refresh_from_db()
    assert item.status == Status.REHANDLING
    assert Deadline.objects.filter(
        suggestion=item, kind="rehandle", state=DeadlineState.OPEN
    ).exists()
    second = services.reply_submit(
        suggestion=item,
        unit=world.county_unit,
        actor=unit_user,
        reply_class="A",
        text="已安排今年完成",
        signed_by="孙局长",
        replied_on=timezone.localdate(),
    )
    # The merged item's author evaluates too: each author rates on their own.
    services.evaluation_record(
        reply=second, person=world.person, actor=world.user("deputy"), rating="satisfied"
    )
    item.refresh_from_db()
    assert item.status == Status.REPLIED
    services.evaluation_record(
        reply=second, person=world.county_person, actor=clerk, rating="basically", from_paper=True
    )
    item.refresh_from_db()
    assert item.status == Status.CLOSED
    events = [change.event for change in timeline(item)]
    assert events == [
        "submitted",
        "merged",
        "reviewed",
        "assigned",
        "returned",
        "assigned",
        "signed",
        "consulted",
        "replied",
        "evaluated",
        "reopened",
        "replied",
        "evaluated",
        "evaluated",
        "closed",
    ]
    assert Suggestion.objects.get(pk=other.pk).merged_into == item


def test_a_b_class_reply_stays_open_as_a_commitment_until_closed(world):
    item = world.suggestion
    reply = services.reply_submit(
        suggestion=item,
        unit=world.county_unit,
        actor=world.user("unit"),
        reply_class="C",
        text="留作参考",
        commitment="条件成熟时实施",
        signed_by="孙局长",
        replied_on=timezone.localdate(),
    )
    for person in (world.person, world.county_person):
        services.evaluation_record(
            reply=reply, person=person, actor=world.user("township"), rating="basically"
        )
    item.refresh_from_db()
    assert item.status == Status.COMMITTED
    services.commitment_close(suggestion=item, actor=world.user("township"), note="已于次年完成")
    item.refresh_from_db()
    assert item.status == Status.CLOSED


def test_a_unit_cannot_return_an_item_after_the_return_window(world, monkeypatch):
    item = submitted_item(world)
    services.suggestion_accept(
        suggestion=item, actor=world.user("township"), final_kind="suggestion"
    )
    lead = services.suggestion_assign(
        suggestion=item, actor=world.user("township"), lead_unit=world.county_unit
    )
    window = lead.deadlines.get(kind="return")
    monkeypatch.setattr(services, "_today", lambda: window.due_on + datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="已超过退回期限"):
        services.assignment_return(assignment=lead, actor=world.user("unit"), reason="不属于本单位")


def test_only_authors_evaluate_and_dissatisfaction_needs_a_comment(world):
    reply = services.reply_submit(
        suggestion=world.suggestion,
        unit=world.county_unit,
        actor=world.user("unit"),
        reply_class="A",
        text="已完成",
        signed_by="孙局长",
        replied_on=timezone.localdate(),
    )
    with pytest.raises(ValidationError, match="只有提出该建议的代表"):
        services.evaluation_record(
            reply=reply, person=world.other_person, actor=world.user("township"), rating="satisfied"
        )
    with pytest.raises(ValidationError, match="请写明意见"):
        services.evaluation_record(
            reply=reply, person=world.person, actor=world.user("deputy"), rating="dissatisfied"
        )
