"""Every page and endpoint answering GET, asked with nonsense in every query
parameter the project reads, every form and endpoint taking a POST, with
nonsense in each field it is sent, and every API route taking a body, with
JSON of every type in every field a form or a serializer reads: the answer
is a page, a refusal or a message, never a 500.

The parameters are every field of the project's forms (a list's filter bar
is a form) and every name a view reads from the query by hand
(`request.GET.get("…")`, `query_params.get("…")`), found in the source, so a
new filter is covered without being listed here. Each URL is asked by the
first role the authorization matrix lets in."""

import functools
import json
import re
from pathlib import Path

import pytest
from django import forms
from django.db import transaction
from django.urls import URLResolver, get_resolver, reverse
from rest_framework import serializers

import renda
from renda.tests.matrix import OK
from renda.tests.test_authorization_matrix import MATRIX, _expected, _refresh, _RollBack

ROLE_ORDER = ["county", "deputy", "unit", "liaison", "public", "anonymous", "admin"]

NONSENSE = [
    "abc",
    "99999999999999999999999",  # digits past any integer column
    "²",  # a digit to str.isdigit(), not to int()
    "2026-13-45",
    # (A NUL character is refused before a view or a service keeps it: the tests at the end.)
    "'" + "长" * 500,  # longer than any field's max_length
]

READ_BY_HAND = re.compile(r"""(?:GET|query_params)(?:\.get(?:list)?\(|\[)\s*["']([a-z_]+)["']""")


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


@functools.cache
def _parameter_names() -> list[str]:
    reverse("reports:dashboard")  # the URLconf imports every view and its forms
    names = {
        name
        for form in _subclasses(forms.BaseForm)
        if form.__module__.startswith("renda.")
        for name in getattr(form, "base_fields", {})
    }
    for source in Path(renda.__file__).parent.rglob("*.py"):
        if "tests" not in source.parts:
            names |= set(READ_BY_HAND.findall(source.read_text(encoding="utf-8")))
    return sorted(names)


def test_the_names_include_the_filters_read_by_hand_and_by_forms():
    names = _parameter_names()
    assert {"page", "year", "station", "reception", "congress", "from"} <= set(names)  # by hand
    assert {"status", "category", "unit", "session"} <= set(names)  # filter forms


GETS = [name for name, case in MATRIX.items() if case.method == "get"]
POSTS = [name for name, case in MATRIX.items() if case.method == "post"]


def _lets_in(expected) -> bool:
    """OK, or an answer given to a role let in: 201 created, 400 for a
    sign-in's wrong password, 405 for a GET of what takes only a POST."""
    return expected == OK or (isinstance(expected, int) and expected not in (401, 403, 404))


def _first_role(case) -> str:
    role = next((r for r in ROLE_ORDER if _lets_in(_expected(case, r))), None)
    if role is None:
        pytest.skip("no role may use it")
    return role


@pytest.mark.parametrize("url_name", GETS)
def test_nonsense_in_the_query_gets_no_500(url_name, world, client_for):
    case = MATRIX[url_name]
    role = _first_role(case)
    client = client_for(role)
    url = reverse(url_name, kwargs=case.kwargs(world))
    data = case.data(world)
    names = _parameter_names()
    failures = []
    for value in NONSENSE:
        response = client.get(url, {**data, **dict.fromkeys(names, value)})
        if response.status_code >= 500:
            failures.append(f"{value[:12]!r}: {response.status_code}")
    assert not failures, f"{url_name} as {role}: {failures}"


@pytest.mark.parametrize("url_name", POSTS)
def test_nonsense_in_a_posted_form_gets_no_500(url_name, world, client_for):
    """Each field the matrix posts (a file stays a file) is given each
    nonsense in turn, or left empty; each try is rolled back."""
    case = MATRIX[url_name]
    role = _first_role(case)
    client = client_for(role)
    failures = []
    for value in [*NONSENSE, ""]:
        try:
            with transaction.atomic():
                _refresh(world)
                url = reverse(url_name, kwargs=case.kwargs(world))
                data = {
                    name: sent if hasattr(sent, "read") else value
                    for name, sent in case.data(world).items()
                }
                if client.post(url, data).status_code >= 500:
                    failures.append(repr(value[:12]))
                raise _RollBack
        except _RollBack:
            pass
    assert not failures, f"{url_name} as {role}: {failures}"


