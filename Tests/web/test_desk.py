"""The web stage: `plankeeper serve` in a real browser (Debian's Chromium
through chromium-driver, driven by Selenium).

A branch secretary (王五, 外科第二党支部 in the sample plans) signs in with the
link the desk mails to the spool, sees 我的待办, records the November branch
committee meeting with a photo of the sign-in sheet, finds it on 台账, the
party office (党委办公室) sees it on its 督导 board, and the secretary undoes
it. Then the same on a 390×844 phone window, where no page may scroll
sideways. Every page is kept as a screenshot in $WEB_OUT.
"""

import base64
import os
import re
import time
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException, WebDriverException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import OFFICE, OUT, PHOTO, SECRETARY, ITEM

def browser(width, height, mobile):
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--lang=zh-CN",
                 f"--window-size={width},{height}"):
        options.add_argument(flag)
    if mobile:
        options.add_experimental_option("mobileEmulation", {
            "deviceMetrics": {"width": width, "height": height, "pixelRatio": 2.0},
            "userAgent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
                         "Chrome/156.0 Mobile Safari/537.36 wxwork/4.1",
        })
    driver = webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))
    driver.set_page_load_timeout(30)
    return driver


class Session:
    """One person at one browser, with the checks every page gets."""

    def __init__(self, driver, desk, name, mobile):
        self.driver = driver
        self.desk = desk
        self.name = name
        self.mobile = mobile
        self.shots = 0

    def page(self, label):
        """Checks the page just loaded and keeps a screenshot of it."""
        d = self.driver
        # Every page: Chinese, the stylesheet applied, nothing from elsewhere.
        assert d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN"
        assert d.execute_script("return getComputedStyle(document.querySelector('.topbar')).backgroundColor") != "rgba(0, 0, 0, 0)"
        if self.mobile:
            assert d.execute_script("return window.innerWidth") == 390, "the page is not laid out for the phone's width"
            wide = d.execute_script(
                "const e = document.scrollingElement; return [e.scrollWidth, e.clientWidth];")
            assert wide[0] <= wide[1], f"{label}: the page scrolls sideways ({wide[0]} > {wide[1]} px)"
        self.shots += 1
        OUT.mkdir(parents=True, exist_ok=True)
        if self.mobile:
            # The whole page, not only the first screen.
            height = d.execute_script("return document.scrollingElement.scrollHeight")
            d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                              {"width": 390, "height": min(max(height, 844), 4000), "deviceScaleFactor": 2, "mobile": True})
            d.save_screenshot(str(OUT / f"{self.name}-{self.shots:02d}-{label}.png"))
            d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                              {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True})
        else:
            d.save_screenshot(str(OUT / f"{self.name}-{self.shots:02d}-{label}.png"))

    def wait_for_text(self, text):
        """Waits for `text` in the page. The body is looked up afresh each
        time: after a click the old page's body may be gone, which chromium
        reports as an inspector error ("Node with given id does not belong
        to the document") rather than a stale element."""
        def present(driver):
            try:
                return text in driver.find_element(By.TAG_NAME, "body").text
            except WebDriverException:
                return False
        WebDriverWait(self.driver, 15).until(present, f"no {text!r} on {self.driver.current_url}")

    def sign_in(self, address):
        d = self.driver
        d.get(self.desk.url + "/signin")
        self.wait_for_text("登录")
        self.page("signin")
        before = self.desk.mails()
        field = d.find_element(By.ID, "address")
        field.clear()
        field.send_keys(address)
        d.find_element(By.CSS_SELECTOR, "form[action='/signin'] button[type=submit]").click()
        self.wait_for_text("请查收邮件")
        self.page("link-sent")
        link = self.desk.link_after(before)
        d.get(link)
        self.wait_for_text("确认登录")
        self.page("confirm")
        d.find_element(By.ID, "confirm").click()
        WebDriverWait(d, 15).until(lambda d: d.current_url.endswith(("/todo", "/board")))

    def sign_out(self):
        d = self.driver
        d.get(self.desk.url + "/me")
        self.wait_for_text("退出登录")
        self.page("me")
        d.find_element(By.XPATH, "//button[normalize-space()='退出登录']").click()
        WebDriverWait(d, 15).until(lambda d: "/signin" in d.current_url)


