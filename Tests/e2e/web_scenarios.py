"""The web desk in the booted system (issue 17): installed with the block of
docs/operations.md marked `e2e:web`, as written (plankeeper-web.socket and
.service, nginx with TLS from systemd/nginx-plankeeper.conf); the socket
starts the service on the first request; `systemd-analyze security
plankeeper-web.service` is at most 2.0; a branch secretary signs in through
nginx with the link that reaches the mailbox through postfix, records an
item with a photo, and that record stops the notice that would have gone
out next.

Called from Tests/e2e/e2e.py, after the daemon is installed and running
(the debian helper wires it in):

    from web_scenarios import web_scenarios
    for name, fn in web_scenarios(self):
        self.step(name, fn)

Nothing here steps the clock: "the next notice" is asked of `plankeeper tick
--dry-run --now` at tomorrow's send-at, before and after the record.
"""

from __future__ import annotations

import json
import re
import shlex

from e2e import CONFIG, E2E, expect, log, plan_yaml
from machine import wait_for

WEB_UNIT = "plankeeper-web"
PLAN = "e2e-web"
SECRETARY = f"wang.{PLAN}@hospital.example"
ORIGIN = "https://localhost"
JAR = "/root/web-cookies.txt"
CURL = f"curl -sS --cacert /etc/plankeeper/tls/desk.crt --resolve localhost:443:127.0.0.1 -b {JAR} -c {JAR}"


def web_scenarios(t: E2E) -> list[tuple[str, object]]:
    state: dict = {}
    return [
        ("web: installed as docs/operations.md says (socket, service, nginx with TLS)", lambda: install(t)),
        ("web: the socket starts the service on the first request, through nginx", lambda: socket_activation(t)),
        ("web: systemd-analyze security plankeeper-web.service <= 2.0", lambda: security(t)),
        ("web: sign in with the mailed link, record with a photo; the next notice is not sent", lambda: record(t, state)),
        ("web: the journal has the sign-in and the record, from the client nginx saw", lambda: journal(t, state)),
    ]


# ---------------------------------------------------------------- helpers

def web_block() -> str:
    from e2e import REPO  # noqa: PLC0415
    text = (REPO / "docs/operations.md").read_text()
    match = re.search(r"<!-- e2e:web[^>]*-->\s*```sh\n(.*?)```", text, re.S)
    expect(match is not None, "docs/operations.md has no <!-- e2e:web --> block")
    return match.group(1)


def show(t: E2E, unit: str, *props: str) -> dict[str, str]:
    out = t.m.sh(f"systemctl show {unit} -p " + ",".join(props))
    return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)


def curl(t: E2E, args: str) -> str:
    return t.m.sh(f"{CURL} {args}")


def form_token(page: str) -> str:
    match = re.search(r'name="_csrf" value="([0-9a-f]{64})"', page)
    expect(match is not None, f"no form token on the page:\n{page[:800]}")
    return match.group(1)


def tomorrow_notices(t: E2E) -> list[str]:
    """What tomorrow's send-at tick would send for the test plan (dry run: nothing is written)."""
    day = t.dates.day(1).isoformat()
    out = t.m.sh(f"plankeeper tick --config {CONFIG} --dry-run --now {day}T09:00 2>&1", check=False)
    return [line for line in out.splitlines() if PLAN in line or "端到端网页测试" in line]


# ---------------------------------------------------------------- scenarios

def install(t: E2E) -> None:
    # The configuration the admin edits (docs: web.url is the address people open).
    config = t.m.path(CONFIG).read_text()
    if "\nweb:" not in config:
        config += f"web:\n  url: {ORIGIN}\n  admins: [信息科 <it@hospital.example>]\n"
    t.m.write(CONFIG, config)
    t.m.sh("cd /src && " + web_block(), timeout=600)
    s = show(t, f"{WEB_UNIT}.socket", "ActiveState")
    expect(s["ActiveState"] == "active", f"{WEB_UNIT}.socket is {s}")
    t.m.sh("nginx -t")


def socket_activation(t: E2E) -> None:
    before = show(t, f"{WEB_UNIT}.service", "ActiveState")
    expect(before["ActiveState"] == "inactive", f"the service runs before any request: {before}")
    page = curl(t, f"-i {ORIGIN}/signin")
    expect(page.startswith("HTTP/2 200") or page.startswith("HTTP/1.1 200"), page[:300])
    expect("content-security-policy: default-src 'none'" in page.lower(), page[:1200])
    expect("strict-transport-security" in page.lower(), page[:1200])
    after = wait_for("plankeeper-web.service active", lambda: show(t, f"{WEB_UNIT}.service", "ActiveState", "SubState")
                     if show(t, f"{WEB_UNIT}.service", "ActiveState")["ActiveState"] == "active" else None, 30, 0.2)
    expect(after["SubState"] == "running", f"{after}")
    # Plain HTTP is sent to HTTPS.
    redirect = t.m.sh("curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' http://127.0.0.1/signin")
    expect(redirect.startswith("301 https://"), redirect)
    # The desk itself answers on loopback only.
    listening = t.m.sh("ss -Hltn 'sport = :8470'")
    expect("127.0.0.1:8470" in listening and "0.0.0.0:8470" not in listening, listening)


