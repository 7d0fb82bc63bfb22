"""A citizen on a phone tells the congress about a problem with a photo,
solves the question and keeps the receipt code; then, on the same phone-sized
pages, the station's liaison officer sorts it, the township office converts it
into a between-session suggestion, reviews and assigns it, the handling unit
signs and replies, the office records the result and the answer to the
person, and the citizen's tracking page shows that answer.

Every step goes through the pages; only the fixed cast (`world`) is set up
by services. Each role's steps are methods of a class (`Citizen`, `Clerk`).
"""

import pytest
from django.utils import timezone
from PIL import Image
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from renda.core.tests.factories import PASSWORD
from renda.opinions import captcha
from renda.opinions.models import Channel, Opinion, OpinionStatus
from renda.suggestions.models import Status as SuggestionStatus
from renda.tests.browser import fits_the_phone, phone_chromium, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LEDGER = "/opinions/ledger/"
TITLE = "东河村四组小桥桥面破损"
REPLY = "已将东河村四组小桥列入今年农村危桥改造计划，12月底前完成桥面修复。"
ANSWER = "您反映的小桥问题已转为王春燕代表的建议，县交通运输局答复12月底前修好桥面。"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def phone():
    driver = phone_chromium()
    yield driver
    driver.quit()


class Browsing:
    """Waiting and pressing, shared by everyone's steps."""

    driver = None

    def wait(self, seconds: int = 20):
        return WebDriverWait(
            self.driver, seconds, ignored_exceptions=[StaleElementReferenceException]
        )

    def wait_for(self, css: str, text: str | None = None):
        """The element (visible), once it shows `text` if given."""
        try:
            self.wait().until(EC.visibility_of_element_located((By.CSS_SELECTOR, css)))
            if text is not None:
                self.wait().until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, css), text))
        except TimeoutException:
            save_screenshot(self.driver, "opinion-path-failure.png")
            raise
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def press(self, element):
        # Centre it first, at once (Bootstrap scrolls smoothly): on a phone
        # a form's button is usually below the fold.
        self.driver.execute_script(
            "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", element
        )
        element.click()

    def press_link(self, text: str, within: str = "body"):
        scope = self.driver.find_element(By.CSS_SELECTOR, within)
        self.press(scope.find_element(By.PARTIAL_LINK_TEXT, text))

    def submit(self, form: str = "main form[method=post]"):
        self.press(self.driver.find_element(By.CSS_SELECTOR, f"{form} button[type=submit]"))

    def type_into(self, name: str, text: str):
        field = self.driver.find_element(By.NAME, name)
        field.clear()
        field.send_keys(text)

    def choose(self, name: str, *, value=None, text=None):
        select = Select(self.driver.find_element(By.NAME, name))
        if value is not None:
            select.select_by_value(str(value))
        else:
            select.select_by_visible_text(text)


class Citizen(Browsing):
    """What a person does on the public pages, one method per step."""

    def __init__(self, driver, base_url: str, *, phone_number: str):
        self.driver = driver
        self.base_url = base_url
        self.phone_number = phone_number
        self.receipt_code = ""

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
        self.submit("[data-testid=opinion-form]")
        code = self.wait_for("[data-testid=receipt-code]")
        self.receipt_code = code.text.strip()
        return self.receipt_code

    def track(self) -> str:
        d = self.driver
        # Whoever used this phone before, the citizen is not signed in.
        d.delete_all_cookies()
        d.get(f"{self.base_url}/opinions/public/track/")
        d.find_element(By.ID, "id_receipt_code").send_keys(self.receipt_code)
        d.find_element(By.ID, "id_phone_last4").send_keys(self.phone_number[-4:])
        self.submit("[data-testid=track-form]")
        return self.wait_for("[data-testid=progress-status]").text


