"""The one transition mechanism, shown on the session workflow."""

import pytest
from django.urls import reverse

from renda.core.models import Session
from renda.core.services import session_move
from renda.core.workflow import TransitionError, timeline, transition


def test_a_move_writes_who_when_from_to_and_why(world):
    user = world.user("township")
    change = transition(world.session, "open", actor=user, comment="按期开幕")
    world.session.refresh_from_db()
    assert world.session.status == "open"
    assert (change.from_state, change.to_state, change.actor, change.comment) == (
        "planned",
        "open",
        user,
        "按期开幕",
    )
    assert [c.to_label for c in timeline(world.session)] == ["会议期间"]


def test_an_illegal_move_is_refused_in_chinese_and_changes_nothing(world):
    with pytest.raises(TransitionError, match="会议不能从“筹备中”变为“已闭会”"):
        transition(world.session, "closed", actor=world.user("township"))
    world.session.refresh_from_db()
    assert world.session.status == "planned"
    assert not timeline(world.session)


def test_two_clerks_cannot_both_move_the_same_record(world):
    first = Session.objects.get(pk=world.session.pk)
    stale = Session.objects.get(pk=world.session.pk)
    transition(first, "open", actor=world.user("township"))
    with pytest.raises(TransitionError, match="已被他人处理"):
        transition(stale, "cancelled", actor=world.user("county"))
    assert len(timeline(world.session)) == 1


def test_closing_a_session_records_its_closing_date(world):
    user = world.user("township")
    session_move(session=world.session, to_state="open", actor=user)
    session_move(session=world.session, to_state="closed", actor=user)
    world.session.refresh_from_db()
    assert world.session.closed_on is not None


def test_the_session_page_moves_the_status_and_shows_the_timeline(world, client_for):
    client = client_for("township")
    response = client.post(
        reverse("core:session_move", args=[world.session.pk]),
        {"to": "open", "comment": "开幕"},
        follow=True,
    )
    page = response.content.decode()
    assert "会议状态已变更为“会议期间”" in page
    assert "开幕" in page
    response = client.post(
        reverse("core:session_move", args=[world.session.pk]), {"to": "planned"}, follow=True
    )
    assert "不能从“会议期间”变为“筹备中”" in response.content.decode()
