#!/usr/bin/env bash
# Mail delivery against a real MTA: postfix from Debian, local delivery only.
#
# Shows, with the built binary (PLANKEEPER_BIN, default .build/debug/plankeeper):
#   1. a reminder from `tick`, delivered by `deliver` through postfix's
#      sendmail and through SMTP on 127.0.0.1:25, arrives in a Maildir with
#      its Chinese subject and body decoded intact by Python's email package;
#   2. postfix stopped: the SMTP message stays queued with the reason in the
#      log, is not retried before its backoff, and arrives exactly once after
#      postfix is back; postfix's sendmail queues even with postfix stopped;
#   3. a sendmail exiting 75 (EX_TEMPFAIL) defers, then delivers exactly once
#      through the real one; exiting 67 (EX_NOUSER) → failed/ and an error;
#      a real 550 from postfix for an unknown user → failed/;
#      still failing past give-up-after → failed/;
#   4. `deliver` killed with SIGKILL in the middle of a send: the next run
#      recovers the claimed message and it arrives exactly once;
#   5. three `deliver` processes at once: every message exactly once;
#   6. the daemon (`plankeeper run`, transport smtp) delivers what `tick`
#      spools within seconds, and stops cleanly on SIGTERM;
#   7. the service's hardening: as an unprivileged user with no_new_privs
#      (what NoNewPrivileges=yes gives), SMTP to 127.0.0.1:25 delivers, while
#      postfix's sendmail hangs (its setgid postdrop loses its group): the
#      daemon warns at start, still stops within seconds on SIGTERM, and the
#      message it had claimed is recovered and delivered once afterwards;
#   8. transport none: deliver leaves the spool alone;
#   9. tls: starttls against a server without it defers (never clear text);
#      AUTH with the password from a systemd credential reaches a relay
#      stand-in (python3-aiosmtpd), a wrong or missing one defers; a
#      credential given as a path is a config error at its line and column;
#  10. replies by mail through postfix's pipe into mail-in: Tests/mail/mailin.sh, run at the end.
#
# Needs root (installs postfix when missing, rewrites /etc/postfix/main.cf
# for the run and restores it, starts and stops postfix). Mail goes to
# virtual mailboxes under a temporary folder, for a domain unique to the run,
# so nothing left in postfix's queue by an earlier run can arrive here.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BIN=${PLANKEEPER_BIN:-$ROOT/.build/debug/plankeeper}
[[ -x $BIN ]] || { echo "mail: no plankeeper binary at $BIN (build first)" >&2; exit 1; }
[[ $(id -u) -eq 0 ]] || { echo "mail: needs root (postfix install and control)" >&2; exit 1; }
export PLANKEEPER_LOG=stderr
unset PLANKEEPER_CONFIG PLANKEEPER_LANG

step() { echo "-- $*"; }
fail() { echo "mail: FAIL: $*" >&2; exit 1; }

# ---------------------------------------------------------------- packages
# postfix (the MTA under test) and python3-aiosmtpd (a relay stand-in for
# AUTH), installed only when missing, the way scripts/setup does it.
ensure_deb() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed" && return 0
    step "installing $1"
    export DEBIAN_FRONTEND=noninteractive
    if [[ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -1)" ]]; then
        apt-get update -qq
    fi
    apt-get install -y -qq --no-install-recommends "$1" >/dev/null
}
echo "postfix postfix/main_mailer_type select Local only" | debconf-set-selections
echo "postfix postfix/mailname string plankeeper-test.localdomain" | debconf-set-selections
ensure_deb postfix
ensure_deb python3-aiosmtpd

WORK=$(mktemp -d /tmp/plankeeper-mail.XXXXXX)
chmod 755 "$WORK"
VMAIL=$WORK/vmail
mkdir -p "$VMAIL"
chown nobody:nogroup "$VMAIL"
DOMAIN="r$$x$(date +%s).pktest.example"
USERS=(sm smtp english down smdown tempfail nouser crash many daemon giveup hardened nnp rootrun)
MAP=""
for u in "${USERS[@]}"; do MAP+="$u@$DOMAIN=$u/, "; done

