"""Authorization matrix entries for archives, registers and figures.

An archive (page and PDF) is read by office staff of the deputy's region,
the deputy themself and the region's liaison officers; 龙泉镇's staff get
404 for a 青山镇 deputy; units and the public 403. The index sends a deputy
to their own archive (302). The yearly export and the figures are for
office staff; registers for office staff and liaison officers. Asking for
青山镇 shows that 龙泉镇's staff are refused another township (404).
"""

from renda.tests.matrix import OFFICE, OK, Case, same_township_only

ARCHIVE_READERS = {**same_township_only(OFFICE), "deputy": OK, "liaison": OK}
REGISTER_READERS = {**same_township_only(OFFICE), "liaison": OK}


def _year(w):
    return {"pk": w.person.pk, "year": 2026}


def _term(w):
    return {"pk": w.person.pk, "term": w.term.pk}


def _township_year(w):
    return {"region": w.township.pk, "year": 2026}


def _township_month(w):
    return {"region": w.township.pk, "held_from": "2026-09-01", "held_to": "2026-09-30"}


def _township_2026(w):
    return {"region": w.township.pk, "held_from": "2026-01-01", "held_to": "2026-12-31"}


def _kind(kind):
    return lambda w: {"kind": kind}


MATRIX = {
    "duties:archive_index": Case(
        {**same_township_only(OFFICE), "deputy": 302, "liaison": OK}, data=_township_year
    ),
    "duties:archive_export": Case(same_township_only(OFFICE), data=_township_year),
    "duties:archive": Case(ARCHIVE_READERS, kwargs=_year),
    "duties:archive_pdf": Case(ARCHIVE_READERS, kwargs=_year),
    "duties:archive_term": Case(ARCHIVE_READERS, kwargs=_term),
    "duties:archive_term_pdf": Case(ARCHIVE_READERS, kwargs=_term),
    "duties:register": Case(REGISTER_READERS, kwargs=_kind("attendance"), data=_township_month),
    "duties:register_xlsx": Case(REGISTER_READERS, kwargs=_kind("cards"), data=_township_month),
    "duties:figures": Case(same_township_only(OFFICE), data=_township_2026),
    "duties:figures_xlsx": Case(same_township_only(OFFICE), data=_township_2026),
    "duties:figures_items": Case(
        same_township_only(OFFICE), data=lambda w: {**_township_2026(w), "figure": "activities"}
    ),
}
