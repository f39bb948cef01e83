#!/usr/bin/env python3
"""Writes the fixtures that cannot be plain UTF-8 text with an expect comment.

    python3 make_binary_cases.py                        # (re)write 71..74 beside this script
    python3 make_binary_cases.py --big PATH             # write the > 1 MiB case (75) to PATH
    python3 make_binary_cases.py --big PATH --bytes N   # same, exactly N bytes

The invalid-UTF-8 files are committed; the big file is generated at test time
(expectations.tsv marks it `generated`). Expected positions are in
expectations.tsv; where a file can carry a `# expect:` comment it does, too.
Columns count Unicode characters before the bad byte, plus one.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MIB = 1024 * 1024


def plan(n, title="外科第二党支部 2026 年党建工作计划", owner="外科第二党支部", item_title="支部委员会"):
    return (
        f"id: case-{n:02d}\n"
        f"title: {title}\n"
        f"owner: {owner}\n"
        "year: 2026\n"
        "contacts:\n"
        "  secretary: 王五 <wangwu@hospital.example>\n"
        "  office: [党委办公室 <dangban@hospital.example>]\n"
        "defaults:\n"
        "  remind: [7d, 1d]\n"
        "  notify: [secretary]\n"
        "  escalate: {after: 3wd, to: [office]}\n"
        "items:\n"
        "  - id: committee\n"
        f"    title: {item_title}\n"
        "    every: month\n"
        "    due: 25\n"
    ).encode("utf-8")


def cases():
    """(file name, bytes, expected line:col)"""
    out = []
    # 71: the very first byte is 0xFF, so no comment line can precede it.
    out.append(("71-invalid-utf8-first-byte.yaml", b"\xff" + plan(71), "1:1"))

    # 72: a lone 0xFF after the 7 characters of 外科第二党支部 in the plan title.
    # line 3 (comment is line 1), column len("title: ") + 7 + 1 = 15
    body = plan(72, title="外科第二党支部\uFFFF 2026 年党建工作计划")
    body = body.replace("\uFFFF".encode("utf-8"), b"\xff")
    out.append(("72-invalid-utf8-in-title.yaml",
                b"# expect: 3:15 error \xe2\x80\x94 0xFF byte inside the plan title\n" + body, "3:15"))

    # 73: owner ends with a truncated 3-byte sequence (E9 83 of 部 = E9 83 A8).
    # The first invalid byte is the lead byte E9: line 4, column len("owner: ") + 6 + 1 = 14
    body = plan(73, owner="外科第二党支\uFFFF")
    body = body.replace("\uFFFF".encode("utf-8"), b"\xe9\x83")
    out.append(("73-invalid-utf8-truncated-sequence.yaml",
                b"# expect: 4:14 error \xe2\x80\x94 truncated UTF-8 sequence at the end of owner\n" + body, "4:14"))

    # 74: a UTF-16 surrogate encoded as UTF-8 (ED A0 80, CESU-8) in an item title.
    # line 15, column len("    title: ") + 2 + 1 = 14
    body = plan(74, item_title="支部\uFFFF委员会")
    body = body.replace("\uFFFF".encode("utf-8"), b"\xed\xa0\x80")
    out.append(("74-invalid-utf8-surrogate.yaml",
                b"# expect: 15:14 error \xe2\x80\x94 encoded surrogate (ED A0 80) in an item title\n" + body, "15:14"))
    return out


def big(path, size=MIB + 1):
    """A valid plan padded with 80-byte comment lines to `size` bytes (default 1 MiB + 1).
    Expected: one error at 1:1, and the file must be refused without parsing it.
    With --bytes 1048576 (exactly 1 MiB) the same plan must load without error."""
    if size > MIB:
        head = b"# expect: 1:1 error \xe2\x80\x94 file larger than 1 MiB\n" + plan(75)
    else:  # boundary check: at most 1 MiB is not too large, the plan must load
        head = b"# no error: padded to %d bytes, not over 1 MiB\n" % size + plan(75)
    filler = b"# " + b"x" * 77 + b"\n"
    data = bytearray(head)
    while len(data) + len(filler) <= size:
        data += filler
    rest = size - len(data)
    if rest > 0:
        data += (b"#" * (rest - 1) + b"\n") if rest > 1 else b"\n"
    assert len(data) == size, len(data)
    with open(path, "wb") as f:
        f.write(data)


def main(argv):
    if len(argv) >= 2 and argv[0] == "--big":
        size = MIB + 1
        if len(argv) == 4 and argv[2] == "--bytes":
            size = int(argv[3])
        big(argv[1], size)
        return 0
    if argv:
        print(__doc__, file=sys.stderr)
        return 2
    for name, data, _ in cases():
        with open(os.path.join(HERE, name), "wb") as f:
            f.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
