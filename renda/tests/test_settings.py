"""Settings fail loudly, with one line, when the environment is wrong."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(env_changes: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"}}
    env.update(env_changes)
    return subprocess.run(  # noqa: S603 - our own manage.py with a fixed argument list
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_debug_off_without_secret_key_stops_with_one_line():
    result = run_manage({"DEBUG": "0", "ALLOWED_HOSTS": "renda.example.gov.cn"})
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "SECRET_KEY" in lines[0]


def test_debug_off_without_allowed_hosts_stops_with_one_line():
    result = run_manage({"DEBUG": "0", "SECRET_KEY": "x" * 50})
    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_a_malformed_boolean_is_named():
    result = run_manage({"DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG='maybe'" in result.stderr


def test_debug_off_with_real_settings_starts():
    result = run_manage(
        {"DEBUG": "0", "SECRET_KEY": "k" * 50, "ALLOWED_HOSTS": "renda.example.gov.cn"}
    )
    assert result.returncode == 0, result.stderr