cp -p /etc/postfix/main.cf "$WORK/main.cf.saved"
was_running=0
postfix status >/dev/null 2>&1 && was_running=1
DAEMON_PID=""
SINK_PID=""
cleanup() {
    status=$?
    [[ -n $DAEMON_PID ]] && kill -9 "$DAEMON_PID" 2>/dev/null || true
    [[ -n $SINK_PID ]] && kill -9 "$SINK_PID" 2>/dev/null || true
    cp -p "$WORK/main.cf.saved" /etc/postfix/main.cf
    if ((was_running)); then postfix reload >/dev/null 2>&1 || postfix start >/dev/null 2>&1 || true
    else postfix stop >/dev/null 2>&1 || true; fi
    if ((status != 0)); then
        echo "mail: postfix log:" >&2
        tail -n 30 "$WORK/maillog" >&2 2>/dev/null || true
    fi
    if [[ -z ${KEEP:-} ]]; then rm -rf "$WORK"; else echo "mail: kept $WORK" >&2; fi
    exit $status
}
trap cleanup EXIT

step "configuring postfix: virtual mailboxes for $DOMAIN under $VMAIL"
postconf -e \
    "inet_interfaces=loopback-only" "inet_protocols=ipv4" \
    "virtual_mailbox_domains=$DOMAIN" "virtual_mailbox_base=$VMAIL" \
    "virtual_mailbox_maps=inline:{ ${MAP%, } }" \
    "virtual_uid_maps=static:65534" "virtual_gid_maps=static:65534" \
    "maillog_file_prefixes=/var, /dev/stdout, $WORK" "maillog_file=$WORK/maillog"
postfix check

port_open() { (exec 3<>/dev/tcp/127.0.0.1/25) 2>/dev/null; }
wait_port() { # open|closed
    local deadline=$((SECONDS + 20))
    while ((SECONDS < deadline)); do
        if [[ $1 == open ]] && port_open; then return 0; fi
        if [[ $1 == closed ]] && ! port_open; then return 0; fi
        sleep 0.1
    done
    fail "port 25 not $1 after 20 s"
}
postfix_start() {
    if postfix status >/dev/null 2>&1; then postfix reload >/dev/null 2>&1; else postfix start >/dev/null 2>&1; fi
    wait_port open
}
postfix_stop() { postfix stop >/dev/null 2>&1 || true; wait_port closed; }
postfix_start

# ---------------------------------------------------------------- sites
# One site per scenario: a plan whose only item is due 2026-11-25 with a
# reminder 5 working days before, i.e. on 2026-11-18 at 08:30.
NOW=2026-11-18T08:30
SUBJECT="【党建提醒】外科第二党支部 · 支部委员会会议（2026）· 还有 5 个工作日"
BODY=(--body-line "您好！"
      --body-line "《外科第二党支部 2026 年党建工作计划》中的以下事项还有 5 个工作日到期，请提前安排。"
      --body-line "截止日期：2026-11-25（周三）"
      --body-line "    plankeeper done mailtest-2026 committee 2026")

site() { # NAME TRANSPORT [SENDMAIL] [ITEMS] [ADDRESS]
    local name=$1 transport=$2 sendmail=${3:-/usr/sbin/sendmail} items=${4:-1} address=${5:-$1@$DOMAIN}
    local dir=$WORK/$name
    mkdir -p "$dir/plans"
    {
        echo "id: mailtest-2026"
        echo "title: 外科第二党支部 2026 年党建工作计划"
        echo "owner: 外科第二党支部"
        echo "year: 2026"
        echo "contacts:"
        echo "  secretary: 王五 <$address>"
        echo "defaults:"
        echo "  remind: [5wd]"
        echo "  notify: [secretary]"
        echo "items:"
        echo "  - id: committee"
        echo "    title: 支部委员会会议"
        echo "    date: 2026-11-25"
        for ((i = 2; i <= items; i++)); do
            echo "  - id: item-$i"
            echo "    title: 第 $i 项工作"
            echo "    date: 2026-11-25"
        done
    } >"$dir/plans/mailtest-2026.yaml"
    cat >"$dir/plankeeper.yaml" <<EOF
plans: plans
holidays: null
state: state
spool: spool
timezone: Asia/Shanghai
send-at: "08:30"
# One mail per notice: these sites test delivery (12 messages racing three
# deliver processes...), not issue 15's combined mail per person.
notice-mail: separate
# Ticks say --now $NOW, before the real clock: tracking starts on
# 1 January, not at the first tick (the daemon's, on the real clock), so the
# reminder of $NOW is a reminder and not history for the backlog digest.
track-from: 2026-01-01
mail:
  from: 党建工作计划提醒 <plankeeper@$DOMAIN>
  transport: $transport
  sendmail: $sendmail
  give-up-after: 3d
  smtp:
    host: 127.0.0.1
    port: 25
EOF
}

