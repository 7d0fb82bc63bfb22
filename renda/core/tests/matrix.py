"""Core pages and endpoints in the authorization matrix."""

from renda.tests.matrix import (
    DENY,
    EVERYONE,
    OFFICE,
    OK,
    REGIONAL,
    ROLES,
    SIGNED_IN,
    Case,
    same_township_only,
)

MATRIX: dict[str, Case] = {
    # --- sign-in and the shell
    "core:healthz": Case(EVERYONE),
    # The bench's speed floor: the layout only, no data (see test_floor.py).
    "core:floor": Case(EVERYONE),
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