# --- the API's bodies -------------------------------------------------------------------

# The texts of NONSENSE reach the same fields as a posted form (the sweep
# above); a body adds JSON's other types, a NUL and a number past any column.
JSON_NONSENSE = [
    "a\x00b",
    "'" + "长" * 500,
    2**70,
    None,
    True,
    1.5,
    [],
    ["a", "b"],
    {"a": 1},
    [["a"]],
]
NOT_AN_OBJECT = [b"{", b"[]", b'"x"', b"null", b""]
WRITES = ("post", "put", "patch", "delete")


def _api_writes(resolver=None) -> list[tuple[str, str]]:
    """Each route of the API and each method of it that takes a body."""
    if resolver is None:
        resolver = next(
            entry
            for entry in get_resolver().url_patterns
            if isinstance(entry, URLResolver) and entry.namespace == "api"
        )
    routes = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            routes += _api_writes(entry)
        elif f"api:{entry.name}" in MATRIX:
            view = entry.callback
            actions = getattr(view, "actions", None)  # a viewset's route
            view_class = getattr(view, "cls", None)
            methods = actions or {m: m for m in WRITES if hasattr(view_class, m)}
            routes += [(f"api:{entry.name}", method) for method in WRITES if method in methods]
    return sorted(set(routes))


@functools.cache
def _body_names() -> list[str]:
    """Every name a form or a serializer of the project reads."""
    names = set(_parameter_names())
    for serializer in _subclasses(serializers.BaseSerializer):
        if serializer.__module__.startswith("renda."):
            names |= set(getattr(serializer, "_declared_fields", {}))
            meta_fields = getattr(getattr(serializer, "Meta", None), "fields", ())
            names |= set(meta_fields) if isinstance(meta_fields, list | tuple) else set()
    return sorted(names)


@pytest.mark.parametrize(("url_name", "method"), _api_writes())
def test_nonsense_in_an_api_body_gets_no_500(url_name, method, world, client_for):
    """JSON of every type in every field the project reads, and bodies that
    are not an object; each try is rolled back."""
    case = MATRIX[url_name]
    client = client_for(_first_role(case))
    bodies = [json.dumps(dict.fromkeys(_body_names(), value)) for value in JSON_NONSENSE]
    failures = []
    for body in [*bodies, *NOT_AN_OBJECT]:
        try:
            with transaction.atomic():
                _refresh(world)
                url = reverse(url_name, kwargs=case.kwargs(world))
                response = getattr(client, method)(url, body, content_type="application/json")
                if response.status_code >= 500:
                    failures.append(body[:40])
                raise _RollBack
        except _RollBack:
            pass
    assert not failures, f"{method} {url_name}: {failures}"


def test_json_where_a_page_field_reads_text_is_refused_naming_the_field(world, client_for):
    """The API's reception entry is checked by the page's form, whose date
    field read a JSON list as text and failed."""
    response = client_for("county").post(
        reverse("api:reception-list"),
        {"kind": "station", "held_on": ["2026-11-20"], "note": {"a": 1}},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"note": ["“note”应为文字或数字（可多选的填列表）"]}


@pytest.mark.parametrize(
    ("path", "kind"), [("/suggestions/?q=a%00b", "page"), ("/api/opinions/?q=a%00b", "api")]
)
def test_a_nul_character_in_the_query_is_refused_naming_the_parameter(
    path, kind, world, client_for
):
    response = client_for("county").get(path)
    assert response.status_code == 400
    message = "查询参数“q”含有无效字符（空字符），请检查后重试"
    if kind == "api":
        assert response.json() == {
            "code": "invalid",
            "message": message,
            "errors": {"q": [message]},
        }
    else:
        assert message in response.content.decode()


def test_a_nul_character_in_a_workflow_note_is_refused_and_nothing_moves(world, client_for):
    item = world.suggestion
    before = item.status
    client = client_for("county")
    response = client.post(
        reverse("suggestions:withdraw", args=[item.pk]),
        {"reason": "代表书面\x00申请撤回"},
        follow=True,
    )
    assert "说明含有无效字符（空字符），请删除后重试" in response.content.decode()
    item.refresh_from_db()
    assert item.status == before
