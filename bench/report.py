"""The Markdown summary of the latest bench run of each database:
bench/results/latest.md, from the newest bench/results/*-<db>.json.

    python -m bench.report [RESULT.json ...]

Targets (issue 7; a benchmark on 2 cores, not a timed test):
- every list and statistics page: p95 <= 150 ms and median <= 3x the floor
  page, with 20 concurrent users, on both databases;
- roster import <= 2x a plain openpyxl read of the same file;
- public opinion submission >= 200 requests/s on PostgreSQL, without error;
- zero errors in every scenario.
"""

import json
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
P95_MS = 150
FLOOR_RATIO = 3
IMPORT_RATIO = 2
SUBMIT_RPS = 200
TARGET_KINDS = ("list", "stats")
SUBMIT_NAME = "api: opinion submit"


def latest(db: str) -> Path | None:
    found = sorted(RESULTS.glob(f"*-{db}.json"))
    return found[-1] if found else None


def mark(ok: bool | None) -> str:
    return "—" if ok is None else ("✅" if ok else "❌")


def _ms(value) -> str:
    return "—" if value is None else f"{value:,.0f}"


def kind_of(result: dict, name: str) -> str:
    if name == "floor":
        return "floor"
    if name in result.get("kinds", {}):
        return result["kinds"][name]
    if name.endswith("[POST]") or name == SUBMIT_NAME:
        return "write"
    if name.endswith("[form]"):
        return "form"
    return "detail"


def evaluate(result: dict) -> dict:
    """Pass/fail of every target this run can answer."""
    mixed = result["phases"]["mixed"]
    floor = next((p for p in mixed["pages"] if p["name"] == "floor"), None)
    floor_p50 = floor["p50"] if floor else None
    pages = []
    for page in mixed["pages"]:
        kind = kind_of(result, page["name"])
        ratio = page["p50"] / floor_p50 if floor_p50 and page["p50"] is not None else None
        targeted = kind in TARGET_KINDS
        pages.append(
            {
                **page,
                "kind": kind,
                "ratio": ratio,
                "p95_ok": page["p95"] <= P95_MS if targeted and page["p95"] is not None else None,
                "ratio_ok": ratio <= FLOOR_RATIO if targeted and ratio is not None else None,
            }
        )
    submit = next(
        (p for p in result["phases"]["submit"]["pages"] if p["name"] == SUBMIT_NAME), None
    )
    check_errors = [c for c in result.get("page_check", []) if c["status"] != 200]
    errors = sum(p["failures"] for phase in result["phases"].values() for p in phase["pages"])
    imp = result.get("import", {})
    return {
        "floor_p50": floor_p50,
        "pages": pages,
        "pages_ok": all(p["p95_ok"] is not False and p["ratio_ok"] is not False for p in pages),
        "submit": submit,
        "submit_ok": (submit["rps"] >= SUBMIT_RPS and submit["failures"] == 0)
        if submit and result["db"] == "postgres"
        else None,
        "import_ok": imp.get("ratio") is not None
        and imp["ratio"] <= IMPORT_RATIO
        and not imp.get("refused_rows"),
        "check_errors": check_errors,
        "errors": errors + len(check_errors) + imp.get("refused_rows", 0),
    }


def _total(result: dict, phase: str) -> str:
    total = result["phases"][phase]["total"]
    if not total:
        return "no requests"
    return (
        f"{total['requests']:,} requests, {total['rps']:.1f} req/s, p50 {_ms(total['p50'])} ms, "
        f"p95 {_ms(total['p95'])} ms, {total['failures']} errors"
    )


