#!/usr/bin/env python3
"""Slow and silent HTTPS clients from one source address, for slow_client_test.sh.

Opens COUNT connections from SOURCE to HOST:PORT in three kinds, taken in turn:
  idle    connects and sends nothing;
  hello   sends a real TLS ClientHello one byte per --every seconds;
  request completes the TLS handshake, then sends an HTTP request one byte (one TLS record) per
          --every seconds.
It keeps them for --hold seconds and notes when the server closes each one; with --reconnect it
replaces each closed connection, as a persistent attacker would (the load benchmark), else never.
Rewrites STATUS (JSON) every 0.5 s and writes REPORT, the same at the end:
per kind, how many the server closed at once (within --at-once seconds of connecting), how many it
closed later and after how long at most, and how many were still open at the end.
"""
import argparse
import json
import os
import selectors
import socket
import ssl
import time

REQUEST = b"GET /healthz HTTP/1.1\r\nHost: router\r\nUser-Agent: slow-client\r\n\r\n"
KINDS = ("idle", "hello", "request")


def client_context():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def client_hello(ctx):
    """The bytes of a real ClientHello, made with memory BIOs and never sent by Python itself."""
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = ctx.wrap_bio(incoming, outgoing, server_side=False)
    try:
        tls.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return outgoing.read()


class Conn:
    def __init__(self, kind, sock, opened):
        self.kind, self.sock, self.opened = kind, sock, opened
        self.tls = None          # for "request": the SSLSocket once wrapped
        self.established = False  # the TCP handshake has completed
        self.handshaken = False
        self.sent = 0
        self.closed_at = None

    def close(self, now):
        if self.closed_at is None:
            self.closed_at = now
            self.sock.close()


def connect(args, kind):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((args.source, 0))
    s.setblocking(False)
    try:
        s.connect((args.host, args.port))
    except BlockingIOError:
        pass
    return Conn(kind, s, time.monotonic())


def open_all(args):
    conns = []
    for i in range(args.count):
        conns.append(connect(args, KINDS[i % len(KINDS)]))
        # In bursts the listen backlog absorbs (64): beyond it the kernel drops handshakes and
        # they arrive seconds later, which would blur what the server did when.
        if i % args.burst == args.burst - 1:
            time.sleep(0.05)
    return conns


def poll_closed(conn, now):
    """Reads whatever the server sent; notes a close (EOF or reset)."""
    try:
        if conn.kind == "request" and conn.handshaken:
            data = conn.tls.recv(4096)
        elif conn.kind == "request":
            return
        else:
            data = conn.sock.recv(4096)
        if data == b"":
            conn.close(now)
    except (BlockingIOError, ssl.SSLWantReadError, ssl.SSLWantWriteError):
        pass
    except OSError:
        conn.close(now)


def connected(conn, now):
    """True once the non-blocking connect has completed; notes a failed one as a close."""
    if conn.established:
        return True
    try:
        conn.sock.getpeername()
        conn.established = True
        conn.opened = now  # lifetimes count from here: a SYN the kernel dropped is retried later
    except OSError:
        if conn.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR):
            conn.close(now)
    return conn.established


def advance_handshake(conn, now, ctx):
    try:
        if conn.tls is None:
            conn.tls = ctx.wrap_socket(conn.sock, do_handshake_on_connect=False)
            conn.sock = conn.tls
        conn.tls.do_handshake()
        conn.handshaken = True
    except (ssl.SSLWantReadError, ssl.SSLWantWriteError, BlockingIOError):
        pass
    except (OSError, ssl.SSLError):
        conn.close(now)


def send_next_byte(conn, hello, now):
    payload = hello if conn.kind == "hello" else REQUEST
    if conn.sent >= len(payload):
        return
    try:
        if conn.kind == "hello":
            n = conn.sock.send(payload[conn.sent:conn.sent + 1])
        elif conn.handshaken:
            n = conn.tls.write(payload[conn.sent:conn.sent + 1])
        else:
            return
        conn.sent += n
    except (BlockingIOError, ssl.SSLWantReadError, ssl.SSLWantWriteError):
        pass
    except OSError:
        conn.close(now)


def report(conns, args, now, start):
    out = {}
    for kind in KINDS:
        mine = [c for c in conns if c.kind == kind]
        at_once = [c for c in mine if c.closed_at is not None and c.closed_at - c.opened <= args.at_once]
        later = [c for c in mine if c.closed_at is not None and c.closed_at - c.opened > args.at_once]
        out[kind] = {
            "opened": len(mine),
            "closed_at_once": len(at_once),
            "closed_later": len(later),
            "longest_held_s": round(max((c.closed_at - c.opened for c in later), default=0.0), 1),
            "open": sum(1 for c in mine if c.closed_at is None and c.established),
            "connecting": sum(1 for c in mine if c.closed_at is None and not c.established),
            "bytes_sent_max": max((c.sent for c in mine), default=0),
        }
    out["open"] = sum(out[k]["open"] for k in KINDS)
    # Open for longer than a refusal takes: what the server really holds for this address.
    out["held"] = sum(1 for c in conns
                      if c.closed_at is None and c.established and now - c.opened > args.at_once)
    out["connecting"] = sum(out[k]["connecting"] for k in KINDS)
    out["elapsed_s"] = round(now - start, 1)
    return out


def write_json(path, data):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(data, f, indent=1)
    os.rename(tmp, path)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--source", default="127.0.0.2")
    p.add_argument("--count", type=int, default=500)
    p.add_argument("--every", type=float, default=1.0, help="seconds between two bytes")
    p.add_argument("--hold", type=float, default=30.0, help="seconds to keep the connections")
    p.add_argument("--at-once", type=float, default=2.0, help="a close this soon counts as a refusal")
    p.add_argument("--burst", type=int, default=32, help="connections opened without a pause")
    p.add_argument("--reconnect", type=float, default=0.0,
                   help="replace each closed connection this many seconds later (0: never)")
    p.add_argument("--go", help="wait for this file to appear before connecting (benchmarks start"
                   " their load clients together)")
    p.add_argument("--status", required=True, help="rewritten every 0.5 s")
    p.add_argument("--report", required=True)
    args = p.parse_args()

    ctx = client_context()
    hello = client_hello(ctx)
    while args.go and not os.path.exists(args.go):
        time.sleep(0.01)
    conns = open_all(args)
    reconnects = 0
    start = time.monotonic()
    next_status = start
    next_byte = start
    while True:
        now = time.monotonic()
        if now - start >= args.hold:
            break
        if args.reconnect:
            # A persistent attacker: each closed connection is replaced, --reconnect s later.
            for i, c in enumerate(conns):
                if c.closed_at is not None and now - c.closed_at >= args.reconnect:
                    conns[i] = connect(args, c.kind)
                    reconnects += 1
        live = [c for c in conns if c.closed_at is None]
        for c in live:
            if not connected(c, now):
                continue
            if c.kind == "request" and not c.handshaken:
                advance_handshake(c, now, ctx)
            poll_closed(c, now)
        if now >= next_byte:
            for c in live:
                if c.closed_at is None and c.established and c.kind != "idle":
                    send_next_byte(c, hello, now)
            next_byte = now + args.every
        if now >= next_status:
            write_json(args.status, report(conns, args, now, start))
            next_status = now + 0.5
        time.sleep(0.05)
    now = time.monotonic()
    result = report(conns, args, now, start)
    result["reconnects"] = reconnects
    for c in conns:
        c.close(now)
    write_json(args.report, result)


if __name__ == "__main__":
    main()
