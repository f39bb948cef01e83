#!/usr/bin/env python3
"""Generate a synthetic city of branch work plans for benchmarking plankeeper.

    python3 Benchmarks/generate_city.py --branches 2066 --year 2026 --out DIR

writes one plan file per branch, DIR/<id>.yaml, each with about 15 items, in
the format fixed by the plan contract (docs: plan-format). The output is a pure
function of the arguments (and --seed): the same command always writes the
same bytes, so benchmark runs on different commits compare like with like.

Only the standard library is used; the YAML is written by hand (2-space indent,
no anchors or aliases, no `on:` key; `MM-DD` day rules are quoted so that no
reader can take them for anything but a string).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys

# 12 hospitals (the supervised units of a city health commission): name, slug, weight.
HOSPITALS = [
    ("第一人民医院", "rmyy1", 3.0),
    ("第二人民医院", "rmyy2", 2.6),
    ("第三人民医院", "rmyy3", 2.0),
    ("中心医院", "zxyy", 2.4),
    ("中医院", "zyy", 1.6),
    ("妇幼保健院", "fybjy", 1.2),
    ("儿童医院", "etyy", 1.0),
    ("肿瘤医院", "zlyy", 1.0),
    ("精神卫生中心", "jswszx", 0.7),
    ("传染病医院", "crbyy", 0.6),
    ("口腔医院", "kqyy", 0.5),
    ("眼科医院", "ykyy", 0.4),
]

# Departments (party branches usually follow the clinical departments).
DEPARTMENTS = [
    ("内科", "neike"), ("外科", "waike"), ("心血管内科", "xnk"), ("呼吸内科", "hxnk"),
    ("消化内科", "xhnk"), ("神经内科", "sjnk"), ("肾内科", "snk"), ("内分泌科", "nfmk"),
    ("普外科", "pwk"), ("骨科", "guke"), ("神经外科", "sjwk"), ("胸外科", "xwk"),
    ("泌尿外科", "mnwk"), ("妇产科", "fck"), ("儿科", "erke"), ("急诊科", "jzk"),
    ("重症医学科", "zzyxk"), ("麻醉科", "mzk"), ("眼科", "yanke"), ("耳鼻喉科", "ebhk"),
    ("口腔科", "kqk"), ("皮肤科", "pfk"), ("康复医学科", "kfyxk"), ("中医科", "zyk"),
    ("感染科", "grk"), ("肿瘤科", "zlk"), ("放射科", "fsk"), ("超声科", "csk"),
    ("检验科", "jyk"), ("病理科", "blk"), ("药剂科", "yjk"), ("护理部", "hlb"),
    ("门诊部", "mzb"), ("医务部", "ywb"), ("行政", "xingzheng"), ("后勤", "houqin"),
    ("信息中心", "xxzx"), ("离退休", "ltx"),
]

ORDINALS = ["第一", "第二", "第三", "第四", "第五", "第六", "第七", "第八", "第九", "第十"]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力新宇浩凯鹏飞晨曦欣怡思雨佳琪子涵梓萱博文睿泽"

MONTH_RULES = ["25", "last-workday", "first-workday", "2nd-tue", "last-fri", "20", "15", "28", "last-day", "1st-fri"]
PERIOD_RULES = ["last-workday", "25", "2nd-tue", "last-fri", "20", "last-day", "1st-mon"]
SHIFTS = [None, None, None, "earlier", "later", "none"]


def slug_ok(s: str) -> bool:
    return bool(re.fullmatch(r"[a-z0-9][a-z0-9-]*", s)) and len(s) <= 64


def distribute(total: int, weights: list[float]) -> list[int]:
    """Split `total` over the weights (largest remainder), at least 1 each when possible."""
    n = len(weights)
    if total < n:
        return [1 if i < total else 0 for i in range(n)]
    base = [1] * n
    rest = total - n
    wsum = sum(weights)
    shares = [rest * w / wsum for w in weights]
    floors = [int(s) for s in shares]
    left = rest - sum(floors)
    order = sorted(range(n), key=lambda i: (-(shares[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return [b + f for b, f in zip(base, floors)]


class Person:
    def __init__(self, rng: random.Random, user: str, host: str):
        given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
        self.text = f"{rng.choice(SURNAMES)}{given} <{user}@{host}>"


def q(s: str) -> str:
    """A double-quoted YAML scalar."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def flow(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"


