"""Authorization matrix entries for the duties API (the deputy's app,
renda.duties.api): only a deputy signed in as themself; everyone else is
refused, anonymous callers get 401."""

from io import BytesIO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from renda.tests.matrix import OK, Case

DEPUTY = {"deputy": OK}


def tiny_png() -> bytes:
    """A real (4×4) PNG, for uploads that are checked by content."""
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (4, 4), (163, 31, 36)).save(buffer, "PNG")
    return buffer.getvalue()


def _with_photo(w):
    # One small file kept in MEDIA_ROOT for every run, so the download really answers.
    from renda.duties.models import DutyRecord

    name = "duties/matrix/photo.png"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(tiny_png()))
    DutyRecord.objects.filter(pk=w.entry.pk).update(photo=name)
    return {"pk": w.entry.pk}


def _returned(w):
    from renda.duties import services

    services.entry_return(record=w.entry, actor=w.user("township"), reason="请补充照片")
    return {"pk": w.entry.pk}


def _mended(w):
    return {
        "kind": "dispute",
        "occurred_on": "2026-10-15",
        "title": "调解东河村两户宅基地纠纷",
        "note": "补充：双方已签订书面调解协议，村委会见证。",
    }


MATRIX = {
    "api:duty-record-list": Case(DEPUTY, api=True),
    "api:duty-record-detail": Case(DEPUTY, kwargs=lambda w: {"pk": w.entry.pk}, api=True),
    "api:duty-record-photo": Case(DEPUTY, kwargs=_with_photo, api=True),
    "api:duty-record-resubmit": Case(
        DEPUTY, kwargs=_returned, method="post", data=_mended, api=True
    ),
    "api:duty-record-kinds": Case(DEPUTY, api=True),
    "api:duty-score": Case(DEPUTY, api=True),
    "api:duty-publication-list": Case(DEPUTY, api=True),
    "api:duty-publication-detail": Case(
        DEPUTY, kwargs=lambda w: {"pk": w.publication.pk}, api=True
    ),
    "api:duty-correction-list": Case(DEPUTY, api=True),
    "api:duty-correction-detail": Case(DEPUTY, kwargs=lambda w: {"pk": w.correction.pk}, api=True),
}
