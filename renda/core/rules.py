"""Reading rule sets: the rule in force for a region on a date.

Every capability that applies a deadline, a threshold or a rate reads it
here, never from a literal in code. See `Rule` for the data model.
"""

import datetime

from django.db.models import Q

from renda.core.models import Region, Rule

_MISSING = object()


class RuleMissing(LookupError):
    """No rule with this key is in force for the region on the date."""


def rule_in_force(key: str, region: Region | None, on: datetime.date) -> Rule | None:
    """The version of `key` in force on `on` for `region`: the region's own
    row if it has one, else the nearest region above it, else the national row."""
    codes = region.ancestor_codes() if region is not None else []
    candidates = (
        Rule.objects.filter(key=key)
        .in_force(on)
        .filter(Q(region__code__in=codes) | Q(region__isnull=True))
        .select_related("region")
    )
    # At most one row per level is in force, so this picks among a handful.
    return max(candidates, key=_precedence, default=None)


def _precedence(rule: Rule):
    """The nearest region first (national last), then the latest version."""
    return (len(rule.region.code) if rule.region_id else 0, rule.effective_from)


class RuleBook:
    """The versions of `keys` that may apply to `regions`, read in one query;
    `rule(key, region, on)` then picks, for any region among them and any
    date, the row `rule_in_force` would pick. Lists and registers that
    apply a rule to many rows on many dates read one book."""

    def __init__(self, keys, regions):
        regions = [region for region in regions if region is not None]
        codes = {code for region in regions for code in region.ancestor_codes()}
        self._rows = list(
            Rule.objects.filter(key__in=list(keys))
            .filter(Q(region__code__in=codes) | Q(region__isnull=True))
            .select_related("region")
        )

    def rule(self, key: str, region: Region, on: datetime.date) -> Rule | None:
        above = set(region.ancestor_codes())
        applicable = [
            r
            for r in self._rows
            if r.key == key
            and r.effective_from <= on
            and (r.effective_to is None or on <= r.effective_to)
            and (r.region_id is None or r.region.code in above)
        ]
        return max(applicable, key=_precedence, default=None)


def rules_in_force(keys, regions, on: datetime.date) -> dict[tuple[int, str], Rule]:
    """{(region pk, key): rule} as `rule_in_force` would give for each pair,
    read in one query for any number of regions, so a list page does not make
    one query per township."""
    keys, regions = list(keys), list(regions)
    book = RuleBook(keys, regions)
    found = {}
    for region in regions:
        for key in keys:
            best = book.rule(key, region, on)
            if best is not None:
                found[(region.pk, key)] = best
    return found


def rule_value(key: str, region: Region | None, on: datetime.date, default=_MISSING):
    """The value of the rule in force, or `default`; raises RuleMissing if
    there is neither, so a missing rule is loud rather than silently zero."""
    rule = rule_in_force(key, region, on)
    if rule is not None:
        return rule.value
    if default is _MISSING:
        where = region.name if region is not None else "全国"
        raise RuleMissing(f"{where}在 {on:%Y-%m-%d} 没有生效的规则“{key}”")
    return default
