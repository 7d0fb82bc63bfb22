"""The demo county's suggestions: the county congress's 2026 session and
between-session items, and 青山镇's session, in every state, built through
the same services the pages use (with `acting_on` setting their dates)."""

import datetime
import random

from django.db import transaction

from renda.core.models import Body, BodyKind, Region, Rule, Session, Unit, User
from renda.deputies.models import Level, Person
from renda.suggestions import reply_classes, services
from renda.suggestions.models import Category, RoutingRule, Suggestion

D = datetime.date

# (category, lead unit, [(title pattern, body pattern)]) — {place} is a village or township.
TOPICS = [
    (
        "道路交通",
        "青山县交通运输局",
        [
            (
                "关于硬化{place}通组公路的建议",
                "{place}通组公路仍为砂石路面，雨天泥泞，群众出行和农产品外运困难。建议将该路段纳入农村公路建设计划，分步实施硬化。",
            ),
            (
                "关于在{place}路段增设安全防护设施的建议",
                "{place}路段弯急坡陡，临水临崖处无护栏，近年多次发生车辆侧翻。建议增设波形护栏和警示标志。",
            ),
            (
                "关于开通{place}至县城客运班线的建议",
                "{place}距县城较远，目前无直达班车，群众就医、办事需多次转车。建议开通或加密客运班线。",
            ),
        ],
    ),
    (
        "水利",
        "青山县水利局",
        [
            (
                "关于整治{place}山塘水库的建议",
                "{place}山塘年久失修，坝体渗漏，汛期存在安全隐患，灌溉能力也明显下降。建议安排资金进行除险加固。",
            ),
            (
                "关于解决{place}农村饮水安全问题的建议",
                "{place}部分农户仍饮用山泉水，旱季缺水、水质不稳定。建议延伸集中供水管网，实现自来水入户。",
            ),
        ],
    ),
    (
        "教育",
        "青山县教育体育局",
        [
            (
                "关于改善{place}中心小学办学条件的建议",
                "{place}中心小学教学楼建于上世纪九十年代，功能室不足，学生食堂面积小。建议实施校舍改造。",
            ),
            (
                "关于加强农村学校教师队伍建设的建议",
                "农村学校教师年龄偏大、学科结构不合理，音体美教师紧缺。建议完善农村教师补充和激励机制。",
            ),
        ],
    ),
    (
        "医疗卫生",
        "青山县卫生健康委员会",
        [
            (
                "关于提升{place}卫生院服务能力的建议",
                "{place}卫生院设备陈旧，缺少影像和检验设备，群众小病也要到县城就医。建议配备必要设备并加强人员培训。",
            ),
            (
                "关于加强村卫生室建设的建议",
                "部分村卫生室用房简陋、村医老龄化。建议加大投入，落实村医待遇。",
            ),
        ],
    ),
    (
        "农业农村",
        "青山县农业农村局",
        [
            (
                "关于扶持{place}茶叶产业发展的建议",
                "{place}茶园面积逐年扩大，但加工能力不足、品牌影响小。建议在加工设备、品牌建设和市场开拓上给予扶持。",
            ),
            (
                "关于加强耕地撂荒整治的建议",
                "部分山区耕地撂荒，影响粮食生产。建议出台扶持政策，鼓励土地流转和规模经营。",
            ),
        ],
    ),
    (
        "民生保障",
        "青山县民政局",
        [
            (
                "关于提高农村留守老人关爱服务水平的建议",
                "农村留守老人增多，日间照料和助餐服务不足。建议在中心村建设互助养老服务点。",
            ),
            (
                "关于规范{place}社区养老服务中心运营的建议",
                "{place}养老服务中心建成后使用率不高。建议引入专业机构运营，丰富服务内容。",
            ),
        ],
    ),
    (
        "城乡建设",
        "青山县住房和城乡建设局",
        [
            (
                "关于加快{place}老旧小区改造的建议",
                "{place}老旧小区管网老化、无物业管理，居民意见较大。建议纳入年度改造计划。",
            ),
            (
                "关于整治{place}集镇环境卫生的建议",
                "{place}集镇垃圾清运不及时，排水沟堵塞。建议增加保洁力量，完善环卫设施。",
            ),
        ],
    ),
    (
        "生态环境",
        "青山县生态环境分局",
        [
            (
                "关于加强{place}河道污染治理的建议",
                "{place}河段有养殖废水直排现象，水体发黑发臭。建议加强监管，建设污水处理设施。",
            ),
        ],
    ),
    (
        "招商与产业",
        "青山县商务局",
        [
            (
                "关于支持县域电商发展的建议",
                "农产品网上销售需求大，但物流成本高、缺少冷链。建议建设县级电商物流配送中心。",
            ),
        ],
    ),
    (
        "社会治理",
        "青山县公安局",
        [
            (
                "关于在{place}学校周边加强交通秩序管理的建议",
                "{place}学校上下学时段车辆乱停、人车混行，存在安全隐患。建议增派警力，设置减速带和护学岗。",
            ),
        ],
    ),
]
CATEGORY_ORDER = [
    "农业农村",
    "水利",
    "道路交通",
    "教育",
    "医疗卫生",
    "民生保障",
    "城乡建设",
    "生态环境",
    "招商与产业",
    "土地",
    "社会治理",
    "其他",
]
COUNTY_RULES = [
    (
        "suggestion.rehandle_months",
        2,
        "青山县人大代表建议、批评和意见办理办法（示范）第十五条：不满意的，两个月内重新办理并答复",
    ),
    (
        "suggestion.return_working_days",
        5,
        "青山县人大代表建议、批评和意见办理办法（示范）第九条：交办不当的，五个工作日内说明理由退回",
    ),
    (
        "suggestion.interim_assign_working_days",
        5,
        "青山县人大代表建议、批评和意见办理办法（示范）第七条：闭会期间提出的，五个工作日内交办",
    ),
    (
        "suggestion.co_opinion_months",
        1,
        "青山县人大代表建议、批评和意见办理办法（示范）第十一条：协办单位一个月内向主办单位提出意见",
    ),
    ("suggestion.due_soon_days", 15, "青山县人大常委会督办工作规程（示范）：到期前十五日提醒"),
    ("suggestion.similarity_threshold", 0.35, "系统配置：相似建议提示阈值"),
    (
        "suggestion.reply_counted_from",
        "assignment",
        "青山县人大代表建议、批评和意见办理办法（示范）第十二条：自交办之日起计算",
    ),
]


