#!/usr/bin/env python3
"""Closed-loop HTTPS load for bench/load_bench.sh: THREADS clients, each from its own loopback
source address (so none meets the router's per-address limit), each sending its next request as
soon as the previous one is answered, for SECONDS.

  poll    GET /api/v1/enrolments/<id> with its bearer token, on a keep-alive connection (opened
          again whenever the server closes it), as a device waiting for its certificate does.
  renew   POST /api/v1/renewals over mutual TLS with the device's current certificate and a CSR
          for the device's other key, one connection each, as a device renewing does; the new
          certificate is the client certificate of the next renewal, so the two keys alternate.

With --peer, the same requests go to a server that answers every one with a fixed body (nginx in
the benchmark): the renew client then keeps its first certificate. Every answer other than 200 with
the expected content, and every failed connection, counts as an error.
Writes JSON: requests, errors (and the first few), requests per second overall and the lowest and
median of the per-second counts, and latency p50/p99 in ms.
"""
import argparse
import functools
import http.client
import json
import os
import ssl
import time

from rate_tally import RateTally


def connection(args, source, context):
    return http.client.HTTPSConnection(args.host, args.port, context=context, timeout=30,
                                       source_address=(source, 0))


def poll_loop(args, index, source, t0, tally):
    enrolment = json.load(open(args.enrolments))[index]
    context = ssl.create_default_context(cafile=args.cafile)
    context.check_hostname = False
    path = f"/api/v1/enrolments/{enrolment['id']}"
    headers = {"Authorization": f"Bearer {enrolment['token']}"}
    conn = None
    while time.monotonic() - t0 < args.seconds:
        start = time.monotonic()
        try:
            if conn is None:
                conn = connection(args, source, context)
            conn.request("GET", path, headers=headers)
            res = conn.getresponse()
            body = res.read()
            if res.status != 200 or (not args.peer and b'"status"' not in body):
                tally.failed(f"poll: {res.status} {body[:120]!r}")
            else:
                tally.answered(start, time.monotonic(), t0)
            if res.will_close:
                conn.close()
                conn = None
        except (OSError, http.client.HTTPException) as e:
            tally.failed(f"poll: {type(e).__name__}: {e}")
            if conn is not None:
                conn.close()
            conn = None


def renew_loop(args, index, source, t0, tally):
    device = os.path.join(args.devices, str(index))
    current, other = "a", "b"  # the device's certificate is for key a at the start
    while time.monotonic() - t0 < args.seconds:
        context = ssl.create_default_context(cafile=args.cafile)
        context.check_hostname = False
        context.load_cert_chain(os.path.join(device, f"cert-{current}.pem"),
                                os.path.join(device, f"key-{current}.pem"))
        body = json.dumps({"csr": open(os.path.join(device, f"csr-{other}.pem")).read()})
        start = time.monotonic()
        conn = connection(args, source, context)
        try:
            conn.request("POST", "/api/v1/renewals", body=body,
                         headers={"Content-Type": "application/json"})
            res = conn.getresponse()
            answer = res.read()
        except (OSError, http.client.HTTPException) as e:
            tally.failed(f"renew: {type(e).__name__}: {e}")
            continue
        finally:
            conn.close()
        if res.status != 200:
            tally.failed(f"renew: {res.status} {answer[:160]!r}")
            continue
        if not args.peer:
            certificate = json.loads(answer).get("certificate", "")
            if "BEGIN CERTIFICATE" not in certificate:
                tally.failed(f"renew: no certificate in {answer[:160]!r}")
                continue
            with open(os.path.join(device, f"cert-{other}.pem"), "w") as f:
                f.write(certificate)
            current, other = other, current
        tally.answered(start, time.monotonic(), t0)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("kind", choices=("poll", "renew"))
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--cafile", required=True)
    p.add_argument("--threads", type=int, default=4)
    p.add_argument("--seconds", type=float, default=60)
    p.add_argument("--source-prefix", required=True, help='e.g. "127.0.1." (thread i uses .<i+1>)')
    p.add_argument("--enrolments", help="poll: JSON list of {id, token}, one per thread")
    p.add_argument("--devices", help="renew: folder with one folder per thread (0, 1, ...)")
    p.add_argument("--peer", action="store_true", help="the server answers with a fixed body")
    p.add_argument("--report", required=True)
    args = p.parse_args()

    tally = RateTally(args.seconds)
    loop = poll_loop if args.kind == "poll" else renew_loop
    elapsed = tally.run([functools.partial(loop, args, i, f"{args.source_prefix}{i + 1}")
                         for i in range(args.threads)])
    report = {
        "kind": args.kind,
        "threads": args.threads,
        "seconds": round(elapsed, 1),
        "requests": len(tally.latencies),
        "errors": tally.failures,
        "first_errors": tally.first_failures,
        **tally.figures(elapsed),
    }
    with open(args.report, "w") as f:
        json.dump(report, f, indent=1)


if __name__ == "__main__":
    main()
