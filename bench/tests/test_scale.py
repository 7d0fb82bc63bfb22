"""The scale data of `make bench` holds what the services would have written."""

import datetime
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone

from bench.scale import AlreadyBuilt, build
from renda.core.models import StateChange
from renda.deputies.models import Person
from renda.duties.models import DutyRecord, RecordStatus
from renda.opinions.models import Opinion
from renda.suggestions.models import Deadline, DeadlineState, Status, Suggestion

pytestmark = pytest.mark.django_db


def _last_states(model) -> dict:
    """Each record's state after its timeline; None where a step does not
    start in the state the previous one ended in."""
    last = {}
    changes = StateChange.objects.filter(content_type=ContentType.objects.get_for_model(model))
    for pk, from_state, to_state in changes.order_by("at", "pk").values_list(
        "object_id", "from_state", "to_state"
    ):
        if pk in last and last[pk] != from_state:
            last[pk] = None
            continue
        if last.get(pk, "") is not None:
            last[pk] = to_state
    return last


@pytest.mark.parametrize("now", [None, "2026-11-25 12:00", "2027-03-01 16:30"])
def test_every_status_is_where_its_timeline_ends(now):
    """Suggestions, opinions and own duty entries: unbroken chains of moves
    ending in the stored status, as renda.core.workflow writes them. The
    dates hang on the day it is built: today and days that once broke it (a
    merge noted on its target before the target's assignment that day)."""
    build(0.002, seed=1, now=now and timezone.make_aware(datetime.datetime.fromisoformat(now)))
    suggestions = _last_states(Suggestion)
    assert all(suggestions[s.pk] == s.status for s in Suggestion.objects.all())
    opinions = _last_states(Opinion)
    assert all(opinions[o.pk] == o.status for o in Opinion.objects.all())
    entries = _last_states(DutyRecord)
    own = DutyRecord.objects.exclude(status=RecordStatus.RECORDED)
    assert own.exists()
    assert all(entries[r.pk] == r.status for r in own)


def test_sizes_follow_the_factor_and_states_cover_the_workflow():
    result = build(0.002, seed=2)
    assert Person.objects.count() == result["sizes"]["deputies"] == 200
    assert DutyRecord.objects.count() == result["sizes"]["duty_records"]
    assert Opinion.objects.count() == result["sizes"]["opinions"]
    statuses = set(Suggestion.objects.values_list("status", flat=True))
    assert {Status.CLOSED, Status.COMMITTED, Status.HANDLING, Status.MERGED} <= statuses
    # A closed item's reply deadline was met (on time or late), never left open.
    assert not Deadline.objects.filter(
        suggestion__status=Status.CLOSED, kind="reply", state=DeadlineState.OPEN
    ).exists()


def test_the_command_refuses_to_build_twice():
    call_command("seed_scale", "--factor", "0.001")
    with pytest.raises(AlreadyBuilt):
        build(0.001)


def test_every_page_of_the_plan_answers_its_role_and_a_deputy_can_record_a_duty(client):
    """What `make bench` opens and posts works on the scale data (a page that
    does not answer 200 there is a bench error, found here first)."""
    from bench.forms import main_form, solve
    from bench.plan import build_plan

    build(0.002, seed=3)
    plan = build_plan()
    assert not plan["missing"]
    for role, spec in plan["roles"].items():
        client.cookies.clear()
        if spec["slots"]:
            client.cookies["sessionid"] = spec["slots"][0]["session"]
        for page in spec["pages"]:
            assert client.get(page["url"]).status_code == 200, (role, page["name"])
    client.cookies["sessionid"] = plan["roles"]["deputy"]["slots"][0]["session"]
    url = plan["roles"]["deputy"]["forms"]["entry"]
    fields = main_form(client.get(url).content.decode())["fields"]
    response = client.post(url, {**fields, "title": "走访选民", "note": "走访了五户选民。"})
    assert response.status_code == 302, response.content.decode()[-2000:]

    client.cookies.clear()
    url = plan["roles"]["public"]["forms"]["opinion"]
    page = client.get(url).content.decode()
    question = re.search(r'data-testid="captcha-question">([^<]+)<', page).group(1)
    values = {
        "title": "路灯损坏",
        "content": "主干道路灯坏了。",
        "submitter_name": "刘女士",
        "submitter_phone": "13900001111",
        "captcha_answer": solve(question),
    }
    response = client.post(url, {**main_form(page)["fields"], **values})
    assert response.status_code == 302, response.content.decode()[-2000:]
