"""What every part of the scale data shares: the run's state (random
source, today, rules, categories, counters) and small helpers."""

import datetime
import hashlib
import random
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from renda.core.models import StateChange
from renda.deputies.idcard import check_character
from renda.deputies.names import pinyin_keys

BATCH = 2000
RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # as renda.opinions.services
TERM_LABEL = "第十八届"


def insert(model, objects: list) -> list:
    """bulk_create in batches; primary keys are set on the objects (RETURNING
    on PostgreSQL and on SQLite 3.35+)."""
    if objects:
        model.objects.bulk_create(objects, batch_size=BATCH)
    return objects


def pick(rng: random.Random, weighted: dict):
    return rng.choices(list(weighted), weights=list(weighted.values()))[0]


def split(total: int, weights: list[float], minimum: int = 0) -> list[int]:
    """`total` split in proportion to `weights`, each part at least `minimum`
    when the total allows it; the parts add up to `total`."""
    if not weights:
        return []
    minimum = min(minimum, total // len(weights))
    rest = total - minimum * len(weights)
    scale = sum(weights) or 1
    shares = [rest * w / scale for w in weights]
    parts = [minimum + int(s) for s in shares]
    order = sorted(range(len(weights)), key=lambda i: shares[i] - int(shares[i]), reverse=True)
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


@dataclass
class Run:
    """State shared by every county of one build."""

    rng: random.Random
    today: datetime.date
    password: str  # one hash for every bench account (hashing each would take minutes)
    tz: datetime.tzinfo = field(default_factory=timezone.get_current_timezone)
    now: datetime.datetime = field(default_factory=timezone.now)
    content_types: dict = field(default_factory=dict)
    rules: dict = field(default_factory=dict)  # key -> Rule
    categories: list = field(default_factory=list)
    category_weights: list = field(default_factory=list)
    used_ids: set = field(default_factory=set)
    used_receipts: set = field(default_factory=set)
    opinion_numbers: dict = field(default_factory=dict)  # "YYYYMM-" -> last number
    pinyin: dict = field(default_factory=dict)

    def ct(self, model) -> int:
        if model not in self.content_types:
            self.content_types[model] = ContentType.objects.get_for_model(model).pk
        return self.content_types[model]

    def at(self, day: datetime.date, hour: int | None = None) -> datetime.datetime:
        """An aware time on `day`: at `hour`, else in the morning (so later
        steps of the same day, given later hours, come after); never after now."""
        hour = hour if hour is not None else self.rng.randint(8, 11)
        moment = datetime.datetime(
            day.year, day.month, day.day, hour, self.rng.randint(0, 59), tzinfo=self.tz
        )
        return min(moment, self.now)

    def past_day(self, days_back: int, *, since: datetime.date | None = None) -> datetime.date:
        """A day within the last `days_back` days (not before `since`)."""
        day = self.today - datetime.timedelta(days=self.rng.randint(0, days_back))
        return max(day, since) if since else day

    def keys(self, name: str) -> tuple[str, str]:
        if name not in self.pinyin:
            self.pinyin[name] = pinyin_keys(name)
        return self.pinyin[name]

    def id_number(self, area: str, birth: datetime.date, male: bool) -> str:
        """A valid, unused GB 11643 number (odd sequence for men)."""
        while True:
            seq = self.rng.randint(0, 99) * 10 + self.rng.choice(
                [1, 3, 5, 7, 9] if male else [0, 2, 4, 6, 8]
            )
            first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
            if first17 not in self.used_ids:
                self.used_ids.add(first17)
                return first17 + check_character(first17)

    def receipt_code(self) -> str:
        while True:
            code = "".join(self.rng.choice(RECEIPT_ALPHABET) for _ in range(8))
            if code not in self.used_receipts:
                self.used_receipts.add(code)
                return code

    def opinion_number(self, day: datetime.date) -> str:
        """Numbered per month across the whole database, as opinion_sort does."""
        from renda.opinions.models import Opinion

        prefix = f"{day:%Y%m}-"
        if prefix not in self.opinion_numbers:
            self.opinion_numbers[prefix] = Opinion.objects.filter(number__startswith=prefix).count()
        self.opinion_numbers[prefix] += 1
        return f"{prefix}{self.opinion_numbers[prefix]:04d}"


def digest(content: str, phone: str) -> str:
    """As renda.opinions.services.content_digest."""
    return hashlib.sha256(("".join(content.split()) + "|" + phone.strip()).encode()).hexdigest()


class Timeline:
    """StateChange rows as renda.core.workflow writes them: a transition
    (from -> to) or a noted event (state unchanged)."""

    def __init__(self, run: Run):
        self.run = run
        self.rows: list[StateChange] = []

    def move(self, obj, event, from_state, to_state, *, at, actor, comment=""):
        self.rows.append(
            StateChange(
                content_type_id=self.run.ct(type(obj)),
                object_id=obj.pk,
                event=event,
                from_state=from_state,
                to_state=to_state,
                actor=actor,
                at=at,
                comment=comment,
            )
        )

    def note(self, obj, event, state, *, at, actor, comment=""):
        self.move(obj, event, state, state, at=at, actor=actor, comment=comment)

    def flush(self) -> int:
        count = len(self.rows)
        insert(StateChange, self.rows)
        self.rows = []
        return count
