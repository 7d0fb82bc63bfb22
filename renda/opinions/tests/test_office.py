"""The opinions office pages: receptions, entering opinions, the ledger and
every outcome, the unit side, the monthly cycle and the person's privacy."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from renda.core.models import Rule, StateChange
from renda.core.tests.helpers import assert_pinned_queries, assert_waits_for_a_county, options
from renda.deputies.models import Station
from renda.opinions import forms_office, selectors, services
from renda.opinions.models import Opinion, OpinionAttachment, OpinionStatus, Reception
from renda.opinions.tests.matrix_office import MATRIX
from renda.suggestions.models import Status as SuggestionStatus
from renda.tests.matrix import OK

FULL_NAME, FULL_PHONE = "刘大妈", "13912345678"  # w.opinion's person
MASKED_NAME, MASKED_PHONE = "刘*", "139****5678"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _at_station(w, *, title="东河村五组饮水管破裂", content="五组饮水管破裂三天，村民取水困难。",
                phone="13800002222", sort=True):  # fmt: skip
    opinion, _ = services.opinion_receive(
        channel="station",
        region=w.village,
        station=w.station,
        collected_by=w.person,
        actor=w.user("liaison"),
        title=title,
        content=content,
        submitter_name="赵大爷",
        submitter_phone=phone,
    )
    if sort:
        services.opinion_sort(
            opinion=opinion, actor=w.user("township"), category=w.category, urgency="urgent"
        )
    return opinion


def _letter(region, *, title, content, phone):
    """An opinion sent by letter from `region`, not through a station."""
    opinion, _ = services.opinion_receive(
        channel="letter",
        region=region,
        title=title,
        content=content,
        submitter_name="来信群众",
        submitter_phone=phone,
    )
    return opinion


def _photo(name="现场.jpg", fmt="JPEG") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def _refresh(opinion) -> Opinion:
    return Opinion.objects.get(pk=opinion.pk)


def _url(name, obj) -> str:
    return reverse(f"opinions:{name}", args=[obj.pk])


# --- the authorization matrix's POST cases really succeed --------------------------------

POST_CASES = [
    (name, role)
    for name, case in MATRIX.items()
    if case.method == "post"
    for role, expected in case.expect.items()
    if expected == OK
    # w.station is not in 龙泉镇: the form refuses it (200 with a message).
    and not (role == "other_township" and name in ("opinions:create", "opinions:reception_create"))
]


@pytest.mark.parametrize(("url_name", "role"), POST_CASES)
def test_every_allowed_post_of_the_matrix_succeeds_and_redirects(url_name, role, world, client_for):
    case = MATRIX[url_name]
    response = client_for(role).post(reverse(url_name, kwargs=case.kwargs(world)), case.data(world))
    assert response.status_code == 302, response.content.decode()[:3000]


# --- privacy ---------------------------------------------------------------------------


def test_names_keep_the_first_character_and_phones_the_ends():
    assert selectors.mask_name("刘大妈") == "刘*"
    assert selectors.mask_name("") == ""
    assert selectors.mask_phone("13912345678") == "139****5678"


@pytest.mark.parametrize(
    ("role", "full"),
    [
        ("county", True),
        ("township", True),
        ("admin", True),
        ("unit", True),
        ("liaison", True),
        ("deputy", False),
        ("other_unit", False),
        ("other_township", False),
        ("public", False),
    ],
)
def test_only_those_handling_the_item_see_the_persons_name_and_phone(world, role, full):
    shown = selectors.submitter_for(world.user(role), world.opinion)
    expected = (FULL_NAME, FULL_PHONE) if full else (MASKED_NAME, MASKED_PHONE)
    assert (shown.name, shown.phone, shown.full) == (*expected, full)


def test_a_liaison_officer_sees_names_only_for_their_stations_opinions(world):
    liaison = world.user("liaison")
    assert selectors.submitter_for(liaison, world.opinion).full
    assert selectors.submitter_for(liaison, world.new_opinion).name == "陈*"


def test_a_deputy_sees_the_person_masked_in_the_ledger_detail_and_reception(world, client_for):
    client = client_for("deputy")
    for url in (
        reverse("opinions:list"),
        _url("detail", world.opinion),
        _url("reception_detail", world.reception),
    ):
        page = client.get(url).content.decode()
        assert MASKED_NAME in page and MASKED_PHONE in page, url
        assert FULL_NAME not in page and FULL_PHONE not in page, url


def test_the_other_unit_sees_its_own_person_in_full_and_never_ours(world, client_for):
    client = client_for("other_unit")
    page = client.get(reverse("opinions:unit_list")).content.decode()
    assert "王女士" in page and "13600005678" in page
    assert FULL_PHONE not in page
    assert client.get(_url("detail", world.opinion)).status_code == 404
    assert selectors.submitter_for(world.user("other_unit"), world.opinion).phone == MASKED_PHONE


def test_the_unit_and_staff_see_the_person_in_full(world, client_for):
    for role in ("unit", "township"):
        page = client_for(role).get(_url("detail", world.opinion)).content.decode()
        assert FULL_NAME in page and FULL_PHONE in page, role


# --- scope -------------------------------------------------------------------------------


def _ledger_titles(client, **params) -> set[str]:
    response = client.get(reverse("opinions:list"), params)
    assert response.status_code == 200
    return {opinion.title for opinion in response.context["page"]}


def test_township_staff_see_only_their_townships_opinions(world, client_for):
    assert _ledger_titles(client_for("township")) == {
        world.opinion.title,
        world.new_opinion.title,
    }
    assert _ledger_titles(client_for("other_township")) == {world.other_opinion.title}
    assert client_for("other_township").get(_url("detail", world.opinion)).status_code == 404


def test_a_unit_sees_only_the_opinions_assigned_to_it(world, client_for):
    response = client_for("unit").get(reverse("opinions:unit_list"))
    assert [o.pk for o in response.context["page"]] == [world.opinion.pk]
    assert client_for("unit").get(_url("detail", world.other_opinion)).status_code == 404
    assert client_for("unit").get(_url("detail", world.new_opinion)).status_code == 404


def test_the_unit_list_puts_the_earliest_due_first_and_overdue_in_red(world, client_for):
    later = _at_station(world, phone="13800009999")
    services.opinion_assign(opinion=later, actor=world.user("township"), unit=world.county_unit)
    Opinion.objects.filter(pk=world.opinion.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    response = client_for("unit").get(reverse("opinions:unit_list"))
    assert [o.pk for o in response.context["page"]] == [world.opinion.pk, later.pk]
    assert response.content.decode().count('data-overdue="1"') == 1


def test_the_ledger_filters_by_status_channel_township_month_and_overdue(world, client_for):
    client = client_for("county")
    assert _ledger_titles(client, status="received") == {world.new_opinion.title}
    assert _ledger_titles(client, channel="hotline") == {world.other_opinion.title}
    assert _ledger_titles(client, township=world.other_township.code) == {world.other_opinion.title}
    assert _ledger_titles(client, month="2020-01") == set()
    assert len(_ledger_titles(client, month=f"{timezone.localdate():%Y-%m}")) == 3
    assert _ledger_titles(client, overdue="1") == set()
    Opinion.objects.filter(pk=world.opinion.pk).update(due_on=datetime.date(2020, 1, 1))
    assert _ledger_titles(client, overdue="1") == {world.opinion.title}
    assert _ledger_titles(client, station=str(world.station.pk)) == {world.opinion.title}
    assert len(_ledger_titles(client, status="nonsense", category="x")) == 3


def test_the_ledger_query_count_does_not_grow_with_rows(world, client_for):
    client = client_for("township")

    def ledger():
        assert client.get(reverse("opinions:list")).status_code == 200

    def add_rows():
        for n in range(30):
            opinion = _at_station(
                world, title=f"意见{n}", content=f"内容{n}", phone=f"1380000{n:04d}"
            )
            services.opinion_assign(
                opinion=opinion, actor=world.user("township"), unit=world.county_unit
            )

    # The page's stations and units are two of them (read by pk, not joined).
    assert_pinned_queries(ledger, add_rows, expected=10)


def test_the_unit_list_query_count_does_not_grow_with_rows(world, client_for):
    client = client_for("unit")

    def unit_list():
        assert client.get(reverse("opinions:unit_list")).status_code == 200

    def add_rows():
        for n in range(30):
            opinion = _at_station(
                world, title=f"意见{n}", content=f"内容{n}", phone=f"1380000{n:04d}"
            )
            services.opinion_assign(
                opinion=opinion, actor=world.user("township"), unit=world.county_unit
            )

    assert_pinned_queries(unit_list, add_rows, expected=5)


# --- outcomes ---------------------------------------------------------------------------


def test_staff_sort_an_opinion_and_it_gets_a_ledger_number(world, client_for):
    response = client_for("township").post(
        _url("sort", world.new_opinion), {"category": world.category.pk, "urgency": "urgent"}
    )
    assert response.status_code == 302
    opinion = _refresh(world.new_opinion)
    assert opinion.status == OpinionStatus.SORTED
    assert opinion.number.startswith(f"{timezone.localdate():%Y%m}-")
    assert opinion.urgency == "urgent"


def test_sorting_without_a_category_names_the_field(world, client_for):
    response = client_for("township").post(_url("sort", world.new_opinion), {"urgency": "normal"})
    assert response.status_code == 200
    assert "类别：" in response.content.decode()
    assert _refresh(world.new_opinion).status == OpinionStatus.RECEIVED


def test_the_merge_page_offers_similar_opinions_and_merging_links_them(world, client_for):
    twin, _ = services.opinion_receive(
        channel="hotline",
        region=world.village,
        title="东河村三组路灯坏了",
        content="三组主干道的路灯坏了半年，晚上出行很不安全。",
        submitter_name="周大哥",
        submitter_phone="13700007777",
    )
    client = client_for("township")
    response = client.get(_url("merge", twin))
    similar = [item for item, _ in response.context["form"].similar]
    assert similar[0] == world.opinion
    assert world.new_opinion not in similar
    response = client.post(_url("merge", twin), {"into": world.opinion.pk})
    assert response.status_code == 302
    twin = _refresh(twin)
    assert (twin.status, twin.merged_into) == (OpinionStatus.MERGED, world.opinion)
    detail = client.get(_url("detail", world.opinion)).content.decode()
    assert "归并到本条的意见" in detail and twin.title in detail


def test_merging_by_receipt_code_and_an_unknown_code_is_named(world, client_for):
    client = client_for("township")
    response = client.post(_url("merge", world.new_opinion), {"code": "NOSUCH"})
    assert response.status_code == 200
    assert "NOSUCH" in response.content.decode()
    response = client.post(
        _url("merge", world.new_opinion), {"code": world.opinion.receipt_code.lower()}
    )
    assert response.status_code == 302
    assert _refresh(world.new_opinion).merged_into == world.opinion


def test_a_liaison_officer_solves_on_the_spot_and_answers_the_person(world, client_for):
    opinion = _at_station(world)
    client = client_for("liaison")
    detail = client.get(_url("detail", opinion))
    assert [name for name, _ in detail.context["actions"]] == ["solve"]
    assert client.post(_url("solve", opinion), {"result": "已联系水厂抢修"}).status_code == 302
    assert _refresh(opinion).status == OpinionStatus.SOLVED
    response = client.post(_url("answer", opinion), {"answer": "水管已修好", "method": "电话"})
    assert response.status_code == 302
    opinion = _refresh(opinion)
    assert (opinion.status, opinion.answer_method) == (OpinionStatus.ANSWERED, "电话")
    assert opinion.answered_at is not None


def test_liaison_officers_and_deputies_cannot_assign_escalate_convert_or_decline(world, client_for):
    opinion = _at_station(world)
    for role in ("liaison", "deputy"):
        client = client_for(role)
        for action in ("assign", "escalate", "convert", "decline", "merge"):
            assert client.get(_url(action, opinion)).status_code == 403, (role, action)
    assert client_for("deputy").get(_url("solve", opinion)).status_code == 403


def test_a_liaison_officer_cannot_sort_an_opinion_outside_their_stations(world, client_for):
    response = client_for("liaison").post(
        _url("sort", world.new_opinion), {"category": world.category.pk, "urgency": "normal"}
    )
    assert response.status_code == 403


def test_assigning_sets_the_rules_time_limit_and_the_unit_handles_it(world, client_for):
    opinion = _at_station(world)
    response = client_for("township").post(
        _url("assign", opinion), {"unit": world.township_unit.pk}
    )
    assert response.status_code == 302
    opinion = _refresh(opinion)
    assert opinion.status == OpinionStatus.ASSIGNED
    assert opinion.unit == world.township_unit
    assert opinion.due_on > timezone.localdate()
    assert opinion.due_rule.key == "opinion.handle_working_days"


def test_assigning_without_a_rule_in_force_shows_the_rules_message(world, client_for):
    Rule.objects.filter(key="opinion.handle_working_days").update(key="opinion.retired")
    opinion = _at_station(world)
    response = client_for("township").post(
        _url("assign", opinion), {"unit": world.township_unit.pk}
    )
    assert response.status_code == 200
    assert "opinion.handle_working_days" in response.content.decode()
    assert _refresh(opinion).status == OpinionStatus.SORTED


def test_escalating_then_recording_the_result_and_answering(world, client_for):
    opinion = _at_station(world)
    client = client_for("county")
    assert client.post(_url("escalate", opinion), {"to": "市人大常委会"}).status_code == 302
    assert _refresh(opinion).escalated_to == "市人大常委会"
    assert client.post(_url("handled", opinion), {"result": "市里已立项"}).status_code == 302
    assert _refresh(opinion).status == OpinionStatus.HANDLED
    client.post(_url("answer", opinion), {"answer": "市里已立项解决", "method": "当面"})
    assert _refresh(opinion).status == OpinionStatus.ANSWERED


def test_converting_creates_a_submitted_suggestion_linked_both_ways(world, client_for):
    opinion = _at_station(world)
    client = client_for("township")
    form = client.get(_url("convert", opinion)).context["form"]
    assert form.initial["lead"] == world.person.pk
    assert form.initial["body"] == opinion.content
    assert form.initial["congress"] == world.township_congress.pk
    response = client.post(
        _url("convert", opinion),
        {
            "congress": world.township_congress.pk,
            "lead": world.person.pk,
            "title": "关于改造东河村五组饮水管网的建议",
            "body": "五组饮水管老化，建议改造。",
            "category": world.category.pk,
        },
    )
    assert response.status_code == 302
    opinion = _refresh(opinion)
    suggestion = opinion.suggestion
    assert opinion.status == OpinionStatus.CONVERTED
    assert suggestion.source_opinion == opinion
    assert suggestion.status == SuggestionStatus.SUBMITTED
    assert suggestion.occasion == "interim" and suggestion.number
    assert suggestion.authorships.get(role="lead").person == world.person
    detail = client.get(_url("detail", opinion)).content.decode()
    assert reverse("suggestions:detail", args=[suggestion.pk]) in detail


def test_declining_requires_a_reason_then_the_person_is_answered(world, client_for):
    opinion = _at_station(world)
    client = client_for("township")
    response = client.post(_url("decline", opinion), {"reason": ""})
    assert "不予受理理由：" in response.content.decode()
    assert client.post(_url("decline", opinion), {"reason": "属诉讼事项"}).status_code == 302
    answer = client.get(_url("answer", opinion)).context["form"]
    assert answer.initial["answer"] == "属诉讼事项"
    client.post(_url("answer", opinion), {"answer": "请依法起诉", "method": "书面"})
    assert _refresh(opinion).status == OpinionStatus.ANSWERED


def test_an_action_the_state_does_not_allow_says_why_instead_of_failing(world, client_for):
    client = client_for("township")
    page = client.get(_url("solve", world.new_opinion))
    assert page.status_code == 200 and 'data-testid="not-open"' in page.content.decode()
    response = client.post(_url("solve", world.new_opinion), {"result": "已解决"})
    assert response.status_code == 200
    assert "不能当场解决" in response.content.decode()


def test_the_unit_records_its_result_and_staff_then_answer(world, client_for):
    client = client_for("unit")
    assert [n for n, _ in client.get(_url("detail", world.opinion)).context["actions"]] == [
        "unit_handle",
        "unit_return",
    ]
    response = client.post(_url("unit_handle", world.opinion), {"result": "已更换路灯 12 盏"})
    assert response.status_code == 302
    opinion = _refresh(world.opinion)
    assert (opinion.status, opinion.handling_result) == (OpinionStatus.HANDLED, "已更换路灯 12 盏")
    response = client_for("township").post(
        _url("answer", opinion), {"answer": "路灯已修好", "method": "电话"}
    )
    assert response.status_code == 302


def test_the_unit_returns_an_item_with_a_reason_and_loses_sight_of_it(world, client_for):
    client = client_for("unit")
    assert "退回理由：" in client.post(_url("unit_return", world.opinion), {}).content.decode()
    response = client.post(_url("unit_return", world.opinion), {"reason": "不属本单位职责"})
    assert response.status_code == 302 and response["Location"] == reverse("opinions:unit_list")
    opinion = _refresh(world.opinion)
    assert (opinion.status, opinion.unit) == (OpinionStatus.SORTED, None)
    assert client.get(_url("detail", world.opinion)).status_code == 404


def test_another_unit_gets_404_on_the_unit_actions(world, client_for):
    client = client_for("other_unit")
    assert client.post(_url("unit_handle", world.opinion), {"result": "x"}).status_code == 404
    assert client.post(_url("unit_return", world.opinion), {"reason": "x"}).status_code == 404


def test_every_move_shows_on_the_timeline(world, client_for):
    page = client_for("township").get(_url("detail", world.opinion))
    events = [change.event for change in page.context["timeline"]]
    assert events == ["received", "sorted", "assigned"]


# --- receptions ---------------------------------------------------------------------------


def test_the_reception_form_offers_the_stations_last_scheduled_days(world, client_for):
    response = client_for("liaison").get(
        reverse("opinions:reception_create"), {"station": world.station.pk}
    )
    scheduled = response.context["scheduled"]
    today = timezone.localdate()
    assert scheduled.recent and all(day.day <= today for day in scheduled.recent)
    assert all(day.day.weekday() == 1 for day in scheduled.recent)  # 每周二
    assert scheduled.upcoming.day > today
    assert response.context["form"].initial["deputies"] == [world.person.pk]


def test_a_liaison_officer_s_form_opens_on_their_station_and_today(world, client_for):
    """With one station, the form is filled for it: no 'not at a station'
    choice, its resident deputies on duty, today's date in the picker."""
    response = client_for("liaison").get(reverse("opinions:reception_create"))
    html = response.content.decode()
    assert "（不在联络站）" not in html
    assert f'<option value="{world.station.pk}" selected>' in html
    assert response.context["form"].initial["deputies"] == [world.person.pk]
    assert f'name="held_on" value="{timezone.localdate().isoformat()}"' in html