pk() { # SITE COMMAND ARGS... : runs plankeeper, stdout/stderr to SITE/out, SITE/err; returns its status
    local name=$1; shift
    local cmd=$1; shift
    set +e
    "$BIN" "$cmd" --config "$WORK/$name/plankeeper.yaml" "$@" >"$WORK/$name/out" 2>"$WORK/$name/err"
    local rc=$?
    set -e
    cat "$WORK/$name/out" "$WORK/$name/err" >>"$WORK/$name/log"
    return $rc
}

expect_rc() { # WANT SITE COMMAND ARGS...
    local want=$1; shift
    local rc=0
    pk "$@" || rc=$?
    ((rc == want)) || { cat "$WORK/$1/err" >&2; fail "$1: plankeeper $2 exited $rc, expected $want"; }
}

has() { # SITE FILE(out|err) TEXT
    grep -qF -- "$3" "$WORK/$1/$2" || { echo "--- $1/$2:" >&2; cat "$WORK/$1/$2" >&2; fail "$1: $2 lacks: $3"; }
}

mailbox() { # SITE COUNT [extra args]
    local name=$1 count=$2; shift 2
    python3 "$ROOT/Tests/mail/check_mailbox.py" "$VMAIL/$name" --count "$count" --wait 20 "$@" \
        || fail "$name: mailbox check"
}

queued() { # SITE : messages waiting in queue/ (not hidden)
    find "$WORK/$1/spool/queue" -maxdepth 1 -type f ! -name '.*' 2>/dev/null | wc -l
}

fake() { # NAME BODY : a fake sendmail script
    printf '#!/bin/sh\n%s\n' "$2" >"$WORK/$1"
    chmod 755 "$WORK/$1"
}

# ---------------------------------------------------------------- 1. both transports
step "sendmail transport: tick, deliver, decode"
site sm sendmail
expect_rc 0 sm tick --now "$NOW"
expect_rc 0 sm deliver --now "$NOW"
has sm out "delivered	sm@$DOMAIN	$SUBJECT	/usr/sbin/sendmail: exit 0"
has sm err "message_id=5de3bf8204fe4166b3e5fd69ccbb8a43"
[[ -n $(find "$WORK/sm/spool/cur" -name '*:2,S') && -n $(find "$WORK/sm/spool/cur" -name '.*.delivered') ]] \
    || fail "sm: no delivered file and record in cur/"
mailbox sm 1 --subject "$SUBJECT" "${BODY[@]}"

step "smtp transport to 127.0.0.1:25: tick, deliver, decode"
site smtp smtp
expect_rc 0 smtp tick --now "$NOW"
expect_rc 0 smtp deliver --now "$NOW"
has smtp out "delivered	smtp@$DOMAIN	$SUBJECT	250 2.0.0 Ok: queued as "
grep -q "^answer: 250 2.0.0 Ok: queued as " "$WORK"/smtp/spool/cur/.*.delivered || fail "smtp: MTA answer not recorded"
mailbox smtp 1 --subject "$SUBJECT" "${BODY[@]}"
expect_rc 0 smtp deliver --now "$NOW"
[[ ! -s $WORK/smtp/out ]] || fail "smtp: a second deliver sent again"

step "language: en: English subject with Chinese names, mixed encoding, decoded intact"
site english smtp
sed -i 's|^mail:$|language: en\nmail:|' "$WORK/english/plankeeper.yaml"
expect_rc 0 english tick --now "$NOW"
expect_rc 0 english deliver --now "$NOW"
has english err "via smtp://127.0.0.1:25: 1 delivered, 0 deferred, 0 failed"
mailbox english 1 --subject "[Party work reminder] 外科第二党支部 · 支部委员会会议 (2026) · 5 working days left" \
    --body-line "The following item of the plan “外科第二党支部 2026 年党建工作计划” is due in 5 working days. Please plan for it." \
    --body-line "Due date: 2026-11-25 (Wed)"

