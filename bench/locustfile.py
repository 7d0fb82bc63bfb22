"""Load scenarios of `make bench`, one user class per role (run by bench/run.py).

The plan (BENCH_PLAN, written by bench/plan.py) names the pages, the signed-in
sessions and the items each role may act on; this file needs no Django.

- CountyStaff, ProvinceStaff: lists, filters, search, statistics and a few
  detail pages of a county office and of the province's office;
- UnitUser: its workspace, an item, and a reply to it (form, then POST);
- Deputy: own lists, a suggestion written and submitted, an own duty entry;
- Public (anonymous): published replies, the disclosure board, opinion
  tracking, and an opinion sent through the public form with its captcha;
- ApiSubmitter (the throughput phase only): opinions sent through the public
  API, captcha first, as the congress's app does.

Every user also opens the floor page (core:floor), so the floor is measured
under the same load as the pages it is compared with. Each simulated
citizen comes from its own address (X-Forwarded-For; see bench/settings.py)
with its own phone, so the per-address and per-phone limits hold as they
would for real visitors.
"""

import datetime
import itertools
import json
import os
import random
import re

from locust import FastHttpUser, HttpUser, between, task

from bench.forms import main_form, solve

with open(os.environ.get("BENCH_PLAN", "bench/results/plan.json"), encoding="utf-8") as _file:
    PLAN = json.load(_file)
_low, _high = (float(x) for x in os.environ.get("BENCH_WAIT", "0.5-1.5").split("-"))
_SLOTS = {role: itertools.count() for role in PLAN["roles"]}
FLOOR_WEIGHT = 3


def citizen_headers() -> dict:
    address = f"{random.randint(11, 220)}.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"  # noqa: S311
    return {"X-Forwarded-For": address}


def phone() -> str:
    return f"1{random.choice('3589')}{random.randint(0, 999_999_999):09d}"  # noqa: S311


def _today() -> str:
    return datetime.date.today().isoformat()  # noqa: DTZ011 - the server's calendar date


# --- the users ----------------------------------------------------------------------


class RendaUser(HttpUser):
    abstract = True
    wait_time = between(_low, _high)
    role = ""

    def on_start(self):
        self.slot = {}
        slots = PLAN["roles"][self.role]["slots"]
        if slots:
            self.slot = slots[next(_SLOTS[self.role]) % len(slots)]
            self.client.cookies.set("sessionid", self.slot["session"])
        self.client.cookies.set("django_language", "zh-hans")
        self.pages = PLAN["roles"][self.role]["pages"]
        self.actions = [(lambda p=p: self.open(p), p["weight"]) for p in self.pages]
        self.actions.append((self.floor, FLOOR_WEIGHT))
        self.actions += self.flows()

    def flows(self) -> list:
        return []

    @task
    def step(self):
        actions, weights = zip(*self.actions, strict=True)
        random.choices(actions, weights=weights)[0]()  # noqa: S311

    def get(self, url, name, **kwargs):
        with self.client.get(
            url, name=name, catch_response=True, allow_redirects=False, **kwargs
        ) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")
            return r

    def post(self, url, name, data, expect=(302,), **kwargs):
        with self.client.post(
            url, data=data, name=name, catch_response=True, allow_redirects=False, **kwargs
        ) as r:
            if r.status_code not in expect:
                errors = re.findall(r"(?:invalid-feedback[^>]*>|<li>)([^<]{2,80})", r.text)
                r.failure(f"HTTP {r.status_code} {'; '.join(errors[:3])}".strip())
            return r

    def open(self, page):
        self.get(page["url"], page["name"])

    def floor(self):
        self.get(PLAN["floor"], "floor")

    def fill(self, url, name, values: dict, **kwargs) -> dict | None:
        """GET a form page and return its fields with `values` filled in."""
        response = self.get(url, f"{name} [form]", **kwargs)
        if response.status_code != 200:
            return None
        form = main_form(response.text)
        return {**form["fields"], **values}


class OfficeUser(RendaUser):
    abstract = True


class CountyStaff(OfficeUser):
    """A county congress office: lists, filters, search, statistics."""

    weight = 6
    role = "county"


class ProvinceStaff(OfficeUser):
    """The same pages over the whole province (every row of the build)."""

    weight = 2
    role = "province"