def test_province_staff_pick_a_county_or_a_station_before_the_lists_fill(world, province, client):
    client.force_login(province["user"])
    url = reverse("opinions:reception_create")
    html = client.get(url).content.decode()
    assert_waits_for_a_county(html, province, "station", "region", "deputies")

    html = client.get(url, {"area": province["other"].code}).content.decode()
    assert {s.name for s in Station.objects.filter(pk__in=options(html, "station"))} == {
        "白沙镇代表联络站"
    }
    assert str(world.person.pk) not in options(html, "deputies")

    # A station names its county: its scheduled days' links carry no area.
    page = client.get(url, {"station": world.station.pk})
    assert page.context["form"].area.chosen == world.county
    assert str(world.person.pk) in options(page.content.decode(), "deputies")


def test_a_liaison_officer_records_a_reception_at_their_station(world, client_for):
    held_on = timezone.localdate() - datetime.timedelta(days=1)
    response = client_for("liaison").post(
        reverse("opinions:reception_create"),
        {
            "station": world.station.pk,
            "kind": "scheduled",
            "held_on": held_on.isoformat(),
            "deputies": [world.person.pk],
            "people_received": 8,
        },
    )
    assert response.status_code == 302
    reception = Reception.objects.latest("pk")
    assert (reception.region, reception.held_on, reception.people_received) == (
        world.village,
        held_on,
        8,
    )
    assert list(reception.deputies.all()) == [world.person]


