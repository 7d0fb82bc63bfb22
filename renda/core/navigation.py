"""The navigation each role sees: one table, read by the base template.
Each item names the same role set its view is guarded with; items with a
menu label are grouped under that menu."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from renda.core.models import Role
from renda.core.permissions import OFFICE, REGIONAL, SIGNED_IN, UNITS, has_role

DEPUTIES = frozenset({Role.DEPUTY})

DEPUTY_WORK = _("代表工作")
SUGGESTION_WORK = _("议案建议")
OPINION_WORK = _("社情民意")
BASE_DATA = _("基础数据")


@dataclass(frozen=True)
class NavItem:
    label: object  # a lazy translation
    url_name: str
    roles: frozenset
    menu: object = None


NAVIGATION = [
    NavItem(_("工作台"), "core:dashboard", SIGNED_IN),
    NavItem(_("人大代表"), "deputies:list", REGIONAL, DEPUTY_WORK),
    NavItem(_("代表小组"), "deputies:group_list", REGIONAL, DEPUTY_WORK),
    NavItem(_("联络站"), "deputies:station_list", REGIONAL, DEPUTY_WORK),
    NavItem(_("联系代表选民"), "deputies:contact_list", REGIONAL, DEPUTY_WORK),
    NavItem(_("结构分析"), "deputies:structure", OFFICE, DEPUTY_WORK),
    NavItem(_("建议台账"), "suggestions:list", OFFICE, SUGGESTION_WORK),
    NavItem(_("办理统计"), "suggestions:figures", OFFICE, SUGGESTION_WORK),
    NavItem(_("督办提醒"), "suggestions:overdue", OFFICE, SUGGESTION_WORK),
    NavItem(_("类别与交办路由"), "suggestions:routing_list", OFFICE, SUGGESTION_WORK),
    NavItem(_("我的建议"), "suggestions:my_list", DEPUTIES, SUGGESTION_WORK),
    NavItem(_("承办工作台"), "suggestions:unit_list", UNITS),
    NavItem(_("社情民意台账"), "opinions:list", REGIONAL, OPINION_WORK),
    NavItem(_("接待活动"), "opinions:reception_list", REGIONAL, OPINION_WORK),
    NavItem(_("月度收集办理"), "opinions:cycle", OFFICE, OPINION_WORK),
    NavItem(_("社情民意统计"), "opinions:figures", OFFICE, OPINION_WORK),
    NavItem(_("交办的社情民意"), "opinions:unit_list", UNITS),
    NavItem(_("行政区划"), "core:region_list", REGIONAL, BASE_DATA),
    NavItem(_("人大机构"), "core:body_list", REGIONAL, BASE_DATA),
    NavItem(_("承办单位"), "core:unit_list", REGIONAL | UNITS, BASE_DATA),
    NavItem(_("规则设置"), "core:rule_list", OFFICE, BASE_DATA),
    NavItem(_("我的提醒"), "suggestions:notifications", SIGNED_IN),
    NavItem(_("代表公示"), "deputies:disclosure_index", SIGNED_IN),
    NavItem(_("建议答复公开"), "suggestions:public_list", SIGNED_IN),
]


def nav_for(user) -> list[dict]:
    """Top-level entries: a link, or a menu {"label", "children"} of links."""
    entries: list[dict] = []
    menus: dict = {}
    for item in NAVIGATION:
        if not has_role(user, item.roles):
            continue
        link = {"label": item.label, "url": reverse(item.url_name), "url_name": item.url_name}
        if item.menu is None:
            entries.append(link)
        elif item.menu in menus:
            menus[item.menu]["children"].append(link)
        else:
            menus[item.menu] = {"label": item.menu, "children": [link]}
            entries.append(menus[item.menu])
    return entries


def nav_links(entries: list[dict]) -> list[dict]:
    """Every link in the entries, menus flattened."""
    return [link for entry in entries for link in entry.get("children", [entry])]