# ---------------------------------------------------------------- 2. MTA stopped
step "postfix stopped: smtp defers, sendmail still queues (postdrop)"
site down smtp
site smdown sendmail
expect_rc 0 down tick --now "$NOW"
expect_rc 0 smdown tick --now "$NOW"
postfix_stop
expect_rc 0 down deliver --now "$NOW"
has down out "deferred	down@$DOMAIN"
has down err "warning: 暂缓投递"
has down err "无法连接 SMTP 服务器 smtp://127.0.0.1:25"
has down err "30 秒后重试"
has down err "message_id=a95dd7ab15274467bf63eb1a93c93b4a"
[[ $(queued down) -eq 1 ]] || fail "down: message not kept in queue/"
expect_rc 0 smdown deliver --now "$NOW"
has smdown out "delivered	smdown@$DOMAIN"
postfix_start
expect_rc 0 down deliver --now 2026-11-18T08:30:20+08:00
[[ ! -s $WORK/down/out ]] || fail "down: retried before its backoff (30 s)"
[[ $(queued down) -eq 1 ]] || fail "down: message left the queue early"
expect_rc 0 down deliver --now 2026-11-18T08:31
has down out "delivered	down@$DOMAIN	$SUBJECT	250 "
grep -q "^attempts: 2$" "$WORK"/down/spool/cur/.*.delivered || fail "down: record does not say 2 attempts"
mailbox down 1 --subject "$SUBJECT" "${BODY[@]}"
mailbox smdown 1 --subject "$SUBJECT"
expect_rc 0 down deliver --now 2026-11-18T09:00 --retry-now
mailbox down 1

# ---------------------------------------------------------------- 3. sendmail exit codes, 550, give-up
step "sendmail exits 75: deferred, then delivered exactly once by the real sendmail"
fake fake-75 'cat >/dev/null; echo "sendmail: fatal: queue file write error" >&2; exit 75'
site tempfail sendmail "$WORK/fake-75"
expect_rc 0 tempfail tick --now "$NOW"
expect_rc 0 tempfail deliver --now "$NOW"
has tempfail out "deferred	tempfail@$DOMAIN"
has tempfail err "退出码 75 EX_TEMPFAIL（暂时失败，稍后重试）: sendmail: fatal: queue file write error"
expect_rc 0 tempfail deliver --now 2026-11-18T08:30:40+08:00
has tempfail err "第 2 次尝试失败，60 秒后重试"
sed -i "s|sendmail: $WORK/fake-75|sendmail: /usr/sbin/sendmail|" "$WORK/tempfail/plankeeper.yaml"
expect_rc 0 tempfail deliver --now 2026-11-18T08:32
has tempfail out "delivered	tempfail@$DOMAIN"
mailbox tempfail 1 --subject "$SUBJECT" "${BODY[@]}"

step "sendmail exits 67: failed/ and an error naming the recipient"
fake fake-67 "cat >/dev/null; echo x >>'$WORK/fake-67.calls'; echo 'nouser@$DOMAIN... User unknown'; exit 67"
site nouser sendmail "$WORK/fake-67"
expect_rc 0 nouser tick --now "$NOW"
expect_rc 1 nouser deliver --now "$NOW"
has nouser out "failed	nouser@$DOMAIN"
has nouser err "error: 投递失败：$SUBJECT → nouser@$DOMAIN："
has nouser err "退出码 67 EX_NOUSER（收件人不存在）"
has nouser err "message_id=53b042a3fe194be9ab5dd20fb4e9ce3c"
has nouser err "plankeeper_recipient=nouser@$DOMAIN"
[[ -n $(find "$WORK/nouser/spool/failed" -name 'mailtest-2026_*' ! -name '.*') ]] || fail "nouser: nothing in failed/"
grep -q "^reason: .*EX_NOUSER" "$WORK"/nouser/spool/failed/.*.failed || fail "nouser: no failure record"
expect_rc 0 nouser deliver --now 2026-11-19T08:30 --retry-now
[[ $(wc -l <"$WORK/fake-67.calls") -eq 1 ]] || fail "nouser: a failed message was sent again"

step "smtp to an unknown user: postfix answers 550, failed/"
site unknown smtp /usr/sbin/sendmail 1 "nobody-here@$DOMAIN"
expect_rc 0 unknown tick --now "$NOW"
expect_rc 1 unknown deliver --now "$NOW"
has unknown err "拒收：550 5.1.1 <nobody-here@$DOMAIN>: Recipient address rejected"
[[ -n $(find "$WORK/unknown/spool/failed" -name 'mailtest-2026_*' ! -name '.*') ]] || fail "unknown: nothing in failed/"

