#!/usr/bin/env python3
"""Concurrent admin logins from several source addresses, for login_flood_test.sh.

Opens PER_ADDRESS TLS connections from each address in --from to 127.0.0.1:PORT (verifying the
router's certificate, which names 127.0.0.1, against --cacert), waits until every handshake is
done, then sends one POST /api/v1/admin/login {"password": PASSWORD} on all of them at the same
moment, so that every request reaches the router while the others are in progress. Prints one line per request:
"ADDRESS STATUS RETRY-AFTER" ("-" when the answer had no Retry-After), and exits 1 if any
connection failed (the line then says "ADDRESS error WHAT").
"""
import argparse
import http.client
import json
import ssl
import sys
import threading


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--cacert", required=True)
    p.add_argument("--from", dest="sources", required=True, help="comma-separated addresses")
    p.add_argument("--per-address", type=int, required=True)
    p.add_argument("--password", required=True)
    args = p.parse_args()

    ctx = ssl.create_default_context(cafile=args.cacert)
    jobs = [a for a in args.sources.split(",") for _ in range(args.per_address)]
    body = json.dumps({"password": args.password})
    start = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def attempt(i, source):
        conn = None
        try:
            conn = http.client.HTTPSConnection("127.0.0.1", args.port, context=ctx,
                                               source_address=(source, 0), timeout=60)
            conn.connect()
        except OSError as e:
            results[i] = f"{source} error connect: {e}"
        try:
            start.wait(timeout=60)  # every thread reaches it, connected or not
        except threading.BrokenBarrierError:
            pass
        if results[i]:
            return
        try:
            conn.request("POST", "/api/v1/admin/login", body=body,
                         headers={"Content-Type": "application/json"})
            answer = conn.getresponse()
            answer.read()
            results[i] = f"{source} {answer.status} {answer.getheader('Retry-After') or '-'}"
        except (OSError, http.client.HTTPException) as e:
            results[i] = f"{source} error request: {e}"
        finally:
            conn.close()

    threads = [threading.Thread(target=attempt, args=(i, s)) for i, s in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("\n".join(results))
    return 1 if any(" error " in r for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
