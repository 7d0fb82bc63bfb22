"""Authorization matrix entries for the deputies stations pages.

w.station is 东河村代表联络站 in 青山镇 (liaison is its liaison officer), so
龙泉镇's staff get 404; deputies and liaison officers read it; office staff
over its region edit it, and so does its own liaison officer. w.checklist
(七有) is national: everyone in a region reads it, only a superuser edits it.
"""

from renda.tests.matrix import OFFICE, OK, REGIONAL, Case, same_township_only

# Office staff over 青山镇 and the station's own liaison officer; a deputy reads
# the station but may not change it (403); 龙泉镇 cannot see it (404).
STATION_KEEPERS = {"county": OK, "township": OK, "admin": OK, "liaison": OK, "deputy": 403}
# Office staff over 青山镇 only.
STATION_OFFICE = {"county": OK, "township": OK, "admin": OK, "deputy": 403, "liaison": 403}


def _schedule(w):
    return {"pk": w.station.schedules.get().pk}


MATRIX = {
    "deputies:station_list": Case(REGIONAL),
    "deputies:station_detail": Case(
        same_township_only(REGIONAL), kwargs=lambda w: {"pk": w.station.pk}
    ),
    "deputies:station_create": Case(OFFICE),
    "deputies:station_edit": Case(STATION_KEEPERS, kwargs=lambda w: {"pk": w.station.pk}),
    "deputies:schedule_create": Case(
        STATION_KEEPERS, kwargs=lambda w: {"station_pk": w.station.pk}
    ),
    "deputies:schedule_edit": Case(STATION_KEEPERS, kwargs=_schedule),
    "deputies:schedule_delete": Case(STATION_KEEPERS, kwargs=_schedule, method="post"),
    "deputies:checklist_list": Case(REGIONAL),
    "deputies:checklist_detail": Case(REGIONAL, kwargs=lambda w: {"pk": w.checklist.pk}),
    "deputies:checklist_create": Case(OFFICE),
    # National checklist: office staff of any level are refused (403).
    "deputies:checklist_edit": Case(
        {"admin": OK, "county": 403, "township": 403, "other_township": 403},
        kwargs=lambda w: {"pk": w.checklist.pk},
    ),
    "deputies:assessment_create": Case(
        STATION_OFFICE, kwargs=lambda w: {"station_pk": w.station.pk}
    ),
    "deputies:assessment_detail": Case(
        same_township_only(REGIONAL), kwargs=lambda w: {"pk": w.assessment.pk}
    ),
}
