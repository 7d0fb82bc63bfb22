"""What a user may change (reading is `visible_to`; this is writing)."""

from renda.core.models import Region


def can_manage_region(user, region: Region | None) -> bool:
    """Office staff manage records of their own region and below; national
    records only a superuser."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if not user.is_office_staff or region is None or user.region_id is None:
        return False
    return region.is_within(user.region)