class UnitUser(RendaUser):
    weight = 3
    role = "unit"

    def flows(self):
        self.items = list(self.slot.get("items", []))
        return [(self.reply, 2)]

    def reply(self):
        if not self.items:
            return self.open(self.pages[0])
        item = self.items.pop()
        self.get(item["detail"], "suggestions:unit_detail")
        data = self.fill(
            item["reply"],
            "suggestions:unit_reply",
            {
                "reply_class": "A",
                "text": "经研究，已列入今年计划并组织实施，问题已解决。",
                "commitment": "",
            },
        )
        if data is not None:
            data.setdefault("replied_on", _today())
            self.post(item["reply"], "suggestions:unit_reply [POST]", data)


class Deputy(RendaUser):
    weight = 3
    role = "deputy"

    def flows(self):
        forms = PLAN["roles"]["deputy"].get("forms", {})
        flows = []
        if forms.get("suggestion") and self.slot.get("congress"):
            flows.append((self.suggest, 1))
        if forms.get("entry"):
            flows.append((self.record, 2))
        return flows

    def suggest(self):
        url = PLAN["roles"]["deputy"]["forms"]["suggestion"]
        data = self.fill(
            url,
            "suggestions:my_create",
            {
                "congress": self.slot["congress"],
                "occasion": "interim",
                "kind": "suggestion",
                "session": "",
                "title": f"关于改善村道路况的建议（{random.randint(1, 99999)}）",  # noqa: S311
                "body": "村道多处坑洼，雨天积水，群众出行不便，建议列入维修计划。",
                "action": "submit",
            },
        )
        if data is not None:
            data.pop("co_signers", None)
            self.post(url, "suggestions:my_create [POST]", data)

    def record(self):
        url = PLAN["roles"]["deputy"]["forms"]["entry"]
        data = self.fill(
            url,
            "duties:entry_create",
            {
                "occurred_on": _today(),
                "title": "走访选民，了解村道维修情况",
                "note": "到村里走访了五户选民，听取意见，已向镇政府反映。",
                "place": "村委会",
            },
        )
        if data is not None:
            self.post(url, "duties:entry_create [POST]", data)


class Public(RendaUser):
    """Citizens, not signed in."""

    weight = 6
    role = "public"

    def flows(self):
        return [(self.opinion, 2)] if PLAN["roles"]["public"]["forms"].get("opinion") else []

    def opinion(self):
        url = PLAN["roles"]["public"]["forms"]["opinion"]
        response = self.get(url, "opinions:submit [form]")
        if response.status_code != 200:
            return
        form = main_form(response.text)
        question = re.search(r'data-testid="captcha-question">([^<]+)<', response.text)
        data = {
            **form["fields"],
            "village": "",
            "title": "路灯损坏",
            "content": f"主干道路灯坏了很久，晚上出行不安全（{random.randint(1, 10**9)}）。",  # noqa: S311
            "people_concerned": "10",
            "submitter_name": "刘女士",
            "submitter_phone": phone(),
            "captcha_answer": str(solve(question.group(1))) if question else "",
        }
        self.post(url, "opinions:submit [POST]", data, headers=citizen_headers())


class ApiSubmitter(FastHttpUser):
    """The throughput phase: opinions through the public API, no pause. The
    load generator shares the machine's cores with the server, so it uses
    locust's lighter client (geventhttpclient) to leave them to the server."""

    wait_time = between(0, 0)

    @task
    def submit(self):
        forms = PLAN["roles"]["public"]["forms"]
        with self.client.get(forms["captcha_api"], name="api: captcha", catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")
                return
            challenge = r.json()
        body = {
            "township": forms["township"],
            "title": "路灯损坏",
            "content": f"主干道路灯坏了很久，晚上出行不安全（{random.randint(1, 10**9)}）。",  # noqa: S311
            "people_concerned": 10,
            "submitter_name": "刘女士",
            "submitter_phone": phone(),
            "captcha_token": challenge["token"],
            "captcha_answer": str(solve(challenge["question"])),
        }
        with self.client.post(
            forms["opinion_api"], json=body, name="api: opinion submit", headers=citizen_headers(),
            catch_response=True,
        ) as r:  # fmt: skip
            if r.status_code != 201:
                r.failure(f"HTTP {r.status_code} {r.text[:120]}")
