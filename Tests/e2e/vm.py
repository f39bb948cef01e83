"""A kernel of its own for the faults that step the wall clock.

The daemon must notice the wall clock being set (its CLOCK_REALTIME timerfd
with TFD_TIMER_CANCEL_ON_SET is cancelled) and do the day's work once. The
only way to make that happen is to set CLOCK_REALTIME, and there is one
CLOCK_REALTIME per kernel: a container (systemd-nspawn) shares its host's,
and so would any namespace trick -- Linux time namespaces (time_namespaces(7))
offset CLOCK_MONOTONIC and CLOCK_BOOTTIME only: `unshare -T` then writing
`realtime 3600 0` to /proc/self/timens_offsets fails with EINVAL (verified on
this kind of machine). libfaketime fakes what libc reads but cannot cancel a
kernel timerfd. So the clock is stepped in a virtual machine:

    qemu-system-x86_64 (KVM when it works, plain TCG emulation otherwise)
      -kernel  Debian's own kernel (linux-image-amd64, fetched with
               `apt-get download`, never installed; its xz-compressed
               bzImage is unpacked here into the ELF vmlinux, which qemu
               boots through the PVH entry: TCG takes ~40 s to run the
               kernel's own xz decompressor, ~0 s this way)
      -initrd  the e2e container's root file system (Tests/e2e/lib/root.sh),
               less documentation, as a cpio archive: systemd boots from it
               as PID 1 in RAM, no disk image, no kernel modules needed
               + this run's files: the staged checkout at /src (what the
               admin installs from), the e2e scripts at /repo, and a unit
               that runs `e2e.py --vm-guest` once booted and powers off.

The guest's output comes back over a second serial port (ttyS1), line by
line, as the scenarios run; its last lines are a JSON result and a base64
tarball of the evidence (journal, mailbox). Nothing of the host is shared
with the guest: no network, no file system, no clock.

Cached under .build-e2e/vm/: the kernel (by package file name), the root's
cpio (by the root's key), and whether KVM works on this host (by host kernel
and qemu version: a nested-virtualisation host may offer /dev/kvm whose
guests never get past the BIOS; the probe boots the kernel for at most a
few seconds and then falls back to TCG).
"""

from __future__ import annotations

import base64
import glob
import io
import json
import lzma
import os
import shutil
import stat
import subprocess
import tarfile
import threading
import time
from pathlib import Path

RESULT_MARK = "E2E-VM-RESULT "
EVIDENCE_MARK = "E2E-VM-EVIDENCE "
CACHE_VERSION = "1"  # bump when the cpio layout below changes

# Left out of the guest's root: the guest reads no documentation, and every
# megabyte is copied into the VM's RAM at each boot.
ROOT_EXCLUDES = ("usr/share/doc/", "usr/share/man/", "usr/share/locale/", "usr/share/info/",
                 "var/cache/apt/", "var/lib/apt/lists/")


def log(text: str) -> None:
    print(f"e2e vm: {text}", flush=True)


# ---------------------------------------------------------------- the kernel

def kernel(cache: Path) -> Path:
    """Debian's current amd64 kernel as an ELF vmlinux, downloaded once."""
    cache.mkdir(parents=True, exist_ok=True)
    package = None
    try:
        out = subprocess.run(["apt-cache", "depends", "linux-image-amd64"], capture_output=True, text=True).stdout
        package = next((line.split()[1] for line in out.splitlines()
                        if line.strip().startswith("Depends: linux-image-")), None)
    except OSError:
        pass
    if package:
        vmlinux = cache / f"{package}.vmlinux"
        if vmlinux.exists():
            return vmlinux
        log(f"downloading {package} (apt-get download, not installed)")
        tmp = cache / "download"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        r = subprocess.run(["apt-get", "download", "-qq", "-o", "APT::Sandbox::User=root", package],
                           cwd=tmp, capture_output=True, text=True)
        debs = list(tmp.glob("linux-image-*.deb"))
        if r.returncode == 0 and debs:
            extract = tmp / "x"
            subprocess.run(["dpkg-deb", "-x", str(debs[0]), str(extract)], check=True)
            bz = next(iter(glob.glob(str(extract / "boot/vmlinuz-*"))))
            vmlinux.with_suffix(".tmp").write_bytes(unpack_bzimage(Path(bz).read_bytes()))
            vmlinux.with_suffix(".tmp").rename(vmlinux)
            shutil.rmtree(tmp, ignore_errors=True)
            for old in cache.glob("*.vmlinux"):
                if old != vmlinux:
                    old.unlink()
            return vmlinux
        log(f"apt-get download {package} failed: {r.stderr.strip()[-300:]}")
    cached = sorted(cache.glob("*.vmlinux"))
    if cached:
        log(f"using the cached {cached[-1].name}")
        return cached[-1]
    raise RuntimeError("no kernel for the VM: `apt-get download linux-image-amd64`'s dependency failed "
                       "(run apt-get update?)")


