"""The demo county's year of receptions and ≈2,000 opinions across every
channel and outcome, built through the same services the pages use."""

import datetime
import random

from django.db import transaction

from renda.core.clock import acting_on
from renda.core.models import Body, BodyKind, Region, Rule, Unit, User
from renda.deputies.models import Station
from renda.opinions import services
from renda.opinions.models import Channel, Opinion, ReceptionKind
from renda.suggestions.models import Category

D = datetime.date
ISSUES = [
    (
        "道路交通",
        "{place}村道路面坑洼",
        "{place}村道多处坑洼积水，电动车经过容易摔倒，希望尽快修补。",
    ),
    ("道路交通", "{place}路口缺少减速带", "{place}学校门口路口车速快，建议设置减速带和警示牌。"),
    ("水利", "{place}灌溉水渠堵塞", "{place}灌溉水渠被泥沙堵塞，春耕用水困难，希望组织清淤。"),
    ("水利", "{place}自来水水压低", "{place}高处农户自来水水压不足，早晚用水高峰时经常停水。"),
    (
        "医疗卫生",
        "{place}卫生室缺少常用药",
        "{place}村卫生室常用药品经常断货，老人买药要跑到镇上。",
    ),
    (
        "教育",
        "{place}校车接送时间不合理",
        "{place}校车早上发车太早，孩子六点就要出门，希望调整时间。",
    ),
    (
        "民生保障",
        "{place}低保评定不透明",
        "{place}低保评定结果没有公示，群众有意见，希望公开评定过程。",
    ),
    ("民生保障", "{place}老人用餐困难", "{place}独居老人多，做饭困难，希望开办老年食堂。"),
    ("城乡建设", "{place}垃圾清运不及时", "{place}垃圾桶满了好几天没人清运，天热有异味。"),
    ("城乡建设", "{place}路灯损坏", "{place}主干道路灯坏了很久，晚上出行不安全。"),
    (
        "生态环境",
        "{place}养殖场异味扰民",
        "{place}附近养殖场气味很大，夏天不敢开窗，希望加强监管。",
    ),
    (
        "农业农村",
        "{place}茶叶收购价格偏低",
        "{place}今年茶叶收购价比去年低，希望引导企业保底收购。",
    ),
    ("社会治理", "{place}邻里土地纠纷", "{place}两户村民因宅基地边界发生纠纷，希望帮助调解。"),
    ("其他", "{place}广场舞噪音扰民", "{place}广场舞音响声音太大，晚上十点后仍在跳，影响休息。"),
]
UNITS = {
    "道路交通": "青山县交通运输局",
    "水利": "青山县水利局",
    "医疗卫生": "青山县卫生健康委员会",
    "教育": "青山县教育体育局",
    "民生保障": "青山县民政局",
    "城乡建设": "青山县住房和城乡建设局",
    "生态环境": "青山县生态环境分局",
    "农业农村": "青山县农业农村局",
    "社会治理": "青山县公安局",
    "其他": "青山县城市管理局",
}
SURNAMES = "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗"
CHANNEL_WEIGHTS = {
    Channel.RECEPTION: 30,
    Channel.STATION: 12,
    Channel.HOUSEHOLD: 14,
    Channel.GROUP_CHAT: 10,
    Channel.MAILBOX: 6,
    Channel.HOTLINE: 10,
    Channel.LETTER: 5,
    Channel.VISIT: 6,
    Channel.WEB: 7,
}


