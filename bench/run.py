"""One bench run against one database: build the data, serve it with
gunicorn on 127.0.0.1, check every page once, run the load phases with
locust (headless), time the roster import, and write
bench/results/<timestamp>-<db>.json. `make bench` runs it for SQLite and,
inside scripts/with-postgres, for PostgreSQL; bench/report.py then writes
the summary.

    python -m bench.run --db sqlite
    scripts/with-postgres python -m bench.run --db postgres

Tuned by environment variables (defaults in brackets):
  BENCH_FACTOR [1]           scale of the PostgreSQL data (1 = a province)
  BENCH_SQLITE_FACTOR [0.01] scale of the SQLite data (0.01 = one county)
  BENCH_SECONDS [120]        length of the mixed phase (a province page gets a few
                             requests a minute: 120 s makes its p95 less of one request)
  BENCH_SUBMIT_SECONDS [60]  length of the submission phase
  BENCH_USERS [20]           concurrent users of the mixed phase
  BENCH_SUBMIT_USERS [32]    concurrent users of the submission phase
  BENCH_WAIT [0.5-1.5]       think time between a user's requests, seconds
  BENCH_WORKERS [3]          gunicorn workers (the README's deployment)
  BENCH_IMPORT_ROWS          rows of the roster import [100,000 x BENCH_FACTOR]
"""

import argparse
import csv
import datetime
import json
import os
import platform
import secrets
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
BIN = Path(sys.executable).parent


def _env_float(name, default):
    return float(os.environ.get(name) or default)


def _env_int(name, default):
    return int(os.environ.get(name) or default)


def say(message):
    print(f"[bench {datetime.datetime.now():%H:%M:%S}] {message}", flush=True)  # noqa: DTZ005 - a log line


