#!/usr/bin/env python3
"""The JWS cases of acme_hostile.py: every way a request's JSON Web Signature, nonce, key or
header can be wrong (RFC 8555 §6.2-6.5, RFC 7515), each of which must get its ACME problem and
change nothing. A mixin of acme_hostile.Run, which holds the client and the checks.
"""
import base64
import hashlib
import hmac
import json
import os

# acme_hostile_client stops with a FAIL line when python3-cryptography is missing.
from acme_hostile_client import (HOME, JOSE, CaseFailed, EcKey, b64u, b64u_json, flattened,
                                 payload_b64_of)
from cryptography.hazmat.primitives import hashes


class JwsCases:
    """Needs self.a (an Acme client with an approved account), self.problem and self.case."""

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