def section(result: dict) -> list[str]:
    verdict = evaluate(result)
    db = {"sqlite": "SQLite", "postgres": "PostgreSQL"}[result["db"]]
    s, seed, m = result["settings"], result["seed"], result["machine"]
    sizes = seed["sizes"]
    lines = [
        f"## {db} — factor {s['factor']} ({sizes['counties']} {'county' if sizes['counties'] == 1 else 'counties'}, {sizes['deputies']:,} deputies, "
        f"{sizes['duty_records']:,} duty records, {sizes['suggestions']:,} suggestions, {sizes['opinions']:,} opinions)",
        "",
        f"Run {result['started']} on {m.get('cpu', '?')}, {m.get('cores')} cores, {m.get('memory_gb', '?')} GB"
        f"{', PostgreSQL ' + m['postgres'] if m.get('postgres') else ''}; load average at start "
        f"{m.get('load_average_at_start')}. gunicorn {s['workers']} workers on 127.0.0.1; "
        f"{s['users']} users for {s['seconds']} s (think time {s['wait']} s); submission phase "
        f"{s['submit_users']} users for {s.get('submit_seconds', s['seconds'])} s, no think time.",
        "",
        "Seed: "
        + ", ".join(f"{part} {sec:.1f} s" for part, sec in seed["seconds"].items())
        + f"; total {seed['total_seconds']:.1f} s"
        + (
            f"; then VACUUM (ANALYZE) and CHECKPOINT {seed['vacuum_seconds']:.1f} s."
            if "vacuum_seconds" in seed
            else "."
        ),
        "",
        f"Floor page (core:floor) median: **{_ms(verdict['floor_p50'])} ms**. Mixed phase: "
        f"{_total(result, 'mixed')}; submission phase: {_total(result, 'submit')}.",
        "",
        "| page | kind | requests | errors | req/s | p50 ms | p95 ms | p99 ms | p50 / floor | p95 ≤ 150 | ≤ 3× floor |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|:-:|:-:|",
    ]
    order = {"floor": 0, "list": 1, "stats": 2, "detail": 3, "form": 4, "write": 5}
    for p in sorted(verdict["pages"], key=lambda p: (order.get(p["kind"], 9), p["name"])):
        ratio = "—" if p["ratio"] is None else f"{p['ratio']:.1f}×"
        lines.append(
            f"| {p['method']} {p['name']} | {p['kind']} | {p['requests']} | {p['failures']} | {p['rps'] or 0:.1f} "
            f"| {_ms(p['p50'])} | {_ms(p['p95'])} | {_ms(p['p99'])} | {ratio} | {mark(p['p95_ok'])} | {mark(p['ratio_ok'])} |"
        )
    submit, imp = verdict["submit"], result.get("import", {})
    lines += ["", "| target | result | |", "|---|---|:-:|"]
    targeted = [p for p in verdict["pages"] if p["kind"] in TARGET_KINDS]
    lines.append(
        f"| every list and statistics page p95 ≤ {P95_MS} ms and ≤ {FLOOR_RATIO}× floor "
        f"| both: {sum(1 for p in targeted if p['p95_ok'] and p['ratio_ok'])} of {len(targeted)} pages "
        f"(p95: {sum(1 for p in targeted if p['p95_ok'])}, ratio: {sum(1 for p in targeted if p['ratio_ok'])}) "
        f"| {mark(verdict['pages_ok'])} |"
    )
    if submit:
        lines.append(
            f"| public opinion submission ≥ {SUBMIT_RPS} req/s{' (PostgreSQL target)' if result['db'] == 'postgres' else ' (target is for PostgreSQL)'} "
            f"| {submit['rps']:.1f} req/s, p95 {_ms(submit['p95'])} ms, {submit['failures']} errors | {mark(verdict['submit_ok'])} |"
        )
    if imp:
        lines.append(
            f"| roster import ≤ {IMPORT_RATIO}× openpyxl read | {imp['rows']:,} rows: import {imp['import_seconds']:.1f} s "
            f"(check {imp['check_seconds']:.1f} s, write {imp['write_seconds']:.1f} s) vs read "
            f"{imp['openpyxl_read_seconds']:.2f} s = **{imp['ratio']}×**"
            f"{'; MAX_ROWS lifted for the run' if imp.get('max_rows_lifted') else ''} | {mark(verdict['import_ok'])} |"
        )
    lines.append(f"| zero errors | {verdict['errors']} errors | {mark(verdict['errors'] == 0)} |")
    notes = []
    for c in verdict["check_errors"]:
        notes.append(f"- page check: {c['role']} {c['name']} answered {c['status']}")
    for phase, data in result["phases"].items():
        for f in data["failures"][:12]:
            notes.append(f"- {phase}: {f['method']} {f['name']}: {f['error']} (×{f['count']})")
    if imp.get("refused_rows") or imp.get("problems"):
        notes.append(
            f"- import: {imp.get('problems')} problems, {imp.get('refused_rows')} rows refused: {imp.get('first_problems')}"
        )
    if result["plan"]["missing"]:
        notes.append("- not measured (no such page yet): " + ", ".join(result["plan"]["missing"]))
    slow = sorted(result.get("page_check", []), key=lambda c: -c["ms"])[:3]
    if slow:
        notes.append(
            "- slowest single page loads before the load phase: "
            + "; ".join(
                f"{c['name']} ({c['role']}) {c['ms']:.0f} ms, {c['bytes'] / 1024:.0f} KB"
                for c in slow
            )
        )
    if notes:
        lines += ["", *notes]
    return lines + [""]


def main(paths: list[str]) -> None:
    found = [Path(p) for p in paths] or [p for p in (latest("sqlite"), latest("postgres")) if p]
    if not found:
        sys.exit("bench/results 中没有结果：请先运行 make bench")
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (bench/report.py) from "
        + ", ".join(f"`{p.name}`" for p in found)
        + ". Targets: issue 7 (see bench/README.md). ✅ met, ❌ not met, — no target.",
        "",
    ]
    for path in found:
        lines += section(json.loads(path.read_text()))
    out = RESULTS / "latest.md"
    out.write_text("\n".join(lines))
    print(f"已写入 {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
