"""A deputy's own pages on a phone (many deputies have nothing else): the
dashboard, their score, recording a duty, their records, a suggestion and a
household visit all fit the phone's width, with no sideways scrolling."""

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By

from renda.tests.browser import fits_the_phone, phone_chromium, save_screenshot
from renda.tests.test_browser_shell import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = {
    "reports:dashboard": "",
    "duties:my_score": "?year=2026",
    "duties:entry_create": "",
    "duties:my_records": "",
    "suggestions:my_list": "",
    "suggestions:my_create": "",
    "opinions:reception_create": "",
}


def test_a_deputy_s_own_pages_fit_a_phone(world, live_server):
    driver = phone_chromium()
    try:
        sign_in(driver, live_server.url, "deputy")
        wide = []
        for name, query in PAGES.items():
            driver.get(f"{live_server.url}{reverse(name)}{query}")
            assert driver.find_elements(By.TAG_NAME, "h1"), name
            if not fits_the_phone(driver):
                wide.append(name)
                save_screenshot(driver, f"too-wide-{name.replace(':', '-')}.png")
        assert wide == []
        driver.get(f"{live_server.url}{reverse('duties:my_score')}?year=2026")
        assert driver.find_element(By.CSS_SELECTOR, "[data-testid=score-stars]").text
    finally:
        driver.quit()
