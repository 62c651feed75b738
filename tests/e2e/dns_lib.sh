#!/usr/bin/env bash
# DNS helpers for end-to-end tests, on top of lib.sh: real kdig (knot-dnsutils), python3 raw
# packets, and dnsmasq. They talk to whatever answers on $DNS_HOST:$DNS_PORT, so the same checks
# run against dns-serve-zone (the responder on its own) and against `router-ca serve
# --dns-listen` (set DNS_PORT=$ROUTER_DNS_PORT after start_router).
# Source lib.sh first.

DNS_HOST=127.0.0.1

# require_tool TOOL PACKAGE: fails the test (never skips it) when a peer is missing.
require_tool() {
  command -v "$1" >/dev/null ||
    fail "$1 is not installed (Debian package $2; scripts/setup.sh installs it)"
}
require_tool kdig knot-dnsutils

# start_dns_serve_zone NAME [dns-serve-zone options...]: serves a zone on a free loopback port.
# Sets DNS_PORT and DNS_PID. Needs $DNS_SERVE_ZONE (set by CTest).
start_dns_serve_zone() {
  local name=$1; shift
  : "${DNS_SERVE_ZONE:?set DNS_SERVE_ZONE to the dns-serve-zone test tool}"
  "$DNS_SERVE_ZONE" --listen "$DNS_HOST:0" "$@" >"$WORK/$name.log" 2>&1 &
  DNS_PID=$!
  PIDS+=("$DNS_PID")
  for _ in $(seq 1 100); do
    DNS_PORT=$(sed -n 's/^listening on .*:\([0-9]*\) (.*/\1/p' "$WORK/$name.log")
    [ -n "$DNS_PORT" ] && return 0
    kill -0 "$DNS_PID" 2>/dev/null || fail "dns-serve-zone exited: $(tail -n 5 "$WORK/$name.log")"
    sleep 0.05
  done
  fail "dns-serve-zone did not start within 5 s"
}

# reload_dns_serve_zone NAME: SIGHUP (re-reads its hosts file) and waits for the new zone.
reload_dns_serve_zone() {
  local log="$WORK/$1.log" before
  before=$(grep -c '^reloaded' "$log" || true)
  kill -HUP "$DNS_PID"
  for _ in $(seq 1 100); do
    [ "$(grep -c '^reloaded' "$log" || true)" -gt "$before" ] && return 0
    sleep 0.05
  done
  fail "dns-serve-zone did not reload: $(tail -n 3 "$log")"
}

# dns_query OUT [kdig arguments...]: asks $DNS_HOST:$DNS_PORT; kdig's text goes to $WORK/OUT.
# +noidn comes first: kdig lowers the case of names parsed after IDN is on.
dns_query() {
  local out="$WORK/$1"; shift
  kdig +noidn "@$DNS_HOST" -p "$DNS_PORT" +retry=0 +timeout=3 "$@" >"$out" 2>&1 ||
    fail "kdig $* got no reply: $(cat "$out")"
}

# dns_rcode OUT: the response's status (NOERROR, NXDOMAIN, REFUSED, NOTIMPL, FORMERR, BADVERS).
dns_rcode() { sed -n 's/.*status: \([A-Z]*\);.*/\1/p' "$WORK/$1" | head -n 1; }
# dns_flags OUT: the header flags, e.g. "qr aa rd".
dns_flags() { sed -n 's/^;; Flags: \([^;]*\);.*/\1/p' "$WORK/$1" | head -n 1; }
# dns_count OUT SECTION: the header's count for QUERY, ANSWER, AUTHORITY or ADDITIONAL.
dns_count() { sed -n "s/^;; Flags: .* $2: \([0-9]*\).*/\1/p" "$WORK/$1" | head -n 1; }
# dns_section OUT NAME: the records of the ANSWER, AUTHORITY or ADDITIONAL section, one a line.
dns_section() {
  awk -v want=";; $2 SECTION:" '$0 == want {on=1; next} /^;; / || /^$/ {if (on) exit} on' "$WORK/$1"
}

