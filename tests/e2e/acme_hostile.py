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
import json
import subprocess
import sys
import time
import traceback

# acme_hostile_client stops with a FAIL line when python3-cryptography is missing.
from acme_hostile_client import (ERR, NAME, OTHER, Acme, CaseFailed, ChallengeResponder, b64u,
                                 cli, cli_result, cli_start, csr_der, log_size, log_tail_since)
from acme_hostile_jws import JwsCases
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec


# --- the run -------------------------------------------------------------------------------------

class Run(JwsCases):
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
