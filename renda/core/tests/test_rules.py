"""Rule sets: the version in force for a region on a date, and new versions."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from renda.core.models import Rule
from renda.core.rules import RuleMissing, rule_in_force, rule_value
from renda.core.services import rule_set
from renda.core.tests.factories import RuleFactory

D = datetime.date


def test_national_rule_applies_where_no_local_rule_exists(world):
    assert rule_value("suggestion.reply_months", world.village, D(2026, 3, 1)) == 3


def test_the_nearest_regions_rule_wins_over_the_national_one(world):
    RuleFactory(key="suggestion.reply_months", region=world.county, value=2)
    assert rule_value("suggestion.reply_months", world.village, D(2026, 3, 1)) == 2
    assert rule_value("suggestion.reply_months", None, D(2026, 3, 1)) == 3


def test_a_rule_is_not_in_force_before_or_after_its_period(world):
    RuleFactory(
        key="x.limit",
        region=world.county,
        value=1,
        effective_from=D(2024, 1, 1),
        effective_to=D(2024, 12, 31),
    )
    assert rule_value("x.limit", world.township, D(2024, 6, 1)) == 1
    assert rule_in_force("x.limit", world.township, D(2023, 12, 31)) is None
    assert rule_value("x.limit", world.township, D(2025, 1, 1), default=None) is None


def test_a_missing_rule_is_loud(world):
    with pytest.raises(RuleMissing, match="没有生效的规则“no.such.rule”"):
        rule_value("no.such.rule", world.township, D(2026, 1, 1))


def test_a_new_version_closes_the_previous_one_and_keeps_history(world):
    user = world.user("county")
    rule_set(
        key="suggestion.reply_months",
        region=world.county,
        value=3,
        effective_from=D(2025, 1, 1),
        source="县规定第三条",
        actor=user,
    )
    rule_set(
        key="suggestion.reply_months",
        region=world.county,
        value=2,
        effective_from=D(2026, 7, 1),
        source="县规定（修订）第三条",
        actor=user,
    )
    versions = list(
        Rule.objects.filter(key="suggestion.reply_months", region=world.county).order_by(
            "effective_from"
        )
    )
    assert [(v.value, v.effective_from, v.effective_to) for v in versions] == [
        (3, D(2025, 1, 1), D(2026, 6, 30)),
        (2, D(2026, 7, 1), None),
    ]
    assert rule_value("suggestion.reply_months", world.township, D(2026, 6, 30)) == 3
    assert rule_value("suggestion.reply_months", world.township, D(2026, 7, 1)) == 2
    assert versions[1].created_by == user


def test_a_version_cannot_be_slipped_in_before_a_later_one(world):
    user = world.user("county")
    rule_set(
        key="k",
        region=world.county,
        value=1,
        effective_from=D(2026, 1, 1),
        source="依据",
        actor=user,
    )
    with pytest.raises(ValidationError) as error:
        rule_set(
            key="k",
            region=world.county,
            value=0,
            effective_from=D(2025, 1, 1),
            source="依据",
            actor=user,
        )
    assert "生效日期" in str(error.value)


def test_a_rule_needs_a_cited_source(world):
    with pytest.raises(ValidationError, match="依据"):
        rule_set(
            key="k",
            region=world.county,
            value=1,
            effective_from=D(2026, 1, 1),
            source="  ",
            actor=None,
        )


def test_a_new_version_keeps_the_form_the_key_s_versions_have(world):
    rule_set(
        key="k.months",
        region=None,
        value={"months": 3, "from": "assigned"},
        effective_from=D(2020, 1, 1),
        source="依据",
        actor=None,
    )
    for wrong in (3, "三个月", {"months": 3}, [3]):
        with pytest.raises(ValidationError) as error:
            rule_set(
                key="k.months",
                region=world.county,
                value=wrong,
                effective_from=D(2026, 1, 1),
                source="依据",
                actor=None,
            )
        assert error.value.message_dict["value"] == [
            '“k.months”的取值应与已有版本同一形式，例如 {"from": "assigned", "months": 3}'
        ]
    rule = rule_set(
        key="k.months",
        region=world.county,
        value={"from": "received", "months": 2},
        effective_from=D(2026, 1, 1),
        source="依据",
        actor=None,
    )
    assert rule.value == {"from": "received", "months": 2}