def every_item(rng, iid, title, period, due, shift_ok=True, extra=None):
    item = {"id": iid, "title": title, "every": period, "due": due}
    if shift_ok and due not in ("first-workday", "last-workday"):
        s = rng.choice(SHIFTS)
        if s:
            item["shift"] = s
    if extra:
        item.update(extra)
    return item


def branch_items(rng: random.Random, year: int) -> list[dict]:
    """About 15 items covering every period, day rule and schedule kind."""
    items = []
    items.append(every_item(rng, "committee", "支部委员会会议", "month", rng.choice(["25", "last-workday", "20"])))
    items.append(every_item(rng, "group-meeting", "党小组会", "month", rng.choice(["first-workday", "2nd-tue", "15"])))
    items.append(every_item(rng, "assembly", "支部党员大会", "quarter", rng.choice(PERIOD_RULES)))
    items.append(every_item(rng, "theme-day", "主题党日活动", "month", rng.choice(MONTH_RULES)))
    items.append(every_item(rng, "party-lecture", "党课", rng.choice(["quarter", "quarter", "half-year"]), rng.choice(PERIOD_RULES)))
    life = rng.choice(["half-year", "year", "year"])
    life_due = rng.choice(["12-25", "12-15", "last-workday"]) if life == "year" else rng.choice(PERIOD_RULES)
    items.append(every_item(rng, "life-meeting", "组织生活会", life, life_due))
    if rng.random() < 0.6:
        items.append(every_item(rng, "member-review", "民主评议党员", "year", rng.choice(["12-31", "12-28", "last-fri", "last-workday"])))
    items.append(every_item(rng, "heart-talks", "谈心谈话", rng.choice(["half-year", "year"]), rng.choice(["last-workday", "25", "last-fri"])))
    items.append(every_item(rng, "ideology-review", "意识形态工作分析研判", "half-year", rng.choice(["last-workday", "20", "2nd-tue"]),
                            extra={"escalate": {"after": "5wd", "to": ["office", "secretary"]}}))
    items.append(every_item(rng, "integrity-lecture", "廉政教育讲座", "quarter", rng.choice(PERIOD_RULES),
                            extra={"notify": ["secretary", "discipline"]}))
    if rng.random() < 0.4:
        items.append(every_item(rng, "study-exchange", "学习交流", "quarter", rng.choice(PERIOD_RULES)))
    mn, mx = rng.choice([(2, 3), (2, 3), (2, 4), (1, 2)])
    items.append({"id": "red-education", "title": "红色主题教育活动", "times": f"{mn}..{mx}", "within": "year"})
    if rng.random() < 0.8:
        items.append(every_item(rng, "dues", "党费收缴", "month", rng.choice(["10", "15", "first-workday", "last-workday"]),
                                extra={"notify": ["organizer"]}))
    else:
        items.append(every_item(rng, "dues", "党费收缴", "quarter", rng.choice(["first-workday", "15"]),
                                extra={"notify": ["organizer"]}))
    for hid, hol in (("notice-spring", "春节"), ("notice-national", "国庆")):
        items.append({"id": hid, "title": f"节前廉洁提醒（{hol}）", "before": hol, "workdays": rng.choice([2, 3, 5]),
                      "remind": ["3wd", "1d"], "notify": ["secretary", "discipline"]})
    items.append(every_item(rng, "annual-review", "述职评议", "year", "12-20",
                            extra={"remind": ["7d", "3wd", "1d"], "escalate": {"after": "3wd", "to": ["office"]}}))
    return items


def render_value(v) -> str:
    if isinstance(v, list):
        return flow([str(x) for x in v])
    if isinstance(v, dict):
        parts = []
        for k, x in v.items():
            parts.append(f"{k}: {render_value(x)}")
        return "{" + ", ".join(parts) + "}"
    if isinstance(v, int):
        return str(v)
    s = str(v)
    if re.fullmatch(r"\d\d-\d\d", s):  # MM-DD: always a string
        return q(s)
    return s


