"""The reports stage: plankeeper's `ics`, `report` and scheduled report mail,
read back with independent parsers (PyPI icalendar, Python's csv and email),
and the HTML report rendered by Debian's headless Chromium.

The plans and records are the Swift tests' fixture
(Tests/ReportsTests/Fixtures/q4-2026); the records go into a real ledger
through `plankeeper done`, as staff would enter them. Figures are the
hand-computed ones of Tests/ReportsTests/PeriodReportTests.swift.
"""

import csv
import datetime as dt
import email
import email.policy
import io
import json
import os
import shutil
import struct
import subprocess
from pathlib import Path

import icalendar
import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = os.environ.get("PLANKEEPER_BIN", str(ROOT / ".build/debug/plankeeper"))
FIXTURE = ROOT / "Tests/ReportsTests/Fixtures/q4-2026"
SEND_AT = dt.timedelta(hours=8, minutes=30)


def run(*args, check=True, env=None):
    e = dict(os.environ)
    for k in ("PLANKEEPER_LANG", "PLANKEEPER_CONFIG", "PLANKEEPER_HOLIDAYS"):
        e.pop(k, None)
    e["NO_COLOR"] = "1"
    e.update(env or {})
    p = subprocess.run([BIN, *args], capture_output=True, env=e, cwd=ROOT, timeout=120)
    if check and p.returncode != 0:
        raise AssertionError(f"plankeeper {' '.join(args)} exited {p.returncode}: {p.stderr.decode()}")
    return p


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    """A configuration on the fixture plans, with the fixture's records entered
    through `plankeeper done`, and two scheduled reports."""
    base = tmp_path_factory.mktemp("reports")
    config = base / "plankeeper.yaml"
    config.write_text(
        f"""plans: {FIXTURE / 'plans'}
holidays: null
state: {base / 'state'}
spool: {base / 'spool'}
timezone: Asia/Shanghai
send-at: "08:30"
mail:
  from: 党建工作计划提醒 <plankeeper@hospital.example>
  transport: none
reports:
  - period: quarter
    to: [党委办公室 <dangban@hospital.example>, 纪委 <jiwei@hospital.example>]
    organisation: 某某医院党委
  - period: month
    to: dangban@hospital.example
    format: csv
""",
        encoding="utf-8",
    )
    for line in (FIXTURE / "records.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or line.startswith("plan\t"):
            continue
        plan, item, period, done_on, by, note = line.split("\t")
        if note.startswith("a second record"):  # `done` refuses a second record of an occurrence (issue 16)
            p = run("done", plan, item, period, "--date", done_on, "--config", str(config), "--now", "2027-01-31T12:00",
                    check=False)
            assert p.returncode == 1 and "请先撤销" in p.stderr.decode(), p.stderr.decode()
            continue
        if item == "old-item":  # an item no longer in the plan: `done` refuses it
            assert run("done", plan, item, period, "--date", done_on, "--config", str(config), check=False).returncode == 1
            continue
        # As of the fixture's reporting day: `done` refuses a date after today (issue 16).
        run("done", plan, item, period, "--date", done_on, "--by", by, "--config", str(config), "--now", "2027-01-31T12:00")
    return {"config": str(config), "base": base}


# ---------------------------------------------------------------- iCalendar


def schedule(*paths):
    return json.loads(run("schedule", "--format", "json", *paths).stdout)


def calendar(*args):
    raw = run("ics", *args).stdout
    return raw, icalendar.Calendar.from_ical(raw)


def check_lines(raw):
    assert raw.endswith(b"\r\n")
    for line in raw[:-2].split(b"\r\n"):
        assert b"\n" not in line and b"\r" not in line
        assert len(line) <= 75, line
        line.decode("utf-8")  # a fold never splits a character


def expected_triggers(occurrence):
    due = dt.date.fromisoformat(occurrence["due"])
    return sorted({dt.date.fromisoformat(r) - due + SEND_AT for r in occurrence["reminders"]})


@pytest.mark.parametrize("paths", [[str(FIXTURE / "plans")], ["plans"]], ids=["fixture", "sample-plans"])
def test_ics_has_every_occurrence_with_its_date_and_alarms(paths):
    occurrences = schedule(*paths)
    raw, cal = calendar(*paths, "--now", "2026-11-18")
    check_lines(raw)
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert len(events) == len(occurrences) == len(cal.walk("VEVENT"))
    for o in occurrences:
        e = events[f"{o['plan']}/{o['item']}/{o['period']}@plankeeper"]
        due = dt.date.fromisoformat(o["due"])
        assert e.decoded("DTSTART") == due
        assert e.decoded("DTEND") == due + dt.timedelta(days=1)
        assert o["title"] in str(e["SUMMARY"]) and o["owner"] in str(e["SUMMARY"])
        triggers = sorted(a["TRIGGER"].dt for a in e.walk("VALARM"))
        assert triggers == expected_triggers(o), o
        assert all(a["ACTION"] == "DISPLAY" for a in e.walk("VALARM"))
        assert e.decoded("DTSTAMP") == dt.datetime(2026, 11, 17, 16, 0, tzinfo=dt.timezone.utc)


def test_ics_uids_are_stable_and_owner_filters():
    raw1, _ = calendar(str(FIXTURE / "plans"), "--now", "2026-11-18")
    raw2, _ = calendar(str(FIXTURE / "plans"), "--now", "2026-11-18")
    assert raw1 == raw2
    _, later = calendar(str(FIXTURE / "plans"), "--now", "2027-03-01")
    _, first = calendar(str(FIXTURE / "plans"), "--now", "2026-11-18")
    assert [str(e["UID"]) for e in later.walk("VEVENT")] == [str(e["UID"]) for e in first.walk("VEVENT")]

    _, surgery = calendar(str(FIXTURE / "plans"), "--owner", "外科第二党支部", "--alarm-at", "09:00", "--lang", "en")
    events = surgery.walk("VEVENT")
    assert {str(e["UID"]).split("/")[0] for e in events} == {"fx-surgery-2026"}
    assert len(events) == 12 + 4 + 1 + 1
    nov = next(e for e in events if str(e["UID"]) == "fx-surgery-2026/committee/2026-11@plankeeper")
    # Wed 11-25: 7d -> 11-18, 3wd -> 11-20, at 09:00.
    assert sorted(a["TRIGGER"].dt for a in nov.walk("VALARM")) == [
        dt.timedelta(days=-7, hours=9), dt.timedelta(days=-5, hours=9)]
    assert str(surgery["X-WR-CALNAME"]) == "外科第二党支部 party work"

    p = run("ics", str(FIXTURE / "plans"), "--owner", "外科第二支部", check=False)
    assert p.returncode == 1 and "外科第二党支部" in p.stderr.decode()


# ---------------------------------------------------------------- reports

Q4 = [  # rank, owner, due, done, on time, late, overdue, pending, completion, on time
    ["1", "内科第一党支部", "6", "6", "5", "1", "0", "0", "100.0%", "83.3%"],
    ["2", "医技党支部", "6", "6", "4", "2", "0", "0", "100.0%", "66.7%"],
    ["2", "护理党支部", "3", "3", "2", "1", "0", "0", "100.0%", "66.7%"],
    ["4", "外科第二党支部", "6", "4", "3", "1", "2", "0", "66.7%", "50.0%"],
]


def test_csv_opens_as_utf8_with_bom_and_has_the_figures(setup):
    raw = run("report", "2026-Q4", "--config", setup["config"], "--now", "2027-01-05", "--format", "csv").stdout
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert "\r\n" in text and text.replace("\r\n", "").count("\n") == 1  # only inside the quoted missing list
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0][:2] == ["排名", "责任单位"] and rows[0][-1] == "未完成事项"
    assert [r[:10] for r in rows[1:5]] == Q4
    assert rows[4][10].splitlines() == [
        "2026-12-25 支部委员会会议（2026-12） 逾期 6 个工作日",
        "2026-12-31 红色主题教育活动（2026） 逾期 2 个工作日 · 已完成 1/2",
    ]
    assert rows[5][:10] == ["", "合计", "21", "19", "14", "5", "2", "0", "90.5%", "66.7%"]


