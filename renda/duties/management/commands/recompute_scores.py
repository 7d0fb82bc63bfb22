"""Recompute points-scheme scores from the records:

    manage.py recompute_scores [--year 2026] [--region 990121]

The same computation the pages trigger when records change and Huey runs
every night; safe to run again (lines are replaced, never added to).
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from renda.core.models import Region
from renda.duties.points import score_recompute


class Command(BaseCommand):
    help = "按履职记录重新计算代表积分（可重复运行）"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None, help="年度，默认今年")
        parser.add_argument("--region", default="", help="区划代码，默认全部")

    def handle(self, *args, **options):
        year = options["year"] or timezone.localdate().year
        region = None
        if options["region"]:
            region = Region.objects.filter(code=options["region"]).first()
            if region is None:
                raise CommandError(f"没有区划代码为 {options['region']} 的区划")
        started = time.perf_counter()
        score_recompute(year=year, region=region)
        where = region.name if region else "全部区划"
        self.stdout.write(
            f"{where} {year} 年积分已重新计算，用时 {time.perf_counter() - started:.1f} 秒"
        )
