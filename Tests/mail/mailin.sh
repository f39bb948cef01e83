#!/usr/bin/env bash
# Replies by mail through a real postfix into `plankeeper mail-in` (issue 16),
# with the postfix lines docs/mail.md gives (recipient_delimiter, a
# transport_maps entry and a master.cf pipe service running as a service
# user, flags=Rq, ${original_recipient}). Shows, with the built binary:
#   1. a reminder reaches the secretary's mailbox over SMTP, with a Reply-To
#      whose token an independent implementation verifies, saying first
#      that a reply records it;
#   2. replies sent over SMTP to plankeeper+TOKEN@ go through postfix's pipe
#      into mail-in and are recorded with their evidence: UTF-8 with a photo
#      (Apple Mail), GB18030 Outlook-style, HTML-only from a webmail; each
#      sender gets the confirmation in their mailbox;
#   3. a reply "完成 1 2" to the backlog digest records both of its lines;
#      the same message three times: one record, one answer;
#   4. out-of-office and bounce mail: nothing recorded, nothing answered;
#   5. a forged token, "完成" only in the quote, a reply to an item since
#      removed from the plan: nothing recorded, one explaining answer each;
#   6. 50 MB of attachments: accepted by postfix, read up to mail-in-limit,
#      answered politely, nothing recorded;
#   7. the ledger locked by another process: mail-in exits 75, postfix
#      defers and keeps the message; once the lock is gone and the queue is
#      flushed, the record arrives, once.
# Needs root (postfix, a system user for the pipe). Run by Tests/mail/run.sh
# after its own scenarios, or alone.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BIN=${PLANKEEPER_BIN:-$ROOT/.build/debug/plankeeper}
[[ -x $BIN ]] || { echo "mailin: no plankeeper binary at $BIN (build first)" >&2; exit 1; }
[[ $(id -u) -eq 0 ]] || { echo "mailin: needs root (postfix control, a service user)" >&2; exit 1; }
export PLANKEEPER_LOG=stderr
unset PLANKEEPER_CONFIG PLANKEEPER_LANG

step() { echo "-- mailin: $*"; }
fail() { echo "mailin: FAIL: $*" >&2; exit 1; }

if ! dpkg-query -W -f='${Status}' postfix 2>/dev/null | grep -q "ok installed"; then
    echo "postfix postfix/main_mailer_type select Local only" | debconf-set-selections
    echo "postfix postfix/mailname string plankeeper-test.localdomain" | debconf-set-selections
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postfix >/dev/null
fi

WORK=$(mktemp -d /tmp/plankeeper-mailin.XXXXXX)
chmod 755 "$WORK"
VMAIL=$WORK/vmail
mkdir -p "$VMAIL" "$WORK/bin"
chown nobody:nogroup "$VMAIL"
DOMAIN="m$$x$(date +%s).pktest.example"
FIX=$ROOT/Tests/InboundMailTests/Fixtures
# The pipe runs the command as a service user (never root, never postfix's own).
PIPE_USER=pkmailin
created_user=0
if ! id "$PIPE_USER" >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$PIPE_USER"
    created_user=1
fi
install -m 755 "$BIN" "$WORK/bin/plankeeper"
HOLDER_PID=""

cp -p /etc/postfix/main.cf "$WORK/main.cf.saved"
cp -p /etc/postfix/master.cf "$WORK/master.cf.saved"
was_running=0
postfix status >/dev/null 2>&1 && was_running=1
cleanup() {
    status=$?
    [[ -n $HOLDER_PID ]] && kill "$HOLDER_PID" 2>/dev/null || true
    cp -p "$WORK/main.cf.saved" /etc/postfix/main.cf
    cp -p "$WORK/master.cf.saved" /etc/postfix/master.cf
    postsuper -d ALL >/dev/null 2>&1 || true
    if ((was_running)); then postfix reload >/dev/null 2>&1 || postfix start >/dev/null 2>&1 || true
    else postfix stop >/dev/null 2>&1 || true; fi
    ((created_user)) && userdel "$PIPE_USER" 2>/dev/null || true
    if ((status != 0)); then
        echo "mailin: postfix log:" >&2
        tail -n 40 "$WORK/maillog" >&2 2>/dev/null || true
        echo "mailin: plankeeper's stderr (mail-in runs):" >&2
        tail -n 20 "$WORK/site/log" >&2 2>/dev/null || true
    fi
    if [[ -z ${KEEP:-} ]]; then rm -rf "$WORK"; else echo "mailin: kept $WORK" >&2; fi
    exit $status
}
trap cleanup EXIT

