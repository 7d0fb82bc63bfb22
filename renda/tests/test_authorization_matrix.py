"""The authorization matrix: every URL pattern of the project, and what each
role gets from it, checked with real requests.

A pattern missing from MATRIX fails `test_every_url_pattern_is_in_the_matrix`,
so every new page and endpoint must say who may use it. For each declared
pattern and each role of the cast (see conftest.py), one request is made:

- OK: a GET answers 200; a POST answers 200 or redirects somewhere other
  than the sign-in page;
- DENY: 403 or 404, never data;
- LOGIN: pages redirect to sign-in, the API answers 401;
- a number: exactly that status.

A role not named in an entry is DENY (LOGIN for anonymous).
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

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


MATRIX: dict[str, Case] = {
    # --- sign-in and the shell
    "core:dashboard": Case(SIGNED_IN),
    "core:healthz": Case(EVERYONE),
    "core:login": Case({"anonymous": OK, **dict.fromkeys(SIGNED_IN, 302)}),
    "core:logout": Case(dict.fromkeys(ROLES, 302), method="post"),
    "core:password_change": Case(SIGNED_IN),
    "core:password_change_done": Case(SIGNED_IN),
    "set_language": Case(EVERYONE, method="post", data=lambda w: {"language": "en", "next": "/"}),
    # --- places, bodies and sessions
    "core:region_list": Case(REGIONAL),
    "core:region_detail": Case(
        same_township_only(REGIONAL), kwargs=lambda w: {"pk": w.township.pk}
    ),
    "core:body_list": Case(REGIONAL),
    "core:body_detail": Case(
        same_township_only(REGIONAL), kwargs=lambda w: {"pk": w.township_congress.pk}
    ),
    "core:session_detail": Case(
        same_township_only(REGIONAL), kwargs=lambda w: {"pk": w.session.pk}
    ),
    "core:session_move": Case(
        # Deputies and liaison officers may read a session but not move it.
        {"county": OK, "township": OK, "admin": OK, "deputy": 403, "liaison": 403},
        kwargs=lambda w: {"pk": w.session.pk},
        method="post",
        data=lambda w: {"to": "open"},
    ),
    # --- handling units
    "core:unit_list": Case({**OFFICE, "unit": OK, "other_unit": OK, "deputy": OK, "liaison": OK}),
    "core:unit_detail": Case(
        {
            "county": OK,
            "township": OK,
            "admin": OK,
            "deputy": OK,
            "liaison": OK,
            "other_township": DENY,
            "unit": DENY,
        },
        kwargs=lambda w: {"pk": w.township_unit.pk},
    ),
    "core:unit_create": Case(OFFICE),
    "core:unit_edit": Case(
        {"county": OK, "township": OK, "admin": OK}, kwargs=lambda w: {"pk": w.township_unit.pk}
    ),
    # --- rule sets
    "core:rule_list": Case(OFFICE),
    "core:rule_create": Case(OFFICE),
    "core:rule_detail": Case(
        {"county": OK, "township": OK, "admin": OK}, kwargs=lambda w: {"pk": w.township_rule.pk}
    ),
    # --- REST API
    "api:api-root": Case(SIGNED_IN, api=True),
    "api:me": Case(SIGNED_IN, api=True),
    "api:schema": Case(EVERYONE, api=True),
    "api:docs": Case(EVERYONE, api=True),
    "api:token": Case(dict.fromkeys(ROLES, 400), method="post", api=True),
    "api:region-list": Case(SIGNED_IN, api=True),
    "api:region-detail": Case(
        same_township_only(
            {"county": OK, "township": OK, "deputy": OK, "liaison": OK, "admin": OK}
        ),
        kwargs=lambda w: {"pk": w.township.pk},
        api=True,
    ),
    "api:body-list": Case(SIGNED_IN, api=True),
    "api:body-detail": Case(
        same_township_only(
            {"county": OK, "township": OK, "deputy": OK, "liaison": OK, "admin": OK}
        ),
        kwargs=lambda w: {"pk": w.township_congress.pk},
        api=True,
    ),
    "api:session-list": Case(SIGNED_IN, api=True),
    "api:session-detail": Case(
        same_township_only(
            {"county": OK, "township": OK, "deputy": OK, "liaison": OK, "admin": OK}
        ),
        kwargs=lambda w: {"pk": w.session.pk},
        api=True,
    ),
    "api:unit-list": Case(SIGNED_IN, api=True),
    "api:unit-detail": Case(
        {
            "county": OK,
            "admin": OK,
            "unit": OK,
            "township": OK,
            "deputy": OK,
            "liaison": OK,
            "other_township": OK,
        },
        kwargs=lambda w: {"pk": w.county_unit.pk},
        api=True,
    ),
    "api:rule-list": Case(SIGNED_IN, api=True),
    "api:rule-detail": Case(
        same_township_only(
            {"county": OK, "township": OK, "deputy": OK, "liaison": OK, "admin": OK}
        ),
        kwargs=lambda w: {"pk": w.township_rule.pk},
        api=True,
    ),
}

# The admin site is guarded as a whole by AdminSite.admin_view: every one of
# its patterns answers a non-superuser with the admin sign-in page. Its index
# stands for all of them.
ADMIN_NAMESPACE = "admin"
ADMIN_CASE = Case({"admin": OK, **{role: 302 for role in ROLES if role != "admin"}})


def _all_url_names(resolver=None, prefix="") -> set[str]:
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            names |= _all_url_names(entry, namespace)
        elif isinstance(entry, URLPattern):
            names.add(
                f"{prefix}{entry.name}" if entry.name else f"{prefix}<unnamed {entry.pattern}>"
            )
    return names


def test_every_url_pattern_is_in_the_matrix():
    """Each URL pattern is declared: a new page without an entry fails here."""
    undeclared = {
        name
        for name in _all_url_names()
        if name not in MATRIX and not name.startswith(f"{ADMIN_NAMESPACE}:")
    }
    assert not undeclared, f"add these to MATRIX: {sorted(undeclared)}"
    stale = set(MATRIX) - _all_url_names()
    assert not stale, f"MATRIX names patterns that no longer exist: {sorted(stale)}"


def _expected(case: Case, role: str):
    return case.expect.get(role, LOGIN if role == "anonymous" else DENY)


def _check(response, expected, case: Case, role: str):
    status = response.status_code
    where = f"{role} got {status}"
    if isinstance(expected, int):
        assert status == expected, where
    elif expected == OK:
        if case.method == "get":
            assert status == 200, where
        else:
            assert status in (200, 302), where
            if status == 302:
                assert "/login/" not in response["Location"], where
    elif expected == DENY:
        assert status in (403, 404), where
    elif expected == LOGIN:
        if case.api:
            assert status == 401, where
        else:
            assert status == 302 and "/login/" in response["Location"], where


CASES = [(name, role) for name in MATRIX for role in ROLES] + [
    (f"{ADMIN_NAMESPACE}:index", role) for role in ROLES
]


@pytest.mark.parametrize(("url_name", "role"), CASES)
def test_role_gets_what_the_matrix_says(url_name, role, world, client_for):
    case = ADMIN_CASE if url_name.startswith(f"{ADMIN_NAMESPACE}:") else MATRIX[url_name]
    client = client_for(role)
    url = reverse(url_name, kwargs=case.kwargs(world))
    response = getattr(client, case.method)(url, case.data(world))
    _check(response, _expected(case, role), case, role)
