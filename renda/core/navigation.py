"""The navigation each role sees: one table, read by the base template."""

from dataclasses import dataclass

from django.urls import reverse

from renda.core.models import Role

ALL_SIGNED_IN = frozenset(Role.values)
OFFICE = frozenset({Role.COUNTY_STAFF, Role.TOWNSHIP_STAFF})


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset


NAVIGATION = [
    NavItem("工作台", "core:dashboard", ALL_SIGNED_IN),
    NavItem("行政区划", "core:region_list", OFFICE | {Role.LIAISON, Role.DEPUTY}),
    NavItem("人大机构", "core:body_list", OFFICE | {Role.LIAISON, Role.DEPUTY}),
    NavItem("承办单位", "core:unit_list", OFFICE | {Role.UNIT}),
    NavItem("规则设置", "core:rule_list", OFFICE),
]


def nav_for(user) -> list[dict]:
    if not user.is_authenticated:
        return []
    role = Role.COUNTY_STAFF if user.is_superuser else user.role
    return [
        {"label": item.label, "url": reverse(item.url_name), "url_name": item.url_name}
        for item in NAVIGATION
        if role in item.roles
    ]
