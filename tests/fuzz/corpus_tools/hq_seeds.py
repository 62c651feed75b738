#!/usr/bin/env python3
"""Seeds of the HQ body targets (fuzz_hq_registration, fuzz_hq_records, fuzz_hq_certificate_orders).

hq_seeds.py PKI_DIR CORPUS_DIR: PKI_DIR holds the CSRs make_corpus.sh made with openssl
(hq-<name>.csr.pem, for names under the home nifty-babbage.vendor.example of tests/fuzz/
hq_checks.hpp) and leaf.pem. Bodies are written as the router writes them (router-ca/daemon/
hq_client.cpp: nlohmann's compact dump, members sorted); near-misses (miss_*) are one edit away.
"""
import base64
import json
import os
import sys

pki, corpus = sys.argv[1], sys.argv[2]
TOKEN = "5f2b8c0e9a7d4136b1e8f0c2d4a6b8e0"  # 16 random octets in hex, as hq_link.cpp makes it


def body(**members):
    return json.dumps(members, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


def write(target, name, text):
    with open(os.path.join(corpus, target, name), "w", encoding="utf-8") as f:
        f.write(text)


registration = {
    "registration": body(token=TOKEN, address="192.168.1.1"),
    "registration_10": body(token=TOKEN, address="10.0.0.1"),
    "registration_172": body(token=TOKEN, address="172.16.5.4"),
    "registration_base64url": body(token="Xw-3_kP9qLm2ZtR8vYc1aB", address="192.168.178.1"),
    "registration_hex_upper": body(token=TOKEN.upper(), address="192.168.1.1"),
    "miss_token_64_bits": body(token=TOKEN[:16], address="192.168.1.1"),
    "miss_token_padded": body(token="Xw-3_kP9qLm2ZtR8vYc1aB==", address="192.168.1.1"),
    "miss_token_257": body(token="a" * 257, address="192.168.1.1"),
    "miss_public_address": body(token=TOKEN, address="8.8.8.8"),
    "miss_loopback": body(token=TOKEN, address="127.0.0.1"),
    "miss_172_32": body(token=TOKEN, address="172.32.0.1"),
    "miss_leading_zero": body(token=TOKEN, address="192.168.01.1"),
    "miss_address_space": body(token=TOKEN, address="192.168.1.1 "),
    "miss_no_address": body(token=TOKEN),
    "miss_unknown_member": body(token=TOKEN, address="192.168.1.1", admin="yes"),
    "miss_duplicate_member": '{"address":"192.168.1.1","token":"%s","token":"%s"}' % (TOKEN, TOKEN),
    "miss_token_number": '{"address":"192.168.1.1","token":5}',
    "miss_array": '["%s","192.168.1.1"]' % TOKEN,
    "miss_truncated": body(token=TOKEN, address="192.168.1.1")[:-12],
}
for name, text in registration.items():
    write("fuzz_hq_registration", name + ".json", text)

# fuzz_hq_records: the path's label, a newline, the body.
records = {
    "router": ("router", body(address="192.168.1.1")),
    "cam": ("cam", body(address="192.168.1.20")),
    "nas_1": ("nas-1", body(address="10.1.2.3")),
    "label_63": ("x" * 63, body(address="172.31.255.254")),
    "miss_label_64": ("x" * 64, body(address="192.168.1.20")),
    "miss_upper_case": ("Cam", body(address="192.168.1.20")),
    "miss_underscore": ("_acme-challenge", body(address="192.168.1.20")),
    "miss_leading_hyphen": ("-cam", body(address="192.168.1.20")),
    "miss_empty_label": ("", body(address="192.168.1.20")),
    "miss_label_utf8": ("caf\u00e9", body(address="192.168.1.20")),
    "miss_public_address": ("cam", body(address="203.0.113.5")),
    "miss_unknown_member": ("cam", body(address="192.168.1.20", ttl="60")),
    "miss_address_number": ("cam", '{"address":3232235796}'),
    "miss_empty_body": ("cam", ""),
}
for name, (label, text) in records.items():
    write("fuzz_hq_records", name + ".txt", label + "\n" + text)


def pem(name):
    with open(os.path.join(pki, name), encoding="ascii") as f:
        return f.read()


def flip_signature(text):
    """The PEM with the last octet of its DER (inside the signature) changed."""
    lines = text.strip().splitlines()
    der = bytearray(base64.b64decode("".join(lines[1:-1])))
    der[-1] ^= 0x01
    b64 = base64.b64encode(bytes(der)).decode()
    return "\n".join([lines[0]] + [b64[i:i + 64] for i in range(0, len(b64), 64)] + [lines[-1]]) + "\n"


orders = {name: pem("hq-%s.csr.pem" % name) for name in (
    "cam", "cam_san_only", "cam_rsa2048", "upper_case",
    "miss_other_home", "miss_deeper", "miss_extra_name", "miss_ip", "miss_cn_differs",
    "miss_cn_only", "miss_wildcard", "miss_underscore")}
orders["miss_bad_signature"] = flip_signature(orders["cam"])
cam_lines = orders["cam"].splitlines(keepends=True)
orders["miss_pem_line_lost"] = "".join(cam_lines[:2] + cam_lines[3:])
orders["miss_certificate"] = pem("leaf.pem")
for name, text in orders.items():
    write("fuzz_hq_certificate_orders", name + ".json", body(csr=text))
write("fuzz_hq_certificate_orders", "miss_csr_number.json", '{"csr":5}')
write("fuzz_hq_certificate_orders", "miss_unknown_member.json",
      body(csr=orders["cam"], name="cam.nifty-babbage.vendor.example"))
