"""The services' clock: today and now, unless a caller acts on an earlier
date — staff entering a paper original after the fact, or the demo county's
history. Services read the time only through here."""

import contextlib
import contextvars
import datetime

from django.utils import timezone

_acting_on: contextvars.ContextVar[datetime.date | None] = contextvars.ContextVar(
    "acting_on", default=None
)


@contextlib.contextmanager
def acting_on(day: datetime.date):
    """Run services as of `day`: dates and timestamps they record use it."""
    token = _acting_on.set(day)
    try:
        yield
    finally:
        _acting_on.reset(token)


def today() -> datetime.date:
    return _acting_on.get() or timezone.localdate()


def now() -> datetime.datetime:
    day = _acting_on.get()
    if day is None:
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