# ---------------------------------------------------------------- the site
SITE=$WORK/site
mkdir -p "$SITE/plans"
cat >"$SITE/plans/mailin-2026.yaml" <<PLAN
id: mailin-2026
title: 外科第二党支部 2026 年党建工作计划
owner: 外科第二党支部
year: 2026
contacts:
  secretary: 王五 <wangwu@$DOMAIN>
  organizer: 王䶮 <wangyan@$DOMAIN>
  propaganda: 吴 <webmail@$DOMAIN>
defaults:
  remind: [5wd]
  notify: [secretary]
items:
  - id: committee
    title: 支部委员会会议
    date: 2026-11-25
  - id: lecture
    title: 党课
    date: 2026-11-25
  - id: study
    title: 集中学习
    date: 2026-11-25
  - id: talks
    title: 谈心谈话
    date: 2026-11-25
  - id: locked
    title: 组织生活会
    date: 2026-11-25
  - id: late-a
    title: 早已逾期的事项甲
    date: 2026-10-28
  - id: late-b
    title: 早已逾期的事项乙
    date: 2026-10-30
  - id: unanswered
    title: 无人回复的事项
    date: 2026-11-25
  - id: removed
    title: 将被删除的事项
    date: 2026-11-25
PLAN
cat >"$SITE/plankeeper.yaml" <<CONF
plans: plans
holidays: null
state: state
spool: spool
timezone: Asia/Shanghai
# One mail a notice, so each reply below answers one occurrence (a combined
# mail is answered like a digest: "完成 1 2", as the backlog digest is here).
notice-mail: separate
mail:
  from: 党建工作计划提醒 <noreply@$DOMAIN>
  transport: smtp
  reply-to: plankeeper@$DOMAIN
  smtp:
    host: 127.0.0.1
    port: 25
CONF
chown -R "$PIPE_USER:" "$SITE"
# What the pipe runs, as docs/mail.md writes it, plus this site's config and a fixed "now".
NOW_REPLY=2026-11-20T16:00
PIPE_ARGV="$WORK/bin/plankeeper mail-in --config $SITE/plankeeper.yaml --now $NOW_REPLY --recipient \${original_recipient}"

# ---------------------------------------------------------------- postfix
MAP="wangwu@$DOMAIN=wangwu/, wangyan@$DOMAIN=wangyan/, webmail@$DOMAIN=webmail/, noreply@$DOMAIN=noreply/, plankeeper@$DOMAIN=plankeeper/"
step "postfix: virtual mailboxes for $DOMAIN, plankeeper@$DOMAIN piped into mail-in as $PIPE_USER"
postconf -e \
    "inet_interfaces=loopback-only" "inet_protocols=ipv4" \
    "virtual_mailbox_domains=$DOMAIN" "virtual_mailbox_base=$VMAIL" \
    "virtual_mailbox_maps=inline:{ $MAP }" \
    "virtual_uid_maps=static:65534" "virtual_gid_maps=static:65534" \
    "recipient_delimiter=+" \
    "transport_maps=inline:{ plankeeper@$DOMAIN=plankeeper: }" \
    "plankeeper_destination_recipient_limit=1" \
    "message_size_limit=60000000" "virtual_mailbox_limit=0" \
    "minimal_backoff_time=300s" "queue_run_delay=300s" \
    "maillog_file_prefixes=/var, /dev/stdout, $WORK" "maillog_file=$WORK/maillog"
postconf -M "plankeeper/unix=plankeeper unix - n n - - pipe flags=Rq user=$PIPE_USER argv=$PIPE_ARGV"
postfix check
port_open() { (exec 3<>/dev/tcp/127.0.0.1/25) 2>/dev/null; }
if postfix status >/dev/null 2>&1; then postfix reload >/dev/null 2>&1; else postfix start >/dev/null 2>&1; fi
for _ in $(seq 200); do port_open && break; sleep 0.1; done
port_open || fail "postfix did not open port 25"

