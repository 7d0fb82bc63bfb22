"""The dashboard: what waits for each role, each number leading to the rows
it counts."""

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import ROLES
from renda.core.models import Role
from renda.core.tests import factories as f
from renda.core.tests.helpers import assert_pinned_queries
from renda.core.todo import Todo
from renda.deputies.tests import factories as d
from renda.duties import services as duty_services
from renda.suggestions import services
from renda.suggestions.models import Rating, Suggestion
from renda.suggestions.tests.helpers import submitted_item
from renda.suggestions.tests.matrix_workspace import reply_to

# Pages listing more than the rows waiting (the deputy's own items and
# records, every notice): the to-do counts the waiting ones among them.
LISTS_MORE = {"suggestions:my_list", "duties:my_records", "suggestions:notifications"}


def _todos(client) -> dict:
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    return {item.label: item for item in response.context["todos"]}


@pytest.mark.parametrize("role", [role for role in ROLES if role != "anonymous"])
def test_each_number_opens_the_rows_it_counts(role, world, client_for):
    """Every to-do of every role links to a page the role may open; where
    that page lists just the waiting rows, it lists as many as the number."""
    client = client_for(role)
    todos = _todos(client)
    assert todos, role
    for item in todos.values():
        response = client.get(item.url)
        assert response.status_code == 200, (role, item.label)
        if response.resolver_match.view_name not in LISTS_MORE:
            assert response.context["page"].paginator.count == item.count, (role, item.label)


def test_the_office_sees_items_to_review_and_entries_to_verify(world, client_for):
    client = client_for("township")
    before = _todos(client)
    assert before["履职纪实待核实"].count == 1  # 王春燕's own entry (conftest)
    assert before["积分更正申请"].count == 1
    submitted_item(world)
    submitted_item(world, title="关于东河村路灯维修的建议")
    after = _todos(client)
    assert after["议案建议待审查"].count == before["议案建议待审查"].count + 2
    # 龙泉镇's clerk does not see 青山镇's items.
    assert _todos(client_for("other_township"))["议案建议待审查"].count == 0


def test_a_deputy_sees_a_reply_to_rate_until_it_is_rated(world, client_for):
    client = client_for("deputy")
    assert _todos(client)["待评价的答复"].count == 0
    assert _todos(client)["未提交的建议草稿"].count == 1  # world.draft
    reply = reply_to(world)
    todos = _todos(client)
    assert todos["待评价的答复"].count == 1
    assert todos["待评价的答复"].urgent
    assert list(todos)[0] == "待评价的答复"  # what waits comes first
    services.evaluation_record(
        reply=reply, person=world.person, actor=world.user("deputy"), rating=Rating.SATISFIED
    )
    assert _todos(client)["待评价的答复"].count == 0


def test_a_deputy_whose_item_was_merged_rates_the_main_items_reply(world, client):
    """赵敏's own item was merged into 王春燕's: the main item's reply waits
    for her rating too."""
    account = f.UserFactory(username="zhaomin", role=Role.DEPUTY, region=world.township)
    zhao = d.PersonFactory(name="赵敏", region=world.township, user=account)
    hers = submitted_item(world, title="关于东河村道路的建议", lead=zhao)
    services.suggestion_merge(suggestion=hers, into=world.suggestion, actor=world.user("township"))
    client.force_login(account)
    assert _todos(client)["待评价的答复"].count == 0
    reply_to(world)
    assert _todos(client)["待评价的答复"].count == 1


def test_a_deputy_sees_an_entry_sent_back(world, client_for):
    client = client_for("deputy")
    assert _todos(client)["退回待修改的履职纪实"].count == 0
    duty_services.entry_return(record=world.entry, actor=world.user("township"), reason="缺照片")
    assert _todos(client)["退回待修改的履职纪实"].count == 1
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert "记录履职" in page and "提出建议" in page  # the deputy's quick actions


def test_a_unit_sees_what_it_must_sign_for(world, client_for):
    clerk = world.user("township")
    elsewhere = _todos(client_for("other_unit"))["交办的建议待签收"].count
    item = submitted_item(world)
    services.suggestion_accept(suggestion=item, actor=clerk, final_kind="suggestion")
    services.suggestion_assign(suggestion=item, actor=clerk, lead_unit=world.county_unit)
    todos = _todos(client_for("unit"))
    assert todos["交办的建议待签收"].count == 1
    assert todos["办理中的建议"].count == 1  # world.suggestion, signed
    assert _todos(client_for("other_unit"))["交办的建议待签收"].count == elsewhere


def test_nothing_waiting_is_said_in_words(world, client_for):
    page = client_for("public").get(reverse("reports:dashboard")).content.decode()
    assert "暂无待办事项" in page


def test_the_dashboard_query_count_does_not_grow_with_rows(world, client_for):
    client = client_for("township")

    def load():
        assert client.get(reverse("reports:dashboard")).status_code == 200

    def add_rows():
        for n in range(5):
            submitted_item(world, title=f"关于东河村第{n}组道路的建议")
        reply_to(world)

    # session, user, region; suggestions 3 and notices 1, opinions 3, duties
    # 2; the overview: units by kind, 4 figures, sessions
    assert_pinned_queries(load, add_rows, expected=18)


def test_a_number_past_the_cap_reads_as_more_than():
    assert Todo("x", "/", 1_000).shown == "999+"
    assert Todo("x", "/", 12).shown == "12"


def test_a_visitor_not_signed_in_gets_the_public_home_with_the_latest_replies(world, client):
    """The root is the citizen's entrance: what they come to do, the latest
    published replies, and the way in for staff and deputies."""
    hidden = submitted_item(world, title="尚未公开的建议")
    shown = submitted_item(world, title="关于修缮东河村小桥的建议")
    # Publishing follows a reply (suggestions' own tests); here only its mark.
    Suggestion.objects.filter(pk=shown.pk).update(published=True, published_at=timezone.now())
    response = client.get(reverse("reports:dashboard"))
    page = response.content.decode()
    assert response.status_code == 200
    for name in ("opinions:submit", "opinions:track", "suggestions:public_list"):
        assert f'href="{reverse(name)}"' in page
    assert reverse("suggestions:public_detail", args=[shown.pk]) in page
    assert shown.title in page and hidden.title not in page
    assert f'href="{reverse("core:login")}"' in page
