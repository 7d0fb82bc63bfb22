"""Authorization matrix entries for the suggestions reports pages.

Figures and registers are office staff's; each entry asks about 青山镇
(its region, its session or w.suggestion, assigned to the `unit` user's
bureau), so 龙泉镇's staff get 404 while county staff and the administrator
see it. The assignment notice is also the lead unit's; the reply letter also
the replying unit's and the authors' (王春燕 is the `deputy` user). The
public pages answer everyone.
"""

from django.utils import timezone

from renda.suggestions import services
from renda.tests.matrix import EVERYONE, OFFICE, OK, Case, same_township_only

STAFF = same_township_only(OFFICE)


def _township(w):
    return {"region": w.township.pk}


def _session(w):
    return {"session": w.session.pk}


def _reply(w):
    return services.reply_submit(
        suggestion=w.suggestion,
        unit=w.county_unit,
        actor=w.user("unit"),
        reply_class="A",
        text="已列入今年农村公路养护计划，十月底前完成修缮。",
        signed_by="孙立军",
        replied_on=timezone.localdate(),
    )


def _published(w):
    _reply(w)
    services.suggestion_publish(suggestion=w.suggestion, actor=w.user("township"), published=True)
    return {"pk": w.suggestion.pk}


MATRIX = {
    "suggestions:figures": Case(STAFF, data=_township),
    "suggestions:figures_items": Case(
        STAFF, data=lambda w: {**_township(w), "figure": "assigned", "group": ""}
    ),
    "suggestions:figures_export": Case(STAFF, data=_township),
    "suggestions:register_print": Case(STAFF, data=_session),
    "suggestions:register_xlsx": Case(STAFF, data=_session),
    "suggestions:card_print": Case(STAFF, kwargs=lambda w: {"pk": w.suggestion.pk}),
    "suggestions:card_xlsx": Case(STAFF, kwargs=lambda w: {"pk": w.suggestion.pk}),
    "suggestions:notice_docx": Case(
        {**STAFF, "unit": OK}, kwargs=lambda w: {"pk": w.suggestion.pk}
    ),
    "suggestions:reply_docx": Case(
        {**STAFF, "unit": OK, "deputy": OK}, kwargs=lambda w: {"pk": _reply(w).pk}
    ),
    "suggestions:public_list": Case(EVERYONE),
    "suggestions:public_detail": Case(EVERYONE, kwargs=_published),
}
