#!/usr/bin/env python3
"""A device resolving its name, timed, for bench/attack_bench.sh: COUNT queries for NAME A, one
after another, over UDP or over TCP (a new connection per query, as a stub resolver falling back
to TCP opens one), each timed from the first byte sent to the whole answer received with a
monotonic clock. kdig reports round trips in steps of 0.1 ms, which is what an idle router's
answer takes on loopback, so its figure cannot show a 3x change; this one can.

Prints one line per query: "RTT_MS RCODE ANSWERS" ("timeout" for RCODE when no answer came within
--timeout s, "error" for any other failure). RCODE is the DNS response code's name (RFC 1035
4.1.1, RFC 6895 2.3).
"""
import argparse
import secrets
import socket
import struct
import time

RCODES = {0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP", 5: "REFUSED"}


def query(name, qid):
    """A standard query (RD set) for NAME IN A (RFC 1035 4.1)."""
    header = struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    qname = b"".join(bytes([len(label)]) + label.encode() for label in name.rstrip(".").split("."))
    return header + qname + b"\0" + struct.pack("!HH", 1, 1)


def parse(answer, qid):
    qid_back, flags, _, ancount = struct.unpack("!HHHH", answer[:8])
    if qid_back != qid or not flags & 0x8000:
        return "error", 0
    return RCODES.get(flags & 0xF, str(flags & 0xF)), ancount


def recv_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionError("closed before the whole answer")
        data += chunk
    return data


def one(args):
    qid = secrets.randbelow(0x10000)
    packet = query(args.name, qid)
    family_type = socket.SOCK_STREAM if args.tcp else socket.SOCK_DGRAM
    with socket.socket(socket.AF_INET, family_type) as s:
        s.settimeout(args.timeout)
        s.bind((args.source, 0))
        start = time.monotonic()
        if args.tcp:
            s.connect((args.server, args.port))
            s.sendall(struct.pack("!H", len(packet)) + packet)  # RFC 1035 4.2.2 framing
            answer = recv_exact(s, struct.unpack("!H", recv_exact(s, 2))[0])
        else:
            s.sendto(packet, (args.server, args.port))
            answer = s.recv(4096)
        rtt = 1000 * (time.monotonic() - start)
    return rtt, *parse(answer, qid)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--server", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--source", default="127.0.0.1")
    p.add_argument("--name", required=True)
    p.add_argument("--count", type=int, default=20)
    p.add_argument("--tcp", action="store_true")
    p.add_argument("--timeout", type=float, default=2.0)
    args = p.parse_args()
    for _ in range(args.count):
        try:
            rtt, rcode, answers = one(args)
            print(f"{rtt:.3f} {rcode} {answers}")
        except socket.timeout:
            print(f"{1000 * args.timeout:.3f} timeout 0")
        except OSError:
            print(f"{1000 * args.timeout:.3f} error 0")


if __name__ == "__main__":
    main()