pk() { # COMMAND ARGS... as the service user; stdout to site/out, stderr appended to site/log
    setpriv --reuid "$PIPE_USER" --regid "$(id -g "$PIPE_USER")" --clear-groups \
        "$WORK/bin/plankeeper" "$@" --config "$SITE/plankeeper.yaml" >"$SITE/out" 2>>"$SITE/log"
}
mailbox() { # USER COUNT [check_mailbox args]
    local user=$1 count=$2; shift 2
    python3 "$ROOT/Tests/mail/check_mailbox.py" "$VMAIL/$user" --count "$count" --wait 30 "$@" || fail "$user: mailbox check"
}
records() { # prints "item period source done_on evidence-count" per record, sorted
    pk records --format json
    python3 - "$SITE/out" <<'PY'
import json, sys
for r in sorted(json.load(open(sys.argv[1])), key=lambda r: (r["item"], r["period"])):
    print(r["item"], r["period"], r["source"], r.get("done_on", r.get("doneOn")), len(r.get("evidence", [])))
PY
}
has_record() { # ITEM EXPECTED-LINE-PREFIX
    local got
    got=$(records | grep "^$1 " || true)
    [[ $got == "$2"* ]] || fail "record of $1: '$got', expected '$2…'"
}
no_record() { records | grep -q "^$1 " && fail "$1 was recorded" || true; }
wait_delivered() { # TEXT : postfix delivered a message to the pipe whose log line has TEXT
    for _ in $(seq 300); do grep -q "$1" "$WORK/maillog" 2>/dev/null && return 0; sleep 0.1; done
    fail "postfix never logged: $1"
}
digest_token() { # the token of the backlog digest's Reply-To in wangwu's mailbox
    python3 - "$VMAIL/wangwu" <<'PY'
import email, email.policy, pathlib, re, sys
for path in sorted((pathlib.Path(sys.argv[1]) / "new").iterdir()):
    m = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    if m.get("X-Plankeeper-Kind") == "backlog":
        print(re.fullmatch(r"plankeeper\+([a-z2-7]{47})@.*", m["Reply-To"].addresses[0].addr_spec).group(1))
        break
else:
    sys.exit("no backlog digest")
PY
}
token_for() { # ITEM : the token of the Reply-To that the reminder for ITEM in wangwu's mailbox carries
    python3 - "$VMAIL/wangwu" "$1" <<'PY'
import email, email.policy, pathlib, re, sys
for path in sorted((pathlib.Path(sys.argv[1]) / "new").iterdir()) + sorted((pathlib.Path(sys.argv[1]) / "cur").iterdir()):
    m = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    if m.get("X-Plankeeper-Item") == sys.argv[2] and m.get("X-Plankeeper-Kind") == "reminder":
        address = m["Reply-To"].addresses[0].addr_spec
        print(re.fullmatch(r"plankeeper\+([a-z2-7]{47})@.*", address).group(1))
        break
else:
    sys.exit("no reminder for " + sys.argv[2])
PY
}
piped() { # TOKEN : how many deliveries to the pipe for this token postfix has logged
    grep -c "to=<plankeeper+$1@$DOMAIN>.*relay=plankeeper.*status=" "$WORK/maillog" 2>/dev/null || true
}
reply() { # FROM TOKEN fixture|text ARG [send_reply args]: sends and waits until the pipe has run
    local from=$1 token=$2 kind=$3 arg=$4; shift 4
    local before
    before=$(piped "$token")
    python3 "$ROOT/Tests/mail/send_reply.py" --to "plankeeper+$token@$DOMAIN" --from "$from" "--$kind" "$arg" "$@" >/dev/null
    for _ in $(seq 600); do (($(piped "$token") > before)) && return 0; sleep 0.1; done
    fail "postfix did not hand the reply for $token to the pipe"
}
answers() { pk deliver --now 2026-11-20T16:01 >/dev/null; }

# ---------------------------------------------------------------- 1. reminder
step "a reminder reaches wangwu's mailbox over SMTP"
pk tick --now 2026-11-18T08:30
pk deliver --now 2026-11-18T08:30
mailbox wangwu 8 --subject "【党建提醒】外科第二党支部 · 支部委员会会议（2026）· 还有 5 个工作日" \
    --body-line "直接回复本邮件“完成”即可登记，可附会议记录、签到表照片。" --body-line "管理员也可运行："
[[ $(stat -c %a "$SITE/state/token-keys") == 600 ]] || fail "token-keys is not mode 0600"
# The token the notice carries is the one an independent implementation makes (Python's hmac).
T=$(token_for committee)
python3 "$ROOT/Tests/mail/reply_token.py" read "$SITE/state/token-keys" "$T" | grep -q "purpose=1 .*mac=ok" \
    || fail "the notice's token does not verify independently"

# ---------------------------------------------------------------- 2. replies recorded
step "UTF-8 with a photo (Apple Mail): recorded with its evidence, answered"
reply "wangwu@$DOMAIN" "$(token_for committee)" fixture "$FIX/applemail.eml" 
has_record committee "committee 2026 mail 2026-11-19 1"
step "GB18030, Outlook-style: recorded"
reply "wangyan@$DOMAIN" "$(token_for lecture)" fixture "$FIX/outlook-gb18030.eml" 
has_record lecture "lecture 2026 mail 2026-11-19 0"
step "HTML-only from a webmail: recorded"
reply "webmail@$DOMAIN" "$(token_for study)" fixture "$FIX/gmail-html-only.eml" 
has_record study "study 2026 mail 2026-11-20 0"
answers
mailbox wangwu 9 --subject "【已登记】外科第二党支部 · 支部委员会会议（2026）" --body-line "已保存附件 1 个：IMG_2041.jpeg"
mailbox wangyan 1 --subject "【已登记】外科第二党支部 · 党课（2026）" --body-line "备注：会议由王䶮主持，讨论了𠀀号文件。"
mailbox webmail 1 --subject "【已登记】外科第二党支部 · 集中学习（2026）"
EVIDENCE=$(find "$SITE/state/evidence" -type f ! -path "$SITE/state/evidence/tmp/*" | wc -l)
((EVIDENCE == 1)) || fail "expected one evidence file, found $EVIDENCE"