def django_env(db: str, work: Path) -> dict:
    """The environment of every Django process of the run: production-like
    (DEBUG off, persistent connections), the bench settings (bench/settings.py)."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(40),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SESSION_COOKIE_SECURE="0",  # plain http on 127.0.0.1
        CSRF_COOKIE_SECURE="0",
        RENDA_DATA_DIR=str(work),
        STATIC_ROOT=str(work / "static"),
        MEDIA_ROOT=str(work / "media"),
        DATABASE_CONN_MAX_AGE="60",
        HUEY_IMMEDIATE="1",
        PYTHONPATH=str(ROOT),
    )
    if db == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{work / 'bench.sqlite3'}"
    elif not env.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("PostgreSQL 运行需要 DATABASE_URL：请用 scripts/with-postgres 启动")
    return env


def ensure_postgres_database(url: str) -> None:
    """scripts/with-postgres starts a bare cluster: create the database named in the URL."""
    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def vacuum(url: str) -> float:
    """VACUUM (ANALYZE) the freshly seeded database, as pgbench does before
    a run: a server's tables have long been vacuumed and analysed by
    autovacuum, and otherwise it would do that during the measured minutes
    (millions of freshly inserted rows), and the first reads would write
    every page's hint bits. Then CHECKPOINT: the seed leaves gigabytes of
    dirty buffers, which a timed checkpoint could otherwise write while the
    load runs. Returns the seconds it took."""
    import psycopg

    say("postgres: VACUUM (ANALYZE), CHECKPOINT")
    started = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("VACUUM (ANALYZE)")
        connection.execute("CHECKPOINT")
    return round(time.perf_counter() - started, 1)


def manage(env, *args, capture=False):
    command = [PYTHON, str(ROOT / "manage.py"), *args]
    result = subprocess.run(  # noqa: S603 - our own commands
        command, env=env, cwd=ROOT, check=True, capture_output=capture, text=True
    )
    return result.stdout if capture else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env, work: Path, workers: int):
    port = free_port()
    log = open(work / "gunicorn.log", "w")  # noqa: SIM115 - closed by stop_gunicorn
    process = subprocess.Popen(  # noqa: S603
        [str(BIN / "gunicorn"), "renda.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(workers),
         "--timeout", "120", "--error-logfile", "-"],  # fmt: skip
        env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    host = f"http://127.0.0.1:{port}"
    import requests

    for _ in range(120):
        if process.poll() is not None:
            sys.exit(f"gunicorn 未能启动，见 {work / 'gunicorn.log'}")
        try:
            if requests.get(f"{host}/healthz/", timeout=2).status_code == 200:
                return process, host, log
        except requests.RequestException:
            pass
        time.sleep(0.5)
    process.terminate()
    sys.exit("gunicorn 60 秒内没有响应")


def stop_gunicorn(process, log):
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


def check_pages(host: str, plan: dict) -> list[dict]:
    """Every page of the plan once, as its role: what does not answer 200 is an error."""
    import requests

    checked = []
    for role, spec in plan["roles"].items():
        cookies = {"sessionid": spec["slots"][0]["session"]} if spec["slots"] else {}
        for page in [*spec["pages"], {"name": "floor", "url": plan["floor"]}]:
            start = time.perf_counter()
            try:
                response = requests.get(
                    host + page["url"], cookies=cookies, allow_redirects=False, timeout=150
                )
                status, size = response.status_code, len(response.content)
            except requests.RequestException as error:  # a timeout is a finding, not a crash
                status, size = 0, 0
                say(f"  {page['name']}: {error.__class__.__name__}")
            checked.append(
                {
                    "role": role,
                    "name": page["name"],
                    "status": status,
                    "ms": round((time.perf_counter() - start) * 1000, 1),
                    "bytes": size,
                }
            )
    return checked


def run_locust(host, plan_path, work: Path, phase, classes, users, seconds) -> dict:
    prefix = work / f"locust-{phase}"
    env = dict(os.environ, BENCH_PLAN=str(plan_path), PYTHONPATH=str(ROOT))
    command = [
        str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
        "--host", host, "--users", str(users), "--spawn-rate", str(users),
        "--run-time", f"{seconds}s", "--csv", str(prefix), "--only-summary",
        "--loglevel", "WARNING", "--stop-timeout", "10", *classes,
    ]  # fmt: skip
    say(f"locust {phase}: {users} 个用户，{seconds} 秒（{', '.join(classes)}）")
    subprocess.run(command, env=env, cwd=ROOT, check=False, stdout=subprocess.DEVNULL)  # noqa: S603
    return read_locust(prefix)


def _number(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def read_locust(prefix: Path) -> dict:
    rows = []
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rows.append(
                {
                    "method": row["Type"],
                    "name": row["Name"],
                    "requests": int(row["Request Count"]),
                    "failures": int(row["Failure Count"]),
                    "rps": _number(row["Requests/s"]),
                    "p50": _number(row["50%"]),
                    "p95": _number(row["95%"]),
                    "p99": _number(row["99%"]),
                    "mean": _number(row["Average Response Time"]),
                    "max": _number(row["Max Response Time"]),
                    "bytes": _number(row["Average Content Size"]),
                }
            )
    failures = []
    path = Path(f"{prefix}_failures.csv")
    if path.exists():
        with open(path, encoding="utf-8") as handle:
            failures = [
                {
                    "method": r["Method"],
                    "name": r["Name"],
                    "error": r["Error"],
                    "count": int(r["Occurrences"]),
                }
                for r in csv.DictReader(handle)
            ]
    total = next((r for r in rows if r["name"] == "Aggregated"), None)
    return {
        "pages": [r for r in rows if r["name"] != "Aggregated"],
        "total": total,
        "failures": failures,
    }


def machine() -> dict:
    info = {
        "python": platform.python_version(),
        "system": platform.platform(),
        "cores": os.cpu_count(),
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory_gb"] = round(int(line.split()[1]) / 1024 / 1024, 1)
        info["load_average_at_start"] = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        pass
    return info


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], required=True)
    args = parser.parse_args()
    db = args.db
    factor = _env_float("BENCH_FACTOR", 1.0)
    if db == "sqlite":
        factor = _env_float("BENCH_SQLITE_FACTOR", min(0.01, factor))
    seconds = _env_int("BENCH_SECONDS", 120)
    submit_seconds = _env_int("BENCH_SUBMIT_SECONDS", 60)
    users = _env_int("BENCH_USERS", 20)
    submit_users = _env_int("BENCH_SUBMIT_USERS", 32)
    workers = _env_int("BENCH_WORKERS", 3)
    import_rows = _env_int(
        "BENCH_IMPORT_ROWS", max(100, round(100_000 * _env_float("BENCH_FACTOR", 1.0)))
    )
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")  # noqa: DTZ005 - a file name
    work = ROOT / "data" / "bench" / db
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    env = django_env(db, work)
    result = {
        "db": db,
        "started": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": machine(),
        "settings": {
            "factor": factor, "seconds": seconds, "users": users, "submit_users": submit_users,
            "submit_seconds": submit_seconds,
            "workers": workers, "wait": os.environ.get("BENCH_WAIT", "0.5-1.5"), "import_rows": import_rows,
        },
    }  # fmt: skip
    if db == "postgres":
        ensure_postgres_database(env["DATABASE_URL"])
        result["machine"]["postgres"] = subprocess.run(  # noqa: S603
            [PYTHON, "-c", "import psycopg,os;print(psycopg.connect(os.environ['DATABASE_URL']).info.server_version)"],
            env=env, capture_output=True, text=True, check=False,
        ).stdout.strip()  # fmt: skip

    say(f"{db}: migrate, collectstatic")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    say(f"{db}: seed_scale --factor {factor}")
    timings = work / "seed.json"
    manage(env, "seed_scale", "--factor", str(factor), "--timings-json", str(timings))
    result["seed"] = json.loads(timings.read_text())
    if db == "postgres":
        result["seed"]["vacuum_seconds"] = vacuum(env["DATABASE_URL"])
    plan_path = work / "plan.json"
    subprocess.run([PYTHON, "-m", "bench.plan", str(plan_path)], env=env, cwd=ROOT, check=True)  # noqa: S603
    plan = json.loads(plan_path.read_text())
    result["plan"] = {"counts": plan["counts"], "missing": plan["missing"]}
    result["kinds"] = {
        p["name"]: p["kind"] for spec in plan["roles"].values() for p in spec["pages"]
    }

    process, host, log = start_gunicorn(env, work, workers)
    try:
        say(f"{db}: 逐页检查")
        result["page_check"] = check_pages(host, plan)
        classes = [
            cls for cls, role in [("CountyStaff", "county"), ("ProvinceStaff", "province"),
                                  ("UnitUser", "unit"), ("Deputy", "deputy"), ("Public", "public")]
            if role in plan["roles"] and (plan["roles"][role]["slots"] or role == "public")
        ]  # fmt: skip
        result["phases"] = {
            "mixed": run_locust(host, plan_path, work, "mixed", classes, users, seconds),
            "submit": run_locust(
                host, plan_path, work, "submit", ["ApiSubmitter"], submit_users, submit_seconds
            ),
        }
    finally:
        stop_gunicorn(process, log)

    say(f"{db}: 花名册导入 {import_rows} 行")
    out = work / "import.json"
    subprocess.run(  # noqa: S603
        [PYTHON, "-m", "bench.import_speed", "--rows", str(import_rows), "--out", str(out)],
        env=env, cwd=ROOT, check=True,
    )  # fmt: skip
    result["import"] = json.loads(out.read_text())
    result["finished"] = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{stamp}-{db}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=1))
    say(f"{db}: 结果已写入 {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
