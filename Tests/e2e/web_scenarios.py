"""The web desk in the booted system (issue 17): set up with the block of
docs/operations.md marked `e2e:web`, as written (the package's
plankeeper-web.socket and .service, nginx with TLS from the package's
example site); the socket starts the service on the first request;
`systemd-analyze security plankeeper-web.service` is at most 2.0; a branch
secretary signs in through nginx with the link that reaches the mailbox
through the spool and postfix, records an item with a photo, and that record
stops the notice that would have gone out next; the journal says who did it,
from which client.

A plug-in of Tests/e2e/e2e.py (README.md, "Plugging in scenarios"): run in
the container after the core scenarios. Nothing here steps the clock: "the
next notice" is asked of `plankeeper tick --dry-run --now` at tomorrow's
09:00, before and after the record. The sign-in mail is the only mail this
file causes; it belongs to no plan, and the final account counts it with
every other spooled message.
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
CERT = "/etc/plankeeper/tls/desk.crt"
JAR = "/root/web-cookies.txt"


def scenarios(t: E2E) -> list[tuple[str, object]]:
    """The plug-in entry point e2e.py looks for."""
    return web_scenarios(t)


def web_scenarios(t: E2E) -> list[tuple[str, object]]:
    desk = Desk(t)
    return [
        ("web: set up as docs/operations.md says (the package's socket and service, nginx with TLS)", desk.install),
        ("web: the socket starts the service on the first request, through nginx", desk.socket_activation),
        ("web: systemd-analyze security plankeeper-web.service <= 2.0", desk.security),
        ("web: sign in with the mailed link, record with a photo; the next notice is not sent", desk.record),
        ("web: the journal has the sign-in and the record, from the client nginx saw", desk.journal),
    ]


def web_block() -> str:
    from e2e import REPO  # noqa: PLC0415
    text = (REPO / "docs/operations.md").read_text()
    match = re.search(r"<!-- e2e:web[^>]*-->\s*```sh\n(.*?)```", text, re.S)
    expect(match is not None, "docs/operations.md has no <!-- e2e:web --> block")
    return match.group(1)


def form_token(page: str) -> str:
    match = re.search(r'name="_csrf" value="([0-9a-f]{64})"', page)
    expect(match is not None, f"no form token on the page:\n{page[:800]}")
    return match.group(1)


class Desk:
    """The desk as a browser behind nginx sees it: curl with a cookie jar,
    verifying the certificate the block made, for the name it was made for."""

    def __init__(self, t: E2E):
        self.t = t
        self.host = ""
        self.cursor = ""

    @property
    def origin(self) -> str:
        return f"https://{self.host}"

    def curl(self, args: str) -> str:
        return self.t.m.sh(f"curl -sS --cacert {CERT} --resolve {self.host}:443:127.0.0.1 -b {JAR} -c {JAR} {args}")

    def show(self, unit: str, *props: str) -> dict[str, str]:
        out = self.t.m.sh(f"systemctl show {unit} -p " + ",".join(props))
        return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)

    def tomorrow_notices(self) -> list[str]:
        """What a tick at 09:00 tomorrow would send for the test plan (a dry
        run: nothing is written, nothing sent)."""
        day = self.t.dates.day(1).isoformat()
        out = self.t.m.sh(f"plankeeper tick --config {CONFIG} --dry-run --now {day}T09:00 2>&1", check=False)
        return [line for line in out.splitlines() if PLAN in line or "端到端网页登记" in line]

    # ------------------------------------------------------------ scenarios

    def install(self) -> None:
        self.t.m.sh(web_block(), timeout=600)
        subject = self.t.m.sh(f"openssl x509 -noout -subject -nameopt multiline -in {CERT}")
        match = re.search(r"commonName\s*=\s*(\S+)", subject)
        expect(match is not None, f"no name in the certificate: {subject}")
        self.host = match.group(1)
        # The admin's edit (docs: web.url is the address people open); the
        # service reads it when the socket starts it.
        config = self.t.m.path(CONFIG).read_text()
        expect(re.search(r"^web:", config, re.M) is None, "the shipped configuration already has web: set")
        config += f"web:\n  url: {self.origin}\n  admins: [信息科 <it@hospital.example>]\n"
        self.t.m.write(CONFIG, config)
        self.t.m.sh(f"plankeeper tick --config {CONFIG} --dry-run >/dev/null")
        socket = self.show(f"{WEB_UNIT}.socket", "ActiveState", "Listen")
        expect(socket["ActiveState"] == "active", f"{WEB_UNIT}.socket: {socket}")
        expect(socket["Listen"].startswith("127.0.0.1:8470"), f"the socket listens on {socket['Listen']}")
        log(f"desk at {self.origin}; socket {socket['Listen']}")

    def socket_activation(self) -> None:
        before = self.show(f"{WEB_UNIT}.service", "ActiveState")
        expect(before["ActiveState"] == "inactive", f"the service runs before any request: {before}")
        self.t.m.sh(f"rm -f {JAR}")
        page = self.curl(f"-i {self.origin}/signin")
        head = page.split("\r\n\r\n", 1)[0].lower()
        expect(head.startswith("http/2 200") or head.startswith("http/1.1 200"), page[:300])
        expect("content-security-policy: default-src 'none'" in head, head)
        expect("strict-transport-security" in head, head)
        after = wait_for("plankeeper-web.service running",
                         lambda: (lambda s: s if s["SubState"] == "running" else None)(
                             self.show(f"{WEB_UNIT}.service", "ActiveState", "SubState", "MainPID")), 30, 0.2)
        log(f"started by the first request: pid {after['MainPID']}")
        redirect = self.t.m.sh("curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' "
                               f"--resolve {self.host}:80:127.0.0.1 http://{self.host}/signin")
        expect(redirect == f"301 {self.origin}/signin", f"plain HTTP answered {redirect}")

    def security(self) -> None:
        out = self.t.m.sh(f"systemd-analyze security {WEB_UNIT}.service --no-pager", check=False)
        match = re.search(r"Overall exposure level for \S+: (\d+\.\d+)", out)
        expect(match is not None, f"no exposure level in systemd-analyze security's output:\n{out[-600:]}")
        exposure = float(match.group(1))
        log(f"plankeeper-web exposure {exposure}")
        expect(exposure <= 2.0, f"exposure {exposure} is above 2.0:\n{out}")

    def record(self) -> None:
        t = self.t
        # An item due in two days, reminded the day before: the next notice
        # is tomorrow's reminder. Nothing is mailed today.
        due = t.dates.day(2)
        expect(due.year == t.dates.today.year,
               "30 or 31 December: an item due in two days is in next year's plan, not recordable today")
        items = [{"id": "web-meeting", "title": "端到端网页登记支部委员会", "due": due, "remind": "1d"}]
        t.add_plan(f"{PLAN}.yaml", plan_yaml(PLAN, items))
        expect(self.tomorrow_notices(), "no notice of the test plan would go out tomorrow (nothing to stop)")

        self.t.m.sh(f"rm -f {JAR}")
        page = self.curl(f"{self.origin}/signin")
        self.cursor = t.m.cursor()
        answer = self.curl(f"-o /dev/null -w '%{{http_code}}' --data-urlencode _csrf={form_token(page)} "
                           f"--data-urlencode address={SECRETARY} {self.origin}/signin")
        expect(answer in ("200", "303"), f"asking for a link answered {answer}")
        pattern = re.escape(self.origin) + r"/signin/[a-z2-7]+"

        def link():
            for message in t.o.mails():
                if message.get("X-Plankeeper-Kind") == "sign-in" and SECRETARY in str(message.get("To", "")):
                    found = re.search(pattern, message.get_body(preferencelist=("plain",)).get_content())
                    if found:
                        return found.group(0)
            return None
        url = wait_for("the sign-in mail in the mailbox (spool, delivery, postfix)", link, 90, 0.5)
        confirm = self.curl(url)
        done = self.curl(f"-o /dev/null -w '%{{http_code}}' --data-urlencode _csrf={form_token(confirm)} {url}")
        expect(done == "303", f"signing in answered {done}")
        again = self.curl(f"-o /dev/null -w '%{{http_code}}' {url}")
        expect(again == "410", f"the used link answered {again}")

        # 我的待办 lists the new plan's item (the desk reloads the plans
        # folder by itself, like the daemon); its link is the record page.
        def record_path():
            found = re.search(rf'href="(/record/{PLAN}/web-meeting/[^"]+)"', self.curl(f"{self.origin}/todo"))
            return found.group(1) if found else None
        path = wait_for("the item on 我的待办", record_path, 15, 0.3)
        form = self.curl(f"{self.origin}{path}")
        t.m.sh("printf '\\377\\330\\377\\340\\000\\020JFIF\\000\\001photo' > /root/签到表.jpg")
        answer = self.curl(f"-o /dev/null -w '%{{http_code}} %{{redirect_url}}' -F _csrf={form_token(form)} "
                           f"-F done_on={t.dates.today.isoformat()} -F minutes=端到端网页登记 "
                           f"-F 'files=@/root/签到表.jpg;type=image/jpeg' {self.origin}{path}")
        expect(answer.startswith("303 "), f"recording answered {answer}")
        recorded = self.curl(shlex.quote(answer.split(" ", 1)[1]))
        expect("按时完成" in recorded, f"the answer page does not say on time:\n{recorded[:800]}")
        records = json.loads(t.m.sh(f"plankeeper records --format json --config {CONFIG}"))
        mine = [r for r in records if r["plan"] == PLAN]
        expect(len(mine) == 1, f"records of {PLAN}: {mine}")
        expect(mine[0]["source"] == "web" and mine[0]["done_on"] == t.dates.today.isoformat(), f"{mine[0]}")
        expect(len(mine[0]["evidence"]) == 1 and mine[0]["evidence"][0]["type"] == "image/jpeg",
               f"the photo is not the record's evidence: {mine[0]}")
        ledger = self.curl(f"{self.origin}/ledger")
        expect("端到端网页登记支部委员会" in ledger and "签到表.jpg" in ledger, f"not on 台账:\n{ledger[:800]}")
        # The record stops what would have gone out next.
        left = self.tomorrow_notices()
        expect(left == [], f"still to be sent tomorrow: {left}")
        log(f"recorded on the web at {path}; tomorrow's reminder is no longer due")

    def journal(self) -> None:
        expect(bool(self.cursor), "the record scenario did not run")
        entries = self.t.o.journal(self.cursor, _SYSTEMD_UNIT=f"{WEB_UNIT}.service")
        signins = [e for e in entries if e.get("PLANKEEPER_KIND") == "sign-in"]
        records = [e for e in entries if e.get("PLANKEEPER_KIND") == "record"]
        mailed = [e for e in entries if e.get("PLANKEEPER_OUTCOME") == "mailed"]
        expect(len(mailed) == 1 and mailed[0].get("PLANKEEPER_FROM") == SECRETARY, f"sign-in link entries: {mailed}")
        expect(len(signins) == 1 and signins[0].get("PLANKEEPER_FROM") == SECRETARY, f"sign-in entries: {signins}")
        expect(len(records) == 1 and records[0].get("PLANKEEPER_FROM") == SECRETARY
               and records[0].get("PLANKEEPER_SOURCE") == "web" and records[0].get("PLANKEEPER_PLAN") == PLAN,
               f"record entries: {records}")
        clients = {e.get("PLANKEEPER_CLIENT") for e in mailed + signins + records}
        expect(clients == {"127.0.0.1"}, f"clients as the desk saw them through nginx: {clients}")