def test_a_reception_in_the_future_is_refused_on_the_date_field(world, client_for):
    response = client_for("township").post(
        reverse("opinions:reception_create"),
        {
            "station": world.station.pk,
            "kind": "ad_hoc",
            "held_on": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
            "deputies": [world.person.pk],
            "people_received": 1,
        },
    )
    assert response.status_code == 200
    assert "接待日期：接待日期不能晚于今天" in response.content.decode()


def test_a_deputy_records_only_household_visits_and_is_on_duty_for_them(world, client_for):
    client = client_for("deputy")
    form = client.get(reverse("opinions:reception_create")).context["form"]
    assert [value for value, _ in form.fields["kind"].choices] == ["household"]
    response = client.post(
        reverse("opinions:reception_create"),
        {"kind": "household", "held_on": timezone.localdate().isoformat(), "people_received": 2},
    )
    assert response.status_code == 302
    reception = Reception.objects.latest("pk")
    assert (reception.kind, reception.region) == ("household", world.township)
    assert list(reception.deputies.all()) == [world.person]
    response = client.post(
        reverse("opinions:reception_create"),
        {"kind": "scheduled", "held_on": timezone.localdate().isoformat(), "people_received": 2},
    )
    assert response.status_code == 200 and "接待方式：" in response.content.decode()


