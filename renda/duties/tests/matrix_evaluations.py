"""Authorization matrix entries for the evaluation pages.

w.round is the peer round at 东河村's station (青山镇; 王春燕, the `deputy`
user, is its resident deputy); w.other_round a voters' round of 龙泉镇.
Rounds and the four-good list are run by office staff; deputies read
rounds and rate on them. Pages whose form offers only the user's own
region answer 龙泉镇's staff with the form and its error (200)."""

from django.utils import timezone

from renda.duties import services
from renda.tests.matrix import OFFICE, OK, Case

STAFF_HERE = {"county": OK, "township": OK, "admin": OK}
DEPUTY = {"deputy": OK}


def _today() -> str:
    return timezone.localdate().isoformat()


def _round(w):
    return {"pk": w.round.pk}


def _selection(w):
    selection = services.four_good_select(
        actor=w.user("township"), person=w.person, year=2026, basis="述职满意率97.5%"
    )
    return {"pk": selection.pk}


MATRIX = {
    "duties:round_list": Case({**OFFICE, **DEPUTY}),
    "duties:round_create": Case(
        OFFICE,
        method="post",
        data=lambda w: {
            "kind": "peer",
            "method": "stars",
            "title": "东河村代表联络站11月互评",
            "region": w.township.pk,
            "period_from": "2026-11-01",
            "period_to": "2026-11-30",
            "station": w.station.pk,
        },
    ),
    "duties:round_detail": Case({**STAFF_HERE, **DEPUTY}, kwargs=_round),
    # The administrator has no deputy record: the page says so.
    "duties:round_rate": Case({**DEPUTY, "admin": OK}, kwargs=_round),
    "duties:round_enter": Case(
        {"county": OK, "other_township": OK, "admin": OK},
        kwargs=lambda w: {"pk": w.other_round.pk},
    ),
    "duties:round_close": Case(
        STAFF_HERE, kwargs=_round, method="post", data=lambda w: {"publish": "on"}
    ),
    "duties:four_good": Case(OFFICE),
    "duties:four_good_print": Case(OFFICE),
    "duties:four_good_select": Case(
        OFFICE,
        method="post",
        data=lambda w: {"person": w.person.pk, "year": 2026, "basis": "述职满意率97.5%"},
    ),
    "duties:four_good_unselect": Case(STAFF_HERE, kwargs=_selection, method="post"),
    "duties:duty_report_list": Case(OFFICE),
    "duties:duty_report_create": Case(
        OFFICE,
        method="post",
        data=lambda w: {
            "person": w.person.pk,
            "reported_on": _today(),
            "audience": "东河村选区选民代表",
            "attendees": 30,
            "satisfied": 28,
            "basically_satisfied": 2,
            "dissatisfied": 0,
        },
    ),
}
