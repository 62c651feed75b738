#!/usr/bin/env python3
"""Makes COUNT new ACME accounts (RFC 8555 section 7.3), each with a fresh P-256 key, from one
source address, on one keep-alive connection: what anyone on the LAN may do without a button
press. Prints one line, "STATUS:COUNT ..." for the newAccount answers. Exits 1 on a transport
failure or when the directory cannot be read. Standard library and python3-cryptography.

  acme_account_flood.py --url https://127.0.0.1:PORT --root ROOT.pem --source 127.0.0.2 --count N
"""
import argparse
import base64
import collections
import http.client
import json
import ssl
import urllib.parse

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwk_of(key) -> dict:
    numbers = key.public_key().public_numbers()
    return {"crv": "P-256", "kty": "EC", "x": b64u(numbers.x.to_bytes(32, "big")),
            "y": b64u(numbers.y.to_bytes(32, "big"))}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--root", required=True)
    parser.add_argument("--source", required=True)
    parser.add_argument("--count", type=int, required=True)
    args = parser.parse_args()

    host = urllib.parse.urlparse(args.url)
    context = ssl.create_default_context(cafile=args.root)
    context.check_hostname = False
    conn = http.client.HTTPSConnection(host.hostname, host.port, context=context,
                                       source_address=(args.source, 0), timeout=30)

    def call(method, url, body=None):
        headers = {"Content-Type": "application/jose+json"} if body else {}
        conn.request(method, urllib.parse.urlparse(url).path, body, headers)
        response = conn.getresponse()
        return response.status, response.getheader("Replay-Nonce"), response.read()

    status, _, body = call("GET", args.url + "/acme/directory")
    if status != 200:
        raise SystemExit(f"directory: {status} {body!r}")
    directory = json.loads(body)
    _, nonce, _ = call("HEAD", directory["newNonce"])
    statuses = collections.Counter()
    for _ in range(args.count):
        key = ec.generate_private_key(ec.SECP256R1())
        protected = b64u(json.dumps({"alg": "ES256", "jwk": jwk_of(key), "nonce": nonce,
                                     "url": directory["newAccount"]}).encode())
        payload = b64u(json.dumps({"termsOfServiceAgreed": True}).encode())
        r, s = decode_dss_signature(key.sign(f"{protected}.{payload}".encode(),
                                             ec.ECDSA(hashes.SHA256())))
        jws = json.dumps({"protected": protected, "payload": payload,
                          "signature": b64u(r.to_bytes(32, "big") + s.to_bytes(32, "big"))})
        status, nonce, _ = call("POST", directory["newAccount"], jws)
        statuses[status] += 1
        if not nonce:
            _, nonce, _ = call("HEAD", directory["newNonce"])
    print(" ".join(f"{status}:{count}" for status, count in sorted(statuses.items())))


if __name__ == "__main__":
    main()
