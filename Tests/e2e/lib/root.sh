# The container's root file system: a minimal Debian 12 with systemd, a real
# MTA (postfix) and what the plankeeper binary links against. Built once with
# mmdebstrap (~1-2 min, ~300 MB) and cached under .build-e2e/container/,
# keyed by a hash of this file: edit the package list or the customisation
# below and the next run builds a fresh root. The container boots it with
# --volatile=overlay, so a run never changes the cache.
#
# e2e_root DIR    prints the path of a ready root under DIR, building it if needed

E2E_ROOT_PACKAGES=(
    systemd systemd-sysv dbus procps util-linux   # a booted systemd; /bin/kill for ExecReload
    postfix                                       # the MTA that delivers the reminders
    libsqlite3-0 libcurl4 libyaml-0-2 tzdata      # what the release binary needs on a server
    python3                                       # the checks: email parsing, a competing SQLite writer
    man-db bash-completion                        # what the package's man pages and completion are read with
    nginx openssl curl                            # the web desk behind nginx with TLS (web_scenarios.py)
)

e2e_root() {
    local cache=$1
    local self="${BASH_SOURCE[0]}"
    local key
    key=$(sha256sum "$self" | cut -c1-12)
    local root="$cache/root-$key"
    if [[ -f $root/.plankeeper-e2e-ok ]]; then
        echo "$root"
        return 0
    fi
    mkdir -p "$cache"
    # Roots for older versions of this file are dead weight.
    find "$cache" -maxdepth 1 -name 'root-*' ! -name "root-$key" -exec rm -rf {} + 2>/dev/null || true
    rm -rf "$root" "$root.tmp"
    local mirror
    mirror=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null)
    mirror=${mirror:-http://deb.debian.org/debian}
    echo "e2e: building the container root (mmdebstrap, once; cached as $root)" >&2
    local includes
    includes=$(IFS=,; echo "${E2E_ROOT_PACKAGES[*]}")
    # postfix asks debconf which mail setup to use; answer "Local only" before
    # it is installed (the essential hook runs after debconf is there).
    mmdebstrap --variant=apt --include="$includes" \
        --essential-hook='printf "%s\n" "postfix postfix/main_mailer_type select Local only" "postfix postfix/mailname string mail.hospital.example" | chroot "$1" debconf-set-selections' \
        --customize-hook='chroot "$1" /bin/sh -eu -c "
            # SMTP on 127.0.0.1 (a chroot install may leave inet_protocols empty);
            # the hospital domain is local, and every address in it lands in
            # one mailbox, /var/mail/catchall, where the test reads it.
            postconf -e inet_protocols=ipv4 myhostname=mail.hospital.example \
                \"mydestination=hospital.example, \\\$myhostname, localhost\" \
                local_recipient_maps= luser_relay=catchall
            useradd --create-home catchall
            # The queue folders postfix makes at its first start (hold/, trace/):
            # made now, so a start may skip its integrity checks (the e2e VM
            # does, with the quick-start file of postfix-script: 15 s emulated)
            postfix check
            # No timers that could start apt or disk jobs in the middle of a run.
            systemctl mask apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer e2scrub_all.timer fstrim.timer
        "' \
        bookworm "$root.tmp" "$mirror" >"$cache/mmdebstrap.log" 2>&1 || {
        tail -20 "$cache/mmdebstrap.log" >&2
        rm -rf "$root.tmp"
        return 1
    }
    touch "$root.tmp/.plankeeper-e2e-ok"
    mv "$root.tmp" "$root"
    echo "$root"
}
