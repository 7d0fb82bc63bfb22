"""Typed readers of the environment: each refuses a bad value with one line.

Settings read the environment only through these helpers, so that a typo in a
deployment stops start-up with a message naming the variable, instead of
running with a silent default.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class SettingsError(ImproperlyConfigured):
    """A setting read from the environment is missing or malformed."""


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise SettingsError(f"环境变量 {name} 未设置 ({name} is required)")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise SettingsError(f"环境变量 {name}={value!r} 不是布尔值，请用 1/0 ({name} must be 1 or 0)")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise SettingsError(
            f"环境变量 {name}={value!r} 不是整数 ({name} must be an integer)"
        ) from None
    if minimum is not None and number < minimum:
        raise SettingsError(f"环境变量 {name}={number} 小于 {minimum} ({name} must be ≥ {minimum})")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]
