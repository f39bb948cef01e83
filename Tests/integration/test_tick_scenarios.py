"""Scenario runs of `plankeeper tick --now` on a sample plan, through the binary,
the real SQLite ledger and the real spool."""
import email
import email.header
import email.policy

from conftest import ROOT, run, spooled, write_config


def kinds(folder):
    out = []
    for name, data in spooled(folder).items():
        msg = email.message_from_bytes(data, policy=email.policy.default)
        out.append((msg["X-Plankeeper-Kind"], msg.get("X-Plankeeper-Item"), msg.get("X-Plankeeper-Period"), msg["To"].addresses[0].addr_spec, str(msg["Subject"])))
    return sorted(out, key=lambda k: tuple(x or "" for x in k))


def setup(tmp_path):
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "surgery.yaml").write_text("""
id: surgery-2-2026
owner: 外科第二党支部
year: 2026
contacts:
  secretary: 王五 <wangwu@hospital.example>
  office: [党委办公室 <dangban@hospital.example>]
defaults:
  remind: [7d, 1d]
  notify: [secretary]
  escalate: {after: 3wd, to: [office]}
items:
  - id: committee
    title: 支部委员会会议
    every: month
    due: 25
""", encoding="utf-8")
    return write_config(tmp_path, plans)


def test_first_start_mid_year_sends_one_reminder_and_one_digest_each(tmp_path):
    config = setup(tmp_path)
    r = run("tick", "--config", str(config), "--now", "2026-11-18T09:00")
    assert r.returncode == 0, r.stderr
    got = kinds(tmp_path)
    reminders = [k for k in got if k[0] == "reminder"]
    assert [(k[1], k[2], k[3]) for k in reminders] == [("committee", "2026-11", "wangwu@hospital.example")]
    assert "外科第二党支部" in reminders[0][4] and "支部委员会会议" in reminders[0][4]
    backlog = [k for k in got if k[0] == "backlog"]
    assert sorted(k[3] for k in backlog) == ["dangban@hospital.example", "wangwu@hospital.example"]
    # January to October were overdue before tracking started: history, listed
    # once in the backlog digests above and not in the daily overdue digest.
    assert not [k for k in got if k[0] == "digest"]
    assert len(got) == 3


def test_same_tick_twice_adds_nothing_and_done_suppresses(tmp_path):
    config = setup(tmp_path)
    assert run("tick", "--config", str(config), "--now", "2026-11-18T09:00").returncode == 0
    first = spooled(tmp_path)
    assert run("tick", "--config", str(config), "--now", "2026-11-18T09:00").returncode == 0
    assert spooled(tmp_path) == first
    d = run("done", "surgery-2-2026", "committee", "2026-11", "--config", str(config), "--by", "王五")
    assert d.returncode == 0, d.stderr
    assert run("tick", "--config", str(config), "--now", "2026-11-24T09:00").returncode == 0
    after = kinds(tmp_path)
    assert not [k for k in after if k[2] == "2026-11" and k[0] != "reminder"]
    assert len([k for k in after if k[2] == "2026-11"]) == 1


def test_missed_reminder_is_caught_up_and_overdue_and_escalation_follow(tmp_path):
    config = setup(tmp_path)
    assert run("tick", "--config", str(config), "--now", "2026-11-17T09:00").returncode == 0
    # Down on the 18th (the 7d reminder), back on the 19th.
    assert run("tick", "--config", str(config), "--now", "2026-11-19T10:00").returncode == 0
    nov = [k for k in kinds(tmp_path) if k[2] == "2026-11"]
    assert [k[0] for k in nov] == ["reminder"]
    for day in ["2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27", "2026-11-30"]:
        assert run("tick", "--config", str(config), "--now", day + "T08:30").returncode == 0
    nov = [k for k in kinds(tmp_path) if k[2] == "2026-11"]
    # escalation-mail: digest (the default): the escalation on 11-30 (3wd after
    # Wed 11-25) is in the office's overdue digest of that day, not a mail of its own.
    assert sorted(k[0] for k in nov) == ["due", "overdue", "reminder", "reminder"]
    digests = sorted((name, data) for name, data in spooled(tmp_path).items() if name.startswith("digest_overdue_"))
    assert [name.split("_")[2] for name, _ in digests] == ["2026-11-26", "2026-11-27", "2026-11-30"]
    last = email.message_from_bytes(digests[-1][1], policy=email.policy.default)
    assert last["To"].addresses[0].addr_spec == "dangban@hospital.example"
    body = last.get_body(("plain",)).get_content()
    assert "支部委员会会议" in body and "督办" in body


def test_escalation_mail_separate_mails_each_escalation(tmp_path):
    plans = tmp_path / "plans"
    setup(tmp_path)
    config = write_config(tmp_path, plans, escalation_mail="separate")
    for day in ["2026-11-17T09:00", "2026-11-24T08:30", "2026-11-25T08:30", "2026-11-26T08:30", "2026-11-30T08:30"]:
        assert run("tick", "--config", str(config), "--now", day).returncode == 0
    escalation = [k for k in kinds(tmp_path) if k[2] == "2026-11" and k[0] == "escalation"]
    assert [k[3] for k in escalation] == ["dangban@hospital.example"]


def test_dry_run_spools_nothing(tmp_path):
    config = setup(tmp_path)
    r = run("tick", "--config", str(config), "--now", "2026-11-18T09:00", "--dry-run")
    assert r.returncode == 0, r.stderr
    assert "reminder\tsurgery-2-2026\tcommittee\t2026-11" in r.stdout
    assert spooled(tmp_path) == {}