@transaction.atomic
def seed_opinions(rng: random.Random) -> None:
    county = Region.objects.get(code="990121")
    if Opinion.objects.filter(region__code__startswith=county.code).exists():
        return
    Rule.objects.get_or_create(
        key="opinion.handle_working_days",
        region=county,
        effective_from=D(2021, 1, 1),
        defaults={
            "value": 15,
            "source": "青山县社情民意收集办理办法（示范）第八条：交办后十五个工作日内办结",
        },
    )
    categories = {c.name: c for c in Category.objects.all()}
    units = {u.name: u for u in Unit.objects.filter(region__code__startswith=county.code)}
    staff = User.objects.get(username="xianrenda")
    liaison = User.objects.get(username="lianluo")
    congress = Body.objects.get(region=county, kind=BodyKind.CONGRESS)
    stations = list(
        Station.objects.filter(region__code__startswith=county.code)
        .prefetch_related("resident_deputies")
        .select_related("region")
    )
    channels, weights = list(CHANNEL_WEIGHTS), list(CHANNEL_WEIGHTS.values())
    for month in range(1, 12):
        for station in stations:
            residents = list(station.resident_deputies.all())
            if not residents:
                continue
            for _ in range(rng.choice([1, 2, 2, 3])):
                day = D(2026, month, rng.randint(1, 28))
                if day > D(2026, 11, 20):
                    continue
                kind = rng.choices(
                    [
                        ReceptionKind.SCHEDULED,
                        ReceptionKind.MARKET_DAY,
                        ReceptionKind.HOUSEHOLD,
                        ReceptionKind.AD_HOC,
                    ],
                    weights=[60, 15, 15, 10],
                )[0]
                with acting_on(day):
                    reception = services.reception_record(
                        actor=liaison if station.name == "青山镇人大代表之家" else staff,
                        region=station.region,
                        station=station,
                        kind=kind,
                        held_on=day,
                        deputies=rng.sample(residents, min(len(residents), rng.randint(1, 3))),
                        people_received=rng.randint(3, 25),
                    )
                for _ in range(rng.randint(1, 4)):
                    channel = rng.choices(channels, weights=weights)[0]
                    _one(
                        rng,
                        station=station,
                        reception=reception if channel == Channel.RECEPTION else None,
                        channel=channel,
                        day=day,
                        categories=categories,
                        units=units,
                        staff=staff,
                        congress=congress,
                    )


def _one(rng, *, station, reception, channel, day, categories, units, staff, congress):
    category, title, content = rng.choice(ISSUES)
    place = station.region.name
    collected_by = rng.choice(list(reception.deputies.all())) if reception else None
    with acting_on(day):
        opinion, _ = services.opinion_receive(
            channel=channel,
            region=station.region,
            station=station,
            reception=reception,
            collected_by=collected_by,
            actor=staff if channel != Channel.WEB else None,
            title=title.format(place=place),
            content=content.format(place=place),
            submitter_name=rng.choice(SURNAMES)
            + rng.choice(["先生", "女士", "大爷", "大妈", "师傅"]),
            submitter_phone=f"1{rng.choice([3, 5, 8])}{rng.randint(0, 999999999):09d}",
            people_concerned=rng.choice([1, 1, 2, 5, 10, 30]),
        )
    if day > D(2026, 11, 10) and rng.random() < 0.5:
        return  # recent ones still wait to be sorted
    sorted_on = day + datetime.timedelta(days=rng.randint(1, 5))
    with acting_on(sorted_on):
        services.opinion_sort(
            opinion=opinion,
            actor=staff,
            category=categories[category],
            urgency=rng.choices(["urgent", "important", "normal"], weights=[10, 30, 60])[0],
        )
        outcome = rng.choices(
            ["solved", "assigned", "escalated", "converted", "declined"], weights=[35, 45, 4, 8, 8]
        )[0]
        if outcome == "solved":
            services.opinion_solve(opinion=opinion, actor=staff, result="代表现场协调，当场解决")
        elif outcome == "assigned":
            services.opinion_assign(opinion=opinion, actor=staff, unit=units[UNITS[category]])
        elif outcome == "escalated":
            services.opinion_escalate(opinion=opinion, actor=staff, to="示范市人大常委会")
        elif outcome == "converted":
            lead = collected_by or rng.choice(list(station.resident_deputies.all()))
            services.opinion_convert(
                opinion=opinion,
                actor=staff,
                congress=congress,
                lead=lead,
                title=f"关于解决{opinion.title}问题的建议",
                body=opinion.content,
            )
        else:
            services.opinion_decline(
                opinion=opinion,
                actor=staff,
                reason="属于司法程序处理事项，已告知当事人通过诉讼途径解决",
            )
    if outcome in ("assigned", "escalated", "converted"):
        handled_on = sorted_on + datetime.timedelta(days=rng.randint(5, 40))
        if handled_on > D(2026, 11, 20) or rng.random() < 0.12:
            return  # still in hand; some of them overdue
        with acting_on(handled_on):
            services.opinion_handled(
                opinion=opinion, actor=staff, result="经实地核查，已安排整改，问题已解决。"
            )
    answered_on = sorted_on + datetime.timedelta(days=rng.randint(1, 50))
    if answered_on > D(2026, 11, 22):
        return
    with acting_on(answered_on):
        services.opinion_answer(
            opinion=opinion,
            actor=staff,
            answer="您反映的问题已办理，感谢您的关心和监督。",
            method=rng.choice(["电话", "当面", "短信"]),
        )
