"""Authorization matrix entries for the roster import and export pages.

Imports are office work: deputies and liaison officers are refused (403).
Each import case makes an import owned by 青山镇, so the other township gets
404 and the county (above it) is allowed."""

from renda.deputies.models import ImportStatus, RosterImport
from renda.tests.matrix import OFFICE, REGIONAL, Case, same_township_only

OWN_TOWNSHIP = {**same_township_only(OFFICE), "deputy": 403, "liaison": 403}


def _township_import(w, status=ImportStatus.CHECKED) -> dict:
    job = RosterImport.objects.create(
        file="imports/matrix.xlsx",
        original_name="青山镇花名册.xlsx",
        region=w.township,
        created_by=w.user("township"),
        status=status,
        total_rows=3,
        processed_rows=3,
        good_rows=2,
        problems=[{"row": 5, "column": "姓名", "message": "必填，不能为空"}],
    )
    return {"pk": job.pk}


MATRIX = {
    "deputies:import_list": Case({**OFFICE, "deputy": 403, "liaison": 403}),
    "deputies:import_create": Case({**OFFICE, "deputy": 403, "liaison": 403}),
    "deputies:import_detail": Case(OWN_TOWNSHIP, kwargs=_township_import),
    "deputies:import_status": Case(OWN_TOWNSHIP, kwargs=_township_import),
    # Posting moves the import on; the write task is queued on commit, which
    # the test transaction never reaches.
    "deputies:import_confirm": Case(OWN_TOWNSHIP, kwargs=_township_import, method="post"),
    # Everyone who works with deputies may export; only office staff see full ID numbers.
    "deputies:roster_export": Case(REGIONAL),
}