step "still failing after give-up-after (3d): failed/"
site giveup sendmail "$WORK/fake-75"
expect_rc 0 giveup tick --now "$NOW"
expect_rc 0 giveup deliver --now "$NOW"
expect_rc 1 giveup deliver --now 2026-11-21T09:00
has giveup err "已尝试 2 次、历时 3 天 仍未成功，放弃投递"
[[ $(queued giveup) -eq 0 ]] || fail "giveup: still queued"

# ---------------------------------------------------------------- 4. crash
step "deliver killed (SIGKILL) while sendmail runs: recovered, delivered once"
fake fake-hang "echo \$\$ >'$WORK/hang.pid'; cat >/dev/null; sleep 60"
site crash sendmail "$WORK/fake-hang"
expect_rc 0 crash tick --now "$NOW"
"$BIN" deliver --config "$WORK/crash/plankeeper.yaml" --now "$NOW" >/dev/null 2>&1 &
victim=$!
deadline=$((SECONDS + 20))
until [[ -s $WORK/hang.pid ]]; do ((SECONDS < deadline)) || fail "crash: fake sendmail never started"; sleep 0.05; done
{ kill -9 "$victim"; wait "$victim"; } 2>/dev/null || true
kill -9 -- "-$(cat "$WORK/hang.pid")" 2>/dev/null || kill -9 "$(cat "$WORK/hang.pid")" 2>/dev/null || true
[[ $(queued crash) -eq 1 ]] || fail "crash: the claimed message is not in queue/"
sed -i "s|sendmail: $WORK/fake-hang|sendmail: /usr/sbin/sendmail|" "$WORK/crash/plankeeper.yaml"
expect_rc 0 crash deliver --now "$NOW"
has crash err "恢复："
has crash out "delivered	crash@$DOMAIN"
mailbox crash 1 --subject "$SUBJECT"

# ---------------------------------------------------------------- 5. concurrency
step "three deliver processes at once over 12 messages: each arrives once"
site many smtp /usr/sbin/sendmail 12
expect_rc 0 many tick --now "$NOW"
pids=()
for i in 1 2 3; do
    "$BIN" deliver --config "$WORK/many/plankeeper.yaml" --now "$NOW" >"$WORK/many/out$i" 2>&1 &
    pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || fail "many: a concurrent deliver failed"; done
expect_rc 0 many deliver --now "$NOW"  # whatever a busy runner left
[[ $(cat "$WORK"/many/out1 "$WORK"/many/out2 "$WORK"/many/out3 "$WORK/many/out" | grep -c "^delivered") -eq 12 ]] \
    || fail "many: $(cat "$WORK"/many/out? | grep -c '^delivered') deliveries reported, expected 12"
mailbox many 12

# ---------------------------------------------------------------- 6. the daemon
step "plankeeper run (smtp): delivers what tick spools, stops on SIGTERM"
site daemon smtp
mkdir -p "$WORK/daemon/empty"
sed 's|^plans: plans|plans: empty|' "$WORK/daemon/plankeeper.yaml" >"$WORK/daemon/run.yaml"
"$BIN" run --config "$WORK/daemon/run.yaml" >"$WORK/daemon/run.out" 2>"$WORK/daemon/run.err" &
DAEMON_PID=$!
deadline=$((SECONDS + 20))
until grep -q "邮件投递已启动：smtp://127.0.0.1:25" "$WORK/daemon/run.err"; do
    ((SECONDS < deadline)) || { cat "$WORK/daemon/run.err" >&2; fail "daemon: delivery did not start"; }
    kill -0 "$DAEMON_PID" 2>/dev/null || { cat "$WORK/daemon/run.err" >&2; fail "daemon exited"; }
    sleep 0.1
done
expect_rc 0 daemon tick --now "$NOW"
mailbox daemon 1 --subject "$SUBJECT" "${BODY[@]}"
deadline=$((SECONDS + 10))
until grep -q "已投递：$SUBJECT" "$WORK/daemon/run.err"; do
    ((SECONDS < deadline)) || { cat "$WORK/daemon/run.err" >&2; fail "daemon: no delivery log line"; }
    sleep 0.1