# 青山镇 classes its replies 甲/乙/丙 (stored as A/B/C); the rest of the
# county follows the national A–D default.
QINGSHAN_REPLY_CLASSES = [
    {"code": "A", "label": "甲类", "meaning": "所提问题已经解决或基本解决"},
    {"code": "B", "label": "乙类", "meaning": "所提问题正在解决或已列入计划逐步解决"},
    {"code": "C", "label": "丙类", "meaning": "因条件限制，留作参考或今后研究解决"},
]
QINGSHAN_REPLY_CLASSES_SOURCE = (
    "青山镇人大主席团代表建议办理工作制度（示范）第八条：答复分为甲、乙、丙三类"
)


def _seed_reference(county: Region, units: dict) -> dict:
    since = D(2021, 1, 1)
    for key, value, source in COUNTY_RULES:
        Rule.objects.get_or_create(
            key=key,
            region=county,
            effective_from=since,
            defaults={"value": value, "source": source},
        )
    Rule.objects.get_or_create(
        key=reply_classes.KEY,
        region=None,
        effective_from=since,
        defaults={"value": reply_classes.DEFAULT_CLASSES, "source": reply_classes.DEFAULT_SOURCE},
    )
    Rule.objects.get_or_create(
        key=reply_classes.KEY,
        region=Region.objects.get(code__startswith=county.code, name="青山镇"),
        effective_from=since,
        defaults={"value": QINGSHAN_REPLY_CLASSES, "source": QINGSHAN_REPLY_CLASSES_SOURCE},
    )
    categories = {}
    for order, name in enumerate(CATEGORY_ORDER):
        categories[name], _ = Category.objects.get_or_create(
            name=name, region=None, defaults={"order": order}
        )
    for name, unit_name, _ in TOPICS:
        RoutingRule.objects.get_or_create(
            category=categories[name], region=county, defaults={"lead_unit": units[unit_name]}
        )
    return categories


