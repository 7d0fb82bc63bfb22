"""Small word lists the scale data is made of: place names, people's names,
titles. Realistic-ish Chinese, fictional, fixed."""

PROVINCE_NAME = "规模测试省"
CITY_HEADS = "东西南北中"
COUNTY_HEADS = [
    "安平", "永宁", "长乐", "清河", "凤山", "云溪", "石门", "桃源", "临江", "金川",
    "宝丰", "泰和", "新安", "兴隆", "龙泉", "白水", "青林", "双河", "玉屏", "乐平",
]  # fmt: skip
COUNTY_TAILS = ["", "东", "西", "南", "北"]
TOWN_HEADS = list("大小新老上下东西南北前后高平长安永兴太和")
TOWN_STEMS = list("河山岭坪湾桥塘冲坝岗庄沟林田溪口寨铺集关")
VILLAGE_SURNAMES = list("王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯")
COMMUNITY_NAMES = [
    "人民路", "解放路", "滨江", "文昌", "朝阳", "幸福", "和平", "建设", "育才", "翠湖",
    "花园", "新华", "东门", "西关", "南街", "北苑",
]  # fmt: skip

SURNAMES = (
    "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
    "苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华玉萍红娥玲芬建国志文斌辉春梅海燕林波宁云飞鹏浩宇欣怡佳琪晓东立新永福德胜金凤成龙秋菊冬家兴发贵"
MINORITIES = ["苗族", "土家族", "侗族", "回族", "彝族", "壮族"]

UNITS = [
    ("government", "发展和改革局"), ("government", "教育体育局"), ("government", "公安局"),
    ("government", "民政局"), ("government", "财政局"), ("government", "人力资源和社会保障局"),
    ("government", "自然资源局"), ("government", "住房和城乡建设局"), ("government", "交通运输局"),
    ("government", "水利局"), ("government", "农业农村局"), ("government", "商务局"),
    ("government", "文化广电旅游局"), ("government", "卫生健康委员会"), ("government", "应急管理局"),
    ("government", "市场监督管理局"), ("government", "医疗保障局"), ("government", "城市管理局"),
    ("court", "人民法院"), ("procuratorate", "人民检察院"), ("enterprise", "供电公司"),
]  # fmt: skip

# Categories as the demo names them, with a skew: a few take most items.
CATEGORIES = {
    "农业农村": 22, "道路交通": 20, "水利": 12, "教育": 10, "医疗卫生": 9, "民生保障": 8,
    "城乡建设": 7, "生态环境": 4, "招商与产业": 3, "社会治理": 3, "土地": 1, "其他": 1,
}  # fmt: skip
CATEGORY_ORDER = list(CATEGORIES)
# Which unit (by its short name) leads on a category.
CATEGORY_UNIT = {
    "农业农村": "农业农村局", "道路交通": "交通运输局", "水利": "水利局", "教育": "教育体育局",
    "医疗卫生": "卫生健康委员会", "民生保障": "民政局", "城乡建设": "住房和城乡建设局",
    "生态环境": "自然资源局", "招商与产业": "商务局", "社会治理": "公安局", "土地": "自然资源局",
    "其他": "城市管理局",
}  # fmt: skip
# (verb, object) pairs per category: 关于{verb}{place}{object}的建议.
ISSUES = {
    "农业农村": [("扶持", "茶叶产业"), ("整治", "撂荒耕地"), ("建设", "高标准农田"), ("发展", "特色养殖")],
    "道路交通": [("硬化", "通组公路"), ("增设", "安全防护设施"), ("开通", "客运班线"), ("维修", "危桥")],
    "水利": [("整治", "山塘水库"), ("解决", "饮水安全问题"), ("疏浚", "灌溉水渠")],
    "教育": [("改善", "中心小学办学条件"), ("加强", "乡村教师队伍"), ("新建", "幼儿园")],
    "医疗卫生": [("提升", "卫生院服务能力"), ("加强", "村卫生室建设")],
    "民生保障": [("建设", "互助养老服务点"), ("规范", "低保评定公示"), ("开办", "老年食堂")],
    "城乡建设": [("改造", "老旧小区"), ("整治", "集镇环境卫生"), ("修复", "路灯")],
    "生态环境": [("治理", "河道污染"), ("监管", "养殖场异味")],
    "招商与产业": [("建设", "电商物流中心"), ("支持", "农产品加工企业")],
    "社会治理": [("加强", "学校周边交通秩序"), ("调解", "邻里土地纠纷")],
    "土地": [("规范", "宅基地审批")],
    "其他": [("规范", "广场舞噪音管理")],
}  # fmt: skip
BODY = "{place}{object}问题群众反映较多，影响生产生活。建议有关部门实地调查，统筹资金，分步解决，并向代表反馈办理情况。"
OPINION_BODY = "{place}的{object}问题已经有一段时间了，希望尽快{verb}，谢谢。"
REPLY = "您提出的《{title}》收悉。经研究，现答复如下：我单位高度重视，已组织实地调查，并将有关事项列入工作计划。"
ACTIVITY_TITLES = {
    "meeting": "{body}常委会会议", "non_voting": "列席{body}常委会会议",
    "group_activity": "{group}集中活动", "training": "代表履职学习培训班",
    "inspection": "视察{object}工作", "survey": "调研{object}情况",
    "law_enforcement": "《{law}》执法检查", "appraisal": "评议{unit}工作",
    "publicity": "宣讲人大制度", "poverty": "走访帮扶困难群众", "other": "参加{place}公益活动",
    "reception": "{place}集中接待选民",
}  # fmt: skip
LAWS = ["农产品质量安全法", "道路交通安全法", "水污染防治法", "义务教育法", "食品安全法"]
OWN_TITLES = {
    "household_visit": "走访{place}选民", "dispute": "调解{place}邻里纠纷",
    "practical": "为{place}群众办实事", "poverty": "帮扶{place}困难户",
    "publicity": "在{place}宣讲政策", "survey": "了解{place}{object}情况", "other": "参加{place}志愿服务",
}  # fmt: skip
OWN_NOTE = "到{place}实地了解情况，听取群众意见，已向有关部门反映。"