def test_deputies_see_the_receptions_they_were_on_duty_for(world, client_for):
    others = services.reception_record(
        actor=world.user("township"),
        region=world.township,
        kind="ad_hoc",
        held_on=timezone.localdate(),
        deputies=[world.county_person],
    )
    listed = client_for("deputy").get(reverse("opinions:reception_list")).context["page"]
    assert [r.pk for r in listed] == [world.reception.pk]
    assert client_for("deputy").get(_url("reception_detail", others)).status_code == 404
    assert client_for("township").get(_url("reception_detail", others)).status_code == 200
    # The liaison officer keeps their station's register, not others'.
    assert client_for("liaison").get(_url("reception_detail", others)).status_code == 404


def test_the_reception_page_lists_its_opinions_and_offers_to_add_one(world, client_for):
    page = client_for("liaison").get(_url("reception_detail", world.reception))
    assert list(page.context["opinions"]) == [world.opinion]
    html = page.content.decode()
    assert f"{reverse('opinions:create')}?reception={world.reception.pk}" in html
    form = (
        client_for("liaison")
        .get(reverse("opinions:create"), {"reception": world.reception.pk})
        .context["form"]
    )
    assert form.initial["station"] == world.station.pk and form.initial["channel"] == "reception"


# --- entering an opinion --------------------------------------------------------------------


