"""Reads of deputies' duties that more than one caller uses."""

from renda.duties.models import DutyRecord, RecordStatus


def pending_entries(user):
    """Deputies' own entries (no source activity) waiting to be verified:
    the verification queue's rows and the dashboard's count of them."""
    return DutyRecord.objects.visible_to(user).filter(
        status=RecordStatus.PENDING, source_id__isnull=True
    )
