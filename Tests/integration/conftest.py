"""Shared helpers for the integration tests: the built binary and scratch setups."""
import os
import pathlib
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def binary() -> pathlib.Path:
    path = pathlib.Path(os.environ.get("PLANKEEPER_BIN", ROOT / ".build/debug/plankeeper"))
    if not path.exists():
        pytest.fail(f"plankeeper binary not found at {path}: build it first (swift build)")
    return path


def write_config(folder: pathlib.Path, plans: pathlib.Path, **extra) -> pathlib.Path:
    lines = [
        f"plans: {plans}",
        f"state: {folder / 'state'}",
        f"spool: {folder / 'spool'}",
        f"holidays: {folder / 'holidays'}",
        "timezone: Asia/Shanghai",
        'send-at: "08:30"',
        "language: zh",
        "catch-up: 7d",
    ]
    for key, value in extra.items():
        lines.append(f"{key.replace('_', '-')}: {value}")
    lines.append("mail:\n  from: 党建工作计划提醒 <plankeeper@hospital.example>\n  transport: none")
    config = folder / "plankeeper.yaml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return config


def run(*args, env=None, check=False, timeout=120):
    e = dict(os.environ)
    e.pop("PLANKEEPER_LANG", None)
    e.pop("PLANKEEPER_CONFIG", None)
    e["PLANKEEPER_LOG"] = "stderr"
    if env:
        e.update(env)
    return subprocess.run([str(binary()), *args], capture_output=True, text=True, env=e, check=check, timeout=timeout)


def spooled(folder: pathlib.Path) -> dict:
    """name -> bytes of every message in new/ and cur/."""
    out = {}
    for sub in ("new", "cur"):
        d = folder / "spool" / sub
        if d.exists():
            for f in d.iterdir():
                out[f.name] = f.read_bytes()
    return out


@pytest.fixture
def city(tmp_path):
    """A generated city of 30 branch plans (many notices on any day)."""
    plans = tmp_path / "plans"
    subprocess.run(["python3", str(ROOT / "Benchmarks/generate_city.py"), "--branches", "30", "--year", "2026", "--out", str(plans)],
                   check=True, capture_output=True)
    return plans
