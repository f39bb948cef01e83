"""The desk behind nginx with TLS, configured by systemd/nginx-plankeeper.conf
itself (only its ports, file paths and the desk's address are changed for a
scratch nginx run by the test): HTTP goes to HTTPS, pages come through with
the desk's security headers and HSTS, and the desk counts the client nginx
saw, not what a client claims in X-Forwarded-For."""

import http.client
import os
import re
import shutil
import socket
import ssl
import subprocess
import time
from pathlib import Path

import pytest

from conftest import ROOT, free_port


@pytest.fixture(scope="module")
def nginx(desk, tmp_path_factory):
    if not shutil.which("nginx"):
        pytest.skip("nginx is not installed (Tests/web/run.sh installs it)")
    base = Path(tmp_path_factory.mktemp("nginx"))
    os.chmod(base, 0o755)
    crt, key = base / "desk.crt", base / "desk.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", str(key), "-out", str(crt)],
                   check=True, capture_output=True)
    http_port, https_port = free_port(), free_port()
    allow = base / "allow.conf"
    shutil.copy(ROOT / "systemd/nginx-plankeeper-allow.conf", allow)
    site = (ROOT / "systemd/nginx-plankeeper.conf").read_text()
    for old, new in [("listen 80;", f"listen 127.0.0.1:{http_port};"), ("listen [::]:80;", ""),
                     ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"), ("listen [::]:443 ssl http2;", ""),
                     ("/etc/nginx/plankeeper-allow.conf", str(allow)), ("/etc/plankeeper/tls/desk.crt", str(crt)),
                     ("/etc/plankeeper/tls/desk.key", str(key)), ("http://127.0.0.1:8470", desk.url)]:
        assert old in site, f"systemd/nginx-plankeeper.conf no longer has {old!r}"
        site = site.replace(old, new)
    (base / "site.conf").write_text(site)
    for d in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (base / d).mkdir(mode=0o777)
    (base / "nginx.conf").write_text(f"""daemon off;
pid {base}/nginx.pid;
error_log {base}/error.log;
worker_processes 1;
events {{ worker_connections 64; }}
http {{
    access_log {base}/access.log;
    client_body_temp_path {base}/body;
    proxy_temp_path {base}/proxy;
    fastcgi_temp_path {base}/fastcgi;
    uwsgi_temp_path {base}/uwsgi;
    scgi_temp_path {base}/scgi;
    include {base}/site.conf;
}}
""")
    check = subprocess.run(["nginx", "-t", "-c", str(base / "nginx.conf"), "-p", str(base), "-e", str(base / "error.log")],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen(["nginx", "-c", str(base / "nginx.conf"), "-p", str(base), "-e", str(base / "error.log")])
    deadline = time.monotonic() + 15
    while True:
        try:
            socket.create_connection(("127.0.0.1", https_port), timeout=1).close()
            break
        except OSError:
            assert process.poll() is None and time.monotonic() < deadline, (base / "error.log").read_text()
            time.sleep(0.05)
    context = ssl.create_default_context(cafile=str(crt))
    yield {"http": http_port, "https": https_port, "context": context}
    process.terminate()
    process.wait(timeout=15)


def fetch(n, path, headers=None):
    c = http.client.HTTPSConnection("127.0.0.1", n["https"], context=n["context"], timeout=30)
    c.request("GET", path, headers=headers or {})
    r = c.getresponse()
    return r.status, dict(r.getheaders()), r.read().decode()


def test_http_is_sent_to_https(nginx):
    c = http.client.HTTPConnection("127.0.0.1", nginx["http"], timeout=30)
    c.request("GET", "/signin", headers={"Host": "dangjian.hospital.example"})
    r = c.getresponse()
    assert r.status == 301
    assert r.getheader("Location") == "https://dangjian.hospital.example/signin"


def test_pages_come_through_tls_with_their_headers(nginx):
    status, headers, body = fetch(nginx, "/signin")
    assert status == 200 and "<title>登录" in body
    assert headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Strict-Transport-Security"] == "max-age=31536000"
    assert "nginx/" not in headers.get("Server", "")


def test_the_desk_counts_the_client_nginx_saw(nginx, desk):
    # A client claiming another address in X-Forwarded-For: nginx replaces it.
    status, headers, body = fetch(nginx, "/signin")
    cookie = headers["Set-Cookie"].split(";")[0]
    token = re.search(r'name="_csrf" value="([0-9a-f]+)"', body).group(1)
    c = http.client.HTTPSConnection("127.0.0.1", nginx["https"], context=nginx["context"], timeout=30)
    c.request("POST", "/signin", body=f"_csrf={token}&address=nobody%40nowhere.example",
              headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie, "X-Forwarded-For": "203.0.113.9"})
    assert c.getresponse().status == 200
    deadline = time.monotonic() + 10
    log = desk.base / "serve.log"
    while "nobody@nowhere.example" not in log.read_text():
        assert time.monotonic() < deadline
        time.sleep(0.05)
    line = next(l for l in log.read_text().splitlines() if "nobody@nowhere.example" in l)
    assert "plankeeper_client=127.0.0.1" in line and "203.0.113.9" not in line
