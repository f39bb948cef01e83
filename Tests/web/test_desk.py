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
import email
import email.policy
import json
import os
import re
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parents[2]
BIN = os.environ.get("PLANKEEPER_BIN", str(ROOT / ".build/debug/plankeeper"))
OUT = Path(os.environ.get("WEB_OUT", str(ROOT / ".build/web-screenshots")))
NOW = "2026-11-20T10:00"  # the desk's "today": a Friday with the November meeting due on the 25th
SECRETARY = "wangwu@hospital.example"
OFFICE = "dangban@hospital.example"
ITEM = "/record/surgery-2-2026/branch-committee/2026-11"

# The first bytes of a phone camera's JPEG (the desk tells the type from them)
# and its end marker: what a sign-in sheet photo looks like to the server.
PHOTO = (b"\xff\xd8\xff\xe1\x00\x18Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x00\x00\x00\x00\x00"
         + bytes(range(256)) * 64 + b"\xff\xd9")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Desk:
    def __init__(self, base, port, process, config):
        self.base = base
        self.url = f"http://127.0.0.1:{port}"
        self.process = process
        self.config = config

    @property
    def spool(self):
        return self.base / "spool" / "new"

    def mails(self):
        return sorted(self.spool.iterdir()) if self.spool.exists() else []

    def link_after(self, before):
        """The sign-in link in the first mail spooled after `before` (the desk
        spools after answering the page, so wait a little for it)."""
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            new = [m for m in self.mails() if m not in before]
            if new:
                message = email.message_from_bytes(new[0].read_bytes(), policy=email.policy.default)
                body = message.get_body(preferencelist=("plain",)).get_content()
                match = re.search(r"http://127\.0\.0\.1:\d+/signin/[a-z2-7]+", body)
                assert match, body
                return match.group(0)
            time.sleep(0.1)
        raise AssertionError("no sign-in mail was spooled")

    def records(self):
        p = subprocess.run([BIN, "records", "--config", str(self.config), "--format", "json"], capture_output=True, timeout=60)
        assert p.returncode == 0, p.stderr.decode()
        return json.loads(p.stdout or b"[]")


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    base = tmp_path_factory.mktemp("web")
    port = free_port()
    config = base / "plankeeper.yaml"
    config.write_text(
        f"""plans: {ROOT / 'plans'}
holidays: null
state: {base / 'state'}
spool: {base / 'spool'}
timezone: Asia/Shanghai
language: zh
mail:
  from: 党建工作计划提醒 <plankeeper@hospital.example>
  transport: none
reports:
  - period: quarter
    to: [纪委 <jiwei@hospital.example>]
web:
  listen: 127.0.0.1:{port}
  url: http://127.0.0.1:{port}
  admins: [信息科 <it@hospital.example>]
""",
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANKEEPER_") and k not in ("LISTEN_PID", "LISTEN_FDS")}
    env["PLANKEEPER_LOG"] = "stderr"
    log = open(base / "serve.log", "wb")
    process = subprocess.Popen([BIN, "serve", "--config", str(config), "--now", NOW], stdout=log, stderr=log, env=env)
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        assert process.poll() is None, (base / "serve.log").read_text()
        assert time.monotonic() < deadline, "plankeeper serve did not answer"
        time.sleep(0.1)
    yield Desk(base, port, process, config)
    process.terminate()
    assert process.wait(timeout=20) == 0, (base / "serve.log").read_text()
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "serve.log").write_bytes((base / "serve.log").read_bytes())


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
        assert d.execute_script("return getComputedStyle(document.querySelector('.bar')).backgroundColor") != "rgba(0, 0, 0, 0)"
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
        WebDriverWait(self.driver, 15).until(EC.text_to_be_present_in_element((By.TAG_NAME, "body"), text))

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