class Clerk(Browsing):
    """A signed-in user (liaison officer, office staff, unit) on their phone."""

    def __init__(self, driver, base_url: str, username: str, *, start: str):
        """Sign in on the login page and land on `start` (its `next`), not
        on the dashboard, which has nothing for these steps."""
        self.driver = driver
        self.base_url = base_url
        driver.delete_all_cookies()
        self.open(f"/login/?next={start}")
        self.type_into("username", username)
        self.type_into("password", PASSWORD)
        self.submit()
        try:
            self.wait().until(EC.url_to_be(f"{base_url}{start}"))
        except TimeoutException:
            save_screenshot(driver, "opinion-path-failure.png")
            raise

    def open(self, path: str):
        self.driver.get(f"{self.base_url}{path}")

    # --- the opinions ledger (社情民意台账) ---

    def find_in_ledger(self, receipt_code: str, title: str):
        """Look the opinion up in the ledger by its receipt code and open it."""
        if not self.driver.current_url.endswith(LEDGER):
            self.open(LEDGER)
        self.type_into("q", receipt_code)
        self.submit("[data-testid=ledger-filters]")
        # The filters are a GET form: the new page's address carries the code.
        self.wait().until(EC.url_contains(f"q={receipt_code}"))
        self.wait_for("[data-testid=ledger-count]", "共 1 条")
        self.press_link(title, within="[data-testid=ledger]")
        return self.wait_for("[data-testid=status]")

    def act(self, label: str):
        """Press one of the opinion's outcome buttons; its form opens."""
        self.press_link(label, within="[data-testid=actions]")
        self.wait_for("main form[method=post]")

    def done(self, status: str):
        """After an outcome the detail page shows the new status."""
        return self.wait_for("[data-testid=status]", status)

    # --- the suggestion (staff pages and the unit workspace) ---

    def suggestion_status(self, status: str):
        return self.wait_for("[data-testid=item-status]", status)


