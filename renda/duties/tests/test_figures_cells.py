"""Above a county the duty figures add up cells (figures.cells_rebuild):
what they add up is what the records count, the page reads them in a fixed
number of queries and says how old they are, the periodic task refreshes
them, and a county, a township or a period of part of a month is counted
live."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from renda.core.clock import acting_on
from renda.core.tests.helpers import assert_pinned_queries
from renda.duties import figures, services
from renda.duties.models import Attendance, DutyKind, DutyReport, FigureCell
from renda.duties.tasks import figure_cells_task
from renda.duties.tests.helpers import serving_deputy
from renda.duties.tests.test_figures_scale import QUERY, YEAR

BUILT_ON = datetime.date(2026, 11, 20)  # within the deputy cells' years


def _build():
    with acting_on(BUILT_ON):
        return figures.cells_rebuild()


def _activity(province, township, person, held_on, kind=DutyKind.INSPECTION):
    return services.activity_create(
        actor=province["user"],
        region=township,
        kind=kind,
        title=f"{township.name}{held_on:%m月}活动",
        held_on=held_on,
        participants={person: Attendance.PRESENT},
    )


def _figures(report) -> dict:
    rows = {
        name: [vars(row) for row in getattr(report, name)]
        for name in ("by_kind", "by_township", "by_month")
    }
    return {**rows, "total": vars(report.total), "deputies": vars(report.deputies)}


PERIODS = [
    YEAR,
    # A quarter: whole months, the deputies counted live.
    {"held_from": datetime.date(2026, 4, 1), "held_to": datetime.date(2026, 6, 30)},
    # A year without a record: every figure 0.
    {"held_from": datetime.date(2024, 1, 1), "held_to": datetime.date(2024, 12, 31)},
]


@pytest.mark.parametrize("period", PERIODS)
def test_the_cells_add_up_to_what_the_records_count(world, province, baisha, period):
    _activity(province, province["township"], baisha, datetime.date(2026, 5, 20), DutyKind.SURVEY)
    _build()
    user = province["user"]
    counted, summed = (
        figures.figures_report(user, filters={**period}, organisers=False, from_cells=cells)
        for cells in (False, True)
    )
    assert counted.as_of is None and summed.as_of is not None
    assert _figures(summed) == _figures(counted)
    if period is YEAR:  # the world's activities, records and a duty report are in it
        assert summed.total.activities >= 3 and summed.total.records and summed.deputies.reports


def test_a_county_a_township_and_a_part_of_a_month_are_counted_live(world, province, baisha):
    _build()
    user = province["user"]
    live = [
        {**YEAR, "area": world.county},
        {**YEAR, "region": world.township},
        {"held_from": datetime.date(2026, 1, 1), "held_to": datetime.date(2026, 5, 6)},
    ]
    for filters in live:
        report = figures.figures_report(user, filters=filters, organisers=False, from_cells=True)
        assert report.as_of is None, filters
    county_user = world.user("county")
    report = figures.figures_report(
        county_user, filters={**YEAR}, organisers=False, from_cells=True
    )
    assert report.as_of is None


def test_the_page_says_how_old_its_figures_are_until_the_task_recounts(
    world,
    province,
    baisha,
    client,
):
    client.force_login(province["user"])
    _build()

    def activities_and_reports(response) -> tuple[int, int]:
        report = response.context["report"]
        return report.total.activities, report.deputies.reports

    response = client.get(reverse("duties:figures"), QUERY)
    assert "统计截至 2026年11月20日" in response.content.decode()
    before = activities_and_reports(response)
    _activity(province, province["township"], baisha, datetime.date(2026, 7, 1))
    first = DutyReport.objects.first()
    first.pk = None
    first.reported_on = datetime.date(2026, 8, 1)
    first.save()
    assert activities_and_reports(client.get(reverse("duties:figures"), QUERY)) == before
    with acting_on(BUILT_ON):
        assert figure_cells_task.call_local() > FigureCell.objects.count()  # deputy cells too
    after = activities_and_reports(client.get(reverse("duties:figures"), QUERY))
    assert after == (before[0] + 1, before[1] + 1)

    workbook = client.get(reverse("duties:figures_xlsx"), QUERY)
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.content))["概况"]
    assert "统计截至 2026年11月20日" in sheet["A2"].value


def test_the_province_page_reads_the_cells_in_a_fixed_number_of_queries(
    world,
    province,
    baisha,
    client,
):
    client.force_login(province["user"])
    townships = [world.township, world.other_township, province["township"]]

    def grow():
        for n, township in enumerate(townships):
            person = serving_deputy(township, f"新代表{n}")
            _activity(province, township, person, datetime.date(2026, 3 + n, 1))
        _build()

    def page():
        assert client.get(reverse("duties:figures"), QUERY).status_code == 200

    _build()
    # session, user, the user's region, the counties; the cells (by kind,
    # deputies, by place, by month); the places' labels; the bands: whether
    # a scheme is in force (one governs 青山镇), the deputies' townships,
    # their schemes and the bands' count.
    assert_pinned_queries(page, grow, expected=13)