def unpack_bzimage(data: bytes) -> bytes:
    """The ELF kernel inside a bzImage whose payload is xz (Debian's
    CONFIG_KERNEL_XZ): what scripts/extract-vmlinux does."""
    start = data.find(b"\xfd7zXZ\x00")
    if start < 0:
        raise RuntimeError("the kernel image has no xz payload")
    elf = lzma.LZMADecompressor(format=lzma.FORMAT_XZ).decompress(data[start:])
    if not elf.startswith(b"\x7fELF"):
        raise RuntimeError("the kernel's xz payload is not an ELF file")
    return elf


# ---------------------------------------------------------------- the initramfs

class Cpio:
    """A writer of the kernel's initramfs format (cpio "newc"). Written here
    because the host has no cpio, and to control owners and paths: files of
    the root keep theirs, files added for the run are root's."""

    def __init__(self, out, base: Path | None = None):
        self.out = out
        self.ino = 1
        self.dirs: set[str] = set()
        self.base = base  # folders that exist there are already in an earlier archive

    def _entry(self, name: str, mode: int, data: bytes = b"", uid: int = 0, gid: int = 0, mtime: int = 0,
               rdev: int = 0) -> None:
        encoded = name.encode() + b"\0"
        header = "070701" + "".join(f"{v:08X}" for v in (
            self.ino, mode, uid, gid, 1, mtime, len(data), 0, 0, os.major(rdev), os.minor(rdev),
            len(encoded), 0))
        self.ino += 1
        self.out.write(header.encode() + encoded)
        self.out.write(b"\0" * (-(110 + len(encoded)) % 4))
        self.out.write(data)
        self.out.write(b"\0" * (-len(data) % 4))

    def tree(self, root: Path, excludes: tuple[str, ...] = ()) -> None:
        """Every file under root, as the same path in the archive."""
        for dirpath, dirnames, filenames in os.walk(root):
            rel_dir = os.path.relpath(dirpath, root)
            dirnames[:] = sorted(d for d in dirnames
                                 if not (os.path.normpath(os.path.join(rel_dir, d)) + "/").startswith(excludes))
            for name in [""] + sorted(dirnames) + sorted(filenames):
                path = os.path.join(dirpath, name) if name else dirpath
                rel = os.path.normpath(os.path.join(rel_dir, name))
                if rel == ".":
                    continue
                st = os.lstat(path)
                if name in dirnames and not stat.S_ISLNK(st.st_mode):
                    continue  # written when os.walk enters it (as "")
                self.add_path(rel, path, st)

    def add_path(self, rel: str, path: str, st: os.stat_result) -> None:
        mode = st.st_mode
        if stat.S_ISDIR(mode):
            self.dirs.add(rel)
            self._entry(rel, mode, uid=st.st_uid, gid=st.st_gid, mtime=int(st.st_mtime))
        elif stat.S_ISLNK(mode):
            self._entry(rel, mode, os.readlink(path).encode(), st.st_uid, st.st_gid, int(st.st_mtime))
        elif stat.S_ISREG(mode):
            with open(path, "rb") as f:
                self._entry(rel, mode, f.read(), st.st_uid, st.st_gid, int(st.st_mtime))
        elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
            self._entry(rel, mode, uid=st.st_uid, gid=st.st_gid, rdev=st.st_rdev)

    def mkdirs(self, rel: str) -> None:
        parts = rel.split("/")
        for i in range(1, len(parts)):
            d = "/".join(parts[:i])
            if d not in self.dirs and not (self.base and (self.base / d).is_dir()):
                self.dirs.add(d)
                self._entry(d, stat.S_IFDIR | 0o755)

    def file(self, rel: str, data: bytes, mode: int = 0o644) -> None:
        self.mkdirs(rel)
        self._entry(rel, stat.S_IFREG | mode, data)

    def symlink(self, rel: str, target: str) -> None:
        self.mkdirs(rel)
        self._entry(rel, stat.S_IFLNK | 0o777, target.encode())

    def copy(self, rel: str, source: Path, skip: tuple[str, ...] = ()) -> None:
        """A file or a whole folder from the host, owned by root."""
        if source.is_dir():
            for path in sorted(source.rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts and not set(skip) & set(path.parts):
                    self.file(f"{rel}/{path.relative_to(source)}", path.read_bytes(), path.stat().st_mode & 0o777)
        else:
            self.file(rel, source.read_bytes(), source.stat().st_mode & 0o777)

    def close(self) -> None:
        self._entry("TRAILER!!!", 0)


def root_cpio(root: Path, cache: Path) -> Path:
    """The container root as a cpio archive, once per root (its folder name
    carries the key of lib/root.sh)."""
    target = cache / f"{root.name}-v{CACHE_VERSION}.cpio"
    if target.exists():
        return target
    t0 = time.monotonic()
    for old in cache.glob("root-*.cpio"):
        old.unlink()
    tmp = target.with_suffix(".tmp")
    with open(tmp, "wb") as out:
        archive = Cpio(out)
        archive.tree(root, ROOT_EXCLUDES)
        # No trailer: the run's archive follows, and the kernel reads on.
    tmp.rename(target)
    log(f"root archive {target.name}: {target.stat().st_size >> 20} MB in {time.monotonic() - t0:.1f} s (cached)")
    return target


GUEST_UNIT = """\
[Unit]
Description=plankeeper end-to-end scenarios that need a kernel of their own
After=multi-user.target
SuccessAction=poweroff-force
FailureAction=poweroff-force
[Service]
Type=oneshot
Environment=PYTHONDONTWRITEBYTECODE=1 PLANKEEPER_E2E_VM=1
ExecStart=/usr/bin/python3 /repo/Tests/e2e/e2e.py --vm-guest --work /run/e2e {only}
StandardOutput=file:/dev/ttyS1
StandardError=inherit
TimeoutStartSec=infinity
[Install]
WantedBy=multi-user.target
"""


# Units of the root that the guest does not need, masked to boot faster under
# emulation (e2scrub_reap alone takes 12 s there).
GUEST_MASKED = ("serial-getty@ttyS0.service", "serial-getty@ttyS1.service", "getty@tty1.service",
                "e2scrub_reap.service", "systemd-logind.service", "systemd-pstore.service",
                "systemd-networkd-wait-online.service", "systemd-timesyncd.service")


def run_cpio(path: Path, repo: Path, root: Path, stage: Path, only: str) -> None:
    """This run's files, appended to the root's archive."""
    with open(path, "wb") as out:
        archive = Cpio(out, base=root)
        archive.copy("src", stage, skip=("prev",))  # the upgrade test is the container's
        for rel in ("Tests/e2e", "docs/operations.md", "Sources"):
            archive.copy(f"repo/{rel}", repo / rel)  # the scenarios read the docs and the sources
        unit = GUEST_UNIT.format(only=f"--only '{only}'" if only else "")
        archive.file("etc/systemd/system/e2e-vm.service", unit.encode())
        archive.symlink("etc/systemd/system/multi-user.target.wants/e2e-vm.service", "../e2e-vm.service")
        for unit_name in GUEST_MASKED:
            archive.symlink(f"etc/systemd/system/{unit_name}", "/dev/null")
        # postfix's start-up integrity checks take ~15 s under emulation; the
        # root was just built by its own package: `postfix start` skips them
        # once when this file exists (postfix-script's quick-start).
        archive.file("var/spool/postfix/quick-start", b"")
        archive.file("init", b"#!/bin/sh\nexec /lib/systemd/systemd\n", 0o755)
        archive.file("etc/hostname", b"plankeeper-e2e-vm\n")
        archive.close()


# ---------------------------------------------------------------- qemu

def qemu_command(vmlinux: Path, initrd: Path, console: Path, kvm: bool, memory_mb: int) -> list[str]:
    accel = ["-accel", "kvm", "-cpu", "host"] if kvm else ["-accel", "tcg", "-cpu", "max"]
    return ["qemu-system-x86_64", "-machine", "q35", *accel, "-smp", "1", "-m", str(memory_mb),
            "-no-reboot", "-nic", "none", "-display", "none", "-monitor", "none",
            "-kernel", str(vmlinux), "-initrd", str(initrd),
            "-chardev", f"file,id=console,path={console}", "-serial", "chardev:console",
            "-serial", "stdio",
            # quiet boot; the kernel's self-tests and checks cost seconds under emulation
            "-append", "console=ttyS0 plankeeper.e2e-vm=1 quiet loglevel=3 panic=-1 systemd.show_status=0 cryptomgr.notests "
                       "no_timer_check nokaslr audit=0 tsc=reliable random.trust_cpu=on"]


def kvm_works(vmlinux: Path, cache: Path) -> bool:
    """Whether qemu's KVM acceleration boots a kernel here. /dev/kvm can be
    there and open, and its guests still hang in the BIOS (nested
    virtualisation without the CPU flags); the probe gives the kernel a few
    seconds to print its banner. The verdict is cached per host kernel and
    qemu version."""
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        return False
    version = subprocess.run(["qemu-system-x86_64", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    key = f"{os.uname().release} {version} {vmlinux.name}"
    verdict = cache / "kvm-verdict.json"
    try:
        saved = json.loads(verdict.read_text())
        if saved.get("key") == key:
            return bool(saved["works"])
    except (OSError, ValueError, KeyError):
        pass
    console = cache / "kvm-probe.log"
    cmd = ["qemu-system-x86_64", "-machine", "q35", "-accel", "kvm", "-cpu", "host", "-m", "256",
           "-no-reboot", "-nic", "none", "-display", "none", "-monitor", "none", "-kernel", str(vmlinux),
           "-chardev", f"file,id=console,path={console}", "-serial", "chardev:console",
           "-append", "console=ttyS0 panic=-1 loglevel=4"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    works = False
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and proc.poll() is None:
        if b"Linux version" in (console.read_bytes() if console.exists() else b""):
            works = True
            break
        time.sleep(0.1)
    proc.kill()
    proc.wait()
    verdict.write_text(json.dumps({"key": key, "works": works}))
    return works


def run_vm(repo: Path, root: Path, stage: Path, work: Path, only: str = "", timeout: float = 900) -> int:
    """Boots the guest, streams its scenario output, keeps its evidence in
    work/vm/, and returns the guest's exit status (1 when it gave none)."""
    cache = repo / ".build-e2e/vm"
    cache.mkdir(parents=True, exist_ok=True)
    out_dir = work / "vm"
    out_dir.mkdir(parents=True, exist_ok=True)
    t0 = time.monotonic()
    vmlinux = kernel(cache)
    base = root_cpio(root, cache)
    kvm = kvm_works(vmlinux, cache)
    extra = out_dir / "run.cpio"
    run_cpio(extra, repo, root, stage, only)
    initrd = out_dir / "initrd.cpio"
    with open(initrd, "wb") as out:
        for part in (base, extra):
            with open(part, "rb") as f:
                shutil.copyfileobj(f, out, 1 << 20)
    extra.unlink()
    size_mb = initrd.stat().st_size >> 20
    memory = max(1024, 3 * size_mb + 512)  # the archive, the files unpacked from it, and room to run
    console = out_dir / "console.log"
    cmd = qemu_command(vmlinux, initrd, console, kvm, memory)
    log(f"booting {vmlinux.name} with {'KVM' if kvm else 'TCG (no usable KVM)'}, "
        f"{size_mb} MB initramfs, {memory} MB RAM")
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    result: dict | None = None
    evidence = ""
    timer = threading.Timer(timeout, proc.kill)
    timer.start()
    try:
        for raw in proc.stdout:
            line = raw.decode(errors="replace").rstrip("\r\n")
            if line.startswith(RESULT_MARK):
                result = json.loads(line[len(RESULT_MARK):])
            elif line.startswith(EVIDENCE_MARK):
                evidence = line[len(EVIDENCE_MARK):]
            else:
                print(f"  vm {time.monotonic() - t0:5.0f}| {line}", flush=True)
        proc.wait()
    finally:
        timer.cancel()
        initrd.unlink(missing_ok=True)
    if evidence:
        try:
            with tarfile.open(fileobj=io.BytesIO(base64.b64decode(evidence)), mode="r:gz") as tar:
                tar.extractall(out_dir, filter="data")
        except (ValueError, tarfile.TarError, OSError) as error:
            log(f"could not unpack the guest's evidence: {error}")
    seconds = time.monotonic() - t0
    if result is None:
        tail = console.read_text(errors="replace")[-3000:] if console.exists() else ""
        log(f"FAIL: the guest gave no result after {seconds:.0f} s (qemu exit {proc.returncode}); console:\n{tail}")
        return 1
    log(f"guest done in {seconds:.0f} s: exit {result['status']}; evidence in {out_dir}")
    return int(result["status"])
