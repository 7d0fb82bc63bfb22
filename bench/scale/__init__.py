"""Province-scale data for `make bench` (`manage.py seed_scale`).

At factor 1: a province of 100 counties (a few large townships and many
small ones in each), 100,000 deputies, 2,000,000 duty records, 300,000
suggestions with full timelines and 500,000 opinions. Rows are written with
bulk inserts, county by county, but hold what the services would have
written: every status has the StateChange rows of the moves that led to
it, deadlines carry their rule and state, duty records their source.

Not written (the pages the bench measures do not read them): the
django-simple-history rows the services' saves leave, score lines (no
points scheme is set up), notifications of the deadline sweep (deadlines
past due stay "open" until `sweep_deadlines` runs, as on a server where the
sweep has not run today).

The build stands on its own: its places are under division code 97, which
no real province and not the demo county (99) uses, so it runs on an empty
database after `migrate` and beside `seed_demo` data alike. It reuses the
national rule rows and categories the demo creates (or creates them). It
refuses to run twice on one database.
"""

import datetime
import random
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import asdict, dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from renda.core.models import Region
from renda.duties.figures import cells_rebuild as duty_cells_rebuild
from renda.opinions.figures import cells_rebuild as opinion_cells_rebuild
from renda.suggestions.figures import cells_rebuild

from . import deputies, duties, opinions, places, suggestions
from .common import Run, split
from .places import PROVINCE_CODE

BENCH_PASSWORD = "Bench@2026"  # noqa: S105 - bench accounts on throwaway databases only
FULL = {
    "counties": 100,
    "deputies": 100_000,
    "duty_records": 2_000_000,
    "suggestions": 300_000,
    "opinions": 500_000,
}
PARTS = ("places", "deputies", "suggestions", "opinions", "duties")


@dataclass(frozen=True)
class Sizes:
    counties: int
    deputies: int
    duty_records: int
    suggestions: int
    opinions: int

    @classmethod
    def for_factor(cls, factor: float) -> "Sizes":
        """Every total scaled by `factor`; at least one county."""
        scaled = {key: max(1, round(value * factor)) for key, value in FULL.items()}
        return cls(**scaled)


class AlreadyBuilt(Exception):
    pass


def build(factor: float, *, seed: int = 20261123, now=None, report=print) -> dict:
    """Build the province as of `now` (default: now); returns {"sizes",
    "seconds": {part: s}, "rows": {part: n}}."""
    if Region.objects.filter(code=PROVINCE_CODE).exists():
        raise AlreadyBuilt("规模数据已存在（区划代码 97）：请在新的空数据库上运行")
    sizes = Sizes.for_factor(factor)
    now = now or timezone.now()
    run = Run(
        rng=random.Random(seed),  # noqa: S311 - test data, not secrets
        today=timezone.localdate(now),
        now=now,
        password=make_password(BENCH_PASSWORD),
    )
    seconds, rows = defaultdict(float), defaultdict(int)
    started = time.perf_counter()

    @contextmanager
    def timing(part):
        start = time.perf_counter()
        yield
        seconds[part] += time.perf_counter() - start

    with transaction.atomic(), timing("places"):
        province = places.build_province(run, sizes.counties)
        places.province_account(run, province)
    county_weights = [run.rng.uniform(0.6, 1.4) for _ in range(sizes.counties)]
    shares = {
        key: split(getattr(sizes, key), county_weights)
        for key in ("deputies", "duty_records", "suggestions", "opinions")
    }
    for index in range(sizes.counties):
        with transaction.atomic():
            with timing("places"):
                county = places.build_county(run, province, index)
            with timing("deputies"):
                rows["deputies"] += deputies.build(run, county, shares["deputies"][index])
            # Suggestions and opinions credit duty records too; activities
            # and own entries make up the rest of the county's share.
            with timing("suggestions"):
                credited, written = suggestions.build(run, county, shares["suggestions"][index])
                rows["suggestions"] += written
            with timing("opinions"):
                written, collected = opinions.build(run, county, shares["opinions"][index])
                rows["opinions"] += written
            with timing("duties"):
                budget = shares["duty_records"][index] - credited - collected
                rows["duties"] += duties.build(run, county, budget)
        done = index + 1
        if done == sizes.counties or done % max(1, sizes.counties // 10) == 0:
            elapsed = datetime.timedelta(seconds=round(time.perf_counter() - started))
            report(f"  {done}/{sizes.counties} 个县，已用 {elapsed}")
    # What the periodic tasks would have counted by the time anyone looks.
    with timing("suggestions"):
        cells_rebuild()
    with timing("opinions"):
        opinion_cells_rebuild()
    with timing("duties"):
        duty_cells_rebuild()
    return {
        "factor": factor,
        "sizes": asdict(sizes),
        "seconds": {part: round(seconds[part], 2) for part in PARTS},
        "rows": dict(rows),
        "total_seconds": round(time.perf_counter() - started, 2),
    }
