"""The acceptance path in a real browser: one item entered from paper by the
township office, a second merged into it, assigned, returned by the wrong
unit, reassigned, signed, consulted, answered (B), found unsatisfactory,
re-handled, answered (A) and rated satisfied by both authors; its timeline
shows every step with who and when."""

import pytest
from django.utils import timezone
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from renda.core.models import Role
from renda.core.tests import factories as f
from renda.suggestions.models import Reply, RoutingRule, Suggestion
from renda.tests.browser import chromium, save_screenshot
from renda.tests.test_browser_shell import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "关于硬化东河村至青山镇产业路的建议"
BODY = "东河村至青山镇的产业路为泥结石路面，雨天泥泞，农产品运输困难，建议列入农村公路建设计划予以硬化。"
SECOND_TITLE = "关于尽快硬化东河村至青山镇产业路的建议"
SECOND_BODY = "东河村至青山镇产业路雨天泥泞难行，农产品运输困难，建议尽快硬化。"


@pytest.fixture
def browser():
    driver = chromium()
    yield driver
    driver.quit()


def as_user(driver, base_url, username):
    driver.delete_all_cookies()
    sign_in(driver, base_url, username)


def wait_for(driver, css, text=None):
    wait = WebDriverWait(driver, 20, ignored_exceptions=[StaleElementReferenceException])
    try:
        if text is None:
            return wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, css)))
        wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, css), text))
    except TimeoutException:
        save_screenshot(driver, "suggestion-path-failure.png")
        raise
    return driver.find_element(By.CSS_SELECTOR, css)


def press(driver, element):
    # Centre it first, at once (Bootstrap scrolls smoothly): a long form's button may sit below the fold.
    driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element
    )
    element.click()


def click(driver, xpath):
    press(driver, driver.find_element(By.XPATH, xpath))


def click_css(driver, css):
    press(driver, driver.find_element(By.CSS_SELECTOR, css))


def choose(driver, name, value):
    Select(driver.find_element(By.NAME, name)).select_by_value(str(value))


def type_into(driver, name, text):
    field = driver.find_element(By.NAME, name)
    field.clear()
    field.send_keys(text)


def enter_from_paper(driver, base_url, w, *, title, body, lead, attachment=None):
    driver.get(f"{base_url}/suggestions/new/")
    choose(driver, "congress", w.township_congress.pk)
    choose(driver, "occasion", "session")
    choose(driver, "session", w.session.pk)
    choose(driver, "lead", lead.pk)
    choose(driver, "category", w.category.pk)
    type_into(driver, "title", title)
    type_into(driver, "body", body)
    if attachment is not None:
        driver.find_element(By.NAME, "attachments").send_keys(str(attachment))
    # Leaving the body field makes htmx ask for similar earlier items.
    driver.find_element(By.NAME, "body").send_keys(Keys.TAB)


def today_if_empty(driver, name):
    """A date field left empty gets today, as a clerk would pick it (the
    workspace's date inputs render their initial value in the locale's
    2026/11/23 form, which a type=date input does not take)."""
    field = driver.find_element(By.NAME, name)
    if not field.get_attribute("value"):
        driver.execute_script(
            "arguments[0].value = arguments[1]", field, timezone.localdate().isoformat()
        )


def submit_button(driver, text="提交"):
    click(driver, f"//form[@method='post']//button[@type='submit' and contains(., '{text}')]")


