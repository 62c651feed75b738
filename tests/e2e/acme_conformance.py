#!/usr/bin/env python3
"""RFC 8555 behaviour that ACME clients never in the tests found missing (issue 15, part 6),
against the real router-ca daemon on loopback:

- a problem document's "status" is the response's (RFC 7807 section 3.1), on every problem below,
  including GET on an ACME resource (405, RFC 8555 section 6.3);
- keyChange to a key that already has an account: 409 with that account's URL in Location
  (section 7.3.5), and the account keeps its key;
- a deactivated account gets 401 unauthorized for everything its key signs (section 7.3.6).

Accounts are made with no pairing window open (they wait for approval, which none of this needs).
The client is acme_hostile_client.py (acme_hostile.py's). Run by acme_conformance_test.sh.
"""
import argparse
import os
import sys

from acme_hostile_client import ERR, Acme, CaseFailed, EcKey, b64u, b64u_json


def problem(resp, status, kind, what):
    """resp must be problem `kind` (short name) with HTTP `status`, and the document's status."""
    if resp.status != status:
        raise CaseFailed(f"{what}: expected HTTP {status} {ERR}{kind}, got {resp.describe()}")
    if not resp.headers.get("content-type", "").startswith("application/problem+json"):
        raise CaseFailed(f"{what}: not application/problem+json: {resp.describe()}")
    doc = resp.json()
    if doc.get("type") != ERR + kind:
        raise CaseFailed(f"{what}: expected {ERR}{kind}, got {resp.describe()}")
    if doc.get("status") != resp.status:
        raise CaseFailed(f"{what}: the problem's status {doc.get('status')!r} is not the "
                         f"response's {resp.status} (RFC 7807 3.1)")
    return doc


def register(args):
    """A new account with a key of its own; waits for approval, which nothing here needs."""
    a = Acme(args)
    url = a.dir["newAccount"]
    r = a.expect(a.post(url, a.jws(url, {"termsOfServiceAgreed": True})), 201, "newAccount")
    a.kid = r.headers.get("location")
    if not a.kid or "/acme/acct/" not in a.kid:
        raise CaseFailed(f"newAccount: no account Location: {r.all_headers}")
    return a


def key_change_body(a, new_key):
    """The keyChange JWS of account a moving to new_key (RFC 8555 section 7.3.5)."""
    url = a.dir["keyChange"]
    inner_header = {"alg": "ES256", "jwk": new_key.jwk, "url": url}
    inner_payload = {"account": a.kid, "oldKey": a.key.jwk}
    p64, pl64 = b64u_json(inner_header), b64u_json(inner_payload)
    inner = {"protected": p64, "payload": pl64,
             "signature": b64u(new_key.sign(f"{p64}.{pl64}".encode()))}
    return url, inner


def run(args):
    """Runs every case, even after one failed; returns the number that failed."""
    passed, failed = 0, 0
    a, b = register(args), register(args)
    passed += 1
    print(f"ok {passed} - two accounts made with no pairing window: {a.kid}, {b.kid}", flush=True)

    def case(name, fn):
        nonlocal passed, failed
        try:
            detail = fn()
            passed += 1
            print(f"ok {passed} - {name}" + (f" ({detail})" if detail else ""), flush=True)
        except CaseFailed as e:
            failed += 1
            print(f"FAIL: {name}: {e}", flush=True)

    def get_is_405():
        for url in (a.dir["newOrder"], a.kid):
            r = a.http.request("GET", url)
            doc = problem(r, 405, "malformed", f"GET {url}")
            if r.headers.get("allow") != "POST":
                raise CaseFailed(f"GET {url}: no Allow: POST: {r.all_headers}")
        return doc["detail"]
    case("GET newOrder and an account URL: 405 malformed, status 405 in the document, "
         "Allow: POST", get_is_405)

    def key_in_use():
        url, inner = key_change_body(a, b.key)
        r = a.signed(url, inner)
        doc = problem(r, 409, "malformed", "keyChange to b's key")
        if r.headers.get("location") != b.kid:
            raise CaseFailed(f"keyChange to b's key: Location {r.headers.get('location')!r}, "
                             f"not b's account {b.kid}: {r.all_headers}")
        a.expect(a.signed(a.kid, None), 200, "a's account read with its own key after the 409")
        return doc["detail"]
    case("keyChange of a to b's key: 409 malformed, Location b's account; a keeps its key",
         key_in_use)

    def key_change():
        fresh = EcKey()
        url, inner = key_change_body(a, fresh)
        a.expect(a.signed(url, inner), 200, "keyChange to a new key")
        a.key = fresh
        a.expect(a.signed(a.kid, None), 200, "a's account read with its new key")
    case("keyChange of a to a key no account has: 200, and the new key signs for a", key_change)

    def deactivated():
        r = b.expect(b.signed(b.kid, {"status": "deactivated"}), 200, "deactivate b")
        if r.json().get("status") != "deactivated":
            raise CaseFailed(f"deactivation answered {r.describe()}")
        doc = problem(b.signed(b.kid, None), 401, "unauthorized", "b reads its account")
        problem(b.signed(b.dir["newOrder"],
                         {"identifiers": [{"type": "dns", "value": "nas.home.arpa"}]}),
                401, "unauthorized", "b orders")
        url = b.dir["newAccount"]
        problem(b.post(url, b.jws(url, {"onlyReturnExisting": True}, jwk=b.key.jwk)), 401,
                "unauthorized", "newAccount with b's key")
        return doc["detail"]
    case("b deactivates itself (200); then reading its account, newOrder and newAccount with its "
         "key each get 401 unauthorized", deactivated)

    def other_problems():
        r = a.post(a.dir["newOrder"], a.jws(a.dir["newOrder"], {"identifiers": []}, kid=a.kid,
                                            nonce=b64u(os.urandom(16))))
        problem(r, 400, "badNonce", "an unknown nonce")
        problem(a.signed(a.base + "/acme/order/" + os.urandom(16).hex(), None), 404,
                "malformed", "an unknown order")
    case("an unknown nonce: 400 badNonce; an unknown order: 404 malformed; the documents' "
         "statuses match", other_problems)
    print(f"acme_conformance.py: {passed} passed, {failed} failed", flush=True)
    return failed


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", required=True, help="https://127.0.0.1:PORT")
    p.add_argument("--root", required=True, help="the router's root.pem")
    args = p.parse_args()
    try:
        sys.exit(1 if run(args) else 0)
    except CaseFailed as e:  # the two accounts could not be made: nothing else can run
        print(f"FAIL: {e}", flush=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
