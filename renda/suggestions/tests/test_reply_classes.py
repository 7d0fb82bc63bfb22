"""The reply-class scheme as configuration (rule `suggestion.reply_classes`):
a place's own scheme (甲/乙/丙) shows in the reply form, the reply letter,
the figures and registers, the item's page and the API; a class outside the
scheme in force is refused with the field named; a new version from a date
changes only replies dated on or after it."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from docx import Document

from renda.core.services import rule_set
from renda.core.tests.factories import RuleFactory
from renda.suggestions import services
from renda.suggestions.models import Reply
from renda.suggestions.reply_classes import (
    DEFAULT_CLASSES,
    KEY,
    SchemeBook,
    parse,
    reply_classes,
)
from renda.suggestions.tests.helpers import submitted_item

JSON = "application/json"
JIA_YI_BING = [
    {"code": "A", "label": "甲类", "meaning": "所提问题已经解决或基本解决"},
    {"code": "B", "label": "乙类", "meaning": "所提问题正在解决或已列入计划逐步解决"},
    {"code": "C", "label": "丙类", "meaning": "因条件限制，留作参考或今后研究解决"},
]
SOURCE = "青山镇人大主席团代表建议办理工作制度（测试）第八条"


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def jia_yi_bing(world):
    """青山镇 classes its replies 甲/乙/丙 (stored A/B/C) since 2020."""
    return RuleFactory(key=KEY, region=world.township, value=JIA_YI_BING, source=SOURCE)


def handling_item(world, title):
    """A 青山镇 item assigned to the county transport bureau and signed."""
    clerk = world.user("township")
    item = services.suggestion_accept(
        suggestion=submitted_item(world, title=title), actor=clerk, final_kind="suggestion"
    )
    lead = services.suggestion_assign(suggestion=item, actor=clerk, lead_unit=world.county_unit)
    services.assignment_sign(assignment=lead, actor=world.user("unit"))
    return item


def reply(world, item, code, *, on=None, commitment="2027年6月前完成"):
    return services.reply_submit(
        suggestion=item,
        unit=world.county_unit,
        actor=world.user("unit"),
        reply_class=code,
        text="经研究，已列入农村公路养护计划。",
        commitment="" if code == "A" else commitment,
        signed_by="孙立军",
        replied_on=on or timezone.localdate(),
    )


# --- reading the scheme ----------------------------------------------------------------------


def test_without_a_place_of_its_own_the_national_a_to_d_default_applies(world):
    scheme = reply_classes(world.township, timezone.localdate())
    assert scheme.codes == ["A", "B", "C", "D"]
    assert scheme.label("D") == "D类"
    assert scheme.rule.region is None


def test_the_nearest_place_wins_and_a_township_follows_its_county(world):
    today = timezone.localdate()
    RuleFactory(key=KEY, region=world.county, value=JIA_YI_BING, source=SOURCE)
    RuleFactory(key=KEY, region=world.township, value=DEFAULT_CLASSES[:3], source=SOURCE)
    assert reply_classes(world.township, today).labels_text == "A类、B类、C类"
    assert reply_classes(world.other_township, today).labels_text == "甲类、乙类、丙类"
    book = SchemeBook([world.township, world.other_township])
    assert book.scheme(world.other_township, today).label("B") == "乙类"
    assert book.scheme(world.township, today).label("B") == "B类"


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ({"A": "甲类"}, "取值应为列表"),
        ([{"code": "B", "label": "乙类"}], "须包含代码 A"),
        ([{"code": "A", "label": "甲类"}, {"code": "E", "label": "戊类"}], "“E”不是可存储的代码"),
        ([{"code": "A", "label": "甲类"}, {"code": "A", "label": "乙类"}], "代码 A 重复"),
        ([{"code": "A", "label": ""}], "应写明类别名称"),
    ],
)
def test_a_malformed_scheme_says_what_is_wrong(value, problem):
    with pytest.raises(ValueError, match=problem):
        parse(value)


# --- a place with 甲/乙/丙 ---------------------------------------------------------------------


def test_the_reply_form_offers_only_the_places_classes(world, jia_yi_bing, client_for):
    text = page(
        client_for("unit").get(reverse("suggestions:unit_reply", args=[world.suggestion.pk]))
    )
    assert "甲类（所提问题已经解决或基本解决）" in text
    assert "乙类" in text and "丙类" in text
    assert "D类" not in text and 'value="D"' not in text
    assert "乙类、丙类答复须写明落实承诺及时限" in text
    assert SOURCE in text


def test_a_class_outside_the_scheme_is_refused_with_the_field_named(world, jia_yi_bing, client_for):
    client = client_for("unit")
    url = reverse("suggestions:unit_reply", args=[world.suggestion.pk])
    data = {
        "reply_class": "D",
        "text": "因政策所限，暂无法解决。",
        "commitment": "作出解释说明",
        "signed_by": "孙立军",
        "replied_on": timezone.localdate().isoformat(),
    }
    text = page(client.post(url, data))
    assert "答复类别：“D”不在青山镇" in text and "请从甲类、乙类、丙类中选择" in text
    assert not Reply.objects.exists()

    with pytest.raises(ValidationError) as refused:
        reply(world, world.suggestion, "D")
    assert "甲类、乙类、丙类" in refused.value.message_dict["reply_class"][0]
    assert not Reply.objects.exists()


def test_a_commitment_is_asked_for_in_the_schemes_words(world, jia_yi_bing):
    with pytest.raises(ValidationError) as refused:
        reply(world, world.suggestion, "B", commitment="")
    assert refused.value.message_dict["commitment"] == ["乙类答复须写明落实承诺及时限"]


def test_the_places_labels_show_on_the_item_and_its_timeline(world, jia_yi_bing, client_for):
    reply(world, world.suggestion, "B")
    text = page(
        client_for("township").get(reverse("suggestions:detail", args=[world.suggestion.pk]))
    )
    assert 'data-testid="reply-class">乙类<' in text
    assert "县交通运输局答复（乙类）" in text  # the timeline
    deputy = page(client_for("deputy").get(reverse("suggestions:my_list")))
    assert "答复（乙类，县交通运输局" in deputy
    unit = page(
        client_for("unit").get(reverse("suggestions:unit_detail", args=[world.suggestion.pk]))
    )
    assert "乙类" in unit


def test_the_reply_letter_carries_the_places_class(world, jia_yi_bing, client_for):
    answer = reply(world, world.suggestion, "A")
    response = client_for("township").get(reverse("suggestions:reply_docx", args=[answer.pk]))
    assert response.status_code == 200
    texts = [p.text for p in Document(io.BytesIO(response.content)).paragraphs]
    assert "甲类" in texts
    assert "A类" not in texts


def test_the_figures_and_registers_show_the_places_labels(world, jia_yi_bing, client_for):
    reply(world, world.suggestion, "C")
    client = client_for("township")
    drill = page(
        client.get(reverse("suggestions:figures_items"), {"figure": "answered", "group": ""})
    )
    assert "<td>丙类</td>" in drill
    register = page(
        client.get(reverse("suggestions:register_print"), {"year": timezone.localdate().year})
    )
    assert "丙类" in register
    card = page(client.get(reverse("suggestions:card_print", args=[world.suggestion.pk])))
    assert "丙类" in card


def test_the_api_checks_the_scheme_and_returns_the_label(world, jia_yi_bing, client_for):
    client = client_for("unit")
    url = reverse("api:unit-suggestion-reply", args=[world.suggestion.pk])
    data = {
        "reply_class": "D",
        "text": "已列入明年计划",
        "commitment": "2027年6月前完成",
        "signed_by": "孙立军",
        "replied_on": timezone.localdate().isoformat(),
    }
    refused = client.post(url, data, content_type=JSON)
    assert refused.status_code == 400
    assert "甲类、乙类、丙类" in refused.json()["errors"]["reply_class"][0]
    response = client.post(url, {**data, "reply_class": "B"}, content_type=JSON)
    assert response.status_code == 201, response.json()
    assert response.json()["reply_class"] == "B"
    assert response.json()["reply_class_label"] == "乙类"
    listed = client.get(reverse("api:unit-suggestion-list")).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    replies = [r for item in rows for r in item["replies"]]
    assert [r["reply_class_label"] for r in replies] == ["乙类"]


def test_a_malformed_rule_refuses_replies_but_pages_still_open(world, client_for):
    RuleFactory(key=KEY, region=world.township, value={"A": "甲类"}, source=SOURCE)
    client = client_for("unit")
    url = reverse("suggestions:unit_reply", args=[world.suggestion.pk])
    page(client.get(url))
    text = page(
        client.post(
            url,
            {
                "reply_class": "A",
                "text": "已完成",
                "signed_by": "孙立军",
                "replied_on": timezone.localdate().isoformat(),
            },
        )
    )
    assert "答复类别：规则“suggestion.reply_classes”（青山镇）设置有误" in text
    assert not Reply.objects.exists()


# --- a new version from a date -------------------------------------------------------------------


def test_a_new_scheme_from_a_date_changes_only_replies_on_or_after_it(world, client_for):
    today = timezone.localdate()
    change_on = today - datetime.timedelta(days=10)
    rule_set(
        key=KEY,
        region=world.township,
        value=JIA_YI_BING,
        effective_from=change_on,
        source=SOURCE,
        actor=world.user("township"),
    )
    before = handling_item(world, "关于东河村路灯的建议")
    after = world.suggestion
    day_before = change_on - datetime.timedelta(days=1)

    # The day before, A–D applied: D is accepted and A is written A类.
    reply(world, before, "D", on=day_before)
    with pytest.raises(ValidationError) as refused:
        reply(world, after, "D", on=change_on)
    assert "reply_class" in refused.value.message_dict
    reply(world, after, "A", on=change_on)

    text = page(client_for("township").get(reverse("suggestions:register_print")))
    row = {
        number: text.split(f">{number}<", 1)[1].split("</tr>", 1)[0]
        for number in (before.number, after.number)
    }
    assert "D类" in row[before.number] and "甲类" not in row[before.number]
    assert "甲类" in row[after.number]
    assert reply_classes(world.township, day_before).label("A") == "A类"
    assert reply_classes(world.township, change_on).label("A") == "甲类"