def security(t: E2E) -> None:
    out = t.m.sh(f"systemd-analyze security {WEB_UNIT}.service --no-pager", check=False)
    print("\n".join("    " + line for line in out.rstrip().splitlines()))
    match = re.search(r"Overall exposure level for \S+: (\d+\.\d+)", out)
    expect(match is not None, "no exposure level in systemd-analyze security output")
    exposure = float(match.group(1))
    log(f"plankeeper-web exposure {exposure}")
    expect(exposure <= 2.0, f"exposure {exposure} is above 2.0")


def record(t: E2E, state: dict) -> None:
    # A plan whose item is due in three days, reminded the day before: the
    # next notice is tomorrow's reminder.
    due = t.dates.day(2)
    items = [{"id": "web-meeting", "title": "端到端网页测试支部委员会", "due": due, "remind": "1d"}]
    t.add_plan(f"{PLAN}.yaml", plan_yaml(PLAN, items))
    expect(tomorrow_notices(t), "no notice for the test plan would go out tomorrow (the test needs one to stop)")

    t.m.sh(f"rm -f {JAR}")
    page = curl(t, f"{ORIGIN}/signin")
    cursor = t.m.cursor()
    curl(t, f"-o /dev/null --data-urlencode _csrf={form_token(page)} --data-urlencode address={SECRETARY} {ORIGIN}/signin")
    # The link travels as mail: spool, delivery, postfix, the mailbox.
    def link():
        for message in t.o.mails():
            if SECRETARY in str(message.get("To", "")) and "登录" in str(message.get("Subject", "")):
                body = message.get_body(preferencelist=("plain",)).get_content()
                found = re.search(r"https://localhost/signin/[a-z2-7]+", body)
                if found:
                    return found.group(0)
        return None
    url = wait_for("the sign-in mail in the mailbox", link, 60, 0.5)
    confirm = curl(t, url)
    done = curl(t, f"-o /dev/null -w '%{{http_code}}' --data-urlencode _csrf={form_token(confirm)} {url}")
    expect(done == "303", f"signing in answered {done}")
    # Used once: the same link again signs nobody in.
    again = curl(t, f"-o /dev/null -w '%{{http_code}}' {url}")
    expect(again == "410", f"the used link answered {again}")

    # The desk reloads the plans folder by itself (inotify), like the daemon.
    path = f"/record/{PLAN}/web-meeting/{due.year}"
    form = wait_for("the record page of the new plan", lambda: (lambda p: p if "登记完成情况" in p else None)(
        curl(t, f"{ORIGIN}{path}")), 10, 0.2)
    t.m.sh("printf '\\377\\330\\377\\340\\000\\020JFIF\\000photo' > /root/签到表.jpg")
    answer = curl(t, f"-o /dev/null -w '%{{http_code}} %{{redirect_url}}' -F _csrf={form_token(form)} "
                     f"-F done_on={t.dates.today.isoformat()} -F minutes=端到端网页登记 -F 'files=@/root/签到表.jpg;type=image/jpeg' "
                     f"{ORIGIN}{path}")
    expect(answer.startswith("303 "), f"recording answered {answer}")
    recorded = curl(t, ORIGIN + answer.split(" ", 1)[1].replace(ORIGIN, ""))
    expect("按时完成" in recorded, recorded[:800])
    records = json.loads(t.m.sh(f"plankeeper records --format json --config {CONFIG}"))
    mine = [r for r in records if r["plan"] == PLAN]
    expect(len(mine) == 1, f"records of {PLAN}: {mine}")
    if "source" in mine[0]:
        expect(mine[0]["source"] == "web", f"{mine[0]}")
    if "evidence" in mine[0]:
        expect(len(mine[0]["evidence"]) == 1 and mine[0]["evidence"][0]["type"] == "image/jpeg", f"{mine[0]}")
    # The record stops what would have gone out next.
    expect(tomorrow_notices(t) == [], f"still to be sent tomorrow: {tomorrow_notices(t)}")
    state["cursor"] = cursor


def journal(t: E2E, state: dict) -> None:
    entries = t.m.journal("--after-cursor", state.get("cursor", ""), f"_SYSTEMD_UNIT={WEB_UNIT}.service") if state.get("cursor") \
        else t.m.journal(f"_SYSTEMD_UNIT={WEB_UNIT}.service")
    entries = [e for e in entries if e.get("_SYSTEMD_UNIT") == f"{WEB_UNIT}.service"]
    kinds = {(e.get("PLANKEEPER_KIND"), e.get("PLANKEEPER_SOURCE")) for e in entries}
    expect(("sign-in", "web") in kinds, f"no sign-in in the journal: {kinds}")
    expect(("record", "web") in kinds, f"no record in the journal: {kinds}")
    clients = {e.get("PLANKEEPER_CLIENT") for e in entries if e.get("PLANKEEPER_KIND") in ("sign-in", "record")}
    expect(clients == {"127.0.0.1"}, f"clients as the desk saw them: {clients}")
    froms = {e.get("PLANKEEPER_FROM") for e in entries if e.get("PLANKEEPER_KIND") == "record"}
    expect(froms == {SECRETARY}, f"PLANKEEPER_FROM: {froms}")
