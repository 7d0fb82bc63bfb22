"""Structure statistics from the command line:

    manage.py structure_report --region 990121 --level county --term 18 \
        [--date 2026-07-01] [--format json|table]

The same figures as the page and its Excel export (all three call
`renda.deputies.structure.structure_report`), over every deputy of the
region: the command has no user, so no scope applies.
"""

import json
import unicodedata

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from renda.deputies.models import Level
from renda.deputies.structure import StructureQueryForm, structure_report

# The level may be given as its value (county) or as its label (县人大代表).
LEVEL_BY_LABEL = {str(label): value for value, label in Level.choices}


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - _width(text), 0)


class Command(BaseCommand):
    help = "统计某区划某层级某届代表的结构比例（年龄、党派、职业、性别、文化程度、民族、连任）"

    def add_arguments(self, parser):
        parser.add_argument("--region", required=True, help="区划代码，如 990121")
        parser.add_argument(
            "--level",
            required=True,
            help="代表层级：" + "、".join(f"{value}（{label}）" for value, label in Level.choices),
        )
        parser.add_argument("--term", required=True, help="届次数字，如 18 表示第十八届")
        parser.add_argument("--date", default="", help="统计日期 YYYY-MM-DD，默认今天")
        parser.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, *args, **options):
        level = options["level"].strip()
        form = StructureQueryForm(
            {
                "region": options["region"],
                "level": LEVEL_BY_LABEL.get(level, level),
                "term": options["term"],
                "on": options["date"] or timezone.localdate().isoformat(),
            }
        )
        if not form.is_valid():
            raise CommandError("参数有误：" + "；".join(form.error_lines()))
        if form.cleaned_data["term"] is None:
            raise CommandError("参数有误：届次：请填写届次，如 18")
        report = structure_report(
            region=form.cleaned_data["region"],
            level=form.cleaned_data["level"],
            term_number=form.cleaned_data["term"],
            on=form.cleaned_data["on"],
        )
        if options["format"] == "json":
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        else:
            self._write_table(report)

    def _write_table(self, report):
        write = self.stdout.write
        write(report.title)
        write(f"在任代表：{report.total} 名")
        for dimension in report.dimensions:
            write("")
            write(f"【{dimension.title}】")
            for row in dimension.rows:
                write(f"  {_pad(row.label, 28)}{row.count:>6}  {row.percent:>7}%")
        if report.checks:
            write("")
            write("【对照结构要求】")
            for check in report.checks:
                write(
                    f"  {_pad(check.title, 30)}{_pad(check.requirement, 16)}"
                    f"实际 {check.actual}%  {check.verdict}  依据：{check.source}"
                    f"（{check.jurisdiction}）"
                )
