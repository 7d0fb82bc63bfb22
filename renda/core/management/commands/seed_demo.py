"""Build the demo county: `manage.py seed_demo`.

Idempotent and deterministic (fixed random seed): running it again changes
nothing and takes seconds. Each app adds its part in the order below.
"""

import random

from django.core.management.base import BaseCommand

from renda.core.seed import DEMO_PASSWORD, seed_core
from renda.deputies.seed import seed_deputies
from renda.duties.seed import seed_duties
from renda.opinions.seed import seed_opinions
from renda.suggestions.seed import seed_suggestions

SEED = 20261123


class Command(BaseCommand):
    help = "载入演示县数据（可重复运行）"

    def handle(self, *args, **options):
        rng = random.Random(SEED)
        accounts = seed_core(rng)
        seed_deputies(rng)
        seed_suggestions(rng)
        seed_opinions(rng)
        seed_duties(rng)
        self.stdout.write(
            self.style.SUCCESS(f"演示县“青山县”已就绪。演示账号（密码均为 {DEMO_PASSWORD}）：")
        )
        width = max(len(username) for username, _, _ in accounts)
        for username, label, scope in accounts:
            self.stdout.write(f"  {username.ljust(width)}  {label}  ·  {scope}")
