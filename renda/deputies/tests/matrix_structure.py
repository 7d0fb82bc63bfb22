"""Authorization matrix entries for the deputies structure pages.

Office staff only; asking for 青山镇 shows that 龙泉镇's staff are refused
another township (404), while county staff and the administrator see it.
"""

from renda.tests.matrix import OFFICE, Case, same_township_only


def _township_query(w):
    return {"region": w.township.code, "level": "township", "on": "2026-07-01"}


MATRIX = {
    "deputies:structure": Case(same_township_only(OFFICE), data=_township_query),
    "deputies:structure_export": Case(same_township_only(OFFICE), data=_township_query),
}
