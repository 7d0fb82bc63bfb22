"""A citizen on a phone: tells the congress about a problem with a photo,
solves the question, keeps the receipt code and follows the progress.

Written as steps on a `Citizen` so the full acceptance path (the liaison
sorts, staff convert, the unit replies, the citizen sees the answer) can be
appended as further steps of the same test.
"""

import pytest
from django.core.cache import cache
from PIL import Image
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from renda.opinions import captcha
from renda.opinions.models import Channel, Opinion
from renda.tests.browser import chromium, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fresh_limits_and_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def phone():
    driver = chromium(width=390, height=844)
    yield driver
    driver.quit()


class Citizen:
    """What a person does on the public pages, one method per step."""

    def __init__(self, driver, base_url: str, *, phone_number: str):
        self.driver = driver
        self.base_url = base_url
        self.phone_number = phone_number
        self.receipt_code = ""

    def wait(self):
        return WebDriverWait(self.driver, 10)

    def submit_opinion(self, *, township, village, title, content, photo_path=None):
        d = self.driver
        d.get(f"{self.base_url}/opinions/public/submit/")
        Select(d.find_element(By.ID, "id_township")).select_by_visible_text(township)
        # The village list offers only the chosen township's villages.
        villages = Select(d.find_element(By.ID, "id_village"))
        offered = [option.text for option in villages.options]
        assert all(text.startswith(township) for text in offered[1:]), offered
        villages.select_by_visible_text(f"{township} {village}")
        d.find_element(By.ID, "id_title").send_keys(title)
        d.find_element(By.ID, "id_content").send_keys(content)
        people = d.find_element(By.ID, "id_people_concerned")
        people.clear()
        people.send_keys("20")
        d.find_element(By.ID, "id_submitter_name").send_keys("张大伯")
        d.find_element(By.ID, "id_submitter_phone").send_keys(self.phone_number)
        if photo_path:
            d.find_element(By.ID, "id_photos").send_keys(str(photo_path))
        question = d.find_element(By.CSS_SELECTOR, "[data-testid=captcha-question]").text
        d.find_element(By.ID, "id_captcha_answer").send_keys(str(captcha.solve(question)))
        button = d.find_element(By.CSS_SELECTOR, "[data-testid=opinion-form] button[type=submit]")
        # Bootstrap scrolls smoothly; an instant scroll keeps the button where the click lands.
        d.execute_script(
            "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", button
        )
        button.click()
        code = self.wait().until(
            EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=receipt-code]"))
        )
        self.receipt_code = code.text.strip()
        return self.receipt_code

    def track(self) -> str:
        d = self.driver
        d.get(f"{self.base_url}/opinions/public/track/")
        d.find_element(By.ID, "id_receipt_code").send_keys(self.receipt_code)
        d.find_element(By.ID, "id_phone_last4").send_keys(self.phone_number[-4:])
        d.find_element(By.CSS_SELECTOR, "[data-testid=track-form] button[type=submit]").click()
        status = self.wait().until(
            EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=progress-status]"))
        )
        return status.text


def test_a_citizen_on_a_phone_submits_with_a_photo_and_tracks_the_progress(
    world, live_server, phone, tmp_path
):
    photo_path = tmp_path / "bridge.png"
    Image.new("RGB", (64, 48), (90, 120, 200)).save(photo_path)
    citizen = Citizen(phone, live_server.url, phone_number="13811112222")

    # 1. The citizen submits an opinion with a photo and gets a receipt code.
    code = citizen.submit_opinion(
        township="青山镇",
        village="东河村",
        title="东河村四组小桥桥面破损",
        content="小桥桥面有两处大洞，学生上学经过很危险，建议尽快维修。",
        photo_path=photo_path,
    )
    assert len(code) == 8
    opinion = Opinion.objects.get(receipt_code=code)
    assert opinion.channel == Channel.WEB and opinion.region == world.village
    assert opinion.attachments.get().content_type == "image/png"
    # The page fits the phone: no sideways scrolling.
    assert phone.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
    save_screenshot(phone, "opinion-receipt.png")

    # 2. With the code and the last four digits the tracking page shows the status.
    assert citizen.track() == "已收到，等待工作人员整理"
    steps = phone.find_element(By.CSS_SELECTOR, "[data-testid=steps]").text
    assert "收到意见" in steps
    page = phone.find_element(By.TAG_NAME, "body").text
    assert "张大伯" not in page and "13811112222" not in page

    # Next steps (the lead): the liaison sorts it, staff convert it into a
    # suggestion, the unit replies, and citizen.track() shows the answer.