# expect_dns DESCRIPTION OUT RCODE [REGEX]: the reply has RCODE, and, when given, an answer
# record matching REGEX (an empty REGEX means: no answer records at all).
expect_dns() {
  local description=$1 out=$2 rcode=$3 got
  got=$(dns_rcode "$out")
  [ "$got" = "$rcode" ] || fail "$description: status $got, expected $rcode: $(cat "$WORK/$out")"
  if [ $# -ge 4 ]; then
    if [ -z "$4" ]; then
      [ "$(dns_count "$out" ANSWER)" = 0 ] || fail "$description: expected no answer: $(cat "$WORK/$out")"
    else
      dns_section "$out" ANSWER | grep -Eq -- "$4" ||
        fail "$description: no answer matching '$4': $(cat "$WORK/$out")"
    fi
  fi
  ok "$description -> $rcode${4:+ ($4)}"
}

# expect_flags DESCRIPTION OUT WANTED UNWANTED: header flags include every word of WANTED and
# none of UNWANTED.
expect_flags() {
  local description=$1 out=$2 flags f
  flags=" $(dns_flags "$out") "
  for f in $3; do [[ "$flags" == *" $f "* ]] || fail "$description: flag $f missing in '$flags'"; done
  for f in $4; do [[ "$flags" != *" $f "* ]] || fail "$description: flag $f set in '$flags'"; done
  ok "$description: flags '$flags'"
}

# expect_soa_authority DESCRIPTION OUT: the authority section holds the zone's SOA (negative
# answers, RFC 2308) with TTL 60.
expect_soa_authority() {
  dns_section "$2" AUTHORITY | grep -Eq '[[:space:]]60[[:space:]]+IN[[:space:]]+SOA[[:space:]]' ||
    fail "$1: no SOA with TTL 60 in authority: $(cat "$WORK/$2")"
  ok "$1: SOA in authority"
}

# run_hostile_table: sends every packet of the hostile table raw to $DNS_HOST:$DNS_PORT over UDP
# and over TCP, checks each gets its RCODE or silence, and that a valid query for NAME (an A
# record that exists) is still answered after each. Adds the checks to CHECKS.
run_hostile_table() {
  local name=$1 count
  cat >"$WORK/hostile_table.py" <<'PY'
import socket, struct, sys, time

host, port, good_name = sys.argv[1], int(sys.argv[2]), sys.argv[3]
DROP = None
FORMERR, NOERROR, NXDOMAIN, NOTIMP, REFUSED = 1, 0, 3, 4, 5

def header(qd, an=0, ns=0, ar=0, f1=0x01, f2=0x00, ident=0xabcd):
    return struct.pack(">HBBHHHH", ident, f1, f2, qd, an, ns, ar)

def name(text):
    out = b""
    for label in text.split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"

A_IN = b"\0\1\0\1"
OPT = b"\0\0\x29\x04\xd0\0\0\0\0\0\0"
qname = name(good_name)
loop = header(1) + b"\xc0\x0c" + A_IN
long_name = b"".join(b"\x3f" + b"x" * 63 for _ in range(5)) + b"\0"
# A question name that points into itself: one label of 63 octets holding a name of its own
# (a 61-octet label and the root), then a pointer to that inner name. 66 octets on the wire
# decompress to 127, so a responder copying the decompressed length echoes 61 octets it was never
# sent (issue 14: the previous client's datagram over UDP, heap memory over TCP).
inner = b"\x3d" + b"y" * 61 + b"\0"
self_pointing = header(1) + b"\x3f" + inner + b"\xc0\x0d" + A_IN

table = [
    ("shorter than a header", b"\xab\xcd\x01\x00\x00\x01", DROP),
    ("response bit set", header(1, f1=0x81) + qname + A_IN, DROP),
    ("QDCOUNT 0", header(0), FORMERR),
    ("QDCOUNT 2", header(2) + qname + A_IN + qname + A_IN, FORMERR),
    ("label over 63", header(1) + b"\x40" + b"x" * 64 + b"\0" + A_IN, FORMERR),
    ("name over 255", header(1) + long_name + A_IN, FORMERR),
    ("compression pointer loop", loop, FORMERR),
    ("question name pointing into itself", self_pointing, FORMERR),
    ("pointer past the end", header(1) + b"\xc0\xff" + A_IN, FORMERR),
    ("unknown class", header(1) + qname + b"\0\1\x12\x34", REFUSED),
    ("trailing garbage", header(1) + qname + A_IN + b"\xde\xad\xbe\xef", FORMERR),
    ("two OPT records", header(1, ar=2) + qname + A_IN + OPT + OPT, FORMERR),
    ("UPDATE opcode", header(1, f1=0x28) + qname + A_IN, NOTIMP),
]

def valid_query(ident):
    return header(1, ident=ident) + qname + A_IN

def rcode_of(reply):
    return reply[3] & 0x0F

def udp_ask(packet, wait):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(wait)
    s.sendto(packet, (host, port))
    try:
        return s.recv(65535)
    except socket.timeout:
        return None
    finally:
        s.close()

def recv_exact(s, n):
    data = b""
    while len(data) < n:
        chunk = s.recv(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data

def tcp_read(s):
    head = recv_exact(s, 2)
    if head is None:
        return None
    return recv_exact(s, struct.unpack(">H", head)[0])

def tcp_conn(wait=3):
    s = socket.create_connection((host, port), timeout=wait)
    return s

checks = 0
def ok(text):
    global checks
    checks += 1
    print(f"ok - {text}", file=sys.stderr)

def fail(text):
    print(f"FAIL: {text}", file=sys.stderr)
    sys.exit(1)

def still_answers(transport, after):
    ident = 0x7777
    if transport == "udp":
        reply = udp_ask(valid_query(ident), 3)
    else:
        s = tcp_conn()
        s.sendall(struct.pack(">H", len(valid_query(ident))) + valid_query(ident))
        reply = tcp_read(s)
        s.close()
    if reply is None or rcode_of(reply) != NOERROR or reply[:2] != b"\x77\x77":
        fail(f"{transport}: no valid answer after '{after}'")

for what, packet, want in table:
    # UDP: a reply with the RCODE, or silence for half a second.
    reply = udp_ask(packet, 0.5)
    if want is DROP:
        if reply is not None:
            fail(f"udp {what}: expected silence, got {reply!r}")
    elif reply is None or rcode_of(reply) != want or reply[:2] != b"\xab\xcd":
        fail(f"udp {what}: expected rcode {want}, got {reply!r}")
    still_answers("udp", what)
    ok(f"udp {what} -> {'dropped' if want is DROP else 'rcode %d' % want}; next query answered")

    # TCP: the same message framed; a dropped one closes the connection.
    s = tcp_conn()
    s.sendall(struct.pack(">H", len(packet)) + packet)
    try:
        reply = tcp_read(s)
    except (ConnectionResetError, socket.timeout):
        reply = None
    s.close()
    if want is DROP:
        if reply is not None:
            fail(f"tcp {what}: expected the connection closed, got {reply!r}")
    elif reply is None or rcode_of(reply) != want:
        fail(f"tcp {what}: expected rcode {want}, got {reply!r}")
    still_answers("tcp", what)
    ok(f"tcp {what} -> {'closed' if want is DROP else 'rcode %d' % want}; next query answered")

# Memory disclosure (issue 14): a message full of a marker goes first, so that its bytes are what
# follows the crafted query in a reused receive buffer; the reply to the crafted query must not
# carry one octet of it, nor anything beyond the question as sent.
MARKER = b"LEAKED-BYTES-"
planted = header(1) + qname + A_IN + MARKER * 60
for transport in ("udp", "tcp"):
    if transport == "udp":
        udp_ask(planted, 0.5)
        reply = udp_ask(self_pointing, 3)
    else:
        s = tcp_conn()
        s.sendall(struct.pack(">H", len(planted)) + planted)
        tcp_read(s)
        s.sendall(struct.pack(">H", len(self_pointing)) + self_pointing)
        reply = tcp_read(s)
        s.close()
    if reply is None or rcode_of(reply) != FORMERR:
        fail(f"{transport} self-pointing question after a planted message: expected FORMERR, got {reply!r}")
    if b"LEAKED" in reply or b"y" * 8 in reply or len(reply) > len(self_pointing) + 11:
        fail(f"{transport} self-pointing question: the reply carries bytes it was never sent: {reply!r}")
    ok(f"{transport} self-pointing question after a planted message -> FORMERR of {len(reply)} octets, nothing echoed")

# A 64 KiB TCP message of garbage: read whole, answered FORMERR.
s = tcp_conn()
garbage = header(1) + b"\x41" * (65535 - 12)
s.sendall(struct.pack(">H", len(garbage)) + garbage)
reply = tcp_read(s)
s.close()
if reply is None or rcode_of(reply) != FORMERR:
    fail(f"tcp 64 KiB garbage: expected FORMERR, got {reply!r}")
still_answers("tcp", "64 KiB garbage")
ok("tcp 64 KiB message of garbage -> FORMERR; next query answered")

# A 64 KiB length that never comes: the server closes the connection after its idle timeout
# (5 s), and answers others meanwhile.
s = tcp_conn(wait=15)
s.sendall(b"\xff\xff" + b"\0" * 100)
started = time.monotonic()
still_answers("udp", "stalled 64 KiB TCP length")
still_answers("tcp", "stalled 64 KiB TCP length")
try:
    closed = s.recv(1) == b""
except ConnectionResetError:
    closed = True
waited = time.monotonic() - started
s.close()
if not closed or waited > 12:
    fail(f"tcp stalled 64 KiB length: connection not closed (waited {waited:.1f} s)")
ok(f"tcp 64 KiB length never sent -> closed after {waited:.1f} s; others answered meanwhile")
print(checks)
PY
  count=$(python3 "$WORK/hostile_table.py" "$DNS_HOST" "$DNS_PORT" "$name") ||
    fail "hostile table: see above"
  CHECKS=$((CHECKS + count))
  echo "ok $CHECKS - hostile table: $count checks over UDP and TCP"
}