def secretary_records_and_undoes(s, desk, photo):
    d = s.driver
    s.sign_in(SECRETARY)
    s.wait_for_text("我的待办")
    body = d.find_element(By.TAG_NAME, "body").text
    assert "14 天内到期" in body and "支部委员会会议" in body
    # What was overdue before the service began is one line, not sixty.
    assert "开始跟踪" in body and "全部确认已完成" in body
    s.page("todo")

    d.find_element(By.CSS_SELECTOR, f"a[href='{ITEM}']").click()
    s.wait_for_text("登记完成情况")
    # Today is the default date; the form takes attendees, minutes and files.
    assert d.find_element(By.ID, "done_on").get_attribute("value") == "2026-11-20"
    d.find_element(By.ID, "attendees").send_keys("王五、陈刚、刘芳等 9 人")
    d.find_element(By.ID, "minutes").send_keys("传达学习上级文件精神，研究本月发展党员工作。")
    d.find_element(By.ID, "files").send_keys(str(photo))
    s.page("record-form")
    d.find_element(By.CSS_SELECTOR, "form[enctype='multipart/form-data'] button[type=submit]").click()
    s.wait_for_text("已登记")
    assert "按时完成" in d.find_element(By.ID, "verdict").text
    s.page("recorded")
    records = desk.records()
    assert [(r["plan"], r["item"], r["period"], r.get("done_on", r.get("doneOn"))) for r in records] == [
        ("surgery-2-2026", "branch-committee", "2026-11", "2026-11-20")]

    d.find_element(By.CSS_SELECTOR, "nav a[href='/ledger']").click()
    s.wait_for_text("台账")
    body = d.find_element(By.TAG_NAME, "body").text
    assert "传达学习上级文件精神" in body and "签到表.jpg" in body
    s.page("ledger")
    pdf = base64.b64decode(d.print_page())
    assert pdf.startswith(b"%PDF")
    (OUT / f"{s.name}-ledger.pdf").write_bytes(pdf)
    s.sign_out()

    # The party office sees it on its board.
    s.sign_in(OFFICE)
    d.find_element(By.CSS_SELECTOR, "nav a[href='/board']").click()
    s.wait_for_text("应完成")
    rows = d.find_elements(By.XPATH, "//tr[td/a[normalize-space()='外科第二党支部']]")
    assert rows, d.find_element(By.TAG_NAME, "body").text
    cells = [c.text for c in rows[0].find_elements(By.TAG_NAME, "td")]
    assert int(cells[2]) >= 1, cells  # done
    s.page("board")
    d.get(desk.url + "/reports/2026-Q4")
    s.wait_for_text("季评比")
    s.page("report-2026-Q4")
    s.sign_out()

    # The secretary takes it back while November is open.
    s.sign_in(SECRETARY)
    d.get(desk.url + ITEM)
    s.wait_for_text("撤销这条登记")
    s.page("record-with-undo")
    d.find_element(By.XPATH, "//button[normalize-space()='撤销这条登记']").click()
    try:
        WebDriverWait(d, 5).until(EC.alert_is_present())
        d.switch_to.alert.accept()
    except (NoAlertPresentException, Exception):
        pass
    s.wait_for_text("已撤销登记")
    s.page("undone")
    assert desk.records() == []
    s.sign_out()


@pytest.fixture(scope="module")
def photo(tmp_path_factory):
    path = tmp_path_factory.mktemp("photo") / "签到表.jpg"
    path.write_bytes(PHOTO)
    return path


def test_desktop(desk, photo):
    driver = browser(1280, 900, mobile=False)
    try:
        secretary_records_and_undoes(Session(driver, desk, "desktop", mobile=False), desk, photo)
    finally:
        driver.quit()


def test_phone_390x844(desk, photo):
    driver = browser(390, 844, mobile=True)
    try:
        secretary_records_and_undoes(Session(driver, desk, "phone", mobile=True), desk, photo)
    finally:
        driver.quit()
