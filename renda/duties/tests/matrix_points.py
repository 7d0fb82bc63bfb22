"""Authorization matrix entries for the points pages.

w.scheme is the county's scheme: every office reads it (a township follows
the county's scheme), only county staff and the administrator change it.
w.person (王春燕, the `deputy` user), w.correction and w.publication are
青山镇's: 龙泉镇's staff get 404. Scores are private: deputies reach only
their own page and their region's publications; liaison officers, units
and the public nothing. Pages whose form offers only the user's own
region answer 龙泉镇's staff with the form and its error (200)."""

from django.utils import timezone

from renda.tests.matrix import OFFICE, OK, Case

STAFF_HERE = {"county": OK, "township": OK, "admin": OK}
SCHEME_OWNERS = {"county": OK, "admin": OK}
DEPUTY = {"deputy": OK}


def _today() -> str:
    return timezone.localdate().isoformat()


def _scheme(w):
    return {"pk": w.scheme.pk}


def _item(name):
    return lambda w: {"pk": w.scheme_items[name].pk}


def _new_scheme(w):
    return {
        "region": w.township.pk,
        "name": "青山镇代表履职积分办法",
        "effective_from": "2026-12",
        "source": "青山镇人大主席团2026年第5次会议通过",
        "scale": 100,
        "copy_items": "on",
        "band_label_1": "优秀",
        "band_min_1": 85,
        "band_label_2": "合格",
        "band_min_2": 60,
        "star_min_5": 90,
    }


def _new_item(w):
    return {
        "category": w.scheme_items["inspection"].category_id,
        "name": "参加执法检查",
        "basis": "records",
        "points": "3",
        "order": 5,
        "kinds": ["law_enforcement:present"],
    }


def _award(w):
    return {
        "person": w.person.pk,
        "item": w.scheme_items["award"].pk,
        "awarded_on": _today(),
        "points": "5",
        "reason": "被评为县级优秀人大代表",
    }


MATRIX = {
    "duties:scheme_list": Case(OFFICE),
    "duties:scheme_create": Case(OFFICE, method="post", data=_new_scheme),
    "duties:scheme_detail": Case(OFFICE, kwargs=_scheme),
    "duties:scheme_category_add": Case(
        SCHEME_OWNERS,
        kwargs=_scheme,
        method="post",
        data=lambda w: {"name": "其他工作", "order": 3},
    ),
    "duties:scheme_item_create": Case(SCHEME_OWNERS, kwargs=_scheme, method="post", data=_new_item),
    "duties:scheme_item_edit": Case(SCHEME_OWNERS, kwargs=_item("inspection")),
    "duties:scheme_item_delete": Case(SCHEME_OWNERS, kwargs=_item("absent"), method="post"),
    "duties:score_list": Case(OFFICE),
    "duties:score_export": Case(OFFICE),
    "duties:score_detail": Case(STAFF_HERE, kwargs=lambda w: {"pk": w.person.pk}),
    # The administrator has no deputy record: the page says so.
    "duties:my_score": Case({**DEPUTY, "admin": OK}),
    "duties:award_create": Case(OFFICE, method="post", data=_award),
    "duties:correction_list": Case(OFFICE),
    "duties:correction_create": Case(
        DEPUTY,
        method="post",
        data=lambda w: {"year": 2026, "reason": "10月的走访记录核实后没有计分。"},
    ),
    "duties:correction_detail": Case(
        {**STAFF_HERE, **DEPUTY}, kwargs=lambda w: {"pk": w.correction.pk}
    ),
    "duties:publication_list": Case({**OFFICE, **DEPUTY}),
    "duties:publication_detail": Case(
        {**STAFF_HERE, **DEPUTY}, kwargs=lambda w: {"pk": w.publication.pk}
    ),
    "duties:publication_create": Case(
        OFFICE,
        method="post",
        data=lambda w: {
            "region": w.township.pk,
            "year": 2026,
            "title": "青山镇2026年第四季度代表履职积分公示",
            "as_of": _today(),
        },
    ),
    "duties:publication_withdraw": Case(
        STAFF_HERE, kwargs=lambda w: {"pk": w.publication.pk}, method="post"
    ),
}
