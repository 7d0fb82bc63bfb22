"""Pages on a phone: many deputies have nothing else, and a township's clerk
often works from one. Each page fits the phone's width, with no sideways
scrolling of the page (wide tables scroll in their own box)."""

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By

from renda.tests.browser import fits_the_phone, phone_chromium, save_screenshot
from renda.tests.test_browser_shell import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = {
    "deputy": {
        "reports:dashboard": "",
        "duties:my_score": "?year=2026",
        "duties:entry_create": "",
        "duties:my_records": "",
        "suggestions:my_list": "",
        "suggestions:my_create": "",
        "opinions:reception_create": "",
    },
    # Tables whose rows hold forms with visually hidden labels.
    "township": {
        "duties:four_good": "?year=2026",
        "duties:entry_queue": "",
    },
}


def test_a_deputy_s_and_a_clerk_s_pages_fit_a_phone(world, live_server):
    driver = phone_chromium()
    try:
        wide = []
        for username, pages in PAGES.items():
            driver.delete_all_cookies()
            sign_in(driver, live_server.url, username)
            for name, query in pages.items():
                driver.get(f"{live_server.url}{reverse(name)}{query}")
                assert driver.find_elements(By.TAG_NAME, "h1"), name
                if not fits_the_phone(driver):
                    wide.append(name)
                    save_screenshot(driver, f"too-wide-{name.replace(':', '-')}.png")
        assert wide == []
    finally:
        driver.quit()