def test_a_citizens_opinion_goes_from_the_phone_form_to_an_answer_on_the_tracking_page(
    world, live_server, phone, tmp_path
):
    w, base = world, live_server.url
    photo_path = tmp_path / "bridge.png"
    Image.new("RGB", (64, 48), (90, 120, 200)).save(photo_path)
    citizen = Citizen(phone, base, phone_number="13811112222")

    # 1. The citizen submits an opinion with a photo and gets a receipt code.
    code = citizen.submit_opinion(
        township="青山镇",
        village="东河村",
        title=TITLE,
        content="小桥桥面有两处大洞，学生上学经过很危险，建议尽快维修。",
        photo_path=photo_path,
    )
    assert len(code) == 8
    opinion = Opinion.objects.get(receipt_code=code)
    assert opinion.channel == Channel.WEB and opinion.region == w.village
    assert opinion.attachments.get().content_type == "image/png"
    assert fits_the_phone(phone)
    save_screenshot(phone, "opinion-receipt.png")

    # 2. With the code and the last four digits the tracking page shows the status.
    assert citizen.track() == "已收到，等待工作人员整理"
    steps = phone.find_element(By.CSS_SELECTOR, "[data-testid=steps]").text
    assert "收到意见" in steps
    page = phone.find_element(By.TAG_NAME, "body").text
    assert "张大伯" not in page and "13811112222" not in page

    # 3. The liaison officer of 东河村's station sorts it (整理登记): category and urgency.
    liaison = Clerk(phone, base, "liaison", start=LEDGER)
    liaison.find_in_ledger(code, TITLE)
    assert phone.find_elements(By.CSS_SELECTOR, "[data-testid=attachments] img")
    liaison.act("整理登记")
    liaison.choose("category", value=w.category.pk)
    liaison.choose("urgency", value="important")
    liaison.submit()
    liaison.done("已整理")
    opinion.refresh_from_db()
    assert opinion.status == OpinionStatus.SORTED and opinion.number
    # The ledger now lists it with its registration number.
    liaison.open(LEDGER)
    ledger = liaison.wait_for("[data-testid=ledger]", opinion.number)
    row = ledger.find_element(By.XPATH, f".//tr[.//a[normalize-space()='{TITLE}']]")
    assert opinion.number in row.text and "已整理登记" in row.text
    assert fits_the_phone(phone)
    phone.execute_script(
        "arguments[0].scrollIntoView({block: 'start', behavior: 'instant'})", ledger
    )
    save_screenshot(phone, "opinion-ledger-sorted.png")

    # 4. The township office converts it into a between-session suggestion by 王春燕.
    office = Clerk(phone, base, "township", start=LEDGER)
    office.find_in_ledger(code, TITLE)
    office.act("转为代表建议")
    office.choose("congress", value=w.township_congress.pk)
    office.choose("lead", value=w.person.pk)
    assert phone.find_element(By.NAME, "title").get_attribute("value") == f"关于{TITLE}的建议"
    office.submit()
    office.done("已转为代表建议")
    opinion.refresh_from_db()
    suggestion = opinion.suggestion
    assert suggestion is not None and suggestion.status == SuggestionStatus.SUBMITTED

    # 5. It is reviewed and assigned on the suggestions pages, from the opinion's link.
    office.press_link(suggestion.number, within="[data-testid=suggestion]")
    office.suggestion_status("待审查")
    office.press(phone.find_element(By.CSS_SELECTOR, "[data-testid=review-link]"))
    office.press(phone.find_element(By.ID, "decision-accept"))
    office.choose("final_kind", value="suggestion")
    office.press(phone.find_element(By.CSS_SELECTOR, "[data-testid=review-submit]"))
    office.suggestion_status("待交办")
    office.press(phone.find_element(By.CSS_SELECTOR, "[data-testid=assign-link]"))
    office.choose("lead_unit", value=w.county_unit.pk)
    office.press(phone.find_element(By.CSS_SELECTOR, "[data-testid=assign-submit]"))
    office.suggestion_status("待签收")

    # 6. The county transport bureau signs for it and replies, in its workspace.
    unit = Clerk(phone, base, "unit", start="/suggestions/unit/")
    unit.press_link(suggestion.title)
    unit.suggestion_status("待签收")
    unit.press(phone.find_element(By.XPATH, "//button[contains(., '签收')]"))
    unit.suggestion_status("办理中")
    unit.press_link("答复代表", within="[data-testid=unit-actions]")
    unit.choose("reply_class", value="A")
    unit.type_into("text", REPLY)
    unit.type_into("signed_by", "孙立军")
    replied_on = phone.find_element(By.NAME, "replied_on")
    if not replied_on.get_attribute("value"):
        phone.execute_script(
            "arguments[0].value = arguments[1]", replied_on, timezone.localdate().isoformat()
        )
    unit.submit()
    unit.suggestion_status("已答复待评价")
    assert fits_the_phone(phone)
    save_screenshot(phone, "opinion-unit-reply.png")

    # 7. The office records the result on the opinion, then the answer given to the person.
    office = Clerk(phone, base, "township", start=LEDGER)
    office.find_in_ledger(code, TITLE)
    office.act("记录办理结果")
    office.type_into("result", REPLY)
    office.submit()
    office.done("已办理待回复")
    office.act("答复群众")
    assert phone.find_element(By.NAME, "answer").get_attribute("value") == REPLY
    office.type_into("answer", ANSWER)
    office.choose("method", value="电话")
    office.submit()
    office.done("已答复群众")

    # 8. The citizen's tracking page shows the answer and the unit's reply.
    assert citizen.track() == "已答复您"
    assert phone.find_element(By.CSS_SELECTOR, "[data-testid=answer]").text == ANSWER
    assert REPLY in phone.find_element(By.CSS_SELECTOR, "[data-testid=suggestion-reply]").text
    steps = phone.find_element(By.CSS_SELECTOR, "[data-testid=steps]").text
    for step in ("收到意见", "整理登记", "转为人大代表建议", "办理完毕", "答复您"):
        assert step in steps, steps
    page = phone.find_element(By.TAG_NAME, "body").text
    assert "张大伯" not in page and "13811112222" not in page
    assert fits_the_phone(phone)
    phone.execute_script(
        "arguments[0].scrollIntoView({block: 'start', behavior: 'instant'})",
        phone.find_element(By.CSS_SELECTOR, "[data-testid=progress]"),
    )
    save_screenshot(phone, "opinion-tracking-answered.png")