def _entry(world, **extra) -> dict:
    return {
        "channel": "reception",
        "reception": world.reception.pk,
        "station": world.station.pk,
        "place": "三组晒场",
        "title": "晒场积水",
        "content": "下雨后晒场积水，无法晒粮。",
        "category": world.category.pk,
        "urgency": "important",
        "people_concerned": 30,
        "submitter_name": " 钱大叔 ",
        "submitter_phone": "13311112222",
        **extra,
    }


def test_a_deputy_enters_an_opinion_with_photos_on_the_persons_behalf(world, client_for):
    client = client_for("deputy")
    response = client.post(
        reverse("opinions:create"),
        _entry(world, photos=[_photo(), _photo("b.png", "PNG")]),
    )
    assert response.status_code == 302
    opinion = Opinion.objects.latest("pk")
    assert (opinion.collected_by, opinion.entered_by) == (world.person, world.user("deputy"))
    assert (opinion.station, opinion.reception, opinion.region) == (
        world.station,
        world.reception,
        world.village,
    )
    assert opinion.submitter_name == "钱大叔" and opinion.content.startswith("地点：三组晒场")
    assert sorted(a.content_type for a in opinion.attachments.all()) == [
        "image/jpeg",
        "image/png",
    ]
    attachment = opinion.attachments.first()
    assert client_for("township").get(_url("attachment", attachment)).status_code == 200
    assert client_for("other_township").get(_url("attachment", attachment)).status_code == 404