done
kill -TERM "$DAEMON_PID"
deadline=$((SECONDS + 15))
while kill -0 "$DAEMON_PID" 2>/dev/null; do
    ((SECONDS < deadline)) || fail "daemon: still running 15 s after SIGTERM"
    sleep 0.1
done
wait "$DAEMON_PID" || fail "daemon: exit status $? after SIGTERM"
DAEMON_PID=""

# ---------------------------------------------------------------- 7. hardening
step "unprivileged with no_new_privs: smtp delivers"
site hardened smtp
expect_rc 0 hardened tick --now "$NOW"
chown -R nobody:nogroup "$WORK/hardened"
NNP=(setpriv --no-new-privs --reuid nobody --regid nogroup --clear-groups)
"${NNP[@]}" "$BIN" deliver --config "$WORK/hardened/plankeeper.yaml" --now "$NOW" >"$WORK/hardened/out" 2>"$WORK/hardened/err" \
    || { cat "$WORK/hardened/err" >&2; fail "hardened: deliver failed"; }
has hardened out "delivered	hardened@$DOMAIN"
mailbox hardened 1 --subject "$SUBJECT"

step "deliver run as root on the service user's spool leaves it usable by the service"
site rootrun sendmail "$WORK/fake-75"
expect_rc 0 rootrun tick --now "$NOW"
chown -R nobody:nogroup "$WORK/rootrun"
expect_rc 0 rootrun deliver --now "$NOW"
has rootrun out "deferred	rootrun@$DOMAIN"
[[ $(stat -c %U "$WORK/rootrun/spool/queue") == nobody ]] || fail "rootrun: queue/ not owned by the spool's owner"
[[ -z $(find "$WORK/rootrun/spool" -user root -name '.*' ) ]] || fail "rootrun: root-owned records or retry states: $(find "$WORK/rootrun/spool" -user root -name '.*')"
sed -i "s|sendmail: $WORK/fake-75|sendmail: /usr/sbin/sendmail|; s|transport: sendmail|transport: smtp|" "$WORK/rootrun/plankeeper.yaml"
setpriv --reuid nobody --regid nogroup --clear-groups "$BIN" deliver --config "$WORK/rootrun/plankeeper.yaml" --now "2026-11-18T08:31" \
    >"$WORK/rootrun/out" 2>"$WORK/rootrun/err" || { cat "$WORK/rootrun/err" >&2; fail "rootrun: the service user cannot deliver after root"; }
has rootrun out "delivered	rootrun@$DOMAIN"
grep -q "^attempts: 2$" "$WORK"/rootrun/spool/cur/.*.delivered || fail "rootrun: the retry state was not read"
mailbox rootrun 1

step "unprivileged with no_new_privs: postfix's sendmail hangs; the daemon warns, stops anyway, nothing lost"
site nnp sendmail
expect_rc 0 nnp tick --now "$NOW"
mkdir -p "$WORK/nnp/empty"
sed 's|^plans: plans|plans: empty|' "$WORK/nnp/plankeeper.yaml" >"$WORK/nnp/run.yaml"
chown -R nobody:nogroup "$WORK/nnp"
"${NNP[@]}" "$BIN" run --config "$WORK/nnp/run.yaml" >/dev/null 2>"$WORK/nnp/run.err" &
DAEMON_PID=$!
deadline=$((SECONDS + 20))
until [[ $(queued nnp) -eq 1 ]] && grep -q "NoNewPrivileges" "$WORK/nnp/run.err"; do
    ((SECONDS < deadline)) || { cat "$WORK/nnp/run.err" >&2; fail "nnp: no claim or no warning"; }
    sleep 0.1