def _text(rng, topics, places):
    category, unit_name, patterns = rng.choice(topics)
    title, body = rng.choice(patterns)
    place = rng.choice(places)
    return category, unit_name, title.format(place=place), body.format(place=place)


def _take_through(rng, item, *, clerk, unit_users, unit, co_unit, categories, fate, start: D):
    """Move one submitted item along its fate, with plausible dates."""
    reviewed = start + datetime.timedelta(days=2)
    with services.acting_on(reviewed):
        if fate == "submitted":
            return
        if fate == "rejected":
            services.suggestion_reject(
                suggestion=item,
                actor=clerk,
                reason_code=rng.choice(["personal", "outside_powers", "several_issues"]),
            )
            return
        services.suggestion_accept(suggestion=item, actor=clerk, final_kind="suggestion")
    if fate == "accepted":
        return
    assigned = start + datetime.timedelta(days=rng.randint(20, 28))
    with services.acting_on(assigned):
        lead = services.suggestion_assign(
            suggestion=item,
            actor=clerk,
            lead_unit=unit,
            co_units=[co_unit] if co_unit else [],
            is_complex=rng.random() < 0.1,
        )
    unit_user = unit_users.get(unit.pk, clerk)
    if fate == "assigned":
        return
    with services.acting_on(assigned + datetime.timedelta(days=2)):
        services.assignment_sign(assignment=lead, actor=unit_user)
    if fate == "handling":
        return
    replied = assigned + datetime.timedelta(days=rng.randint(40, 85))
    with services.acting_on(replied):
        services.consultation_record(
            suggestion=item,
            unit=unit,
            actor=unit_user,
            step="consult",
            held_on=replied - datetime.timedelta(days=10),
            form="face",
            content="与领衔代表当面沟通办理方案",
            deputy_view="同意办理方案",
        )
        reply_class = rng.choices(["A", "B", "C"], weights=[55, 35, 10])[0]
        reply = services.reply_submit(
            suggestion=item,
            unit=unit,
            actor=unit_user,
            reply_class=reply_class,
            text=f"您提出的《{item.title}》收悉。经研究，现答复如下：我单位高度重视，已组织实地调查，并将有关事项列入工作计划。",
            commitment="" if reply_class == "A" else "列入下一年度计划，2027年底前完成",
            signed_by=unit.head or "单位负责人",
            replied_on=replied,
        )
    if fate == "replied":
        return
    evaluated = replied + datetime.timedelta(days=rng.randint(5, 20))
    authors = services.all_authors(item)
    with services.acting_on(evaluated):
        if fate == "rehandling":
            services.evaluation_record(
                reply=reply,
                person=authors[0],
                actor=clerk,
                rating="dissatisfied",
                comment="答复过于笼统，没有明确时间表",
                from_paper=True,
            )
            return
        for person in authors:
            services.evaluation_record(
                reply=reply,
                person=person,
                actor=clerk,
                rating=rng.choices(["satisfied", "basically"], weights=[80, 20])[0],
                from_paper=True,
            )


