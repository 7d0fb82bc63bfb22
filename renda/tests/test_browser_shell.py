"""The shell in a real browser: sign in, the role's navigation, the chart,
the language switch, and a phone-sized window."""

import random

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from renda.core.seed import DEMO_PASSWORD, seed_core
from renda.core.tests.factories import PASSWORD
from renda.tests.browser import chromium, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser():
    driver = chromium()
    yield driver
    driver.quit()


def sign_in(driver, base_url, username, password=PASSWORD):
    driver.get(f"{base_url}/login/")
    driver.find_element(By.NAME, "username").send_keys(username)
    driver.find_element(By.NAME, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit].btn-renda").click()
    WebDriverWait(driver, 10).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, "[data-testid=role]"))
    )


def test_county_staff_sign_in_to_the_demo_county_and_see_its_dashboard(live_server, browser):
    seed_core(random.Random(1))
    sign_in(browser, live_server.url, "xianrenda", DEMO_PASSWORD)
    nav = browser.find_element(By.CSS_SELECTOR, "[data-testid=nav]").text
    assert "代表工作" in nav and "基础数据" in nav
    assert browser.find_element(By.CSS_SELECTOR, "[data-testid=figure-townships]").text == "15"
    # ECharts drew the unit chart (vendored, no network): an SVG with bars.
    WebDriverWait(browser, 10).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, "#units-chart svg path"))
    )
    save_screenshot(browser, "dashboard.png")

    browser.find_element(By.CSS_SELECTOR, "button[name=language][value=en]").click()
    WebDriverWait(browser, 10).until(
        EC.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Dashboard")
    )


def test_a_unit_account_on_a_phone_sees_only_its_own_menu(world, live_server):
    driver = chromium(width=390, height=844)
    try:
        sign_in(driver, live_server.url, "unit")
        driver.find_element(By.CSS_SELECTOR, ".navbar-toggler").click()
        nav = WebDriverWait(driver, 10).until(
            EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=nav]"))
        )
        WebDriverWait(driver, 10).until(lambda d: "基础数据" in nav.text)
        assert "代表工作" not in nav.text
        driver.find_element(By.LINK_TEXT, "基础数据").click()
        WebDriverWait(driver, 10).until(lambda d: "承办单位" in nav.text)
        assert "规则设置" not in nav.text and "行政区划" not in nav.text
        save_screenshot(driver, "unit-phone.png")
    finally:
        driver.quit()
