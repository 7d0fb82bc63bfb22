"""Headless Chromium for browser tests: Debian's chromium and chromedriver,
with no network use of their own."""

import os
import shutil
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "build" / "screenshots"
DOC_SCREENSHOTS = ROOT / "docs" / "screenshots"


def chromium(width: int = 1366, height: int = 900) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--lang=zh-CN",
        f"--window-size={width},{height}",
    ):
        options.add_argument(flag)
    service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    return webdriver.Chrome(service=service, options=options)


def phone_chromium() -> webdriver.Chrome:
    """A phone's viewport (390 × 844, touch, mobile layout). Headless Chromium
    keeps a window at least 500 px wide, so the phone is emulated."""
    driver = chromium(width=390, height=844)
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True},
    )
    return driver


def fits_the_phone(driver) -> bool:
    """No sideways scrolling of the page itself (wide tables scroll in their own box).
    Compared with the page's client width, not `innerWidth`: a mobile viewport
    widens to what overflows it."""
    return driver.execute_script(
        "const page = document.documentElement; return page.scrollWidth <= page.clientWidth"
    )


def save_screenshot(driver, name: str) -> Path:
    """Save under build/; with RENDA_UPDATE_SCREENSHOTS=1 also refresh docs/
    (the README's pictures)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    driver.save_screenshot(str(path))
    if os.environ.get("RENDA_UPDATE_SCREENSHOTS") == "1":
        DOC_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, DOC_SCREENSHOTS / name)
    return path
