#!/usr/bin/env python3
"""Check that Remind and plankeeper give the same due dates for a generated city.

    python3 Benchmarks/compare_remind.py --year 2026 SCHEDULE.json REMIND.out

SCHEDULE.json is `plankeeper schedule --format json CITY`; REMIND.out is
`remind -s12 CITY.rem 1 Jan YEAR` for the Remind file Benchmarks/generate_city.py
wrote (each rule's message starts with "PLAN-ID ITEM-ID"). For every plan item
the multiset of due dates inside the year must be equal. plankeeper's
occurrences due outside the year (a January deadline moved back into December
of the year before by `shift: earlier`) have no counterpart in a one-year Remind
run and are counted, not compared.

Prints a summary line (and up to 20 differences); exit status 0 when every date
matches, 1 when one does not.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--year", type=int, required=True)
    ap.add_argument("--quiet", action="store_true", help="print only the summary line")
    ap.add_argument("schedule")
    ap.add_argument("remind")
    args = ap.parse_args(argv)

    ours: dict[tuple[str, str], list[str]] = collections.defaultdict(list)
    outside = 0
    total = 0
    for o in json.load(open(args.schedule, encoding="utf-8")):
        total += 1
        if not o["due"].startswith(f"{args.year}-"):
            outside += 1
            continue
        ours[(o["plan"], o["item"])].append(o["due"])

    theirs: dict[tuple[str, str], list[str]] = collections.defaultdict(list)
    remind_lines = 0
    for line in open(args.remind, encoding="utf-8"):
        parts = line.rstrip("\n").split(" ", 7)
        if len(parts) < 7 or parts[1:5] != ["*", "*", "*", "*"]:
            continue
        remind_lines += 1
        date = parts[0].replace("/", "-")
        plan, item = parts[5], parts[6]
        theirs[(plan, item)].append(date)

    differences = []
    for key in sorted(set(ours) | set(theirs)):
        a, b = sorted(ours.get(key, [])), sorted(theirs.get(key, []))
        if a != b:
            only_ours = list((collections.Counter(a) - collections.Counter(b)).elements())
            only_theirs = list((collections.Counter(b) - collections.Counter(a)).elements())
            differences.append((key, only_ours, only_theirs))

    compared = sum(len(v) for v in ours.values())
    verdict = "all equal" if not differences else f"{len(differences)} items differ"
    print(f"compared {compared} due dates of {len(ours)} items in {args.year} "
          f"(plankeeper {total} occurrences, {outside} due outside {args.year}; Remind {remind_lines} triggers): {verdict}")
    if not args.quiet:
        for (plan, item), a, b in differences[:20]:
            print(f"  {plan}/{item}: only plankeeper {a or '-'}; only Remind {b or '-'}")
    return 0 if not differences else 1


if __name__ == "__main__":
    sys.exit(main())
