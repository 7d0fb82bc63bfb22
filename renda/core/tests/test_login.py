"""Sign-in, lockout after repeated failures, sign-out and the role-aware shell."""

from django.urls import reverse

from renda.core.navigation import nav_links
from renda.core.tests.factories import PASSWORD


def test_a_user_signs_in_and_lands_on_the_dashboard(world, client):
    response = client.post(
        reverse("core:login"), {"username": "county", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("reports:dashboard")
    assert "工作台" in response.content.decode()


def test_a_wrong_password_gets_a_chinese_message(world, client):
    response = client.post(reverse("core:login"), {"username": "county", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_repeated_failures_lock_the_account_even_with_the_right_password(world, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("core:login"), {"username": "county", "password": "wrong"})
    response = client.post(reverse("core:login"), {"username": "county", "password": PASSWORD})
    assert response.status_code == 429
    assert "账号已暂时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_out_ends_the_session(world, client_for):
    client = client_for("county")
    client.post(reverse("core:logout"))
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("suggestions:list")).status_code == 302  # to sign in
    assert client.get(reverse("reports:dashboard")).templates[0].name == "reports/public_home.html"


SUGGESTION_OFFICE = {
    "建议台账",
    "办理统计",
    "督办提醒",
    "类别与交办路由",
    "月度收集办理",
    "社情民意统计",
    "联合检查",
}
DUTY_OFFICE = {
    "履职活动",
    "纪实核实",
    "纪实抽查",
    "履职档案",
    "履职登记簿",
    "履职统计",
    "代表积分",
    "积分方案",
    "更正申请",
    "积分公示",
    "评议评星",
    "代表述职",
    "四好人大代表",
}


def test_each_role_sees_its_own_navigation(world, client_for):
    regional = {
        "社情民意台账",
        "接待活动",
        "建议答复公开",
        "我的提醒",
        "工作台",
        "人大代表",
        "代表小组",
        "联络站",
        "联系代表选民",
        "行政区划",
        "人大机构",
        "承办单位",
        "代表公示",
    }
    expected = {
        "county": regional | {"结构分析", "规则设置"} | SUGGESTION_OFFICE | DUTY_OFFICE,
        "township": regional | {"结构分析", "规则设置"} | SUGGESTION_OFFICE | DUTY_OFFICE,
        "deputy": regional
        | {"我的建议", "我的履职纪实", "履职档案", "我的积分", "积分公示", "评议评星"},
        "liaison": regional | {"履职活动", "履职档案", "履职登记簿"},
        "unit": {
            "工作台",
            "承办单位",
            "代表公示",
            "承办工作台",
            "我的提醒",
            "交办的社情民意",
            "建议答复公开",
        },
        "public": {"工作台", "代表公示", "我的提醒", "建议答复公开"},
    }
    for role, labels in expected.items():
        response = client_for(role).get(reverse("reports:dashboard"))
        nav = [str(link["label"]) for link in nav_links(response.context["nav_items"])]
        assert set(nav) == labels, role


def test_password_change_validates_in_chinese(world, client_for):
    client = client_for("county")
    response = client.post(
        reverse("core:password_change"),
        {"old_password": "wrong", "new_password1": "abc", "new_password2": "abd"},
    )
    page = response.content.decode()
    assert "旧密码" in page and "请更正以下内容" in page


def test_the_language_switch_shows_english(world, client_for):
    client = client_for("county")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert "Dashboard" in page
    assert 'lang="en"' in page
