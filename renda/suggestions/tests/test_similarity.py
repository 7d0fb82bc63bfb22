"""Similar items: character-bigram TF-IDF cosine over title and body, the
threshold read from the rule `suggestion.similarity_threshold`."""

import datetime

import pytest

from renda.core.tests import factories as f
from renda.suggestions import services
from renda.suggestions.models import Suggestion
from renda.suggestions.similarity import group_similar, similar_to, similarity, threshold_for

# The cast's own item (world.suggestion), title and body.
ROAD = "关于修缮东河村通组公路的建议。东河村三组至五组道路破损严重，雨天无法通行，建议列入年度农村公路养护计划。"
ROAD_AGAIN = "关于维修东河村通组道路的建议。东河村三组到五组的道路破损严重，下雨天无法通行，建议纳入农村公路养护计划。"
CLINIC = "关于增加乡镇卫生院医生编制的建议。卫生院医生不足，群众看病难，建议增加编制。"
WATER = "关于解决龙泉镇集镇自来水水压不足的建议。集镇高处住户水压低，夏季经常停水。"
ON = datetime.date(2026, 3, 2)


def add_item(world, title: str, body: str) -> Suggestion:
    return services.suggestion_draft(
        entered_by=world.user("township"),
        congress=world.township_congress,
        occasion="interim",
        title=title,
        body=body,
        lead=world.person,
    )


@pytest.fixture
def items(world):
    """Three items of 青山镇 besides the cast's own road item."""
    return {
        "road": add_item(world, "关于维修东河村通组道路的建议", ROAD_AGAIN.split("。", 1)[1]),
        "clinic": add_item(world, "关于增加乡镇卫生院医生编制的建议", CLINIC.split("。", 1)[1]),
        "water": add_item(world, "关于解决集镇自来水水压不足的建议", WATER.split("。", 1)[1]),
    }


def test_near_duplicate_chinese_texts_score_high_and_unrelated_ones_low():
    assert similarity(ROAD, ROAD) == 1.0
    assert similarity(ROAD, ROAD_AGAIN) > 0.5
    assert similarity(ROAD, CLINIC) < 0.1
    assert similarity(ROAD, WATER) < 0.1


def test_full_width_forms_and_punctuation_do_not_matter():
    assert similarity("Ｇ３２０国道拓宽！", "g320国道拓宽。") == 1.0


def test_short_texts_are_compared_by_single_characters_too():
    # "路灯不亮" has three bigrams; with single characters it still finds
    # the longer report of the same lamp.
    assert similarity("路灯不亮", "东河村三组路灯坏了不亮") > 0.3
    assert similarity("路灯不亮", "卫生院缺医生") == 0.0


def test_similar_to_finds_the_near_duplicate_best_first(world, items):
    found = similar_to(ROAD, Suggestion.objects.all(), region=world.township, on=ON)
    assert [item for item, _ in found] == [world.suggestion, items["road"]]
    scores = [score for _, score in found]
    assert scores == sorted(scores, reverse=True)
    assert all(0.3 <= score <= 1.0 for score in scores)


def test_similar_to_weighs_a_given_title_with_the_body(world, items):
    title, body = ROAD_AGAIN.split("。", 1)
    found = similar_to(body, Suggestion.objects.all(), region=world.township, on=ON, title=title)
    assert found[0][0] == items["road"]


def test_unrelated_items_are_not_returned(world, items):
    found = similar_to(
        "关于在青山镇中心小学增设校车的建议", Suggestion.objects.all(), region=world.township, on=ON
    )
    assert found == []


def test_the_threshold_is_the_regions_rule(world, items):
    assert threshold_for(world.township, ON) == 0.3  # no rule: the default
    f.RuleFactory(
        key="suggestion.similarity_threshold",
        region=world.township,
        value=0.99,
        source="青山镇人大主席团办公室工作规则",
    )
    assert threshold_for(world.township, ON) == 0.99
    assert threshold_for(world.other_township, ON) == 0.3
    found = similar_to(ROAD_AGAIN, Suggestion.objects.all(), region=world.township, on=ON)
    assert [item for item, _ in found] == [items["road"]]  # its own text only
    found = similar_to(ROAD, Suggestion.objects.all(), region=world.other_township, on=ON)
    assert [item for item, _ in found] == [world.suggestion, items["road"]]


def test_limit_and_exclude_pk_are_respected(world, items):
    everything = Suggestion.objects.all()
    assert len(similar_to(ROAD, everything, region=world.township, on=ON, limit=1)) == 1
    assert similar_to(ROAD, everything, region=world.township, on=ON, limit=0) == []
    found = similar_to(
        ROAD, everything, region=world.township, on=ON, exclude_pk=world.suggestion.pk
    )
    assert [item for item, _ in found] == [items["road"]]


def test_only_the_candidates_given_are_searched(world, items):
    """Scope is the caller's: an item outside the queryset is never returned."""
    found = similar_to(
        ROAD,
        Suggestion.objects.filter(region=world.other_township),
        region=world.township,
        on=ON,
    )
    assert found == []


def test_similar_to_reads_the_candidates_in_one_query(world, items, django_assert_num_queries):
    candidates = Suggestion.objects.select_related("region", "congress")
    with django_assert_num_queries(2):  # the rule, then the candidates
        similar_to(ROAD, candidates, region=world.township, on=ON)


def test_empty_text_finds_nothing(world, items):
    assert similar_to(" 。", Suggestion.objects.all(), region=world.township, on=ON) == []


def test_group_similar_clusters_texts_by_single_link():
    texts = [
        ROAD,  # 0
        CLINIC,  # 1
        ROAD_AGAIN,  # 2
        "路灯不亮",  # 3
        "东河村三组路灯坏了，晚上不亮",  # 4
        "卫生院缺医生，建议增加医生编制",  # 5
        WATER,  # 6
    ]
    assert group_similar(texts, 0.3) == [[0, 2], [1, 5], [3, 4], [6]]
    assert group_similar(texts, 1.01) == [[i] for i in range(len(texts))]
    assert group_similar([], 0.3) == []


def test_group_similar_links_through_a_chain():
    """A is like B and B like C: one group, though A and C alone are not alike."""
    a = "东河村三组道路破损严重"
    b = "东河村三组道路破损严重，五组桥梁年久失修"
    c = "五组桥梁年久失修，存在安全隐患"
    assert similarity(a, c) < 0.3
    assert similarity(a, b) >= 0.3 and similarity(b, c) >= 0.3
    assert group_similar([a, c, b], 0.3) == [[0, 1, 2]]


def test_copies_of_a_text_are_one_group():
    texts = [ROAD, WATER, ROAD, "路灯不亮", ROAD, "路灯不亮"]
    assert group_similar(texts, 0.3) == [[0, 2, 4], [1], [3, 5]]
    # Above 1.0 nothing is alike, copies included; a text with no words is like nothing.
    assert group_similar(texts, 1.01) == [[i] for i in range(len(texts))]
    assert group_similar(["。", "。", ROAD], 0.3) == [[0], [1], [2]]
    # A text like the copies joins their group.
    with_copies = group_similar([ROAD, ROAD, ROAD, ROAD_AGAIN, CLINIC], 0.3)
    assert with_copies == [[0, 1, 2, 3], [4]]
