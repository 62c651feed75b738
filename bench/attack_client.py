#!/usr/bin/env python3
"""One unauthenticated HTTPS flood for bench/attack_bench.sh: CONNECTIONS keep-alive connections
from one source address, each sending its next request as soon as the previous one is answered,
for SECONDS. A connection the server closes or refuses is opened again at once (a refused one
after 50 ms, so a full server is not met with a busy loop).

  enrol         POST /api/v1/enrolments with a valid P-256 CSR, the key taken in turn from a pool
                of --keys keys (distinct devices to the pairing window); the router keeps at most
                4 undecided requests of one address, so most answers are 202 with older requests
                of this address expired.
  poll          GET /api/v1/enrolments/<id> for a request this client submitted at the start,
                with a new random (wrong) bearer token each time: 401.
  login         POST /api/v1/admin/login with a wrong password of the longest length the router
                accepts (1024 characters): 401 while hashed, 429 once the address is throttled.
  acme-account  POST /acme/new-account signed (ES256, RFC 8555 section 7.3) by a new key each
                time, with the nonce of the previous answer: 201, an account waiting for approval.
  acme-nonce    HEAD /acme/new-nonce (RFC 8555 section 7.2): 200 with a Replay-Nonce.

Writes JSON to REPORT: answers (HTTP responses received) by status code, per second (lowest and
median of the full seconds), connection failures (connect refused or reset, TLS failures, answers
cut off) and the first few of them, latency p50/p99 of answers. Only the standard library and
python3-cryptography (the ACME signatures reuse tests/e2e/acme_hostile_client.py's key and JWS helpers).
"""
import argparse
import functools
import http.client
import json
import os
import secrets
import ssl
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ left in tests/e2e
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "e2e"))
from acme_hostile_client import EcKey, b64u, b64u_json, flattened  # noqa: E402

from rate_tally import RateTally  # noqa: E402

from cryptography import x509  # noqa: E402
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402
from cryptography.x509.oid import NameOID  # noqa: E402

JOSE = "application/jose+json"
WRONG_PASSWORD = "w" * 1024  # admin/password_hash.hpp kMaxPasswordLength


def csr_pem(key, name):
    csr = (x509.CertificateSigningRequestBuilder()
           .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
           .sign(key, hashes.SHA256()))
    return csr.public_bytes(serialization.Encoding.PEM).decode()


class Flood:
    """What one kind of flood sends; request() returns (method, path, body, headers)."""

    def __init__(self, args):
        self.args = args
        self.base = f"https://{args.host}:{args.port}"
        if args.kind == "enrol":
            self.bodies = [json.dumps({"csr": csr_pem(ec.generate_private_key(ec.SECP256R1()),
                                                      f"flood{i}"), "name": f"flood{i}"})
                           for i in range(args.keys)]
            self.next_body = 0
        self.poll_path = None

    def prepare(self, conn):
        """Before the flood: the poll flood submits the request it then polls."""
        if self.args.kind != "poll":
            return
        body = json.dumps({"csr": csr_pem(ec.generate_private_key(ec.SECP256R1()), "poller"),
                           "name": "poller"})
        conn.request("POST", "/api/v1/enrolments", body, {"Content-Type": "application/json"})
        r = conn.getresponse()
        answer = r.read()
        if r.status != 202:
            raise SystemExit(f"poll: the enrolment to poll was answered {r.status}: {answer[:200]!r}")
        self.poll_path = f"/api/v1/enrolments/{json.loads(answer)['id']}"

    def request(self, nonce):
        kind = self.args.kind
        if kind == "enrol":
            body = self.bodies[self.next_body % len(self.bodies)]
            self.next_body += 1
            return "POST", "/api/v1/enrolments", body, {"Content-Type": "application/json"}
        if kind == "poll":
            return "GET", self.poll_path, None, {"Authorization": "Bearer " + secrets.token_hex(32)}
        if kind == "login":
            return ("POST", "/api/v1/admin/login", json.dumps({"password": WRONG_PASSWORD}),
                    {"Content-Type": "application/json"})
        if kind == "acme-nonce":
            return "HEAD", "/acme/new-nonce", None, {}
        # acme-account: a new key each time, so each answer is a new account (RFC 8555 7.3).
        key = EcKey()
        url = self.base + "/acme/new-account"
        protected = b64u_json({"alg": "ES256", "nonce": nonce, "url": url, "jwk": key.jwk})
        payload = b64u_json({"termsOfServiceAgreed": True})
        body = flattened(protected, payload, b64u(key.sign(f"{protected}.{payload}".encode())))
        return "POST", "/acme/new-account", body, {"Content-Type": JOSE}


def connect(args, context):
    return http.client.HTTPSConnection(args.host, args.port, context=context, timeout=30,
                                       source_address=(args.source, 0))


def fresh_nonce(conn):
    conn.request("HEAD", "/acme/new-nonce")
    r = conn.getresponse()
    r.read()
    return r.getheader("Replay-Nonce")


def flood_loop(args, flood, context, t0, tally):
    conn, nonce = None, None
    while time.monotonic() - t0 < args.seconds:
        try:
            if conn is None:
                conn = connect(args, context)
                if args.kind == "acme-account":
                    nonce = fresh_nonce(conn)
            method, path, body, headers = flood.request(nonce)
            start = time.monotonic()
            conn.request(method, path, body, headers)
            r = conn.getresponse()
            r.read()
            tally.answered(start, time.monotonic(), t0, r.status)
            nonce = r.getheader("Replay-Nonce") or nonce
            if r.will_close:
                conn.close()
                conn = None
        except (OSError, http.client.HTTPException, ssl.SSLError) as e:
            tally.failed(f"{type(e).__name__}: {e}")
            if conn is not None:
                conn.close()
            conn = None
            time.sleep(0.05)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("kind", choices=("enrol", "poll", "login", "acme-account", "acme-nonce"))
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--cafile", required=True)
    p.add_argument("--source", required=True, help="the flood's own loopback address")
    p.add_argument("--connections", type=int, default=1)
    p.add_argument("--seconds", type=float, default=60)
    p.add_argument("--keys", type=int, default=64, help="enrol: distinct device keys")
    p.add_argument("--ready", help="a file to create once set up (keys made, request submitted)")
    p.add_argument("--go", help="a file to wait for after --ready: the floods begin together")
    p.add_argument("--report", required=True)
    args = p.parse_args()

    context = ssl.create_default_context(cafile=args.cafile)
    context.check_hostname = False
    flood = Flood(args)
    first = connect(args, context)
    flood.prepare(first)
    first.close()
    if args.ready:
        open(args.ready, "w").close()
    waited = time.monotonic()
    while args.go and not os.path.exists(args.go):
        if time.monotonic() - waited > 120:
            raise SystemExit(f"{args.kind}: {args.go} did not appear within 120 s")
        time.sleep(0.01)
    tally = RateTally(args.seconds)
    elapsed = tally.run([functools.partial(flood_loop, args, flood, context)] * args.connections)
    report = {
        "kind": args.kind,
        "source": args.source,
        "connections": args.connections,
        "seconds": round(elapsed, 1),
        "answers": len(tally.latencies),
        "statuses": {str(k): v for k, v in sorted(tally.statuses.items())},
        **tally.figures(elapsed),
        "per_second": tally.full_seconds(),
        "failures": tally.failures,
        "first_failures": tally.first_failures,
    }
    with open(args.report, "w") as f:
        json.dump(report, f, indent=1)


if __name__ == "__main__":
    main()
