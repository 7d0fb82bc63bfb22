"""Roster import speed: N new deputies imported (check, then write, as
`manage.py import_roster` does) against a plain openpyxl read of the same
file.

    DJANGO_SETTINGS_MODULE=bench.settings python -m bench.import_speed --rows 100000 --out X.json

The workbook is written with openpyxl in write-only mode, in the roster's
own column layout (renda.deputies.roster_io.COLUMNS), one township deputy a
row, in the townships of the scale data (named by division code, as names
repeat across counties). The baseline opens the file read-only and reads
every row's values, which is the least any import must do.

roster_io refuses files over MAX_ROWS rows (100,000: "split the file"); a
run asked for more lifts that cap in its own process, and the result says so.
"""

import argparse
import datetime
import json
import random
import tempfile
import time
from pathlib import Path

import django

AREA = "979900"  # ID numbers outside every place of the scale data


def write_workbook(path: Path, rows: int, rng: random.Random) -> None:
    from openpyxl import Workbook

    from renda.core.models import Term
    from renda.core.text import chinese_number
    from renda.deputies.idcard import check_character
    from renda.deputies.models import Education, Gender, Level, Occupation, Party
    from renda.deputies.roster_io import COLUMNS

    from .scale import words

    terms = list(
        Term.objects.filter(body__kind="congress", body__region__level="township")
        .select_related("body__region")
        .order_by("pk")
    )
    if not terms:
        raise SystemExit("数据库中没有乡镇人大的届次：请先运行 seed_scale")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("花名册")
    sheet.append(["人大代表花名册"])
    sheet.append([column.header for column in COLUMNS])
    used = set()
    for number in range(1, rows + 1):
        term = terms[number % len(terms)]
        male = rng.random() < 0.7
        while True:
            birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randint(0, 14000))
            seq = rng.randint(0, 99) * 10 + rng.choice([1, 3, 5, 7, 9] if male else [0, 2, 4, 6, 8])
            first17 = f"{AREA}{birth:%Y%m%d}{seq:03d}"
            if first17 not in used:
                used.add(first17)
                break
        values = {
            "seq": number,
            "name": rng.choice(words.SURNAMES) + rng.choice(words.GIVEN) + rng.choice(words.GIVEN),
            "gender": (Gender.MALE if male else Gender.FEMALE).label,
            "ethnicity": "汉族",
            "birth_date": birth,
            "id_number": first17 + check_character(first17),
            "party": rng.choice(list(Party)).label,
            "occupation": rng.choice(list(Occupation)).label,
            "education": rng.choice(list(Education)).label,
            "unit_and_post": "村民",
            "mobile": f"139{rng.randint(0, 99_999_999):08d}",
            "region": term.body.region.code,
            "level": Level.TOWNSHIP.label,
            "term_label": f"第{chinese_number(term.number)}届",
            "constituency": None,
            "elected_on": term.started_on,
            "reelected": "否",
            "area_group": None,
            "topic_group": None,
            "commitments": None,
        }
        sheet.append([values[column.field] for column in COLUMNS])
    workbook.save(path)


def plain_read(path: Path) -> tuple[float, int]:
    from openpyxl import load_workbook

    start = time.perf_counter()
    workbook = load_workbook(path, read_only=True, data_only=True)
    count = sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    return time.perf_counter() - start, count


def measure(rows: int, seed: int = 7) -> dict:
    from renda.deputies import roster_io

    rng = random.Random(seed)  # noqa: S311 - test data
    capped = rows > roster_io.MAX_ROWS
    roster_io.MAX_ROWS = max(roster_io.MAX_ROWS, rows + 1)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "roster.xlsx"
        start = time.perf_counter()
        write_workbook(path, rows, rng)
        written_in = time.perf_counter() - start
        read_seconds, read_rows = plain_read(path)
        start = time.perf_counter()
        with open(path, "rb") as handle:
            check = roster_io.roster_check(handle, scope=None)
        check_seconds = time.perf_counter() - start
        start = time.perf_counter()
        written, refused = roster_io.roster_write(check, actor=None)
        write_seconds = time.perf_counter() - start
        size = path.stat().st_size
    total = check_seconds + write_seconds
    return {
        "rows": rows,
        "file_bytes": size,
        "make_file_seconds": round(written_in, 2),
        "openpyxl_read_seconds": round(read_seconds, 3),
        "openpyxl_rows": read_rows,
        "check_seconds": round(check_seconds, 3),
        "write_seconds": round(write_seconds, 3),
        "import_seconds": round(total, 3),
        "ratio": round(total / read_seconds, 2) if read_seconds else None,
        "check_ratio": round(check_seconds / read_seconds, 2) if read_seconds else None,
        "problems": len(check.problems),
        "first_problems": check.problems[:5],
        "good_rows": check.good_rows,
        "written_rows": written,
        "refused_rows": len(refused),
        "max_rows_lifted": capped,
    }


def main():
    parser = argparse.ArgumentParser(description="花名册导入速度")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--out")
    args = parser.parse_args()
    django.setup()
    result = measure(args.rows)
    text = json.dumps(result, ensure_ascii=False, indent=1)
    if args.out:
        Path(args.out).write_text(text)
    print(
        f"  {result['rows']} 行：openpyxl 读取 {result['openpyxl_read_seconds']} s，"
        f"导入 {result['import_seconds']} s（校验 {result['check_seconds']} s，写入 "
        f"{result['write_seconds']} s），比值 {result['ratio']}；问题 {result['problems']} 处"
    )


if __name__ == "__main__":
    main()