def render_plan(plan: dict) -> str:
    out = []
    out.append("# Generated by Benchmarks/generate_city.py: synthetic data for benchmarks.")
    for key in ("id", "title", "owner", "year"):
        out.append(f"{key}: {plan[key]}")
    out.append("contacts:")
    for role, who in plan["contacts"].items():
        if isinstance(who, list):
            out.append(f"  {role}:")
            for p in who:
                out.append(f"    - {p}")
        else:
            out.append(f"  {role}: {who}")
    out.append("defaults:")
    for k, v in plan["defaults"].items():
        out.append(f"  {k}: {render_value(v)}")
    out.append("items:")
    for item in plan["items"]:
        first = True
        for k, v in item.items():
            prefix = "  - " if first else "    "
            out.append(f"{prefix}{k}: {render_value(v)}")
            first = False
    return "\n".join(out) + "\n"


def make_city(branches: int, year: int, seed: int) -> list[dict]:
    rng = random.Random(f"plankeeper-city/{seed}/{year}")
    counts = distribute(branches, [w for _, _, w in HOSPITALS])
    plans = []
    seen = set()
    for (hname, hslug, _), n in zip(HOSPITALS, counts):
        host = f"{hslug}.hospital.example"
        office = f"党委办公室 <dangban@{host}>"
        discipline = f"纪委办公室 <jiwei@{host}>"
        # Branches of a hospital: departments in order, then second branches, ...
        slots = [(d, o) for o in range(len(ORDINALS)) for d in range(len(DEPARTMENTS))]
        if n > len(slots):
            raise SystemExit(f"too many branches for {hname}: {n} > {len(slots)}")
        for dept_i, ord_i in slots[:n]:
            dname, dslug = DEPARTMENTS[dept_i]
            owner = f"{hname}{dname}{ORDINALS[ord_i]}党支部"
            pid = f"{hslug}-{dslug}-{ord_i + 1}-{year}"
            assert slug_ok(pid) and pid not in seen, pid
            seen.add(pid)
            user = f"{dslug}{ord_i + 1}"
            contacts = {
                "secretary": Person(rng, f"{user}.shuji", host).text,
                "organizer": Person(rng, f"{user}.zuzhi", host).text,
                "discipline": discipline,
                "office": [office] if rng.random() < 0.5 else office,
            }
            if rng.random() < 0.4:
                contacts["publicity"] = [Person(rng, f"{user}.xuanchuan", host).text,
                                         Person(rng, f"{user}.xuanchuan2", host).text]
            notify = ["secretary"] if rng.random() < 0.6 else ["secretary", "organizer"]
            if "publicity" in contacts and rng.random() < 0.5:
                notify = notify + ["publicity"]
            defaults = {
                "remind": rng.choice([["7d", "1d"], ["3wd", "1d"], ["7d", "3wd", "1d"], ["3wd"], ["7d"]]),
                "notify": notify,
                "escalate": {"after": rng.choice(["3wd", "5wd", "7d"]), "to": ["office"]},
            }
            plans.append({
                "id": pid,
                "title": f"{owner} {year} 年党建工作计划",
                "owner": owner,
                "year": year,
                "contacts": contacts,
                "defaults": defaults,
                "items": branch_items(rng, year),
            })
    return plans


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--branches", type=int, default=2066, help="number of branch plans (default 2066)")
    ap.add_argument("--year", type=int, default=2026, help="plan year (default 2026)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--out", required=True, help="output folder (created; stale *.yaml in it are removed)")
    args = ap.parse_args(argv)
    if args.branches < 1:
        ap.error("--branches must be at least 1")

    plans = make_city(args.branches, args.year, args.seed)
    os.makedirs(args.out, exist_ok=True)
    wanted = {p["id"] + ".yaml" for p in plans}
    for name in os.listdir(args.out):
        if name.endswith((".yaml", ".yml")) and name not in wanted:
            os.remove(os.path.join(args.out, name))
    items = 0
    for p in plans:
        items += len(p["items"])
        path = os.path.join(args.out, p["id"] + ".yaml")
        tmp = path + ".tmp"
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            f.write(render_plan(p))
        os.replace(tmp, path)
    print(f"wrote {len(plans)} plans, {items} items ({items / len(plans):.1f} per plan) to {args.out}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
