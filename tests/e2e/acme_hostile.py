#!/usr/bin/env python3
"""A hostile ACME client (RFC 8555) against the real router-ca daemon on loopback.

A small but correct client (flattened JWS, ES256, nonces, jwk/kid) gets an approved account and a
ready order for nas.home.arpa through the pairing button and a real http-01 answer; then every
hostile request must get its ACME problem (HTTP status and urn:ietf:params:acme:error:* type),
the daemon must keep answering, nothing it stores may change, and the next valid request must
still work. Every case runs even when one fails, so one run reports all of them; the exit status
is 1 when any failed.

Only the standard library and python3-cryptography. Run by acme_hostile_test.sh.
"""
import argparse
import base64
import hashlib
import hmac
import http.client
import http.server
import json
import os
import ssl
import subprocess
import sys
import threading
import time
import traceback
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


# --- the run -------------------------------------------------------------------------------------

class Run:
    def __init__(self, args):
        self.args = args
        self.passed = 0
        self.failures = []
        self.a = None
        self.baseline = None

    def ok(self, text):
        self.passed += 1
        print(f"ok - {text}", flush=True)

    # Everything a hostile request could change, as the daemon and the ACME API report it.
    def snapshot(self):
        a = self.a
        # The two CLI calls run while the ACME requests are under way: each case takes less.
        accounts, devices = cli_start(self.args, "acme", "accounts"), cli_start(self.args, "devices")
        state = {}
        try:
            r = a.signed(a.account_url + "/orders", None)
            a.expect(r, 200, "POST-as-GET the account's orders")
            state["orders"] = sorted(r.json().get("orders", []))
            for url in state["orders"]:
                o = a.expect(a.signed(url, None), 200, f"POST-as-GET {url}").json()
                state[url] = {k: o.get(k) for k in ("status", "identifiers", "authorizations",
                                                     "certificate", "error")}
        finally:
            state["acme accounts"], state["devices"] = cli_result(accounts), cli_result(devices)
        return state

    def check_unchanged(self, what):
        """Alive, nothing changed, and a valid signed request still works."""
        h = self.a.http.request("GET", self.a.base + "/healthz")
        if h.status != 200:
            raise CaseFailed(f"after {what}: /healthz {h.describe()}")
        now = self.snapshot()  # its POST-as-GETs are the valid requests that must still work
        if now != self.baseline:
            diff = {k: (self.baseline.get(k), now.get(k)) for k in set(now) | set(self.baseline)
                    if now.get(k) != self.baseline.get(k)}
            raise CaseFailed(f"after {what}: state changed: {json.dumps(diff, indent=1)[:3000]}")

    def problem(self, resp, status, types, what, words=None, nonce=True):
        """resp must be an ACME problem of one of types (short names) with this status. status
        may instead be a list of (status, type) pairs, any of which is right."""
        if isinstance(status, list):
            alternatives = status
        else:
            alternatives = [(status, t) for t in ([types] if isinstance(types, str) else types)]
        want = " or ".join(f"HTTP {st} {ERR}{t}" for st, t in alternatives)
        if resp.status not in [st for st, _ in alternatives]:
            raise CaseFailed(f"{what}: expected {want}, got {resp.describe()}")
        ct = resp.headers.get("content-type", "")
        if not ct.startswith("application/problem+json"):
            raise CaseFailed(f"{what}: expected application/problem+json (RFC 8555 6.7), got "
                             f"{resp.describe()}")
        doc = resp.json()
        if not isinstance(doc, dict) or (resp.status, str(doc.get("type"))[len(ERR):]) not in \
                alternatives or not str(doc.get("type")).startswith(ERR):
            raise CaseFailed(f"{what}: expected {want}, got {resp.describe()}")
        if not isinstance(doc.get("detail"), str) or not doc["detail"]:
            raise CaseFailed(f"{what}: problem without a detail: {doc}")
        if doc.get("status") != resp.status:
            raise CaseFailed(f"{what}: the problem's status {doc.get('status')!r} is not the "
                             f"response's {resp.status} (RFC 7807 3.1)")
        if words and words.lower() not in doc["detail"].lower():
            raise CaseFailed(f"{what}: detail does not mention '{words}': {doc}")
        if nonce and not resp.headers.get("replay-nonce"):
            # RFC 8555 6.5 (SHOULD; MUST for badNonce) and docs/acme.md: "every answer carries
            # Replay-Nonce".
            raise CaseFailed(f"{what}: error answer carries no Replay-Nonce: {resp.all_headers}")
        if nonce and 'rel="index"' not in resp.headers.get("link", ""):
            raise CaseFailed(f"{what}: error answer carries no Link rel=\"index\" (docs/acme.md): "
                             f"{resp.all_headers}")
        return doc

    def case(self, name, fn, check_state=True):
        """Runs one hostile case: fn sends it and checks the answer; then the invariants."""
        offset = log_size(self.args)
        try:
            fn()
            if check_state:
                self.check_unchanged(name)
            self.ok(name)
        except CaseFailed as e:
            msg = f"{name}\n  {e}\n  daemon log during the case:\n{log_tail_since(self.args, offset)}"
            self.failures.append(msg)
            print(f"FAIL: {msg}", flush=True)
        except Exception:
            msg = f"{name}\n  the test itself raised:\n{traceback.format_exc()}"
            self.failures.append(msg)
            print(f"FAIL: {msg}", flush=True)

    # --- setup: an approved account with a ready order -----------------------------------------

    def setup(self):
        args = self.args
        a = self.a = Acme(args)
        # The button first: the account is the only newcomer in the window, so it is approved.
        subprocess.run([args.router_ca, "pair", "--data-dir", args.data_dir], check=True,
                       capture_output=True, timeout=20)
        url = a.dir["newAccount"]
        t0 = time.monotonic()
        r = a.post(url, a.jws(url, {"termsOfServiceAgreed": True}))
        a.expect(r, 201, "newAccount")
        a.kid = a.account_url = r.headers.get("location")
        if not a.kid or "/acme/acct/" not in a.kid:
            raise CaseFailed(f"newAccount: no account Location: {r.all_headers}")
        if r.json().get("status") != "valid":
            raise CaseFailed(f"newAccount: account not valid: {r.body!r}")
        self.ok(f"newAccount in the pairing window: 201 {a.kid} "
                f"(held {time.monotonic() - t0:.1f} s)")
        accounts = cli(args, "acme", "accounts")
        acct_id = a.kid.rsplit("/", 1)[1]
        if acct_id not in accounts:
            raise CaseFailed(f"router-ca acme accounts does not list {acct_id}: {accounts}")
        self.ok("router-ca acme accounts lists the account")

        url = a.dir["newOrder"]
        r = a.expect(a.signed(url, {"identifiers": [{"type": "dns", "value": NAME}]}), 201,
                     "newOrder " + NAME)
        self.order_url = r.headers.get("location")
        order = r.json()
        if not self.order_url or order.get("status") != "pending":
            raise CaseFailed(f"newOrder: {r.describe()} {r.all_headers}")
        self.finalize_url = order["finalize"]
        self.ok(f"newOrder {NAME}: 201 pending")
        authz = a.expect(a.signed(order["authorizations"][0], None), 200, "authz").json()
        self.challenge = next(c for c in authz["challenges"] if c["type"] == "http-01")
        self.token = self.challenge["token"]

    def validate(self):
        a = self.a
        self.responder.answers[self.token] = self.token + "." + a.key.thumbprint()
        r = a.expect(a.signed(self.challenge["url"], {}), 200, "POST http-01 challenge")
        if r.json().get("status") != "valid":
            raise CaseFailed(f"http-01 challenge not valid: {r.describe()}; router fetched "
                             f"{self.responder.fetched}")
        o = a.expect(a.signed(self.order_url, None), 200, "order").json()
        if o.get("status") != "ready":
            raise CaseFailed(f"order not ready after a valid challenge: {o}")
        self.ok(f"http-01 answered on 127.0.0.1:{self.args.acme_http_port}: challenge valid, "
                f"order ready (fetched {self.responder.fetched})")

    # --- the hostile cases ----------------------------------------------------------------------

    def jws_cases(self):
        a, P = self.a, self.problem
        new_order = a.dir["newOrder"]
        new_account = a.dir["newAccount"]
        order_payload = {"identifiers": [{"type": "dns", "value": "camera." + HOME}]}

        def send(body, url=new_order, content_type=JOSE):
            return a.post(url, body, content_type)

        def good_parts(url=new_order, payload=order_payload, **kw):
            if "jwk" not in kw:
                kw.setdefault("kid", a.kid)
            h = a.protected(url, **kw)
            p64, pl64 = b64u_json(h), payload_b64_of(payload)
            return p64, pl64, b64u(a.key.sign(f"{p64}.{pl64}".encode()))

        # Bad base64url (RFC 7515 section 2) in each part; the signature covers the text as sent.
        def bad_protected():
            p64, pl64, s64 = good_parts()
            r = send(flattened(p64[:10] + "!*" + p64[12:], pl64, s64))
            P(r, 400, "malformed", "bad base64url in protected")
        self.case("bad base64url in protected -> 400 malformed", bad_protected)

        def bad_protected_length():
            p64, pl64, s64 = good_parts()
            # base64url text is never 1 more than a multiple of 4 characters long.
            r = send(flattened(p64 + "A" * ((1 - len(p64)) % 4 or 4), pl64, s64))
            P(r, 400, "malformed", "protected of an impossible base64 length")
        self.case("protected of an impossible base64url length -> 400 malformed",
                  bad_protected_length)

        def bad_payload():
            p64 = b64u_json(a.protected(new_order, kid=a.kid))
            pl64 = "e30$%^"
            s64 = b64u(a.key.sign(f"{p64}.{pl64}".encode()))
            P(send(flattened(p64, pl64, s64)), 400, "malformed", "bad base64url in payload")
        self.case("bad base64url in payload (correctly signed) -> 400 malformed", bad_payload)

        def bad_signature_b64():
            p64, pl64, s64 = good_parts()
            P(send(flattened(p64, pl64, "***" + s64[3:])), 400, "malformed", "bad b64 signature")
        self.case("bad base64url in signature -> 400 malformed", bad_signature_b64)

        def standard_base64_payload():
            # The standard alphabet's '+' and '/' are not base64url (RFC 4648 section 5).
            p64 = b64u_json(a.protected(new_order, kid=a.kid))
            pl64 = base64.b64encode(b"\xfb\xff\xfe" + json.dumps(order_payload).encode()).decode()
            s64 = b64u(a.key.sign(f"{p64}.{pl64}".encode()))
            P(send(flattened(p64, pl64, s64)), 400, "malformed", "standard base64 payload")
        self.case("payload in standard base64 ('+', '/') -> 400 malformed",
                  standard_base64_payload)

        # Algorithms (RFC 8555 section 6.2): "none" and MACs are refused with the list accepted.
        def check_algorithms(doc, what):
            algs = doc.get("algorithms")
            if not isinstance(algs, list) or "ES256" not in algs:
                raise CaseFailed(f"{what}: badSignatureAlgorithm without an 'algorithms' list "
                                 f"naming ES256 (RFC 8555 6.2): {doc}")
            if any(x in algs for x in ("none", "HS256")):
                raise CaseFailed(f"{what}: 'algorithms' offers none/HS256: {doc}")

        def alg_none():
            k = EcKey()
            h = a.protected(new_account, key=k, alg="none")
            body = flattened(b64u_json(h), b64u_json({"termsOfServiceAgreed": True}), "")
            doc = P(send(body, new_account), 400, "badSignatureAlgorithm", "alg none")
            check_algorithms(doc, "alg none")
        self.case("alg none (newAccount, empty signature) -> 400 badSignatureAlgorithm + "
                  "algorithms", alg_none)

        def alg_none_kid():
            h = a.protected(new_order, kid=a.kid, alg="none")
            body = flattened(b64u_json(h), b64u_json(order_payload), "")
            doc = P(send(body), 400, "badSignatureAlgorithm", "alg none with kid")
            check_algorithms(doc, "alg none with kid")
        self.case("alg none (newOrder with kid) -> 400 badSignatureAlgorithm + algorithms",
                  alg_none_kid)

        def hs256(kid_mode):
            def run():
                url = new_order if kid_mode else new_account
                payload = order_payload if kid_mode else {"termsOfServiceAgreed": True}
                h = (a.protected(url, kid=a.kid, alg="HS256") if kid_mode else
                     a.protected(url, key=EcKey(), alg="HS256"))
                p64, pl64 = b64u_json(h), b64u_json(payload)
                mac = hmac.new(os.urandom(32), f"{p64}.{pl64}".encode(), hashlib.sha256).digest()
                doc = P(send(flattened(p64, pl64, b64u(mac)), url), 400,
                        "badSignatureAlgorithm", "HS256 outer")
                check_algorithms(doc, "HS256 outer JWS")
            return run
        self.case("HS256 outer JWS on newAccount (no EAB) -> 400 badSignatureAlgorithm",
                  hs256(False))
        self.case("HS256 outer JWS on newOrder (kid) -> 400 badSignatureAlgorithm", hs256(True))

        def unknown_alg():
            h = a.protected(new_order, kid=a.kid, alg="XS999")
            p64, pl64 = b64u_json(h), b64u_json(order_payload)
            doc = P(send(flattened(p64, pl64, b64u(a.key.sign(f"{p64}.{pl64}".encode())))), 400,
                    "badSignatureAlgorithm", "unknown alg")
            check_algorithms(doc, "unknown alg")
        self.case("unknown alg XS999 -> 400 badSignatureAlgorithm", unknown_alg)

        def es384_on_p256():
            h = a.protected(new_order, kid=a.kid, alg="ES384")
            p64, pl64 = b64u_json(h), b64u_json(order_payload)
            sig = a.key.sign(f"{p64}.{pl64}".encode(), hashes.SHA384())
            doc = P(send(flattened(p64, pl64, b64u(sig))), 400, "badSignatureAlgorithm",
                    "ES384 with a P-256 key")
            check_algorithms(doc, "ES384 with a P-256 key")
        self.case("ES384 signed with the P-256 account key -> 400 badSignatureAlgorithm",
                  es384_on_p256)

        # Signatures that do not verify. RFC 8555 names no type for them; Boulder and Pebble
        # answer malformed, and unauthorized is as defensible (the key is not the account's).
        def wrong_key():
            p64, pl64, _ = good_parts()
            sig = EcKey().sign(f"{p64}.{pl64}".encode())
            P(send(flattened(p64, pl64, b64u(sig))), [(400, "malformed"), (403, "unauthorized")],
              None, "signed by another key")
        self.case("kid of the account, signed by another key -> 400 malformed/403 unauthorized",
                  wrong_key)

        def der_signature():
            p64, pl64, _ = good_parts()
            sig = a.key.sign(f"{p64}.{pl64}".encode(), raw=False)
            P(send(flattened(p64, pl64, b64u(sig))), 400, ["malformed"], "DER signature")
        self.case("ES256 signature DER-encoded instead of r||s -> 400 malformed", der_signature)

        def flipped_payload():
            p64, pl64, s64 = good_parts()
            other = b64u_json({"identifiers": [{"type": "dns", "value": "evil." + HOME}]})
            P(send(flattened(p64, other, s64)), 400, ["malformed"], "payload swapped")
        self.case("payload swapped after signing -> 400 malformed", flipped_payload)

        # RFC 8555 section 6.4: the url header must be the URL the request was sent to.
        def url_mismatch(signed_url, what):
            def run():
                p64, pl64, s64 = good_parts(url=signed_url)
                P(a.post(new_order, flattened(p64, pl64, s64)), 403, "unauthorized", what)
            return run
        self.case("url header = newAccount, POSTed to newOrder -> 403 unauthorized",
                  url_mismatch(new_account, "url of another resource"))
        self.case("url header on another host -> 403 unauthorized",
                  url_mismatch("https://evil.example" + a.http.path_of(new_order),
                               "url on another host"))
        self.case("url header with a query appended -> 403 unauthorized",
                  url_mismatch(new_order + "?x=1", "url with a query"))

        def no_url():
            h = a.protected(new_order, kid=a.kid)
            del h["url"]
            p64, pl64 = b64u_json(h), b64u_json(order_payload)
            s64 = b64u(a.key.sign(f"{p64}.{pl64}".encode()))
            P(send(flattened(p64, pl64, s64)), [(400, "malformed"), (403, "unauthorized")], None,
              "no url")
        self.case("no url header -> 400 malformed/403 unauthorized", no_url)

        # Nonces (RFC 8555 section 6.5): once each, only ones the server made.
        def check_fresh(r, what):
            n = r.headers.get("replay-nonce")
            if not n:
                raise CaseFailed(f"{what}: badNonce without a fresh Replay-Nonce (RFC 8555 6.5)")
            return n

        def replayed():
            body = a.jws(a.account_url, None, kid=a.kid)
            first = a.post(a.account_url, body)
            a.expect(first, 200, "the original POST-as-GET")
            r = a.post(a.account_url, body)
            P(r, 400, "badNonce", "replayed nonce")
            n = check_fresh(r, "replayed nonce")
            # The fresh nonce works.
            a.expect(a.post(a.account_url, a.jws(a.account_url, None, kid=a.kid, nonce=n)), 200,
                     "POST-as-GET with the nonce from the badNonce answer")
        self.case("replayed nonce -> 400 badNonce + fresh Replay-Nonce that works", replayed)

        def replayed_new_order():
            # The nonce was used by a refused request: still used up.
            n = a.nonce()
            P(a.post(new_order, a.jws(new_order, [1], kid=a.kid, nonce=n)), 400, "malformed",
              "payload array")
            r = a.post(new_order, a.jws(new_order, order_payload, kid=a.kid, nonce=n))
            P(r, 400, "badNonce", "nonce used by a refused request")
            check_fresh(r, "nonce used by a refused request")
        self.case("nonce already spent on a refused request -> 400 badNonce", replayed_new_order)

        def unknown_nonce():
            r = a.post(new_order, a.jws(new_order, order_payload, kid=a.kid,
                                        nonce=b64u(os.urandom(16))))
            P(r, 400, "badNonce", "unknown nonce")
            check_fresh(r, "unknown nonce")
        self.case("unknown nonce -> 400 badNonce + fresh Replay-Nonce", unknown_nonce)

        def missing_nonce():
            h = a.protected(new_order, kid=a.kid)
            del h["nonce"]
            r = a.post(new_order, a.jws(new_order, order_payload, header=h))
            P(r, 400, "badNonce", "missing nonce")
            check_fresh(r, "missing nonce")
        self.case("no nonce header -> 400 badNonce (RFC 8555 6.5)", missing_nonce)

        def garbage_nonce():
            # RFC 8555 6.5.2 says malformed for a nonce that is not base64url; 6.5 says badNonce
            # for an unacceptable one. Either is a refusal.
            r = a.post(new_order, a.jws(new_order, order_payload, kid=a.kid, nonce="no*such+nonce"))
            P(r, 400, ["badNonce", "malformed"], "non-base64url nonce")
        self.case("non-base64url nonce -> 400 badNonce/malformed", garbage_nonce)

        # Size: 1 MiB of a well-formed JWS.
        def huge():
            big = {"identifiers": [{"type": "dns", "value": "big." + HOME}],
                   "x": "A" * (1024 * 1024)}
            body = a.jws(new_order, big, kid=a.kid)
            r = a.post(new_order, body)
            if r.status != 413:
                raise CaseFailed(f"1 MiB body: expected HTTP 413, got {r.describe()}")
            doc = r.json()
            if not isinstance(doc, dict) or not isinstance(doc.get("detail"), str):
                raise CaseFailed(f"1 MiB body: 413 without a problem document: {r.describe()}")
            P(r, 413, "malformed", "1 MiB body")
        self.case(f"1 MiB JWS -> 413 problem (ACME malformed), daemon alive", huge)

        # Public keys (RFC 7518 section 6.2.1): the point must be on the curve.
        def bad_jwk(mutate, what):
            def run():
                k = EcKey()
                jwk = mutate(dict(k.jwk))
                r = a.post(new_account, a.jws(new_account, {"termsOfServiceAgreed": True},
                                              key=k, jwk=jwk))
                P(r, 400, "badPublicKey", what)
            return run

        def off_curve(j):
            y = bytearray(base64.urlsafe_b64decode(j["y"] + "=="))
            y[-1] ^= 1  # y' is neither y nor p - y: (x, y') is not on P-256
            j["y"] = b64u(bytes(y))
            return j
        self.case("newAccount jwk with (x, y) not on P-256 -> 400 badPublicKey",
                  bad_jwk(off_curve, "point not on the curve"))
        self.case("newAccount jwk with x = y = 0 -> 400 badPublicKey",
                  bad_jwk(lambda j: dict(j, x=b64u(bytes(32)), y=b64u(bytes(32))),
                          "zero point"))
        self.case("newAccount jwk with a 31-byte x -> 400 badPublicKey",
                  bad_jwk(lambda j: dict(j, x=b64u(os.urandom(31))), "short x"))
        self.case("newAccount jwk with crv P-257 -> 400 badPublicKey",
                  bad_jwk(lambda j: dict(j, crv="P-257"), "unknown curve"))
        self.case("newAccount jwk carrying the private d -> 400 badPublicKey",
                  bad_jwk(lambda j: dict(j, d=b64u(os.urandom(32))), "private member"))

        # Content type (RFC 8555 section 6.2): application/jose+json only.
        def content_type(ct, what):
            def run():
                r = a.post(new_order, a.jws(new_order, order_payload, kid=a.kid), content_type=ct)
                P(r, 415, "malformed", what)
            return run
        self.case("Content-Type application/json -> 415 malformed",
                  content_type("application/json", "application/json"))
        self.case("no Content-Type -> 415 malformed", content_type(None, "no Content-Type"))

        # kid and jwk (RFC 8555 section 6.2).
        def unknown_kid():
            kid = a.base + "/acme/acct/" + os.urandom(16).hex()
            r = a.post(new_order, a.jws(new_order, order_payload, kid=kid))
            P(r, 400, "accountDoesNotExist", "unknown kid")
        self.case("kid of an unknown account -> 400 accountDoesNotExist", unknown_kid)

        def jwk_on_new_order():
            # The account's own key, as jwk: still not how an account signs.
            r = a.post(new_order, a.jws(new_order, order_payload, jwk=a.key.jwk))
            P(r, 400, "malformed", "jwk where kid is required")
        self.case("newOrder with jwk (the account's own key) instead of kid -> 400 malformed",
                  jwk_on_new_order)

        def jwk_on_account_read():
            r = a.post(a.account_url, a.jws(a.account_url, None, jwk=a.key.jwk))
            P(r, 400, "malformed", "jwk on the account URL")
        self.case("POST-as-GET account with jwk instead of kid -> 400 malformed",
                  jwk_on_account_read)

        def kid_on_new_account():
            r = a.post(new_account, a.jws(new_account, {"termsOfServiceAgreed": True},
                                          kid=a.kid))
            P(r, 400, "malformed", "kid on newAccount")
        self.case("newAccount with kid instead of jwk -> 400 malformed", kid_on_new_account)

        def both_kid_and_jwk():
            h = a.protected(new_order, kid=a.kid)
            h["jwk"] = a.key.jwk
            P(a.post(new_order, a.jws(new_order, order_payload, header=h)), 400, "malformed",
              "kid and jwk")
        self.case("both kid and jwk -> 400 malformed", both_kid_and_jwk)

        def neither_kid_nor_jwk():
            h = a.protected(new_order, kid=a.kid)
            del h["kid"]
            P(a.post(new_order, a.jws(new_order, order_payload, header=h)), 400, "malformed",
              "neither kid nor jwk")
        self.case("neither kid nor jwk -> 400 malformed", neither_kid_nor_jwk)

        def crit_header():
            h = a.protected(new_order, kid=a.kid)
            h["crit"] = ["exp"]
            h["exp"] = 1
            P(a.post(new_order, a.jws(new_order, order_payload, header=h)), 400, "malformed",
              "crit")
        self.case("protected header with crit -> 400 malformed (RFC 7515 4.1.11)", crit_header)

        # Orders (docs/acme.md): the CA sets lifetimes.
        def lifetime(field):
            def run():
                payload = dict(order_payload, **{field: "2030-01-01T00:00:00Z"})
                P(a.post(new_order, a.jws(new_order, payload, kid=a.kid)), 400, "malformed", field)
            return run
        self.case("newOrder with notBefore -> 400 malformed", lifetime("notBefore"))
        self.case("newOrder with notAfter -> 400 malformed", lifetime("notAfter"))

        # Payloads that are JSON but not an object, or not JSON.
        for raw, what in ((b"[1,2]", "an array"), (b'"nas.home.arpa"', "a string"),
                          (b"42", "a number"), (b"null", "null"), (b"{", "truncated JSON"),
                          (b'{"identifiers": [{"type": "dns", "value": "camera.home.arpa"}]}xyz',
                           "an object followed by garbage")):
            self.case(f"newOrder payload {what} -> 400 malformed",
                      lambda raw=raw, what=what: P(
                          a.post(new_order, a.jws(new_order, raw, kid=a.kid)), 400, "malformed",
                          what))

        # Duplicate member names: parsers disagree on which one wins, so none may.
        def dup_payload():
            raw = (b'{"identifiers":[{"type":"dns","value":"camera.home.arpa"}],'
                   b'"identifiers":[{"type":"dns","value":"printer.home.arpa"}]}')
            P(a.post(new_order, a.jws(new_order, raw, kid=a.kid)), 400, "malformed",
              "duplicate identifiers")
        self.case("newOrder payload with duplicate 'identifiers' -> 400 malformed", dup_payload)

        def dup_nested():
            raw = (b'{"identifiers":[{"type":"dns","value":"camera.home.arpa",'
                   b'"value":"printer.home.arpa"}]}')
            P(a.post(new_order, a.jws(new_order, raw, kid=a.kid)), 400, "malformed",
              "duplicate value")
        self.case("newOrder identifier with duplicate 'value' -> 400 malformed", dup_nested)

        def dup_header():
            h = a.protected(new_order, kid=a.kid)
            text = json.dumps(h, separators=(",", ":"))
            evil = a.base + "/acme/acct/" + os.urandom(16).hex()
            text = text[:-1] + f',"kid":{json.dumps(evil)}' + "}"
            p64, pl64 = b64u(text.encode()), b64u_json(order_payload)
            s64 = b64u(a.key.sign(f"{p64}.{pl64}".encode()))
            P(send(flattened(p64, pl64, s64)), 400, "malformed", "duplicate kid")
        self.case("protected header with duplicate 'kid' -> 400 malformed", dup_header)

        def dup_outer():
            p64, pl64, s64 = good_parts()
            other = b64u_json({"identifiers": [{"type": "dns", "value": "evil." + HOME}]})
            body = (f'{{"protected":"{p64}","payload":"{pl64}","payload":"{other}",'
                    f'"signature":"{s64}"}}').encode()
            P(send(body), 400, "malformed", "duplicate payload member")
        self.case("JWS object with duplicate 'payload' -> 400 malformed", dup_outer)

        def extra_member():
            p64, pl64, s64 = good_parts()
            P(send(flattened(p64, pl64, s64, header={"kid": "x"})), 400, "malformed",
              "unprotected header")
        self.case("JWS with an unprotected 'header' member -> 400 malformed", extra_member)

        def compact():
            p64, pl64, s64 = good_parts()
            P(send(f"{p64}.{pl64}.{s64}".encode()), 400, "malformed", "compact serialization")
        self.case("compact serialization -> 400 malformed", compact)

        def empty_body():
            P(send(b""), 400, "malformed", "empty body")
        self.case("empty body -> 400 malformed", empty_body)

        # The valid request at the same endpoint still works: the existing key gets its account.
        def existing_account():
            r = a.post(new_account, a.jws(new_account, {"onlyReturnExisting": True}))
            a.expect(r, 200, "newAccount onlyReturnExisting with the account key")
            if r.headers.get("location") != a.account_url:
                raise CaseFailed(f"newAccount for the existing key: Location "
                                 f"{r.headers.get('location')} != {a.account_url}")
        self.case("after all that, newAccount with the existing key -> 200 + its Location",
                  existing_account)

    def finalize_cases(self):
        a, P = self.a, self.problem

        def bad_csr(der, what, types="badCSR"):
            def run():
                r = a.signed(self.finalize_url, {"csr": b64u(der)})
                P(r, 400, types, what)
            return run
        self.case(f"finalize with a CSR for {OTHER} (order {NAME}) -> 400 badCSR, order ready",
                  bad_csr(csr_der([OTHER]), "other name"))
        self.case(f"finalize with a CSR for {NAME} + {OTHER} -> 400 badCSR, order ready",
                  bad_csr(csr_der([NAME, OTHER]), "extra name"))
        self.case(f"finalize with CN={OTHER}, SAN={NAME} -> 400 badCSR, order ready",
                  bad_csr(csr_der([NAME], cn=OTHER), "CN of another name"))
        self.case("finalize with a CSR naming nothing -> 400 badCSR, order ready",
                  bad_csr(csr_der([]), "no names"))
        bad_sig = bytearray(csr_der([NAME]))
        bad_sig[-3] ^= 1
        self.case("finalize with a CSR whose signature does not verify -> 400 badCSR",
                  bad_csr(bytes(bad_sig), "bad CSR signature"))
        self.case("finalize with DER garbage as csr -> 400 badCSR/malformed",
                  bad_csr(b"\x30\x03\x02\x01\x00garbage", "garbage", ["badCSR", "malformed"]))

        def csr_not_b64():
            r = a.signed(self.finalize_url, {"csr": "MII!!not*base64url"})
            P(r, 400, ["malformed", "badCSR"], "csr not base64url")
        self.case("finalize with csr not base64url -> 400 malformed", csr_not_b64)

        def csr_missing():
            P(a.signed(self.finalize_url, {}), 400, "malformed", "no csr")
        self.case("finalize without csr -> 400 malformed", csr_missing)

        def finalize_url_mismatch():
            body = a.jws(self.finalize_url, {"csr": b64u(csr_der([NAME]))}, kid=a.kid)
            P(a.post(self.finalize_url, body, target=self.order_url), 403, "unauthorized",
              "finalize JWS posted to the order URL")
        self.case("a valid finalize JWS POSTed to the order URL -> 403 unauthorized",
                  finalize_url_mismatch)

    def issue(self):
        """The valid finalize after every refusal: the order was kept ready, so it issues."""
        a = self.a
        key = ec.generate_private_key(ec.SECP256R1())
        r = a.expect(a.signed(self.finalize_url, {"csr": b64u(csr_der([NAME], key=key))}), 200,
                     "finalize with the right CSR")
        o = r.json()
        if o.get("status") != "valid" or not o.get("certificate"):
            raise CaseFailed(f"finalize: order not valid with a certificate: {o}")
        c = a.expect(a.signed(o["certificate"], None), 200, "download the certificate")
        if not c.headers.get("content-type", "").startswith("application/pem-certificate-chain"):
            raise CaseFailed(f"certificate: {c.describe()}")
        leaf = x509.load_pem_x509_certificate(c.body)
        sans = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        if NAME not in sans.get_values_for_type(x509.DNSName) or OTHER in str(sans):
            raise CaseFailed(f"certificate SAN {sans}")
        devices = cli(self.args, "devices")
        if "nas" not in devices or "acme" not in devices:
            raise CaseFailed(f"router-ca devices does not show nas from acme: {devices}")
        # The state comparison every case relied on does see a change when there is one.
        after = self.snapshot()
        changed = sorted(k for k in after if after[k] != self.baseline.get(k))
        if "devices" not in changed or self.order_url not in changed:
            raise CaseFailed(f"the state check did not notice the issuance (changed: {changed})")
        self.ok(f"finalize with the right CSR after the refusals: order valid, certificate for "
                f"{NAME}, router-ca devices lists it (source acme)")

    def after_issue_cases(self):
        a, P = self.a, self.problem
        self.baseline = self.snapshot()

        def refinalize():
            r = a.signed(self.finalize_url, {"csr": b64u(csr_der([NAME]))})
            P(r, 403, "orderNotReady", "finalize a valid order again")
        self.case("finalize an order that is already valid -> 403 orderNotReady", refinalize)

    def run(self):
        args = self.args
        self.responder = ChallengeResponder(args.acme_http_port)
        try:
            try:
                self.setup()
                self.baseline = self.snapshot()

                def early_finalize():
                    r = self.a.signed(self.finalize_url, {"csr": b64u(csr_der([NAME]))})
                    self.problem(r, 403, "orderNotReady", "finalize a pending order")
                self.case("finalize while the order is pending -> 403 orderNotReady",
                          early_finalize)
                self.validate()
            except CaseFailed as e:
                # Without an account and a ready order the rest cannot run: say so loudly.
                self.failures.append(f"setup: {e}")
                print(f"FAIL: setup (approved account, ready order for {NAME}): {e}\n"
                      f"{log_tail_since(args, 0)}", flush=True)
                return 1
            self.baseline = self.snapshot()
            self.jws_cases()
            self.finalize_cases()
            try:
                self.issue()
            except CaseFailed as e:
                self.failures.append(f"issue: {e}")
                print(f"FAIL: issuance after the refusals: {e}", flush=True)
                return 1
            self.after_issue_cases()
        finally:
            self.responder.close()
        print(f"acme_hostile.py: {self.passed} passed, {len(self.failures)} failed", flush=True)
        if self.failures:
            print("FAILED CASES:", flush=True)
            for f in self.failures:
                print("  - " + f.splitlines()[0], flush=True)
            return 1
        return 0


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", required=True, help="https://127.0.0.1:PORT")
    p.add_argument("--root", required=True, help="the router's root.pem")
    p.add_argument("--data-dir", required=True)
    p.add_argument("--router-ca", required=True, help="the router-ca binary")
    p.add_argument("--acme-http-port", type=int, required=True)
    p.add_argument("--log", required=True, help="the daemon's log, quoted on failures")
    args = p.parse_args()
    sys.exit(Run(args).run())


if __name__ == "__main__":
    main()
