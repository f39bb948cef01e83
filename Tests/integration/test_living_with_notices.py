"""Issue 15: notices people can live with, through the binary, the SQLite ledger
and the spool.

- A first start mid-year on the sample plans, then 30 daily ticks: the mail each
  person gets per day stays small, and no history item (overdue before tracking
  started) is ever mailed on its own; the backlog digest comes once.
- A catch-up at night and on a weekend: nothing goes out until the next working
  day's send-at, and the tick says so.
- An office that supervises 40 branches: the day they all escalate, it gets one
  digest, not 40 mails.
"""
import collections
import datetime as dt
import email
import email.policy
import json
import shutil

from conftest import ROOT, run, write_config

# The most mails one person gets on one day (the first day adds the one-off backlog digest).
MAX_PER_DAY = 3
MAX_FIRST_DAY = 4


def parse(data):
    return email.message_from_bytes(data, policy=email.policy.default)


class Spool:
    """Reads what each tick adds to spool/new."""

    def __init__(self, folder):
        self.folder = folder / "spool" / "new"
        self.seen = set()

    def new(self):
        out = []
        if self.folder.exists():
            for f in sorted(self.folder.iterdir()):
                if f.name not in self.seen:
                    self.seen.add(f.name)
                    out.append(parse(f.read_bytes()))
        return out


def tick(config, when, *extra):
    r = run("tick", "--config", str(config), "--now", when, *extra)
    assert r.returncode in (0, 1), r.stderr  # 1: a sample plan's warning-free error would show here
    return r


def sample(tmp_path, **extra):
    plans = tmp_path / "plans"
    shutil.copytree(ROOT / "plans", plans)
    return write_config(tmp_path, plans, **extra), plans


def occurrences(plans):
    return json.loads(run("schedule", "--format", "json", str(plans)).stdout)


def key(m):
    return (m.get("X-Plankeeper-Plan"), m.get("X-Plankeeper-Item"), m.get("X-Plankeeper-Period"))


def test_a_first_start_mid_year_then_30_daily_ticks(tmp_path):
    config, plans = sample(tmp_path)
    start = dt.datetime(2026, 7, 15, 9, 0)
    # History: due more than catch-up (7 days) before tracking started.
    history = {(o["plan"], o["item"], o["period"]) for o in occurrences(plans)
               if dt.date.fromisoformat(o["due"]) < start.date() - dt.timedelta(days=7)}
    assert len(history) > 100
    spool = Spool(tmp_path)
    per_day = {}
    backlog = collections.Counter()
    for i in range(31):
        when = start if i == 0 else dt.datetime.combine(start.date() + dt.timedelta(days=i), dt.time(8, 30))
        tick(config, when.strftime("%Y-%m-%dT%H:%M"))
        mails = spool.new()
        per_day[when.date()] = collections.Counter(m["To"].addresses[0].addr_spec for m in mails)
        for m in mails:
            kind = m["X-Plankeeper-Kind"]
            if kind == "backlog":
                backlog[m["To"].addresses[0].addr_spec] += 1
                assert i == 0, f"a backlog digest on day {i}"
            if kind in ("reminder", "due", "overdue", "escalation"):
                assert key(m) not in history, f"history item {key(m)} mailed on its own on {when}"
            for item in m.get_all("X-Plankeeper-Items", []):
                for k in item.split():
                    assert tuple(k.split("/")) not in history, f"history item {k} in a mail on {when}"
    assert backlog and max(backlog.values()) == 1
    first = per_day[start.date()]
    assert max(first.values()) <= MAX_FIRST_DAY, first.most_common(3)
    for day, counts in per_day.items():
        if day != start.date() and counts:
            assert max(counts.values()) <= MAX_PER_DAY, (day, counts.most_common(3))
        if dt.date.weekday(day) >= 5 and day not in (dt.date(2026, 2, 14), dt.date(2026, 2, 28)):
            assert not counts, f"mail on {day}, a weekend day"


def test_a_catch_up_at_night_and_on_a_weekend_waits_for_the_next_send_at(tmp_path):
    config, _ = sample(tmp_path)
    spool = Spool(tmp_path)
    tick(config, "2026-11-02T09:00")
    spool.new()
    for day in range(3, 14):
        tick(config, f"2026-11-{day:02d}T08:30")
    spool.new()
    # Stopped from Saturday 11-14; started again at 00:13 on Sunday 11-22.
    r = tick(config, "2026-11-22T00:13")
    assert spool.new() == []
    assert "2026-11-23 08:30" in r.stderr and ("暂缓" in r.stderr or "held" in r.stderr), r.stderr
    # Monday's send-at: what was held goes out.
    tick(config, "2026-11-23T08:30")
    monday = spool.new()
    assert monday
    # A working-day night: held until the next morning.
    r = tick(config, "2026-11-24T23:40")
    assert spool.new() == []
    assert "2026-11-25 08:30" in r.stderr, r.stderr


