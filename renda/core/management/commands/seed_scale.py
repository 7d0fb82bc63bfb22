"""Build province-scale data for the benchmark: `manage.py seed_scale --factor 1.0`.

A bench tool, run from a checkout (it lives in the repository's `bench/`
package): see bench/README.md. Accounts it creates share the password
printed at the end; run it only on a throwaway database.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "为性能测试生成省级规模数据（100 个县、10 万代表 ……，按 --factor 缩放）"

    def add_arguments(self, parser):
        parser.add_argument(
            "--factor", type=float, default=1.0, help="规模系数：1 为全省规模，0.01 约为一个县"
        )
        parser.add_argument("--seed", type=int, default=20261123, help="随机数种子")
        parser.add_argument("--timings-json", help="把各部分耗时写入此 JSON 文件")

    def handle(self, *args, factor, seed, timings_json, **options):
        try:
            from bench.scale import BENCH_PASSWORD, AlreadyBuilt, build
        except ImportError:
            raise CommandError("找不到 bench 包：请在代码仓库根目录运行") from None
        if not 0 < factor <= 10:
            raise CommandError("--factor 应在 0 与 10 之间")
        try:
            result = build(factor, seed=seed, report=self.stdout.write)
        except AlreadyBuilt as error:
            raise CommandError(str(error)) from None
        sizes = result["sizes"]
        self.stdout.write(
            f"规模数据（系数 {factor}）：{sizes['counties']} 个县，{sizes['deputies']} 名代表，"
            f"约 {sizes['duty_records']} 条履职记录，{sizes['suggestions']} 件建议，"
            f"{sizes['opinions']} 条社情民意"
        )
        for part, seconds in result["seconds"].items():
            rows = result["rows"].get(part)
            self.stdout.write(
                f"  {part:12s} {seconds:9.1f} s" + (f"  {rows:>10,} 行" if rows else "")
            )
        self.stdout.write(f"  {'total':12s} {result['total_seconds']:9.1f} s")
        self.stdout.write(
            self.style.SUCCESS(
                f"测试账号 bench-county-000、bench-province 等，密码均为 {BENCH_PASSWORD}"
            )
        )
        if timings_json:
            Path(timings_json).write_text(json.dumps(result, ensure_ascii=False, indent=2))
