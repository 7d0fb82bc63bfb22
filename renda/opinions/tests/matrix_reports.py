"""Authorization matrix entries for the opinions registers and figures.

Registers are office documents kept by the office and the stations: office
staff, deputies and liaison officers read them (names masked by the privacy
rule); handling units and the public are refused. Figures are for office
staff only. Asking for 青山镇 shows that 龙泉镇's staff are refused another
township (404).
"""

from renda.tests.matrix import OFFICE, OK, REGIONAL, Case, same_township_only


def _township_month(w):
    return {"township": w.township.pk, "date_from": "2026-11-01", "date_to": "2026-11-30"}


def _ledger(w):
    return {"kind": "ledger"}


PAGE_MATRIX = {
    "opinions:register": Case(same_township_only(REGIONAL), kwargs=_ledger, data=_township_month),
    "opinions:register_xlsx": Case(
        same_township_only(REGIONAL), kwargs=_ledger, data=_township_month
    ),
    "opinions:figures": Case(same_township_only(OFFICE), data=_township_month),
    "opinions:figures_xlsx": Case(same_township_only(OFFICE), data=_township_month),
    "opinions:figures_items": Case(
        same_township_only(OFFICE), data=lambda w: {**_township_month(w), "figure": "opinions"}
    ),
}


# --- the staff, deputy and unit API (renda.opinions.api_office) ---------------------------
#
# Routed by api_office.register(router) in renda/api/urls.py.
#
# w.opinion: 东河村, collected at 东河村代表联络站 (liaison keeps it), assigned to
# 县交通运输局 (unit). w.new_opinion: 青山镇, from the web, just received, no
# station. Steps refused by role get 403, opinions out of scope 404.

OPINION_READERS = {**same_township_only(REGIONAL), "unit": OK}
# Office staff over 青山镇; 龙泉镇 cannot see it (404), the others may not act (403).
OPINION_OFFICE = {"county": OK, "township": OK, "admin": OK}


def _new(w):
    return {"pk": w.new_opinion.pk}


def _sorted_new(w):
    """w.new_opinion sorted by the township clerk, so that an outcome is open.
    Read afresh: each role's request is rolled back, the world's objects are not."""
    from renda.opinions import services
    from renda.opinions.models import Opinion

    opinion = Opinion.objects.get(pk=w.new_opinion.pk)
    services.opinion_sort(
        opinion=opinion, actor=w.user("township"), category=w.category, urgency="normal"
    )
    return {"pk": opinion.pk}


def _solved_new(w):
    """w.new_opinion sorted and solved on the spot, so that it can be answered."""
    from renda.opinions import services
    from renda.opinions.models import Opinion

    kwargs = _sorted_new(w)
    opinion = Opinion.objects.get(pk=kwargs["pk"])
    services.opinion_solve(opinion=opinion, actor=w.user("township"), result="已解决")
    return kwargs


def _assigned(w):
    return {"pk": w.opinion.pk}


def _step(expect, kwargs, data):
    return Case(expect, kwargs=kwargs, method="post", data=data, api=True)


API_MATRIX = {
    "api:opinion-list": Case({**REGIONAL, "unit": OK, "other_unit": OK}, api=True),
    "api:opinion-detail": Case(OPINION_READERS, kwargs=_assigned, api=True),
    "api:opinion-sort": _step(
        OPINION_OFFICE, _new, lambda w: {"category": w.category.pk, "urgency": "important"}
    ),
    "api:opinion-merge": _step(OPINION_OFFICE, _new, lambda w: {"into": w.opinion.pk}),
    "api:opinion-solve": _step(OPINION_OFFICE, _sorted_new, lambda w: {"result": "当场协调解决"}),
    "api:opinion-assign": _step(OPINION_OFFICE, _sorted_new, lambda w: {"unit": w.county_unit.pk}),
    "api:opinion-escalate": _step(OPINION_OFFICE, _sorted_new, lambda w: {"to": "县人大常委会"}),
    "api:opinion-convert": _step(
        OPINION_OFFICE,
        _sorted_new,
        lambda w: {
            "congress": w.township_congress.pk,
            "lead": w.person.pk,
            "title": "关于整治集镇占道经营的建议",
            "body": "建议划定临时摊位。",
        },
    ),
    "api:opinion-decline": _step(OPINION_OFFICE, _sorted_new, lambda w: {"reason": "重复反映"}),
    # The assigned unit reports its result; office staff may record one for it.
    "api:opinion-handle": _step(
        {**OPINION_OFFICE, "unit": OK}, _assigned, lambda w: {"result": "已更换路灯"}
    ),
    "api:opinion-return": _step(
        {"unit": OK, "admin": OK}, _assigned, lambda w: {"reason": "不属本单位职责"}
    ),
    "api:opinion-answer": _step(
        OPINION_OFFICE, _solved_new, lambda w: {"answer": "已解决", "method": "电话"}
    ),
    "api:reception-list": Case(REGIONAL, api=True),
    # w.reception: at 东河村代表联络站 with 王春燕 (the deputy) on duty.
    "api:reception-detail": Case(
        same_township_only(REGIONAL), kwargs=lambda w: {"pk": w.reception.pk}, api=True
    ),
}

MATRIX = {**PAGE_MATRIX, **API_MATRIX}
