#!/usr/bin/env python3
"""An independent implementation of plankeeper's reply token (issue 16), for
tests that must make or check a reply address without the Swift code:

    reply_token.py sign KEYFILE PLAN ITEM PERIOD RECIPIENT EXPIRES_UNIX
    reply_token.py digest KEYFILE DIGEST_ID RECIPIENT EXPIRES_UNIX
    reply_token.py read KEYFILE TOKEN          # prints purpose, key id, expiry, body (hex)

Format (Sources/Tokens/SignedToken.swift): version 1, purpose (1 occurrence,
2 digest), key id, expiry in minutes since 1970 (4 bytes, big-endian), body,
then the first 10 bytes of HMAC-SHA256(key, "plankeeper-token\\0" + all before);
lower-case base32 without padding. A reply body is 6 bytes of
SHA-256("plankeeper-occurrence\\0plan\\0item\\0period") (or the 48-bit digest id)
and 6 bytes of SHA-256("plankeeper-address\\0" + lower-cased address).
"""
import base64
import hashlib
import hmac
import sys


def keys(path):
    out = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                name, hexkey = line.split()
                out.append((int(name[1:]), bytes.fromhex(hexkey)))
    return out


def digest6(label, *fields):
    data = ("plankeeper-" + label).encode()
    for field in fields:
        data += b"\0" + field.encode()
    return hashlib.sha256(data).digest()[:6]


def sign(key_id, key, purpose, body, expires_unix):
    minute = (int(expires_unix) + 59) // 60
    signed = bytes([1, purpose, key_id]) + minute.to_bytes(4, "big") + body
    mac = hmac.new(key, b"plankeeper-token\0" + signed, hashlib.sha256).digest()[:10]
    return base64.b32encode(signed + mac).decode().rstrip("=").lower()


def main(argv):
    command, keyfile = argv[1], argv[2]
    key_id, key = keys(keyfile)[0]
    if command == "sign":
        plan, item, period, recipient, expires = argv[3:8]
        body = digest6("occurrence", plan, item, period) + digest6("address", recipient.strip().lower())
        print(sign(key_id, key, 1, body, expires))
    elif command == "digest":
        digest_id, recipient, expires = argv[3:6]
        body = int(digest_id).to_bytes(6, "big") + digest6("address", recipient.strip().lower())
        print(sign(key_id, key, 2, body, expires))
    elif command == "read":
        text = argv[3].upper()
        raw = base64.b32decode(text + "=" * (-len(text) % 8))
        known = dict(keys(keyfile))
        signed, mac = raw[:-10], raw[-10:]
        good = hmac.compare_digest(mac, hmac.new(known.get(raw[2], b""), b"plankeeper-token\0" + signed,
                                                  hashlib.sha256).digest()[:10])
        print(f"version={raw[0]} purpose={raw[1]} key={raw[2]} expires={int.from_bytes(raw[3:7], 'big') * 60} "
              f"body={raw[7:-10].hex()} mac={'ok' if good else 'BAD'}")
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
