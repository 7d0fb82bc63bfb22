"""The navigation each role sees: one table, read by the base template.
Each item names the same role set its view is guarded with."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from renda.core.permissions import OFFICE, REGIONAL, SIGNED_IN, UNITS, has_role


@dataclass(frozen=True)
class NavItem:
    label: object  # a lazy translation
    url_name: str
    roles: frozenset


NAVIGATION = [
    NavItem(_("工作台"), "core:dashboard", SIGNED_IN),
    NavItem(_("行政区划"), "core:region_list", REGIONAL),
    NavItem(_("人大机构"), "core:body_list", REGIONAL),
    NavItem(_("承办单位"), "core:unit_list", REGIONAL | UNITS),
    NavItem(_("规则设置"), "core:rule_list", OFFICE),
]


def nav_for(user) -> list[dict]:
    return [
        {"label": item.label, "url": reverse(item.url_name), "url_name": item.url_name}
        for item in NAVIGATION
        if has_role(user, item.roles)
    ]
