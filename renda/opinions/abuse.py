"""Guards of the public opinion form and its API, shared by both: the
client's address, a cap on the request body, and rate limits per address
and per phone number.

The limits count in the database (`GuardCount`), not in a process's
memory: the gunicorn workers of a server, and the machines of a site, all
count on the same rows, so 5 submissions per address mean 5 whichever worker
takes each request.
"""

import hashlib
import ipaddress
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from renda.opinions.models import GuardCount

# Three photos of at most 5 MB and the text fields (content is at most 2,000
# characters); anything bigger is refused before it is parsed.
MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTOS = 3
MAX_TEXT_BODY_BYTES = 256 * 1024
MAX_UPLOAD_BODY_BYTES = MAX_PHOTOS * MAX_PHOTO_BYTES + MAX_TEXT_BODY_BYTES
TOO_LARGE_MESSAGE = (
    "提交的内容过大：意见内容不超过 2000 字，照片最多 3 张、每张不超过 5 MB。请精简后重新提交。"
)


@dataclass(frozen=True)
class Limit:
    name: str
    hits: int
    seconds: int
    message: str


SUBMIT_PER_ADDRESS = Limit(
    "opinion-submit-ip", 5, 10 * 60, "同一网络 10 分钟内最多提交 5 次，请稍后再试。"
)
SUBMIT_PER_PHONE = Limit(
    "opinion-submit-phone", 3, 60 * 60, "同一手机号 1 小时内最多提交 3 条意见，请稍后再试。"
)
TRACK_PER_ADDRESS = Limit(
    "opinion-track-ip", 10, 10 * 60, "查询过于频繁：同一网络 10 分钟内最多查询 10 次，请稍后再试。"
)


class RateLimited(Exception):
    def __init__(self, limit: Limit, retry_after: int):
        super().__init__(limit.message)
        self.limit = limit
        self.retry_after = retry_after

    @property
    def minutes(self) -> int:
        return max(1, -(-self.retry_after // 60))


def hit(limit: Limit, key: str) -> None:
    """Count one request for `key` (an address or a phone number) in the
    current fixed window; raise RateLimited past the limit. Keys are hashed
    so the table holds no phones."""
    now = int(time.time())
    window = now // limit.seconds
    digest = hashlib.sha256(f"{limit.name}|{key}".encode()).hexdigest()[:32]
    if count(f"{limit.name}:{window}:{digest}", seconds=limit.seconds + 5) > limit.hits:
        raise RateLimited(limit, retry_after=(window + 1) * limit.seconds - now)


def count(key: str, *, seconds: int) -> int:
    """Add one to `key`'s count, kept for `seconds`, and return the new
    count. One statement (INSERT … ON CONFLICT DO UPDATE … RETURNING, the same
    on PostgreSQL and SQLite): two requests at the same moment, on any
    worker, never get the same number, so none slips past the last slot."""
    table = connection.ops.quote_name(GuardCount._meta.db_table)
    expires_at = connection.ops.adapt_datetimefield_value(
        timezone.now() + timedelta(seconds=seconds)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO {table} ("key", "count", "expires_at") VALUES (%s, 1, %s) '  # noqa: S608
            f'ON CONFLICT ("key") DO UPDATE SET "count" = {table}."count" + 1 RETURNING "count"',
            [key, expires_at],
        )
        return cursor.fetchone()[0]


def sweep() -> int:
    """Delete the counts that have expired; returns how many."""
    return GuardCount.objects.filter(expires_at__lte=timezone.now()).delete()[0]


def client_ip(request) -> str | None:
    """The visitor's address. REMOTE_ADDR, unless it is one of the
    `TRUSTED_PROXIES` (e.g. nginx on 127.0.0.1): then the nearest address in
    X-Forwarded-For that is not a trusted proxy. Without that setting every
    visitor behind the proxy shares one address and one rate limit."""
    remote = request.META.get("REMOTE_ADDR") or None
    trusted = set(getattr(settings, "TRUSTED_PROXIES", ()))
    if remote in trusted:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        for candidate in reversed([part.strip() for part in forwarded.split(",")]):
            if candidate and candidate not in trusted:
                remote = candidate
                break
    try:
        return str(ipaddress.ip_address(remote)) if remote else None
    except ValueError:
        return None


def body_too_large(request, *, files_allowed: bool = True) -> bool:
    """True when the declared body is bigger than a submission can be;
    checked before anything (the CSRF check included) reads the body."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    multipart = request.META.get("CONTENT_TYPE", "").startswith("multipart/")
    limit = MAX_UPLOAD_BODY_BYTES if files_allowed and multipart else MAX_TEXT_BODY_BYTES
    return length > limit