def test_one_item_goes_through_every_path_in_the_browser(world, live_server, browser, tmp_path):
    w, base = world, live_server.url
    f.UserFactory(username="nongye", full_name="周农业", role=Role.UNIT, unit=w.township_unit)
    # The routing table sends road items of 青山镇 to the wrong unit: it returns them.
    RoutingRule.objects.create(category=w.category, region=w.township, lead_unit=w.township_unit)
    scan = tmp_path / "原件.pdf"
    scan.write_bytes(b"%PDF-1.4\n% paper original\n")

    # Submit: the township office enters the deputy's paper original.
    as_user(browser, base, "township")
    enter_from_paper(browser, base, w, title=TITLE, body=BODY, lead=w.person, attachment=scan)
    submit_button(browser, "保存并提交")
    wait_for(browser, "[data-testid=item-status]", "待审查")
    main = Suggestion.objects.get(title=TITLE)
    assert "原件.pdf" in browser.find_element(By.CSS_SELECTOR, "[data-testid=attachments]").text

    # A second deputy's item on the same road: entering it shows the first as similar.
    enter_from_paper(browser, base, w, title=SECOND_TITLE, body=SECOND_BODY, lead=w.county_person)
    wait_for(browser, f"[data-testid=similar-list] li[data-pk='{main.pk}']")
    # htmx may redraw the list while we read it: read it until it holds still.
    WebDriverWait(browser, 20, ignored_exceptions=[StaleElementReferenceException]).until(
        lambda d: "%" in d.find_element(By.CSS_SELECTOR, "[data-testid=similar-score]").text
    )
    submit_button(browser, "保存并提交")
    wait_for(browser, "[data-testid=item-status]", "待审查")
    second = Suggestion.objects.get(title=SECOND_TITLE)

    # Review: merge the second into the first (chosen among similar items), accept the first.
    click_css(browser, "[data-testid=review-link]")
    click_css(browser, "#decision-merge")
    click_css(browser, f"#into-{main.pk}")
    click_css(browser, "[data-testid=review-submit]")
    wait_for(browser, "[data-testid=item-status]", "已并案")
    click_css(browser, "[data-testid=main-item]")
    wait_for(browser, "[data-testid=merged]", SECOND_TITLE)
    click_css(browser, "[data-testid=review-link]")
    click_css(browser, "#decision-accept")
    choose(browser, "final_kind", "suggestion")
    click_css(browser, "[data-testid=review-submit]")
    wait_for(browser, "[data-testid=item-status]", "待交办")

    # Assign: the routing table proposes the township's agriculture centre.
    click_css(browser, "[data-testid=assign-link]")
    wait_for(browser, "[data-testid=route]", w.township_unit.name)
    click_css(browser, "[data-testid=assign-submit]")
    wait_for(browser, "[data-testid=item-status]", "待签收")
    assert "退回期限" in browser.find_element(By.CSS_SELECTOR, "[data-testid=deadlines]").text

    # Return: the wrong unit returns it with its reason, within the window.
    as_user(browser, base, "nongye")
    browser.get(f"{base}/suggestions/unit/{main.pk}/")
    click(browser, "//a[contains(., '退回交办')]")
    wait_for(browser, "[data-testid=action-intro]", "退回")
    type_into(browser, "reason", "道路硬化属交通运输部门职责，建议交县交通运输局办理")
    submit_button(browser)
    wait_for(browser, "[data-testid=unit-filters]")

    # Reassign: the office changes the lead unit to the transport bureau.
    as_user(browser, base, "township")
    browser.get(f"{base}{main.get_absolute_url()}")
    wait_for(browser, "[data-testid=item-status]", "待交办")
    click_css(browser, "[data-testid=assign-link]")
    choose(browser, "lead_unit", w.county_unit.pk)
    click_css(browser, "[data-testid=assign-submit]")
    wait_for(browser, "[data-testid=item-status]", "待签收")

    # Sign, consult, reply (B).
    as_user(browser, base, "unit")
    browser.get(f"{base}/suggestions/unit/{main.pk}/")
    click(browser, "//button[contains(., '签收')]")
    wait_for(browser, "[data-testid=item-status]", "办理中")
    click(browser, "//a[contains(., '记录办理过程')]")
    choose(browser, "step", "consult")
    choose(browser, "way", "face")
    type_into(browser, "content", "到东河村与王春燕代表当面商定硬化方案和时间")
    type_into(browser, "deputy_view", "同意方案")
    today_if_empty(browser, "held_on")
    submit_button(browser)
    wait_for(browser, "[data-testid=item-status]", "办理中")
    click(browser, "//a[contains(., '答复代表')]")
    choose(browser, "reply_class", "B")
    type_into(browser, "text", "已列入明年农村公路建设计划。")
    type_into(browser, "commitment", "2027年10月前完成硬化")
    type_into(browser, "signed_by", "孙立军")
    today_if_empty(browser, "replied_on")
    submit_button(browser)
    wait_for(browser, "[data-testid=item-status]", "已答复待评价")

    # Not satisfied: the deputy rates the reply on her phone-sized pages.
    as_user(browser, base, "deputy")
    browser.get(f"{base}/suggestions/mine/{main.pk}/")
    click(browser, "//a[contains(., '评价答复')]")
    choose(browser, "rating", "dissatisfied")
    type_into(browser, "comment", "明年太晚，雨季前就需要通行")
    submit_button(browser, "提交评价")
    wait_for(browser, "[data-testid=my-items]")

    # Re-handle: the unit answers again (A).
    as_user(browser, base, "unit")
    browser.get(f"{base}/suggestions/unit/{main.pk}/")
    wait_for(browser, "[data-testid=item-status]", "重新办理中")
    click(browser, "//a[contains(., '答复代表')]")
    choose(browser, "reply_class", "A")
    type_into(browser, "text", "已调整计划，今年雨季前完成硬化并已开工。")
    type_into(browser, "signed_by", "孙立军")
    today_if_empty(browser, "replied_on")
    submit_button(browser)
    wait_for(browser, "[data-testid=item-status]", "已答复待评价")

    # Satisfied: the deputy online, the merged item's author from a paper receipt.
    as_user(browser, base, "deputy")
    browser.get(f"{base}/suggestions/mine/{main.pk}/")
    click(browser, "//a[contains(., '评价答复')]")
    choose(browser, "rating", "satisfied")
    submit_button(browser, "提交评价")
    wait_for(browser, "[data-testid=my-items]")
    as_user(browser, base, "township")
    browser.get(f"{base}{main.get_absolute_url()}")
    click_css(browser, "[data-testid=evaluate-paper-link]")
    choose(browser, "person", w.county_person.pk)
    choose(browser, "rating", "satisfied")
    click_css(browser, "[data-testid=evaluate-paper-submit]")
    wait_for(browser, "[data-testid=item-status]", "已办结")

    # The timeline shows each step, with who and when.
    steps = browser.find_elements(By.CSS_SELECTOR, "[data-testid=timeline] li[data-event]")
    assert [step.get_attribute("data-event") for step in steps] == [
        "submitted",
        "merged",
        "reviewed",
        "assigned",
        "returned",
        "assigned",
        "signed",
        "consulted",
        "replied",
        "evaluated",
        "reopened",
        "replied",
        "evaluated",
        "evaluated",
        "closed",
    ]
    for step in steps:
        assert step.find_element(By.CSS_SELECTOR, "[data-testid=timeline-actor]").text
        assert step.find_element(By.CSS_SELECTOR, "[data-testid=timeline-at]").text
    actors = {s.find_element(By.CSS_SELECTOR, "[data-testid=timeline-actor]").text for s in steps}
    assert {"周农业", w.user("unit").full_name, w.user("deputy").full_name} <= actors
    replies = browser.find_element(By.CSS_SELECTOR, "[data-testid=replies]").text
    assert "王春燕：满意" in replies and "张三：满意" in replies and "不满意" in replies
    assert Reply.objects.filter(suggestion=main).count() == 2
    assert Suggestion.objects.get(pk=second.pk).merged_into_id == main.pk
    browser.set_window_size(1366, 1600)
    browser.execute_script(
        "arguments[0].scrollIntoView({block: 'start', behavior: 'instant'})",
        browser.find_element(By.CSS_SELECTOR, "[data-testid=timeline]"),
    )
    save_screenshot(browser, "suggestion-timeline.png")
