"""The bench plan: who the simulated users are and which pages they open,
read from the database the bench runs against and written as JSON for the
locustfile (which runs without Django).

    DJANGO_SETTINGS_MODULE=bench.settings python -m bench.plan OUT.json

Signed-in users get sessions made here, the way `login()` makes them, so the
measured minutes are not spent hashing passwords (1,000,000 PBKDF2 rounds
a sign-in). Pages whose URL name does not exist (yet) are left out and
listed under "missing"; each page has a kind: list and stats pages are held
to the targets.
"""

import json
import sys
from collections import defaultdict
from urllib.parse import urlencode

import django

SLOTS = 40  # sessions per role; each simulated user takes the next one


def _session_for(user) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def build_plan() -> dict:
    from django.urls import NoReverseMatch, reverse

    from renda.core.models import Region, Role, User
    from renda.deputies.models import Constituency, Person
    from renda.duties.models import Activity
    from renda.opinions.models import Opinion
    from renda.suggestions.forms_workspace import congresses_for
    from renda.suggestions.models import Assignment, Category, Status, Suggestion, UnitRole

    missing = []

    def url(name, kwargs=None, query=None):
        try:
            path = reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            missing.append(name)
            return None
        return path + ("?" + urlencode(query) if query else "")

    def page(name, kind, label=None, kwargs=None, query=None, weight=1):
        path = url(name, kwargs, query)
        return path and {"name": label or name, "url": path, "kind": kind, "weight": weight}

    def office_pages(user, prefix=""):
        """Lists, filters, search and statistics a congress office opens."""
        region = user.region
        person = Person.objects.filter(region__code__startswith=region.code).order_by("pk").first()
        township = Region.objects.filter(code__startswith=region.code).townships().first()
        category = Category.objects.filter(name="道路交通").first()
        item = (
            Suggestion.objects.filter(region__code__startswith=region.code)
            .exclude(status="draft")
            .first()
        )
        opinion = Opinion.objects.filter(region__code__startswith=region.code).first()
        activity = Activity.objects.filter(region__code__startswith=region.code).first()
        pages = [
            page("reports:dashboard", "stats", weight=2),
            page("deputies:list", "list", weight=3),
            page(
                "deputies:list",
                "list",
                "deputies:list ?q=拼音首字母",
                query={"q": person.name_initials if person else "w"},
                weight=2,
            ),
            page(
                "deputies:list",
                "list",
                "deputies:list ?township",
                query={"township": township.code} if township else None,
            ),
            page(
                "deputies:list",
                "list",
                "deputies:list ?party&gender",
                query={"party": "cpc", "gender": "female"},
            ),
            page("deputies:structure", "stats"),
            page("suggestions:list", "list", weight=3),
            page(
                "suggestions:list", "list", "suggestions:list ?status", query={"status": "handling"}
            ),
            page(
                "suggestions:list",
                "list",
                "suggestions:list ?q=搜索",
                query={"q": "道路"},
                weight=2,
            ),
            page(
                "suggestions:list",
                "list",
                "suggestions:list ?category",
                query={"category": category.pk} if category else None,
            ),
            page("suggestions:overdue", "list"),
            page("suggestions:figures", "stats", weight=2),
            page(
                "suggestions:figures",
                "stats",
                "suggestions:figures ?dimension=category",
                query={"dimension": "category"},
            ),
            page("opinions:list", "list", weight=3),
            page("opinions:list", "list", "opinions:list ?status", query={"status": "assigned"}),
            page("opinions:list", "list", "opinions:list ?q=搜索", query={"q": "路灯"}),
            page("opinions:figures", "stats", weight=2),
            page("duties:activity_list", "list"),
            page("duties:archive_index", "list"),
            page("duties:figures", "stats"),
            page("duties:entry_queue", "list"),
        ]
        if item:
            pages.append(page("suggestions:detail", "detail", kwargs={"pk": item.pk}))
        if opinion:
            pages.append(page("opinions:detail", "detail", kwargs={"pk": opinion.pk}))
        if person:
            pages.append(page("deputies:detail", "detail", kwargs={"pk": person.pk}))
        if activity:
            pages.append(page("duties:activity_detail", "detail", kwargs={"pk": activity.pk}))
        pages = [p for p in pages if p]
        for p in pages:
            p["name"] = prefix + p["name"]
        return pages

    def sessions(users):
        users = list(users)
        return [_session_for(users[n % len(users)]) for n in range(SLOTS)] if users else []

    bench_users = User.objects.filter(username__startswith="bench-")
    county_users = list(
        bench_users.filter(role=Role.COUNTY_STAFF)
        .exclude(username="bench-province")
        .order_by("username")
    )
    province = bench_users.filter(username="bench-province").first()
    roles = {}
    if county_users:
        roles["county"] = {
            # One county's office (its pages name that county's records, which
            # another county's staff may not open).
            "slots": [{"session": s} for s in sessions(county_users[:1])],
            "pages": office_pages(county_users[0]),
        }
    if province:
        roles["province"] = {
            "slots": [{"session": s} for s in sessions([province])],
            "pages": office_pages(province, prefix="province ▸ "),
        }

    # Units: each slot its own unit account and the items it may reply to.
    handling = defaultdict(list)
    for suggestion_id, unit_id in Assignment.objects.filter(
        active=True, role=UnitRole.LEAD, signed_at__isnull=False,
        suggestion__status=Status.HANDLING, unit__user__username__startswith="bench-",
    ).values_list("suggestion_id", "unit_id"):  # fmt: skip
        handling[unit_id].append(suggestion_id)
    unit_users = sorted(
        bench_users.filter(role=Role.UNIT, unit_id__in=list(handling)),
        key=lambda u: -len(handling[u.unit_id]),
    )[:SLOTS]
    if unit_users:
        roles["unit"] = {
            "slots": [
                {
                    "session": _session_for(u),
                    "items": [
                        {
                            "detail": url("suggestions:unit_detail", {"pk": pk}),
                            "reply": url("suggestions:unit_reply", {"pk": pk}),
                        }
                        for pk in handling[u.unit_id]
                    ],
                }
                for u in unit_users
            ],
            "pages": [
                p
                for p in (
                    page("suggestions:unit_list", "list", weight=3),
                    page("opinions:unit_list", "list"),
                    page("reports:dashboard", "stats"),
                )
                if p
            ],  # fmt: skip
        }

    deputy_users = list(
        bench_users.filter(role=Role.DEPUTY).select_related("deputy").order_by("username")[:SLOTS]
    )
    if deputy_users:
        slots = []
        for user in deputy_users:
            congresses = list(congresses_for(user.deputy))
            slots.append(
                {
                    "session": _session_for(user),
                    "congress": congresses[0].pk if congresses else None,
                }
            )
        roles["deputy"] = {
            "slots": slots,
            "pages": [
                p
                for p in (
                    page("suggestions:my_list", "list", weight=2),
                    page("duties:my_records", "list", weight=2),
                    page("reports:dashboard", "stats"),
                )
                if p
            ],  # fmt: skip
            "forms": {
                "suggestion": url("suggestions:my_create"),
                "entry": url("duties:entry_create"),
            },
        }

    published = Suggestion.objects.filter(published=True).order_by("pk").first()
    constituency = (
        Constituency.objects.filter(mandates__ended_on__isnull=True).order_by("pk").first()
    )
    public_township = (
        Region.objects.townships().filter(code__startswith="97").first()
        or Region.objects.townships().first()
    )
    roles["public"] = {
        "slots": [],
        "pages": [
            p
            for p in (
                page("suggestions:public_list", "list", weight=3),
                page(
                    "suggestions:public_list",
                    "list",
                    "suggestions:public_list ?q=搜索",
                    query={"q": "道路"},
                ),
                published
                and page("suggestions:public_detail", "detail", kwargs={"pk": published.pk}),
                page("deputies:disclosure_index", "list"),
                page(
                    "deputies:disclosure_index",
                    "list",
                    "deputies:disclosure_index ?region=县",
                    query={"region": public_township.parent_id},
                ),
                page(
                    "deputies:disclosure_index",
                    "list",
                    "deputies:disclosure_index ?q=搜索",
                    query={"q": "村"},
                ),
                constituency
                and page("deputies:disclosure", "detail", kwargs={"pk": constituency.pk}),
                page("opinions:track", "form"),
            )
            if p
        ],  # fmt: skip
        "forms": {
            "township": public_township.pk,
            # A province's form asks for the county first (a GET); go straight to it.
            "opinion": url("opinions:submit", query={"county": public_township.parent_id}),
            "opinion_api": url("api:public-opinion-list"),
            "captcha_api": url("api:public-opinion-captcha"),
        },
    }
    return {
        "floor": url("core:floor"),
        "roles": roles,
        "missing": sorted(set(missing)),
        "counts": {
            "deputies": Person.objects.count(),
            "suggestions": Suggestion.objects.count(),
            "opinions": Opinion.objects.count(),
        },
    }


def main(argv: list[str]) -> None:
    django.setup()
    plan = build_plan()
    with open(argv[1], "w", encoding="utf-8") as handle:
        json.dump(plan, handle, ensure_ascii=False, indent=1)
    for name in plan["missing"]:
        print(f"  页面不存在，不测：{name}")


if __name__ == "__main__":
    main(sys.argv)
