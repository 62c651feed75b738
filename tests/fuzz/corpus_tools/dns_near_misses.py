#!/usr/bin/env python3
"""Near-miss DNS messages for the fuzz_dns_query seeds, each one edit away from a query kdig sent.

dns_near_misses.py QUERY OUT_DIR: QUERY is kdig's "nas.home.arpa A" without EDNS; each variant
breaks one rule query_parser.cpp or wire_name.cpp checks (RFC 1035 4.1, RFC 6891 6.1.1).
"""
import os
import struct
import sys

query = open(sys.argv[1], "rb").read()
out_dir = sys.argv[2]
header, body = bytearray(query[:12]), query[12:]
opt = b"\x00" + struct.pack("!HHIH", 41, 1232, 0, 0)  # root owner, OPT, size, ttl, rdlen 0


def with_header(flags2=None, counts=None):
    h = bytearray(header)
    if flags2 is not None:
        h[2] = flags2
    if counts is not None:
        h[4:12] = struct.pack("!HHHH", *counts)
    return bytes(h)


variants = {
    "miss_empty": b"",
    "miss_short_header": query[:7],
    "miss_response_qr": with_header(flags2=header[2] | 0x80) + body,
    "miss_opcode_notify": with_header(flags2=(header[2] & 0x87) | (4 << 3)) + body,
    "miss_opcode_update": with_header(flags2=(header[2] & 0x87) | (5 << 3)) + body,
    "miss_two_questions": with_header(counts=(2, 0, 0, 0)) + body + body,
    "miss_no_question": with_header(counts=(0, 0, 0, 0)),
    "miss_trailing_byte": query + b"\x00",
    "miss_truncated_question": query[:-2],
    "miss_two_opt": with_header(counts=(1, 0, 0, 2)) + body + opt + opt,
    "miss_opt_in_answer": with_header(counts=(1, 1, 0, 0)) + body + opt,
    "miss_opt_bad_option_length": with_header(counts=(1, 0, 0, 1)) + body
    + opt[:-2] + struct.pack("!H", 4) + struct.pack("!HH", 10, 8),
    # A compression pointer to itself, where the question's name should be.
    "miss_pointer_loop": bytes(header) + b"\xc0\x0c" + body[-4:],
    # A pointer forward, past the end of the message.
    "miss_pointer_out": bytes(header) + b"\xc0\xff" + body[-4:],
    "miss_label_type_01": bytes(header) + b"\x40" + b"a" * 64 + b"\x00" + body[-4:],
    "miss_name_256": bytes(header) + (b"\x3f" + b"a" * 63) * 4 + b"\x00" + body[-4:],
    # A label holding a name of its own, then a pointer into that label (into the name itself).
    "miss_label_holds_name": bytes(header) + b"\x03\x01a\x00\xc0\x0d" + body[-4:],
    # Issue 14's query, which made the responder echo 61 octets past the question it was sent: a
    # 63-octet label holding a 61-octet label and the root, then a pointer to that inner label
    # (66 octets on the wire, 127 decompressed). Kept as crash_ beside its regression test,
    # tests/router-ca/dns/hostile_packet_test.cpp "question name pointing into itself".
    "crash_question_points_into_itself": bytes(header) + b"\x3f\x3d" + b"y" * 61
    + b"\x00\xc0\x0d" + body[-4:],
}
for name, wire in variants.items():
    with open(os.path.join(out_dir, name + ".bin"), "wb") as f:
        f.write(wire)
