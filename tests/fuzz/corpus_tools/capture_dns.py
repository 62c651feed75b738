#!/usr/bin/env python3
"""Records the DNS queries a real client (kdig) sends, for the fuzz_dns_query seeds.

capture_dns.py PORT OUT_DIR: listens on 127.0.0.1:PORT over UDP and TCP, writes each query it
receives (without TCP's length prefix) to OUT_DIR/NNN.bin in arrival order, and answers each with
an empty response so that the client finishes at once. Runs until killed.
"""
import os
import socket
import struct
import sys
import threading

port, out_dir = int(sys.argv[1]), sys.argv[2]
lock = threading.Lock()
count = 0


def record(query):
    global count
    with lock:
        path = os.path.join(out_dir, "%03d.bin" % count)
        count += 1
    with open(path, "wb") as f:
        f.write(query)


def empty_response(query):
    # The query's header and question with QR set and no records: enough for kdig to stop.
    header = bytearray(query[:12])
    header[2] |= 0x80
    qdcount = struct.unpack("!H", header[4:6])[0]
    header[6:12] = b"\0" * 6
    end = 12
    if qdcount:
        while end < len(query) and query[end] != 0:
            end += query[end] + 1
        end += 5
    return bytes(header) + query[12:end]


def serve_udp(sock):
    while True:
        query, peer = sock.recvfrom(65535)
        record(query)
        sock.sendto(empty_response(query), peer)


def serve_tcp(sock):
    while True:
        conn, _ = sock.accept()
        with conn:
            length = struct.unpack("!H", conn.recv(2, socket.MSG_WAITALL))[0]
            query = conn.recv(length, socket.MSG_WAITALL)
            record(query)
            response = empty_response(query)
            conn.sendall(struct.pack("!H", len(response)) + response)


udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
udp.bind(("127.0.0.1", port))
tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
tcp.bind(("127.0.0.1", port))
tcp.listen(4)
threading.Thread(target=serve_tcp, args=(tcp,), daemon=True).start()
print("ready", flush=True)
serve_udp(udp)
