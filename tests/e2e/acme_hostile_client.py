#!/usr/bin/env python3
"""The client pieces of acme_hostile.py: keys and flattened JWS (RFC 7515, RFC 8555 §6.2), an
HTTPS connection, a small but correct ACME client, the router-ca CLI for what the daemon stores,
an http-01 responder and CSRs. Only the standard library and python3-cryptography.
"""
import base64
import hashlib
import http.client
import http.server
import json
import os
import ssl
import subprocess
import sys
import threading
import urllib.parse

try:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
    from cryptography.x509.oid import NameOID
except ImportError as e:  # the shell wrapper checks too; never pass without the library
    print(f"FAIL: python3-cryptography is not importable ({e}); scripts/setup.sh installs it")
    sys.exit(1)

ERR = "urn:ietf:params:acme:error:"
JOSE = "application/jose+json"
HOME = "home.arpa"
NAME = "nas." + HOME        # the name the valid order is for
OTHER = "printer." + HOME   # a name the CSR must not smuggle in


def b64u(data: bytes) -> str:
    """base64url without padding (RFC 7515 section 2)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64u_json(obj) -> str:
    return b64u(json.dumps(obj, separators=(",", ":")).encode())


class CaseFailed(Exception):
    pass


# --- keys and JWS --------------------------------------------------------------------------------

class EcKey:
    """A P-256 account key: its public JWK, RFC 7638 thumbprint, and raw r||s ES256 signatures."""

    def __init__(self):
        self.key = ec.generate_private_key(ec.SECP256R1())
        nums = self.key.public_key().public_numbers()
        self.jwk = {"crv": "P-256", "kty": "EC",
                    "x": b64u(nums.x.to_bytes(32, "big")), "y": b64u(nums.y.to_bytes(32, "big"))}

    def thumbprint(self) -> str:
        # RFC 7638 section 3: required members, lexicographic order, no whitespace.
        canonical = json.dumps({k: self.jwk[k] for k in ("crv", "kty", "x", "y")},
                               separators=(",", ":"), sort_keys=True)
        return b64u(hashlib.sha256(canonical.encode()).digest())

    def sign(self, data: bytes, hash_alg=None, raw=True) -> bytes:
        der = self.key.sign(data, ec.ECDSA(hash_alg or hashes.SHA256()))
        if not raw:
            return der  # the common client bug: DER instead of r||s (RFC 7518 section 3.4)
        r, s = decode_dss_signature(der)
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def flattened(protected_b64: str, payload_b64: str, signature_b64: str, **extra) -> bytes:
    body = {"protected": protected_b64, "payload": payload_b64, "signature": signature_b64}
    body.update(extra)
    return json.dumps(body).encode()


def payload_b64_of(payload) -> str:
    """None: POST-as-GET (empty payload); dict/list: JSON; str/bytes: those exact bytes."""
    if payload is None:
        return ""
    if isinstance(payload, (dict, list)):
        return b64u_json(payload)
    if isinstance(payload, str):
        payload = payload.encode()
    return b64u(payload)


# --- HTTP ----------------------------------------------------------------------------------------

class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = {k.lower(): v for k, v in headers}
        self.all_headers = headers
        self.body = body

    def json(self):
        try:
            return json.loads(self.body)
        except ValueError:
            raise CaseFailed(f"answer is not JSON: HTTP {self.status} {self.body[:300]!r}")

    def describe(self):
        return f"HTTP {self.status} {self.headers.get('content-type', '')} {self.body[:400]!r}"


class Http:
    def __init__(self, base, cafile):
        u = urllib.parse.urlsplit(base)
        self.host, self.port = u.hostname, u.port
        self.ctx = ssl.create_default_context(cafile=cafile)

    def path_of(self, url):
        u = urllib.parse.urlsplit(url)
        return u.path + (("?" + u.query) if u.query else "")

    def request(self, method, url, body=None, content_type=JOSE, headers=None):
        conn = http.client.HTTPSConnection(self.host, self.port, context=self.ctx, timeout=20)
        try:
            h = dict(headers or {})
            if body is not None and content_type is not None:
                h["Content-Type"] = content_type
            conn.request(method, self.path_of(url), body=body, headers=h)
            r = conn.getresponse()
            return Response(r.status, r.getheaders(), r.read())
        except (OSError, http.client.HTTPException) as e:
            raise CaseFailed(f"{method} {url}: no HTTP answer ({type(e).__name__}: {e})")
        finally:
            conn.close()


# --- the client ----------------------------------------------------------------------------------

class Acme:
    def __init__(self, args):
        self.args = args
        self.base = args.url.rstrip("/")
        self.http = Http(self.base, args.root)
        d = self.http.request("GET", self.base + "/acme/directory")
        if d.status != 200:
            raise CaseFailed(f"GET /acme/directory: {d.describe()}")
        self.dir = d.json()
        for k in ("newNonce", "newAccount", "newOrder"):
            if k not in self.dir:
                raise CaseFailed(f"directory has no {k}: {self.dir}")
        self.key = EcKey()
        self.kid = None
        self.spare_nonce = None

    def nonce(self):
        """The nonce of the last answer (RFC 8555 6.5: every answer carries one), else a new one."""
        n, self.spare_nonce = self.spare_nonce, None
        if n:
            return n
        r = self.http.request("HEAD", self.dir["newNonce"])
        n = r.headers.get("replay-nonce")
        if r.status not in (200, 204) or not n:
            raise CaseFailed(f"HEAD newNonce gave no nonce: {r.describe()}")
        return n

    def protected(self, url, key=None, kid=None, jwk=None, nonce=None, alg="ES256"):
        """The protected header: kid when given, else jwk (of key when not given explicitly)."""
        h = {"alg": alg, "nonce": self.nonce() if nonce is None else nonce, "url": url}
        if kid is not None:
            h["kid"] = kid
        else:
            h["jwk"] = jwk if jwk is not None else (key or self.key).jwk
        return h

    def jws(self, url, payload, key=None, kid=None, jwk=None, nonce=None, header=None):
        """A correct flattened JWS (ES256); header, when given, is used as is."""
        key = key or self.key
        h = header if header is not None else self.protected(url, key, kid, jwk, nonce)
        p64, pl64 = b64u_json(h), payload_b64_of(payload)
        sig = key.sign(f"{p64}.{pl64}".encode())
        return flattened(p64, pl64, b64u(sig))

    def post(self, url, body, content_type=JOSE, target=None):
        """POSTs body to target (default: url, the one signed into the header)."""
        r = self.http.request("POST", target or url, body, content_type)
        self.spare_nonce = r.headers.get("replay-nonce")
        return r

    def signed(self, url, payload, **kw):
        """A correct POST with this account's kid (once it has one)."""
        if self.kid is not None and "jwk" not in kw and "kid" not in kw:
            kw["kid"] = self.kid
        return self.post(url, self.jws(url, payload, **kw))

    def expect(self, resp, status, what):
        if resp.status != status:
            raise CaseFailed(f"{what}: expected HTTP {status}, got {resp.describe()}")
        return resp


