#!/usr/bin/env python3
"""Reads a Maildir the way a mail client would and checks what arrived.

    check_mailbox.py MAILDIR --count N [--subject S] [--body-line L ...] [--wait SECONDS]

Every message is parsed with Python's `email` package (policy.default, the
modern parser that decodes RFC 2047 headers and base64 UTF-8 bodies), so a
subject or body that a mail client would show garbled fails here. Checks:
exactly N messages, each Message-ID exactly once (nothing lost, nothing
twice), and, when given, one message whose decoded subject is S and whose
decoded body contains each line L. With --wait, polls until N messages are
there or the deadline passes (postfix delivers asynchronously).
"""
import argparse
import collections
import email
import email.policy
import pathlib
import sys
import time


def read(maildir: pathlib.Path):
    out = []
    for sub in ("new", "cur"):
        folder = maildir / sub
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                with path.open("rb") as f:
                    out.append((path, email.message_from_binary_file(f, policy=email.policy.default)))
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("maildir", type=pathlib.Path)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--subject")
    ap.add_argument("--body-line", action="append", default=[])
    ap.add_argument("--wait", type=float, default=0)
    args = ap.parse_args()

    deadline = time.monotonic() + args.wait
    messages = read(args.maildir)
    while len(messages) < args.count and time.monotonic() < deadline:
        time.sleep(0.1)
        messages = read(args.maildir)
    if args.wait and len(messages) == args.count:
        time.sleep(0.5)  # a duplicate would arrive right behind: look again
        messages = read(args.maildir)

    problems = []
    ids = collections.Counter(str(m["message-id"]) for _, m in messages)
    if len(messages) != args.count:
        problems.append(f"{len(messages)} messages in {args.maildir}, expected {args.count}")
    for mid, n in ids.items():
        if n != 1:
            problems.append(f"Message-ID {mid} arrived {n} times")
    for path, m in messages:
        if m.defects:
            problems.append(f"{path.name}: parser defects {m.defects}")
        body = m.get_body(preferencelist=("plain",))
        if body is None or body.get_content_charset() != "utf-8":
            problems.append(f"{path.name}: no text/plain UTF-8 body")
    if args.subject is not None:
        matching = [m for _, m in messages if str(m["subject"]) == args.subject]
        if len(matching) != 1:
            problems.append(f"{len(matching)} messages with subject {args.subject!r}; subjects: "
                            + ", ".join(repr(str(m["subject"])) for _, m in messages))
        else:
            text = matching[0].get_body(preferencelist=("plain",)).get_content()
            lines = [line.rstrip("\r") for line in text.split("\n")]
            for wanted in args.body_line:
                if not any(wanted in line for line in lines):
                    problems.append(f"body lacks {wanted!r}; body:\n{text}")
    for p in problems:
        print(f"check_mailbox: {p}", file=sys.stderr)
    if not problems:
        print(f"check_mailbox: {args.maildir.name}: {len(messages)} message(s), each once"
              + (f"; subject {args.subject!r} and body decoded intact" if args.subject else ""))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
