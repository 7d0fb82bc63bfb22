"""The daily deadline sweep from the command line (or cron):

    manage.py sweep_deadlines [--date 2026-05-18]

Marks open deadlines due soon or overdue and leaves notices for the units
and offices concerned (`renda.suggestions.supervision.deadline_sweep`, the
same job Huey runs every morning). Safe to run again: a second run on the
same day changes nothing. `--date` replays the sweep as of another day.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from renda.suggestions.supervision import DUE_SOON_DEFAULT_DAYS, deadline_sweep


class Command(BaseCommand):
    help = "督办期限扫描：标记即将到期、已逾期的办理期限，并向承办单位和人大工作人员发送提醒"

    def add_arguments(self, parser):
        parser.add_argument("--date", default="", help="按哪一天扫描，YYYY-MM-DD，默认今天")

    def handle(self, *args, **options):
        try:
            today = (
                datetime.date.fromisoformat(options["date"])
                if options["date"]
                else timezone.localdate()
            )
        except ValueError as error:
            raise CommandError(f"日期格式有误：{options['date']}，应为 YYYY-MM-DD") from error
        result = deadline_sweep(today)
        self.stdout.write(
            f"{result['date']}：即将到期 {result['due_soon']} 项，"
            f"已逾期 {result['overdue']} 项，新提醒 {result['notifications']} 条"
        )
        if result["regions_without_rule"]:
            self.stderr.write(
                f"以下区划没有“suggestion.due_soon_days”规则，按默认 {DUE_SOON_DEFAULT_DAYS} 天提醒："
                + "、".join(result["regions_without_rule"])
            )
