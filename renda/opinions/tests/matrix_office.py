"""Authorization matrix entries for the opinions office pages.

The world's opinions: w.opinion (东河村, at w.station, assigned to the
county transport bureau: the `unit` user), w.new_opinion (青山镇, from the
web, received) and w.other_opinion (龙泉镇). Outcome pages that need a
sorted or solved opinion make one at w.station, so allowed roles succeed."""

from django.utils import timezone

from renda.opinions import services
from renda.opinions.models import OpinionAttachment
from renda.tests.matrix import OFFICE, OK, REGIONAL, Case, same_township_only

# Office staff managing 青山镇 (and the superuser).
STAFF_HERE = {"county": OK, "township": OK, "admin": OK}
# ... and the liaison officer of w.station, for its opinions.
STATION_HANDLERS = {**STAFF_HERE, "liaison": OK}
OWN_TOWNSHIP = same_township_only(REGIONAL)


def _today() -> str:
    return timezone.localdate().isoformat()


def _at_station(w, *, solved=False):
    opinion, _ = services.opinion_receive(
        channel="station",
        region=w.village,
        station=w.station,
        collected_by=w.person,
        actor=w.user("liaison"),
        title="东河村五组饮水管破裂",
        content="五组饮水管破裂三天，村民取水困难。",
        submitter_name="赵大爷",
        submitter_phone="13800002222",
    )
    services.opinion_sort(
        opinion=opinion, actor=w.user("township"), category=w.category, urgency="urgent"
    )
    if solved:
        services.opinion_solve(opinion=opinion, actor=w.user("liaison"), result="已联系水厂抢修")
    return {"pk": opinion.pk}


def _sorted(w):
    return _at_station(w)


def _solved(w):
    return _at_station(w, solved=True)


def _attachment(w):
    # A record whose file is not on disk: readers get 410 Gone, everyone else 404.
    attachment = OpinionAttachment.objects.create(
        opinion=w.opinion,
        file="opinions/matrix/none.png",
        name="现场.png",
        content_type="image/png",
    )
    return {"pk": attachment.pk}


def _opinion(w):
    return {"pk": w.opinion.pk}


def _new_opinion(w):
    return {"pk": w.new_opinion.pk}


MATRIX = {
    "opinions:reception_list": Case(REGIONAL),
    "opinions:reception_create": Case(
        REGIONAL,
        method="post",
        data=lambda w: {
            "station": w.station.pk,
            "kind": "household",
            "held_on": _today(),
            "deputies": [w.person.pk],
            "people_received": 3,
            "note": "走访五组农户",
        },
    ),
    "opinions:reception_detail": Case(OWN_TOWNSHIP, kwargs=lambda w: {"pk": w.reception.pk}),
    "opinions:create": Case(
        REGIONAL,
        method="post",
        data=lambda w: {
            "channel": "station",
            "station": w.station.pk,
            "title": "村口垃圾清运不及时",
            "content": "村口垃圾点一周才清运一次。",
            "urgency": "normal",
            "people_concerned": 20,
            "submitter_name": "孙阿姨",
            "submitter_phone": "13500003333",
        },
    ),
    "opinions:list": Case(REGIONAL),
    "opinions:cycle": Case({**OFFICE, "liaison": OK}),
    "opinions:detail": Case({**OWN_TOWNSHIP, "unit": OK}, kwargs=_opinion),
    "opinions:attachment": Case(
        {**{role: 410 for role in OWN_TOWNSHIP if OWN_TOWNSHIP[role] == OK}, "unit": 410},
        kwargs=_attachment,
    ),
    "opinions:sort": Case(
        STAFF_HERE,
        method="post",
        kwargs=_new_opinion,
        data=lambda w: {"category": w.category.pk, "urgency": "important"},
    ),
    "opinions:merge": Case(
        STAFF_HERE, method="post", kwargs=_new_opinion, data=lambda w: {"into": w.opinion.pk}
    ),
    "opinions:solve": Case(
        STATION_HANDLERS,
        method="post",
        kwargs=_sorted,
        data=lambda w: {"result": "村委会当场联系水厂，已修复"},
    ),
    "opinions:assign": Case(
        STAFF_HERE, method="post", kwargs=_sorted, data=lambda w: {"unit": w.township_unit.pk}
    ),
    "opinions:escalate": Case(
        STAFF_HERE, method="post", kwargs=_sorted, data=lambda w: {"to": "县人大常委会"}
    ),
    "opinions:convert": Case(
        STAFF_HERE,
        method="post",
        kwargs=_sorted,
        data=lambda w: {
            "congress": w.township_congress.pk,
            "lead": w.person.pk,
            "title": "关于改造东河村五组饮水管网的建议",
            "body": "五组饮水管老化破裂，建议列入农村饮水安全工程。",
        },
    ),
    "opinions:decline": Case(
        STAFF_HERE, method="post", kwargs=_sorted, data=lambda w: {"reason": "已由法院受理"}
    ),
    "opinions:handled": Case(
        STAFF_HERE, method="post", kwargs=_opinion, data=lambda w: {"result": "路灯已全部更换"}
    ),
    "opinions:answer": Case(
        STATION_HANDLERS,
        method="post",
        kwargs=_solved,
        data=lambda w: {"answer": "水管已修好", "method": "电话"},
    ),
    "opinions:unit_list": Case({"unit": OK, "other_unit": OK, "admin": OK}),
    "opinions:unit_handle": Case(
        {"unit": OK, "admin": OK},
        method="post",
        kwargs=_opinion,
        data=lambda w: {"result": "已更换路灯 12 盏"},
    ),
    "opinions:unit_return": Case(
        {"unit": OK, "admin": OK},
        method="post",
        kwargs=_opinion,
        data=lambda w: {"reason": "路灯属镇政府管理，不属本单位职责"},
    ),
}
