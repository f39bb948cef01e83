#!/usr/bin/python3
"""An SMTP relay stand-in that wants AUTH, for the parts postfix's local
setup does not exercise: the password plankeeper reads from a systemd
credential must reach the server, a wrong one must be refused, and a
STARTTLS server with an untrusted certificate must not be talked to in clear.

    smtp_sink.py --port P --maildir DIR --user U --password-file F [--starttls CERT KEY]

Built on Debian's python3-aiosmtpd. Accepted messages go to DIR (a Maildir),
each with an X-Sink-Login header naming the login it came with. Prints
"ready" once it listens; runs until killed.
"""
import argparse
import mailbox
import pathlib
import signal
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--maildir", type=pathlib.Path, required=True)
    ap.add_argument("--user", required=True)
    ap.add_argument("--password-file", type=pathlib.Path, required=True)
    ap.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"))
    args = ap.parse_args()
    password = args.password_file.read_text().strip()
    box = mailbox.Maildir(args.maildir, create=True)

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == args.user \
            and auth_data.password.decode() == password
        return AuthResult(success=ok, handled=False, auth_data=auth_data.login.decode() if ok else None)

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            login = str(session.auth_data) if session.authenticated else "-"
            box.add(b"X-Sink-Login: " + login.encode() + b"\r\n" + envelope.original_content)
            return "250 2.0.0 Ok: accepted by the sink"

    kwargs = dict(hostname="127.0.0.1", port=args.port, authenticator=authenticate,
                  auth_required=True, auth_require_tls=bool(args.starttls))
    if args.starttls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*args.starttls)
        kwargs.update(tls_context=context, require_starttls=True)
    controller = Controller(Handler(), **kwargs)
    controller.start()
    print("ready", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    sys.exit(main())
