"""The vocabulary of the authorization matrix (see test_authorization_matrix.py)."""

from collections.abc import Callable
from dataclasses import dataclass

from conftest import ROLES

OK, DENY, LOGIN = "ok", "deny", "login"

SIGNED_IN = {role: OK for role in ROLES if role != "anonymous"}
OFFICE = {"county": OK, "township": OK, "other_township": OK, "admin": OK}
REGIONAL = {**OFFICE, "deputy": OK, "liaison": OK}
EVERYONE = dict.fromkeys(ROLES, OK)


@dataclass
class Case:
    expect: dict
    kwargs: Callable = lambda w: {}
    method: str = "get"
    data: Callable = lambda w: {}
    api: bool = False


def same_township_only(base: dict) -> dict:
    """Township-owned records: the other township is refused."""
    return {**base, "other_township": DENY}
