"""Who may use which page, and who may change what (reading rows is
`visible_to`; this is the door in front of it)."""

from functools import wraps

from django.core.exceptions import PermissionDenied

from renda.core.models import Region, Role

SIGNED_IN = frozenset(Role.values)
OFFICE = frozenset({Role.COUNTY_STAFF, Role.TOWNSHIP_STAFF})
REGIONAL = OFFICE | {Role.DEPUTY, Role.LIAISON}
UNITS = frozenset({Role.UNIT})
DEPUTIES = frozenset({Role.DEPUTY})


def has_role(user, roles) -> bool:
    """A superuser holds every role."""
    return user.is_authenticated and (user.is_superuser or user.role in roles)


def role_required(roles, message="您的账号无权使用此页面"):
    """Refuse (403) signed-in users whose role is not in `roles`; use under
    login_required so anonymous visitors are sent to sign in first."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not has_role(request.user, roles):
                raise PermissionDenied(message)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


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