@transaction.atomic
def seed_suggestions(rng: random.Random) -> None:
    county = Region.objects.get(code="990121")
    if Suggestion.objects.filter(region__code__startswith=county.code).exists():
        return
    units = {u.name: u for u in Unit.objects.filter(region__code__startswith=county.code)}
    categories = _seed_reference(county, units)
    clerk = User.objects.get(username="xianrenda")
    unit_users = {u.unit_id: u for u in User.objects.filter(role="unit")}
    congress = Body.objects.get(region=county, kind=BodyKind.CONGRESS)
    session = Session.objects.get(term__body=congress, term__number=18, number=6)
    county_deputies = list(
        Person.objects.filter(
            mandates__level=Level.COUNTY, mandates__ended_on__isnull=True
        ).select_related("region")
    )
    places = [
        r.name
        for r in Region.objects.filter(
            code__startswith=county.code, level__in=["village", "township"]
        )
    ]
    fates = (
        ["closed"] * 120
        + ["committed"] * 45
        + ["replied"] * 18
        + ["rehandling"] * 8
        + ["handling"] * 25
        + ["assigned"] * 6
        + ["accepted"] * 5
        + ["rejected"] * 8
        + ["merge"] * 12
    )
    rng.shuffle(fates)
    main_items = []
    for fate in fates:
        category, unit_name, title, body = _text(rng, TOPICS, places)
        lead = rng.choice(county_deputies)
        co = rng.sample(county_deputies, rng.choice([0, 0, 1, 2]))
        with services.acting_on(session.opened_on + datetime.timedelta(days=1)):
            item = services.suggestion_draft(
                entered_by=clerk,
                congress=congress,
                occasion="session",
                session=session,
                title=title,
                body=body,
                lead=lead,
                co_signers=co,
                category=categories[category],
                from_paper=True,
            )
            services.suggestion_submit(suggestion=item, actor=clerk)
        if fate == "merge" and main_items:
            target = rng.choice(main_items)
            with services.acting_on(session.closed_on):
                services.suggestion_merge(suggestion=item, into=target, actor=clerk)
            continue
        co_unit = rng.choice(list(units.values())) if rng.random() < 0.2 else None
        if co_unit is not None and co_unit.name == unit_name:
            co_unit = None
        _take_through(
            rng,
            item,
            clerk=clerk,
            unit_users=unit_users,
            unit=units[unit_name],
            co_unit=co_unit,
            categories=categories,
            fate=fate,
            start=session.opened_on,
        )
        if fate == "closed" and len(main_items) < 40:
            main_items.append(item)
        if fate in ("committed", "closed") and rng.random() < 0.3:
            services.suggestion_publish(suggestion=item, actor=clerk, published=True)

    # Between-session items through the year (some still in review).
    for month in range(3, 12):
        for _ in range(rng.randint(2, 5)):
            category, unit_name, title, body = _text(rng, TOPICS, places)
            start = D(2026, month, rng.randint(1, 20))
            if start > D(2026, 11, 20):
                continue
            with services.acting_on(start):
                item = services.suggestion_draft(
                    entered_by=clerk,
                    congress=congress,
                    occasion="interim",
                    title=title,
                    body=body,
                    lead=rng.choice(county_deputies),
                    category=categories[category],
                )
                services.suggestion_submit(suggestion=item, actor=clerk)
            fate = (
                "submitted"
                if month == 11
                else rng.choice(["closed", "handling", "committed", "replied"])
            )
            _take_through(
                rng,
                item,
                clerk=clerk,
                unit_users=unit_users,
                unit=units[unit_name],
                co_unit=None,
                categories=categories,
                fate=fate,
                start=start,
            )

    # 青山镇's session: items from its township deputies, one of them the demo deputy's.
    qingshan = Region.objects.get(code__startswith=county.code, name="青山镇")
    township_congress = Body.objects.get(region=qingshan, kind=BodyKind.CONGRESS)
    township_session = Session.objects.get(term__body=township_congress, term__number=18, number=6)
    township_clerk = User.objects.get(username="qingshan")
    township_deputies = list(
        Person.objects.filter(
            region=qingshan, mandates__level=Level.TOWNSHIP, mandates__ended_on__isnull=True
        ).distinct()
    )
    demo = Person.objects.filter(user__username="daibiao").first()
    for index in range(36):
        category, unit_name, title, body = _text(
            rng, TOPICS, [r.name for r in qingshan.children.all()]
        )
        lead = demo if (index % 6 == 0 and demo) else rng.choice(township_deputies)
        with services.acting_on(township_session.opened_on):
            item = services.suggestion_draft(
                entered_by=township_clerk,
                congress=township_congress,
                occasion="session",
                session=township_session,
                title=title,
                body=body,
                lead=lead,
                category=categories[category],
                from_paper=True,
            )
            services.suggestion_submit(suggestion=item, actor=township_clerk)
        fate = rng.choice(["closed", "closed", "committed", "handling", "replied", "rehandling"])
        _take_through(
            rng,
            item,
            clerk=township_clerk,
            unit_users=unit_users,
            unit=units[unit_name],
            co_unit=None,
            categories=categories,
            fate=fate,
            start=township_session.opened_on,
        )
