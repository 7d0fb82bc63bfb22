"""The authorization matrix: every URL pattern of the project, and what each
role gets from it, checked with real requests.

A pattern missing from every app's MATRIX fails `test_every_url_pattern_is_in_the_matrix`,
so every new page and endpoint must say who may use it. For each declared
pattern and each role of the cast (see conftest.py), one request is made:

- OK: a GET answers 200; a POST answers 200 or redirects somewhere other
  than the sign-in page;
- DENY: 403 or 404, never data;
- LOGIN: pages redirect to sign-in, the API answers 401;
- a number: exactly that status.

A role not named in an entry is DENY (LOGIN for anonymous).
"""

import pytest
from django.db import transaction
from django.db.models import Model
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import ROLES
from renda.core.tests import matrix as core_matrix
from renda.deputies.tests import matrix as deputies_matrix
from renda.duties.tests import matrix as duties_matrix
from renda.opinions.tests import matrix as opinions_matrix
from renda.reports.tests import matrix as reports_matrix
from renda.suggestions.tests import matrix as suggestions_matrix
from renda.tests.matrix import DENY, LOGIN, OK, Case

# Each app declares its own entries in tests/matrix.py; add new apps here.
MATRIX: dict[str, Case] = {
    **core_matrix.MATRIX,
    **deputies_matrix.MATRIX,
    **suggestions_matrix.MATRIX,
    **opinions_matrix.MATRIX,
    **duties_matrix.MATRIX,
    **reports_matrix.MATRIX,
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


class _RollBack(Exception):
    """Undo one role's request, so the next role finds the same world."""


def _refresh(world) -> None:
    """Reload the cast's records: a rolled-back request may have changed
    them in memory (a workflow move sets `.status` on the instance)."""
    for value in vars(world).values():
        if isinstance(value, Model) and value.pk:
            value.refresh_from_db()


URL_NAMES = [*MATRIX, f"{ADMIN_NAMESPACE}:index"]


@pytest.mark.parametrize("url_name", URL_NAMES)
def test_each_role_gets_what_the_matrix_says(url_name, world, client_for):
    """One world per URL; each role's request runs in a savepoint that is
    rolled back, so a POST by one role does not change what the next sees."""
    case = ADMIN_CASE if url_name.startswith(f"{ADMIN_NAMESPACE}:") else MATRIX[url_name]
    failures = []
    for role in ROLES:
        try:
            with transaction.atomic():
                _refresh(world)
                client = client_for(role)
                url = reverse(url_name, kwargs=case.kwargs(world))
                response = getattr(client, case.method)(url, case.data(world))
                try:
                    _check(response, _expected(case, role), case, role)
                except AssertionError as error:
                    failures.append(f"{role}: {error}")
                raise _RollBack
        except _RollBack:
            pass
    assert not failures, f"{url_name}: " + "; ".join(failures)