def test_province_staff_pick_a_county_before_entering_an_opinion(world, province, client):
    client.force_login(province["user"])
    url = reverse("opinions:create")
    held_back = ("reception", "station", "region", "collected_by")
    assert_waits_for_a_county(client.get(url).content.decode(), province, *held_back)
    picked = client.get(url, {"area": world.county.code}).content.decode()
    assert str(world.station.pk) in options(picked, "station")
    assert str(world.person.pk) in options(picked, "collected_by")
    assert not options(picked, "station") & {
        str(s.pk) for s in Station.objects.filter(region=province["township"])
    }
    # From a reception the county is its own.
    from_reception = client.get(url, {"reception": world.reception.pk}).content.decode()
    assert str(world.reception.pk) in options(from_reception, "reception")

    response = client.post(f"{url}?area={world.county.code}", _entry(world))
    assert response.status_code == 302
    assert Opinion.objects.filter(title="晒场积水", entered_by=province["user"]).exists()


def test_the_web_channel_is_not_offered_to_staff(world, client_for):
    form = client_for("township").get(reverse("opinions:create")).context["form"]
    assert "web" not in [value for value, _ in form.fields["channel"].choices]


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("假照片.jpg", b"not an image at all"), "不是有效的 JPG 或 PNG 图片"),
        (lambda: _photo("照片.png"), "与文件扩展名不符"),
        (lambda: _photo("照片.gif", "GIF"), "不是 JPG 或 PNG 图片"),
    ],
)
def test_a_photo_that_is_not_a_real_jpg_or_png_is_refused_by_name(
    world, client_for, upload, message
):
    upload = upload() if callable(upload) else upload
    response = client_for("township").post(reverse("opinions:create"), _entry(world, photos=upload))
    assert response.status_code == 200
    assert f"现场照片：“{upload.name}”" in response.content.decode()
    assert message in response.content.decode()
    assert not OpinionAttachment.objects.exists()