def test_json_report_and_month_without_ranking(setup):
    q4 = json.loads(run("report", "2026-Q4", "--config", setup["config"], "--now", "2027-01-05", "--format", "json").stdout)
    assert [(o["rank"], o["owner"], o["on_time"]) for o in q4["owners"]] == [
        (1, "内科第一党支部", 5), (2, "医技党支部", 4), (2, "护理党支部", 2), (4, "外科第二党支部", 3)]
    surgery = q4["owners"][3]
    assert [(m["item"], m.get("count"), m.get("required")) for m in surgery["missing"]] == [
        ("committee", None, None), ("red-education", 1, 2)]
    nov = json.loads(run("report", "2026-11", "--config", setup["config"], "--now", "2027-01-05", "--format", "json", "--lang", "en").stdout)
    assert nov["ranked"] is False and all(o["rank"] is None for o in nov["owners"])
    assert nov["totals"]["due"] == 6 and nov["totals"]["late"] == 2
    assert nov["name"] == "November 2026"


def png_size(path):
    data = Path(path).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    return None


def test_html_report_renders_in_headless_chromium(setup, tmp_path):
    html = run("report", "2026-Q4", "--config", setup["config"], "--now", "2027-01-04", "--format", "html",
               "--organisation", "某某医院党委").stdout
    page = tmp_path / "2026-Q4.html"
    page.write_bytes(html)
    text = html.decode("utf-8")
    assert "@media print" in text and "http" not in text.replace('content="plankeeper"', "")
    browser = chromium()
    if browser is None:
        pytest.skip("chromium is not installed (Tests/reports/run.sh installs Debian's chromium); HTML not rendered")
    shot = tmp_path / "report.png"
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
             "--no-first-run", "--force-device-scale-factor=1", f"--user-data-dir={tmp_path / 'profile'}"]
    try:
        p = subprocess.run([browser, *flags, "--window-size=900,1300", f"--screenshot={shot}", page.as_uri()],
                           capture_output=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as e:
        pytest.skip(f"chromium could not run here: {e}")
    if not shot.exists():
        pytest.skip(f"chromium could not run here (exit {p.returncode}): {p.stderr.decode(errors='replace')[-400:]}")
    assert png_size(shot) == (900, 1300)
    assert shot.stat().st_size > 40_000  # text, tables and bars, not a blank page
    pdf = tmp_path / "report.pdf"
    subprocess.run([browser, *flags, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri()],
                   capture_output=True, timeout=120)
    assert pdf.read_bytes()[:5] == b"%PDF-"
    sample = os.environ.get("REPORT_SAMPLE")
    if sample:
        shutil.copyfile(shot, ROOT / sample)


# ---------------------------------------------------------------- mail


def spooled_reports(setup):
    spool = setup["base"] / "spool"
    return sorted(p for folder in ("new", "cur") if (spool / folder).exists()
                  for p in (spool / folder).iterdir() if p.name.startswith("report_"))


def test_scheduled_report_is_spooled_once_with_the_html_attached(setup):
    cfg = setup["config"]
    run("tick", "--config", cfg, "--now", "2027-01-04T08:29")
    assert spooled_reports(setup) == []
    for _ in range(2):
        run("tick", "--config", cfg, "--now", "2027-01-04T08:30")
    run("tick", "--config", cfg, "--now", "2027-01-06T10:00")
    files = spooled_reports(setup)
    assert [f.name.split("_")[1:3] for f in files] == [["month", "2026-12"], ["quarter", "2026-Q4"]]

    quarter = email.message_from_bytes(files[1].read_bytes(), policy=email.policy.default)
    assert quarter.get_content_type() == "multipart/mixed"
    assert str(quarter["Subject"]) == "2026 年第四季度党建工作完成情况（季评比）"
    assert [a.addr_spec for a in quarter["To"].addresses] == ["dangban@hospital.example", "jiwei@hospital.example"]
    assert quarter["To"].addresses[0].display_name == "党委办公室"
    summary, attachment = list(quarter.iter_parts())
    assert summary.get_content_type() == "text/plain"
    body = summary.get_content()
    assert "第 4 名 外科第二党支部" in body and "详细报告见附件 党建工作完成情况-2026-Q4.html" in body
    assert attachment.get_content_disposition() == "attachment"
    assert attachment.get_filename() == "党建工作完成情况-2026-Q4.html"
    page = attachment.get_content()
    assert page.startswith("<!DOCTYPE html>") and "某某医院党委" in page and "width: 83.3%" in page

    month = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    csv_part = list(month.iter_parts())[1]
    assert csv_part.get_filename() == "党建工作完成情况-2026-12.csv"
    rows = list(csv.reader(io.StringIO(csv_part.get_payload(decode=True).decode("utf-8-sig"), newline="")))
    assert rows[0][0] == "责任单位" and rows[-1][0] == "合计"
