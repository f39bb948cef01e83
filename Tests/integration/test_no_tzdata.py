"""A machine without the tzdata package: /usr/share/zoneinfo empty.

The daemon once crashed there (SIGILL in ICU's DateFormatter at the first
notice, when the zone fell back to a fixed offset). The mail `Date:` header
is now written by hand; this runs a real tick in a private mount namespace
with the zone database hidden and checks that the notices are spooled with
China's +08:00 offset. Needs root (a mount namespace), as CI has.
"""
import os
import shutil
import subprocess

import pytest

from conftest import ROOT, binary, write_config

pytestmark = pytest.mark.skipif(os.geteuid() != 0 or shutil.which("unshare") is None,
                                reason="needs root and unshare(1) to hide /usr/share/zoneinfo")


def test_tick_without_tzdata_spools_notices_with_beijing_offset(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    config = write_config(tmp_path, ROOT / "plans")
    script = (f"mount --bind {empty} /usr/share/zoneinfo && "
              f"test -z \"$(ls /usr/share/zoneinfo)\" && "
              f"exec {binary()} tick --config {config} --now 2026-11-18T09:00")
    env = dict(os.environ, PLANKEEPER_LOG="stderr", TZ="Asia/Shanghai")
    env.pop("PLANKEEPER_LANG", None)
    result = subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c", script],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "已写入邮件队列" in result.stderr
    messages = list((tmp_path / "spool" / "new").iterdir())
    assert messages, "nothing spooled"
    for path in messages:
        head = path.read_bytes().split(b"\r\n\r\n", 1)[0].decode("ascii", "replace")
        dates = [line for line in head.splitlines() if line.startswith("Date:")]
        assert dates == ["Date: Wed, 18 Nov 2026 09:00:00 +0800"], (path.name, dates)