def test_a_photo_over_5_mb_is_refused(world, client_for, monkeypatch):
    monkeypatch.setattr(forms_office, "MAX_PHOTO_BYTES", 10)
    response = client_for("township").post(
        reverse("opinions:create"), _entry(world, photos=_photo())
    )
    assert "超过 5 MB" in response.content.decode()


def test_a_bad_phone_or_missing_name_is_named_in_chinese(world, client_for):
    response = client_for("township").post(
        reverse("opinions:create"), _entry(world, submitter_phone="abc", submitter_name="")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "反映人电话：请填写正确的电话号码" in html
    assert "反映人姓名：" in html


def test_a_liaison_officer_must_enter_opinions_for_their_own_station(world, client_for):
    response = client_for("liaison").post(
        reverse("opinions:create"), _entry(world, station=world.other_station.pk, reception="")
    )
    assert response.status_code == 200 and "联络站：" in response.content.decode()


# --- the monthly cycle --------------------------------------------------------------------


def test_the_cycle_counts_each_step_per_station_and_township(world, client_for):
    twin, _ = services.opinion_receive(
        channel="station",
        region=world.village,
        station=world.station,
        title="东河村三组路灯坏了",
        content="三组主干道的路灯坏了半年，晚上出行很不安全。",
        submitter_name="周大哥",
        submitter_phone="13700007777",
    )
    solved = _at_station(world)
    services.opinion_solve(opinion=solved, actor=world.user("liaison"), result="已修")
    declined = _at_station(world, title="邻里纠纷", content="邻居占用宅基地。", phone="13811110000")
    services.opinion_decline(opinion=declined, actor=world.user("township"), reason="属诉讼事项")
    old = _at_station(world, title="去年的意见", content="早已办结。", phone="13822220000")
    Opinion.objects.filter(pk=old.pk).update(received_at=timezone.now() - datetime.timedelta(400))

    response = client_for("county").get(reverse("opinions:cycle"))
    cycle = response.context["cycle"]
    row = lambda r: (r.collected, r.sorted, r.summarised, r.registered, r.assigned)  # noqa: E731
    # w.opinion, w.new_opinion, w.other_opinion, twin, solved, declined; the
    # twin and w.opinion are one issue.
    assert row(cycle.total) == (6, 4, 5, 4, 3)
    assert cycle.total.declined == 1
    stations = {r.label: row(r) for r in cycle.stations}
    assert stations == {"东河村代表联络站": (4, 3, 3, 3, 2), "未经联络站": (2, 1, 2, 1, 1)}
    townships = {r.label: row(r) for r in cycle.townships}
    assert townships == {"青山镇": (5, 3, 4, 3, 2), "龙泉镇": (1, 1, 1, 1, 1)}
    assert [{o.pk for o in group} for group in cycle.groups] == [{world.opinion.pk, twin.pk}]
    assert 'data-step="summarised">5<' in response.content.decode()


def test_alike_opinions_of_two_townships_are_two_issues(world, client_for):
    """An issue is one township's to summarise: the same words from 青山镇 and
    龙泉镇 are two lamps, while two from 青山镇 are one issue."""
    text = {"title": "村口路灯坏了", "content": "村口的路灯坏了一个月，晚上出行很不安全。"}
    here = _at_station(world, phone="13811112222", **text)
    again = _at_station(world, phone="13811113333", **text)
    there = _letter(world.other_township, phone="13811114444", **text)
    cycle = client_for("county").get(reverse("opinions:cycle")).context["cycle"]
    lamps = [{o.pk for o in group} for group in cycle.groups if there.pk in {o.pk for o in group}]
    assert lamps == []  # 龙泉镇's stands alone
    assert {here.pk, again.pk} in [{o.pk for o in group} for group in cycle.groups]
    townships = {r.label: r.summarised for r in cycle.townships}
    assert townships["龙泉镇"] == 2  # world's own opinion there and the lamp


def test_a_province_sees_its_counties_and_picks_one_for_stations_and_issues(
    world, province, client
):
    _at_station(world, phone="13811115555")  # 测试县: world's three and this one
    _letter(
        province["township"], title="白沙镇渡口", content="渡口的船太旧了。", phone="13811116666"
    )
    client.force_login(province["user"])
    response = client.get(reverse("opinions:cycle"))
    assert response.status_code == 200
    cycle = response.context["cycle"]
    counties = {r.label: (r.collected, r.sorted, r.registered, r.assigned) for r in cycle.counties}
    html = response.content.decode()
    assert counties == {"测试县": (4, 3, 3, 2), "邻县": (1, 0, 0, 0)}
    assert cycle.total.collected == 5 and cycle.total.summarised is None
    assert cycle.stations == [] and cycle.groups == []
    assert 'data-testid="cycle-stations"' not in html
    assert f"area={province['other'].code}" in html  # a county row opens its cycle

    picked = client.get(reverse("opinions:cycle"), {"area": world.county.code})
    assert picked.context["cycle"].counties == []
    assert picked.context["cycle"].total.collected == 4
    assert {r.label for r in picked.context["cycle"].townships} == {"青山镇", "龙泉镇"}
    assert 'data-testid="cycle-stations"' in picked.content.decode()
    assert f"area={world.county.code}" in picked.content.decode()  # the month links keep it

    _letter(
        province["region"], title="全省的事", content="省级层面反映的问题。", phone="13811117777"
    )
    own = client.get(reverse("opinions:cycle")).context["cycle"].counties[0]
    assert (own.label, own.key, own.collected) == ("测试省（本级）", "", 1)  # no county to open


def test_township_staff_see_the_cycle_of_their_township_only(world, client_for):
    cycle = client_for("other_township").get(reverse("opinions:cycle")).context["cycle"]
    assert [r.label for r in cycle.townships] == ["龙泉镇"]
    assert cycle.total.collected == 1


def test_a_bad_month_falls_back_to_this_month_with_a_message(world, client_for):
    response = client_for("county").get(reverse("opinions:cycle"), {"month": "2026-13"})
    assert response.status_code == 200
    assert response.context["month"] == timezone.localdate().replace(day=1)
    assert "月份“2026-13”格式不对" in response.content.decode()


def test_an_earlier_month_counts_by_local_time(world, client_for):
    """Months run in Beijing time: 00:30 on 1 November is November, though it is 31 October in UTC."""
    shanghai = ZoneInfo("Asia/Shanghai")
    # The world's other opinions were received today, which may be in either month.
    Opinion.objects.exclude(pk__in=[world.opinion.pk, world.new_opinion.pk]).update(
        received_at=datetime.datetime(2026, 9, 15, 10, 0, tzinfo=shanghai)
    )
    Opinion.objects.filter(pk=world.opinion.pk).update(
        received_at=datetime.datetime(2026, 10, 31, 23, 30, tzinfo=shanghai)
    )
    Opinion.objects.filter(pk=world.new_opinion.pk).update(
        received_at=datetime.datetime(2026, 11, 1, 0, 30, tzinfo=shanghai)
    )
    october = client_for("county").get(reverse("opinions:cycle"), {"month": "2026-10"})
    assert october.context["cycle"].total.collected == 1
    november = client_for("county").get(reverse("opinions:cycle"), {"month": "2026-11"})
    assert november.context["cycle"].total.collected == 1


def test_the_cycle_query_count_does_not_grow_with_rows(world, client_for):
    client = client_for("county")

    def page():
        assert client.get(reverse("opinions:cycle")).status_code == 200

    def add_rows():
        for n in range(30):
            _at_station(world, title=f"意见{n}", content=f"第{n}号内容", phone=f"1380000{n:04d}")

    assert_pinned_queries(page, add_rows, expected=7)


def test_no_write_leaves_a_move_unrecorded(world, client_for):
    """Every outcome above goes through the services: each move has a change row."""
    opinion = _at_station(world)
    before = StateChange.objects.count()
    client_for("township").post(_url("decline", opinion), {"reason": "重复反映"})
    assert StateChange.objects.count() == before + 1
