"""deploy/nginx.conf, run by Debian's nginx: it loads, redirects to HTTPS, passes requests to
gunicorn's address and logs neither query strings nor the secrets of calendar and password-reset
addresses."""

import datetime
import http.client
import http.server
import os
import shutil
import socket
import ssl
import subprocess
import threading
import time
from pathlib import Path

import pytest

CONF = Path(__file__).resolve().parents[3] / "deploy" / "nginx.conf"
TOKEN = "s3cr3t-calendar-token"


def _nginx():
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("nginx is required for the deployment test in CI (apt-get install nginx-light).")
        pytest.skip("nginx is not installed (apt-get install nginx-light).")
    return found


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _certificate(directory: Path):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "lindungi.example.org")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(hours=1)).sign(key, hashes.SHA256()))
    (directory / "fullchain.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (directory / "privkey.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))


class _Upstream(http.server.BaseHTTPRequestHandler):
    """gunicorn's stand-in: says which path and forwarded protocol reached it."""

    def do_GET(self):
        body = f"{self.path} {self.headers.get('X-Forwarded-Proto')}".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def nginx(tmp_path):
    binary = _nginx()
    _certificate(tmp_path)
    http_port, https_port = _free_port(), _free_port()
    upstream = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Upstream)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    site = CONF.read_text()
    for old, new in (("/etc/letsencrypt/live/lindungi.example.org/", f"{tmp_path}/"),
                     ("/var/log/nginx/lindungi.access.log", f"{tmp_path}/access.log"),
                     ("listen 80;", f"listen 127.0.0.1:{http_port};"),
                     ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
                     ("http://127.0.0.1:8001", f"http://127.0.0.1:{upstream.server_port}")):
        assert old in site, old
        site = site.replace(old, new)
    site = "\n".join(line for line in site.splitlines() if "listen [::]" not in line)  # no IPv6 needed here
    (tmp_path / "site.conf").write_text(site)
    temp = "\n".join(f"    {kind}_temp_path {tmp_path}/{kind};" for kind in ("client_body", "proxy", "fastcgi",
                                                                           "uwsgi", "scgi"))
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n    access_log off;\n{temp}\n    include {tmp_path}/site.conf;\n}}\n")
    command = [binary, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stderr
    subprocess.run(command, check=True, timeout=30)  # starts in the background
    try:
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", https_port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield http_port, https_port, tmp_path
    finally:
        subprocess.run([*command, "-s", "stop"], timeout=30)
        upstream.shutdown()


def _get(port, path, *, tls):
    if tls:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        connection = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=10)
    else:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers={"Host": "lindungi.example.org"})
    response = connection.getresponse()
    result = response.status, response.getheader("Location"), response.read().decode()
    connection.close()
    return result


def test_nginx_serves_lindungi_and_logs_no_token_and_no_query(nginx):
    http_port, https_port, directory = nginx
    status, location, _body = _get(http_port, "/cases/", tls=False)
    assert status == 301 and location == "https://lindungi.example.org/cases/"
    assert _get(https_port, f"/legal/calendar/{TOKEN}.ics", tls=True) == (
        200, None, f"/legal/calendar/{TOKEN}.ics https")
    assert _get(https_port, "/cases/?q=Siti+Nurhaliza", tls=True)[0] == 200
    assert _get(https_port, "/media/anything.pdf", tls=True)[0] == 404  # uploads only through Lindungi
    assert _get(https_port, f"/accounts/password/reset/key/1a-{TOKEN}/", tls=True)[0] == 200
    assert _get(https_port, "/accounts/password/reset/key/1a-set-password/", tls=True)[0] == 200

    log = ""
    for _ in range(50):  # nginx writes a request's line when it has answered it
        log = (directory / "access.log").read_text()
        if log.count("\n") >= 5:
            break
        time.sleep(0.1)
    assert '"GET /legal/calendar/[token].ics" 200' in log
    assert '"GET /cases/" 200' in log
    assert '"GET /accounts/password/reset/key/[key]/" 200' in log
    assert '"GET /accounts/password/reset/key/1a-set-password/" 200' in log
    assert TOKEN not in log and "Siti" not in log and "?" not in log
