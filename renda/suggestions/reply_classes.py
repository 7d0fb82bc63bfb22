"""The reply-class scheme (答复分类) in force for a place on a date.

Offices class replies differently: A/B/C, A-D, or 甲/乙/丙. The scheme is a
versioned rule row, key `suggestion.reply_classes`, read only here. Its
value is a list, one entry per class, in the order the form offers them:

    [
        {"code": "A", "label": "甲类", "meaning": "所提问题已经解决或基本解决"},
        {"code": "B", "label": "乙类", "meaning": "所提问题正在解决或已列入计划逐步解决"},
        {"code": "C", "label": "丙类", "meaning": "因条件限制，留作参考或今后研究解决"},
    ]

`code` is one of the stored codes (ReplyClass: A, B, C, D), so the figures
keep working whatever the labels; `label` is what pages, letters and
registers show; `meaning` is optional. Code A is the class of "solved or
adopted": an A reply closes the item once the authors accept it, every other
class carries a commitment followed until done; so every scheme has an A.

A reply is shown and checked under the scheme in force for its item's
region on its reply date: a new version from a date changes only replies
dated on or after it.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from renda.core.models import Region, Rule
from renda.core.rules import RuleBook
from renda.suggestions.models import ReplyClass

KEY = "suggestion.reply_classes"

# The national default: the stored codes' own labels. Seeded as the national
# rule row for the demo and the tests; also what a place without any row shows.
DEFAULT_CLASSES = [
    {"code": "A", "label": "A类", "meaning": "所提问题已经解决或基本解决"},
    {"code": "B", "label": "B类", "meaning": "所提问题正在解决或已列入计划逐步解决"},
    {"code": "C", "label": "C类", "meaning": "因条件限制，所提问题需今后研究解决"},
    {"code": "D", "label": "D类", "meaning": "因法律政策或实际条件所限无法解决，已作解释说明"},
]
DEFAULT_SOURCE = "系统默认答复分类（A、B、C、D 四类）；各地可按本地办法设置本地的答复分类"


@dataclass(frozen=True)
class ReplyClassOption:
    code: str
    label: str
    meaning: str = ""

    @property
    def choice_label(self) -> str:
        return f"{self.label}（{self.meaning}）" if self.meaning else self.label


@dataclass(frozen=True)
class Scheme:
    """The classes an office uses on a date, and the rule row they come from
    (None when no row applies). `problem` says what is wrong with a row
    whose value cannot be read; the stored codes' own labels stand in."""

    options: tuple[ReplyClassOption, ...]
    rule: Rule | None = None
    problem: str = ""

    @property
    def codes(self) -> list[str]:
        return [option.code for option in self.options]

    def label(self, code: str) -> str:
        """The class as this scheme writes it; a code outside the scheme
        (a reply made under an earlier one) keeps its stored label."""
        for option in self.options:
            if option.code == code:
                return option.label
        return dict(ReplyClass.choices).get(code, code)

    def choices(self) -> list[tuple[str, str]]:
        return [(option.code, option.choice_label) for option in self.options]

    @property
    def labels_text(self) -> str:
        return "、".join(option.label for option in self.options)

    @property
    def solved_label(self) -> str:
        return self.label(ReplyClass.A)

    @property
    def commitment_labels(self) -> str:
        """The classes that carry a commitment (all but A), as one phrase."""
        return "、".join(option.label for option in self.options if option.code != ReplyClass.A)


def parse(value) -> tuple[ReplyClassOption, ...]:
    """The options of a rule value, or ValueError saying what is wrong."""
    if not isinstance(value, list) or not value:
        raise ValueError("取值应为列表，每项包含 code、label 和 meaning")
    options, seen = [], set()
    for number, entry in enumerate(value, start=1):
        if not isinstance(entry, dict):
            raise ValueError(f"第{number}项应为包含 code、label 的对象")
        code, label = entry.get("code"), entry.get("label")
        meaning = entry.get("meaning") or ""
        if code not in ReplyClass.values:
            raise ValueError(
                f"第{number}项的 code “{code}”不是可存储的代码（{'、'.join(ReplyClass.values)}）"
            )
        if code in seen:
            raise ValueError(f"代码 {code} 重复")
        if not isinstance(label, str) or not label.strip() or not isinstance(meaning, str):
            raise ValueError(f"第{number}项应写明类别名称 label")
        seen.add(code)
        options.append(ReplyClassOption(code, label.strip(), meaning.strip()))
    if ReplyClass.A not in seen:
        raise ValueError("须包含代码 A（所提问题已解决或采纳的一类）")
    return tuple(options)


DEFAULT_OPTIONS = parse(DEFAULT_CLASSES)


def _scheme(rule: Rule | None) -> Scheme:
    if rule is None:
        return Scheme(DEFAULT_OPTIONS)
    try:
        return Scheme(parse(rule.value), rule)
    except ValueError as error:
        return Scheme(DEFAULT_OPTIONS, rule, f"规则“{KEY}”（{rule.jurisdiction}）设置有误：{error}")


class SchemeBook:
    """The scheme rows that may apply to some regions, read in one query
    (a `RuleBook`); `scheme(region, on)` then gives, for any date, the
    scheme `rule_in_force` would pick. Lists and registers label all their
    replies from one book."""

    def __init__(self, regions: Iterable[Region]):
        self._book = RuleBook([KEY], regions)

    def scheme(self, region: Region, on: datetime.date) -> Scheme:
        return _scheme(self._book.rule(KEY, region, on))


def reply_classes(region: Region, on: datetime.date) -> Scheme:
    """The reply-class scheme in force for `region` on `on`."""
    return SchemeBook([region]).scheme(region, on)


def label_replies(replies: Iterable, *, region: Region | None = None, book=None) -> list:
    """Set `class_label` on each reply: its class under the scheme of its
    item's region (`region`, else `reply.suggestion.region`, which the
    caller loads) on its reply date. One query for any number of replies."""
    replies = list(replies)
    regions = {}
    for reply in replies:
        where = region or reply.suggestion.region
        regions[where.pk] = where
    book = book or SchemeBook(regions.values())
    for reply in replies:
        where = region or reply.suggestion.region
        reply.class_label = book.scheme(where, reply.replied_on).label(reply.reply_class)
    return replies
