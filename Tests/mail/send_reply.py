#!/usr/bin/env python3
"""Sends a reply (a fixture of Tests/InboundMailTests/Fixtures, or text) over SMTP
to 127.0.0.1:25, as a mail client's server would hand it to the hospital's MTA.

    send_reply.py --to ADDRESS --from ADDRESS (--fixture FILE | --text BODY)
                  [--sender ENVELOPE_SENDER] [--message-id ID] [--replace OLD=NEW ...] [--pad BYTES]

The fixture's own From address and Message-ID are replaced by --from and
--message-id (unique by default), its To by --to; --replace rewrites any
other bytes; --pad appends a base64 attachment of that many bytes (a big photo).
--sender "" sends with the null envelope sender, as bounces are.
"""
import argparse
import base64
import re
import smtplib
import sys
import uuid


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--to", required=True)
    ap.add_argument("--from", dest="sender_address", required=True)
    ap.add_argument("--fixture")
    ap.add_argument("--text")
    ap.add_argument("--sender")
    ap.add_argument("--message-id")
    ap.add_argument("--replace", action="append", default=[])
    ap.add_argument("--pad", type=int, default=0)
    args = ap.parse_args()

    mid = args.message_id or f"{uuid.uuid4()}@client.example"
    if args.fixture:
        raw = open(args.fixture, "rb").read()
        head, sep, body = raw.partition(b"\r\n\r\n")
        head = re.sub(rb"(?mi)^Message-I[Dd]:.*$", b"Message-ID: <" + mid.encode() + b">", head)
        head = re.sub(rb"(?mi)^To:.*(\r\n[ \t].*)*$", b"To: <" + args.to.encode() + b">", head)
        head = re.sub(rb"(?mi)^(From:.*<)[^>]+(>)", rb"\g<1>" + args.sender_address.encode() + rb"\g<2>", head)
        head = re.sub(rb"(?mi)^From: MAILER-DAEMON@[^ \r]+", b"From: MAILER-DAEMON@" + args.sender_address.split("@")[1].encode(), head)
        raw = head + sep + body
    else:
        text = args.text.replace("\n", "\r\n")
        raw = (f"From: <{args.sender_address}>\r\nTo: <{args.to}>\r\nSubject: Re: reminder\r\n"
               f"Message-ID: <{mid}>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
               f"Content-Transfer-Encoding: 8bit\r\n\r\n{text}\r\n").encode()
    for pair in args.replace:
        old, new = pair.split("=", 1)
        raw = raw.replace(old.encode(), new.encode())
    if args.pad:
        head, sep, body = raw.partition(b"\r\n\r\n")
        head = re.sub(rb"(?mi)^Content-Type:.*(\r\n[ \t].*)*$", b'Content-Type: multipart/mixed; boundary="pad"', head)
        head = re.sub(rb"(?mi)^Content-Transfer-Encoding:.*\r\n", b"", head)
        photo = base64.encodebytes(bytes(i * 7 % 251 for i in range(args.pad))).replace(b"\n", b"\r\n")
        raw = (head + b"\r\n\r\n--pad\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
               + body + b"\r\n--pad\r\nContent-Type: image/jpeg; name=big.jpg\r\nContent-Transfer-Encoding: base64\r\n\r\n"
               + photo + b"--pad--\r\n")
    envelope = args.sender_address if args.sender is None else args.sender
    with smtplib.SMTP("127.0.0.1", 25, timeout=120) as smtp:
        smtp.sendmail(envelope, [args.to], raw)
    print(mid)


if __name__ == "__main__":
    sys.exit(main())