step "a reply '完成 1 2' to the backlog digest records both of its lines"
reply "wangwu@$DOMAIN" "$(digest_token)" text "完成 1 2"
has_record late-a "late-a 2026 mail 2026-11-20 0"
has_record late-b "late-b 2026 mail 2026-11-20 0"
answers
mailbox wangwu 10 --subject "【已登记】外科第二党支部 · 早已逾期的事项甲（2026） 等 2 项"

# ---------------------------------------------------------------- 3. three times
step "the same message three times: one record, one answer"
T=$(token_for talks)
for _ in 1 2 3; do reply "wangwu@$DOMAIN" "$T" text "完成 11-20 三次发送" --message-id "thrice@client.example" ; done
[[ $(records | grep -c "^talks ") -eq 1 ]] || fail "talks recorded $(records | grep -c "^talks ") times"
answers
mailbox wangwu 11

# ---------------------------------------------------------------- 4. automatic mail
step "out-of-office and bounce: nothing recorded, nothing answered"
T=$(token_for locked)
reply "wangwu@$DOMAIN" "$T" fixture "$FIX/outlook-autoreply.eml"
reply "wangwu@$DOMAIN" "$T" fixture "$FIX/bounce.eml" --sender ""
no_record locked
answers
mailbox wangwu 11

# ---------------------------------------------------------------- 5. refused
step "a forged token, 完成 only in the quote, an item since removed: one answer each, nothing recorded"
FORGED=$(token_for locked | tr 'a-z' 'b-za')
reply "wangwu@$DOMAIN" "$FORGED" text "完成"
reply "wangwu@$DOMAIN" "$T" fixture "$FIX/quoted-only.eml"
GONE=$(token_for removed)
sed -i '/- id: removed/,$d' "$SITE/plans/mailin-2026.yaml"
reply "wangwu@$DOMAIN" "$GONE" text "完成"
no_record locked
no_record removed
answers
mailbox wangwu 14

# ---------------------------------------------------------------- 6. 50 MB
step "50 MB of attachments: read up to mail-in-limit (25 MB), answered politely, nothing recorded"
reply "wangwu@$DOMAIN" "$T" text "完成" --pad 37000000
no_record locked
answers
mailbox wangwu 15

# ---------------------------------------------------------------- 7. locked ledger
step "the ledger locked by another process: postfix defers; after the lock, recorded once"
python3 - "$SITE/state/plankeeper.sqlite" "$WORK/release" <<'PY' &
import os, sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], timeout=30, isolation_level=None)
db.execute("BEGIN IMMEDIATE")
db.execute("INSERT OR REPLACE INTO state (key, value) VALUES ('holder', 'x')")
open(sys.argv[2] + ".held", "w").close()
while not os.path.exists(sys.argv[2]):
    time.sleep(0.05)
db.execute("ROLLBACK")
PY
HOLDER_PID=$!
for _ in $(seq 100); do [[ -e $WORK/release.held ]] && break; sleep 0.1; done
reply "wangwu@$DOMAIN" "$T" text "完成 11-19 锁定期间发送" --message-id "locked@client.example"
wait_delivered "to=<plankeeper+$T@$DOMAIN>.*status=deferred"
grep -q "to=<plankeeper+$T@$DOMAIN>.*status=deferred.*temporary failure" "$WORK/maillog" || fail "not deferred as a temporary failure"
postqueue -p | grep -q "plankeeper+$T@$DOMAIN" || fail "the message is not in postfix's queue"
touch "$WORK/release"
wait "$HOLDER_PID" || true
HOLDER_PID=""
postqueue -f
for _ in $(seq 300); do records | grep -q "^locked " && break; sleep 0.1; done
has_record locked "locked 2026 mail 2026-11-19 0"
[[ $(records | grep -c "^locked ") -eq 1 ]] || fail "locked recorded more than once"
answers
mailbox wangwu 16 --subject "【已登记】外科第二党支部 · 组织生活会（2026）"

step "the next tick: an overdue notice for the one item nobody answered, none for those recorded by mail"
pk tick --dry-run --now 2026-11-26T09:00
grep -qa "将发送 1 条提醒" "$SITE/log" || fail "the tick after the deadline would not send exactly one notice: $(tail -1 "$SITE/log")"

echo "mailin: all scenarios passed"
