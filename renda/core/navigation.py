"""The navigation each role sees: one table, read by the base template.
Each item names the same role set its view is guarded with; items with a
menu label are grouped under that menu."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from renda.core.models import Role
from renda.core.permissions import DEPUTIES, OFFICE, REGIONAL, SIGNED_IN, UNITS, has_role

KEEPERS = OFFICE | {Role.LIAISON}

DEPUTY_WORK = _("代表工作")
SUGGESTION_WORK = _("议案建议")
OPINION_WORK = _("社情民意")
DUTY_WORK = _("代表履职")
SCORE_WORK = _("积分评议")
BASE_DATA = _("基础数据")


@dataclass(frozen=True)
class NavItem:
    label: object  # a lazy translation
    url_name: str
    roles: frozenset
    menu: object = None
    args: tuple = ()


NAVIGATION = [
    NavItem(_("工作台"), "reports:dashboard", SIGNED_IN),
    NavItem(_("人大代表"), "deputies:list", REGIONAL, DEPUTY_WORK),
    NavItem(_("代表小组"), "deputies:group_list", REGIONAL, DEPUTY_WORK),
    NavItem(_("联络站"), "deputies:station_list", REGIONAL, DEPUTY_WORK),
    NavItem(_("联系代表选民"), "deputies:contact_list", REGIONAL, DEPUTY_WORK),
    NavItem(_("结构分析"), "deputies:structure", OFFICE, DEPUTY_WORK),
    NavItem(_("建议台账"), "suggestions:list", OFFICE, SUGGESTION_WORK),
    NavItem(_("办理统计"), "suggestions:figures", OFFICE, SUGGESTION_WORK),
    NavItem(_("督办提醒"), "suggestions:overdue", OFFICE, SUGGESTION_WORK),
    NavItem(_("联合检查"), "suggestions:inspection_list", OFFICE, SUGGESTION_WORK),
    NavItem(_("类别与交办路由"), "suggestions:routing_list", OFFICE, SUGGESTION_WORK),
    NavItem(_("我的建议"), "suggestions:my_list", DEPUTIES, SUGGESTION_WORK),
    NavItem(_("承办工作台"), "suggestions:unit_list", UNITS),
    NavItem(_("社情民意台账"), "opinions:list", REGIONAL, OPINION_WORK),
    NavItem(_("接待活动"), "opinions:reception_list", REGIONAL, OPINION_WORK),
    NavItem(_("月度收集办理"), "opinions:cycle", OFFICE, OPINION_WORK),
    NavItem(_("社情民意统计"), "opinions:figures", OFFICE, OPINION_WORK),
    NavItem(_("交办的社情民意"), "opinions:unit_list", UNITS),
    NavItem(_("履职活动"), "duties:activity_list", KEEPERS, DUTY_WORK),
    NavItem(_("我的履职纪实"), "duties:my_records", DEPUTIES, DUTY_WORK),
    NavItem(_("纪实核实"), "duties:entry_queue", OFFICE, DUTY_WORK),
    NavItem(_("纪实抽查"), "duties:spot_check_list", OFFICE, DUTY_WORK),
    NavItem(_("履职档案"), "duties:archive_index", REGIONAL, DUTY_WORK),
    NavItem(_("履职登记簿"), "duties:register", KEEPERS, DUTY_WORK, ("chronicle",)),
    NavItem(_("履职统计"), "duties:figures", OFFICE, DUTY_WORK),
    NavItem(_("我的积分"), "duties:my_score", DEPUTIES, SCORE_WORK),
    NavItem(_("代表积分"), "duties:score_list", OFFICE, SCORE_WORK),
    NavItem(_("积分方案"), "duties:scheme_list", OFFICE, SCORE_WORK),
    NavItem(_("更正申请"), "duties:correction_list", OFFICE, SCORE_WORK),
    NavItem(_("积分公示"), "duties:publication_list", OFFICE | DEPUTIES, SCORE_WORK),
    NavItem(_("评议评星"), "duties:round_list", OFFICE | DEPUTIES, SCORE_WORK),
    NavItem(_("代表述职"), "duties:duty_report_list", OFFICE, SCORE_WORK),
    NavItem(_("四好人大代表"), "duties:four_good", OFFICE, SCORE_WORK),
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
        url = reverse(item.url_name, args=item.args)
        link = {"label": item.label, "url": url, "url_name": item.url_name}
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