done
has nnp run.err "warning: 本进程以 NoNewPrivileges 运行"
# The sendmail child (its own process group, with postdrop), by id, to end it afterwards.
child=""
deadline=$((SECONDS + 10))
until [[ -n $child ]]; do
    child=$(cat /proc/"$DAEMON_PID"/task/*/children 2>/dev/null | tr ' ' '\n' | grep -m1 . || true)
    ((SECONDS < deadline)) || fail "nnp: no sendmail child"
    [[ -n $child ]] || sleep 0.05
done
t0=$SECONDS
kill -TERM "$DAEMON_PID"
while kill -0 "$DAEMON_PID" 2>/dev/null; do
    ((SECONDS - t0 < 12)) || fail "nnp: the daemon did not stop within 12 s of SIGTERM (TimeoutStopSec=15s)"
    sleep 0.1
done
wait "$DAEMON_PID" || true
DAEMON_PID=""
echo "   stopped $((SECONDS - t0)) s after SIGTERM"
has nnp run.err "停止时邮件投递仍未返回"
kill -9 -- "-$child" 2>/dev/null || true
[[ $(queued nnp) -eq 1 ]] || fail "nnp: the claimed message is not in queue/ after the stop"
expect_rc 0 nnp deliver --now "$NOW"
has nnp err "恢复："
mailbox nnp 1 --subject "$SUBJECT"

step "transport none: deliver says so and leaves the spool alone"
site none none
expect_rc 0 none tick --now "$NOW"
expect_rc 0 none deliver --now "$NOW"
has none err "mail.transport 为 none"
[[ $(find "$WORK/none/spool/new" -type f | wc -l) -eq 1 ]] || fail "none: the spool was touched"

# ---------------------------------------------------------------- 9. TLS and AUTH settings
step "tls: starttls against a server without STARTTLS: deferred, never sent in clear"
site notls smtp
sed -i 's|^    port: 25$|    port: 25\n    tls: starttls|' "$WORK/notls/plankeeper.yaml"
expect_rc 0 notls tick --now "$NOW"
expect_rc 0 notls deliver --now "$NOW"
has notls err "不支持 STARTTLS"
[[ $(queued notls) -eq 1 ]] || fail "notls: not kept in queue/"

step "AUTH with the password from a systemd credential (a relay stand-in, python3-aiosmtpd)"
mkdir -p "$WORK/creds" "$WORK/badcreds"
echo "pk-$RANDOM-secret" >"$WORK/creds/smtp-password"
echo "wrong" >"$WORK/badcreds/smtp-password"
chmod 600 "$WORK"/creds/smtp-password "$WORK"/badcreds/smtp-password
SINK_PORT=$((20000 + RANDOM % 20000))
/usr/bin/python3 "$ROOT/Tests/mail/smtp_sink.py" --port "$SINK_PORT" --maildir "$VMAIL/relay" --user plankeeper \
    --password-file "$WORK/creds/smtp-password" >"$WORK/sink.out" 2>&1 &
SINK_PID=$!
deadline=$((SECONDS + 20))
until grep -q ready "$WORK/sink.out"; do
    ((SECONDS < deadline)) && kill -0 "$SINK_PID" 2>/dev/null || { cat "$WORK/sink.out" >&2; fail "the SMTP sink did not start"; }
    sleep 0.1
done
site relay smtp
sed -i "s|^    port: 25\$|    port: $SINK_PORT\n    user: plankeeper\n    password-credential: smtp-password|" "$WORK/relay/plankeeper.yaml"
expect_rc 0 relay tick --now "$NOW"
expect_rc 0 relay deliver --now "$NOW"
has relay err "找不到 systemd 凭据“smtp-password”：未设置 \$CREDENTIALS_DIRECTORY"
CREDENTIALS_DIRECTORY=$WORK/badcreds expect_rc 0 relay deliver --now "$NOW" --retry-now
has relay err "拒绝登录"
CREDENTIALS_DIRECTORY=$WORK/creds expect_rc 0 relay deliver --now "$NOW" --retry-now
has relay out "delivered	relay@$DOMAIN	$SUBJECT	250 2.0.0 Ok: accepted by the sink"
mailbox relay 1 --subject "$SUBJECT" "${BODY[@]}"
grep -q "^X-Sink-Login: plankeeper" "$VMAIL"/relay/new/* || fail "relay: not sent with the login"
kill "$SINK_PID" 2>/dev/null || true
SINK_PID=""

step "password-credential must be a credential name, not a path"
site badcfg smtp
sed -i 's|^    port: 25$|    port: 25\n    password-credential: ../etc/secret|' "$WORK/badcfg/plankeeper.yaml"
expect_rc 1 badcfg deliver
line=$(grep -n "password-credential:" "$WORK/badcfg/plankeeper.yaml" | cut -d: -f1)
has badcfg err "plankeeper.yaml:$line:26: error: password-credential 是 systemd 凭据名"

echo "mail: all scenarios passed"
# Replies through postfix's pipe into mail-in (issue 16): its own postfix set-up, restored after.
"$ROOT/Tests/mail/mailin.sh"