# --- state the daemon keeps ----------------------------------------------------------------------

def cli_start(args, *words):
    """Starts router-ca WORDS --data-dir DIR --json (JSON: stable to compare); cli_result reads it."""
    cmd = [args.router_ca, *words, "--data-dir", args.data_dir, "--json"]
    return cmd, subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def cli_result(started):
    cmd, p = started
    out, err = p.communicate(timeout=20)
    if p.returncode != 0:
        raise CaseFailed(f"{' '.join(cmd[1:])} failed ({p.returncode}): {err.strip()}")
    return out


def cli(args, *words):
    return cli_result(cli_start(args, *words))


def log_tail_since(args, offset):
    try:
        with open(args.log, "rb") as f:
            f.seek(offset)
            text = f.read().decode(errors="replace")
    except OSError:
        return ""
    lines = text.splitlines()[-15:]
    return "\n".join("    | " + l for l in lines) if lines else "    | (nothing logged)"


def log_size(args):
    try:
        return os.path.getsize(args.log)
    except OSError:
        return 0


# --- the http-01 responder -----------------------------------------------------------------------

class ChallengeResponder:
    """Serves /.well-known/acme-challenge/<token> on 127.0.0.1:<acme-http-port> (RFC 8555 8.3)."""

    def __init__(self, port):
        self.answers = {}
        self.fetched = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                outer.fetched.append((self.headers.get("Host"), self.path))
                prefix = "/.well-known/acme-challenge/"
                token = self.path[len(prefix):] if self.path.startswith(prefix) else None
                if token not in outer.answers:
                    self.send_response(404)
                    self.end_headers()
                    return
                body = outer.answers[token].encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *a):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


# --- CSRs ----------------------------------------------------------------------------------------

def csr_der(sans, cn=None, key=None):
    key = key or ec.generate_private_key(ec.SECP256R1())
    b = x509.CertificateSigningRequestBuilder().subject_name(
        x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)] if cn else []))
    if sans:
        b = b.add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in sans]),
                            critical=False)
    return b.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)