def test_catch_up_at_immediately_sends_at_once(tmp_path):
    config, _ = sample(tmp_path, catch_up_at="immediately")
    spool = Spool(tmp_path)
    tick(config, "2026-11-02T09:00")
    spool.new()
    tick(config, "2026-11-22T00:13")
    assert spool.new()


ROSTER_BRANCH = """  - id: b{n:02d}
    name: 第{n}党支部
    contacts:
      secretary: 书记{n} <s{n:02d}@hospital.example>
"""


def office_of_40(tmp_path, **extra):
    plans = tmp_path / "plans"
    plans.mkdir()
    roster = "name: 某医院党委\ncontacts:\n  office: 党委办公室 <dangban@hospital.example>\nbranches:\n"
    roster += "".join(ROSTER_BRANCH.format(n=n) for n in range(1, 41))
    (plans / "roster.yaml").write_text(roster, encoding="utf-8")
    (plans / "t.yaml").write_text("""template: branch-2026
year: 2026
roster: roster.yaml
defaults:
  remind: [7d]
  notify: [secretary]
  escalate: {after: 3wd, to: [office]}
items:
  - id: committee
    title: 支部委员会会议
    every: month
    due: 25
""", encoding="utf-8")
    return write_config(tmp_path, plans, track_from="2026-11-01", **extra)


def test_an_office_receiving_escalations_from_40_branches_gets_one_digest(tmp_path):
    config = office_of_40(tmp_path)
    spool = Spool(tmp_path)
    # November's committees are due Wed 11-25 and escalate on Mon 11-30 (3wd).
    for day in ["2026-11-18", "2026-11-25", "2026-11-26", "2026-11-27", "2026-11-30"]:
        tick(config, day + "T08:30")
        mails = spool.new()
        office = [m for m in mails if m["To"].addresses[0].addr_spec == "dangban@hospital.example"]
        assert len(office) <= 1, (day, [m["X-Plankeeper-Kind"] for m in office])
        assert not [m for m in office if m["X-Plankeeper-Kind"] == "escalation"]
    digest = office[0]
    assert digest["X-Plankeeper-Kind"] == "digest"
    assert digest["X-Plankeeper-Count"] == "40"
    text = digest.get_body(("plain",)).get_content()
    assert "第1党支部" in text and "第40党支部" in text
    assert "plankeeper done" not in text
    html = digest.get_body(("html",))
    assert html is not None and "<table" in html.get_content()
    csv = [p for p in digest.iter_attachments() if p.get_content_type() == "text/csv"]
    assert len(csv) == 1
    rows = csv[0].get_content() if isinstance(csv[0].get_content(), str) else csv[0].get_content().decode("utf-8-sig")
    assert rows.lstrip("\ufeff").count("\n") >= 41


def test_escalation_mail_separate_sends_them_outside_the_digest(tmp_path):
    # escalation-mail: separate, notice-mail: combined (the default): the 40
    # escalations come in one mail of their own, beside the digest.
    config = office_of_40(tmp_path, escalation_mail="separate")
    spool = Spool(tmp_path)
    for day in ["2026-11-18", "2026-11-25", "2026-11-30"]:
        tick(config, day + "T08:30")
        mails = spool.new()
    office = [m for m in mails if m["To"].addresses[0].addr_spec == "dangban@hospital.example"]
    assert sorted(m["X-Plankeeper-Kind"] for m in office) == ["combined", "digest"]
    combined = next(m for m in office if m["X-Plankeeper-Kind"] == "combined")
    assert combined["X-Plankeeper-Count"] == "40"
    assert "督办" in str(combined["Subject"])


def test_both_separate_sends_one_mail_per_branch(tmp_path):
    config = office_of_40(tmp_path, escalation_mail="separate", notice_mail="separate")
    spool = Spool(tmp_path)
    for day in ["2026-11-18", "2026-11-25", "2026-11-30"]:
        tick(config, day + "T08:30")
        mails = spool.new()
    escalations = [m for m in mails if m["X-Plankeeper-Kind"] == "escalation"]
    assert len(escalations) == 40
