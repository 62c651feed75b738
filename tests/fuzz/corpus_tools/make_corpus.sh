#!/usr/bin/env bash
# Regenerates the fuzz seed corpora (tests/fuzz/corpus/<target>) with real tools: openssl makes the
# CSRs and a certificate, kdig the DNS queries, the project's own jose::sign_jws and wire::to_json
# the JWS and JSON bodies (make_seed_documents), hq_seeds.py HQ's bodies as the router writes
# them. Near-misses are each one edit from a real input.
# Keys are random, so every run writes different bytes; commit the result only on purpose.
#
#   tests/fuzz/corpus_tools/make_corpus.sh [FUZZ_BUILD_DIR]   (default: build-fuzz; run
#                                                              scripts/fuzz.sh 1 once to make it)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
build=${1:-$root/build-fuzz}
corpus=$root/tests/fuzz/corpus
work=$(mktemp -d)
capture_pid=""
cleanup() {
  [ -z "$capture_pid" ] || kill "$capture_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Every target's corpus (one per tests/fuzz/fuzz_*.cpp). An input that once crashed a target
# (crash_*) is kept: it is no seed of ours to remake, but a regression input.
targets=()
for file in "$here"/../fuzz_*.cpp; do targets+=("$(basename "$file" .cpp)"); done
for target in "${targets[@]}"; do
  mkdir -p "$corpus/$target"
  find "$corpus/$target" -type f ! -name 'crash_*' -delete
done

# --- CSRs (fuzz_csr) and the PKI files the JSON seeds embed -------------------------------------
pki=$work/pki
mkdir -p "$pki"
csr() {  # csr NAME NEWKEY_ARGS... : a device CSR for CN=nas, PEM
  local name=$1
  shift
  openssl req -new -nodes "$@" -keyout "$pki/$name.key" -subj "/CN=nas" -out "$pki/$name.csr.pem" \
    2>/dev/null
}
csr p256 -newkey ec -pkeyopt ec_paramgen_curve:P-256
csr p384 -newkey ec -pkeyopt ec_paramgen_curve:P-384
csr ed25519 -newkey ed25519
csr rsa2048 -newkey rsa:2048
csr rsa1024 -newkey rsa:1024              # near-miss: below the 2048-bit floor
csr p521 -newkey ec -pkeyopt ec_paramgen_curve:P-521   # near-miss: curve not accepted
csr secp256k1 -newkey ec -pkeyopt ec_paramgen_curve:secp256k1   # near-miss: ditto
for name in p256 p384 ed25519 rsa2048 rsa1024 p521 secp256k1; do
  cp "$pki/$name.csr.pem" "$corpus/fuzz_csr/$name.pem"
done
for name in p256 ed25519 rsa2048; do
  openssl req -in "$pki/$name.csr.pem" -outform DER -out "$corpus/fuzz_csr/$name.der"
done
# Near-misses: a signature that does not verify (last byte flipped), a truncated DER, a PEM whose
# base64 lost a line, and a certificate where a CSR belongs.
python3 - "$corpus/fuzz_csr" <<'PY'
import sys
d = sys.argv[1]
der = bytearray(open(d + "/p256.der", "rb").read())
flipped = bytearray(open(d + "/ed25519.der", "rb").read())
flipped[-1] ^= 0x01
open(d + "/miss_bad_signature.der", "wb").write(flipped)
open(d + "/miss_truncated.der", "wb").write(der[: len(der) // 2])
lines = open(d + "/p256.pem").read().splitlines(keepends=True)
open(d + "/miss_pem_line_lost.pem", "w").write("".join(lines[:2] + lines[3:]))
PY
cp "$pki/p256.csr.pem" "$pki/device.csr.pem"
openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 -keyout "$pki/leaf.key" \
  -subj "/CN=nas.home.arpa" -addext "subjectAltName=DNS:nas.home.arpa,DNS:nas.local" -days 90 \
  -out "$pki/leaf.pem" 2>/dev/null
cp "$pki/leaf.pem" "$corpus/fuzz_csr/miss_certificate.pem"

# The CSR an ACME client (certbot, lego) sends at finalize: DER, the order's names in CN and SAN.
openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 -keyout "$pki/acme.key" \
  -subj "/CN=nas.home.arpa" -addext "subjectAltName=DNS:nas.home.arpa,DNS:nas.local" \
  -outform DER -out "$pki/acme.csr.der" 2>/dev/null
# Near-miss: one name more than the order, and an IP address.
openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 -keyout "$pki/acme-extra.key" \
  -subj "/CN=nas.home.arpa" \
  -addext "subjectAltName=DNS:nas.home.arpa,DNS:nas.local,DNS:printer.home.arpa,IP:192.168.1.20" \
  -outform DER -out "$pki/acme-extra.csr.der" 2>/dev/null

# --- JWS, JWK, ACME payloads, device API bodies -------------------------------------------------
cmake --build "$build" --target make_seed_documents >/dev/null
"$build/tests/fuzz/make_seed_documents" "$pki" "$corpus"

# --- HQ bodies (fuzz_hq_*): a device's CSR for its public name under the home of hq_checks.hpp ---
hq_csr() {  # hq_csr NAME SUBJECT [SAN] [NEWKEY]: PEM, P-256 unless NEWKEY says otherwise
  local name=$1 subject=$2 san=${3:-} newkey=${4:-ec}
  local args=(-newkey "$newkey")
  [ "$newkey" != ec ] || args+=(-pkeyopt ec_paramgen_curve:P-256)
  [ -z "$san" ] || args+=(-addext "subjectAltName=$san")
  openssl req -new -nodes "${args[@]}" -keyout "$pki/hq-$name.key" -subj "$subject" \
    -out "$pki/hq-$name.csr.pem" 2>/dev/null
}
home=nifty-babbage.vendor.example
hq_csr cam "/CN=cam.$home" "DNS:cam.$home"
hq_csr cam_san_only "/" "DNS:cam.$home"
hq_csr cam_rsa2048 "/CN=cam.$home" "DNS:cam.$home" rsa:2048
hq_csr upper_case "/CN=CAM.$home" "DNS:CAM.$home"
# Near-misses: another home, a name one label deeper, one name more, an IP address, a commonName
# naming another device, no subjectAltName, a wildcard, a label HQ refuses.
hq_csr miss_other_home "/CN=cam.other-home.vendor.example" "DNS:cam.other-home.vendor.example"
hq_csr miss_deeper "/CN=a.cam.$home" "DNS:a.cam.$home"
hq_csr miss_extra_name "/CN=cam.$home" "DNS:cam.$home,DNS:printer.$home"
hq_csr miss_ip "/CN=cam.$home" "DNS:cam.$home,IP:192.168.1.20"
hq_csr miss_cn_differs "/CN=printer.$home" "DNS:cam.$home"
hq_csr miss_cn_only "/CN=cam.$home"
hq_csr miss_wildcard "/CN=*.$home" "DNS:*.$home"
hq_csr miss_underscore "/CN=_acme-challenge.$home" "DNS:_acme-challenge.$home"
python3 "$here/hq_seeds.py" "$pki" "$corpus"

# --- DNS queries, as kdig sends them ------------------------------------------------------------
captured=$work/dns
mkdir -p "$captured"
port=$((20000 + RANDOM % 20000))
python3 "$here/capture_dns.py" "$port" "$captured" >"$work/capture.log" 2>&1 &
capture_pid=$!
for _ in $(seq 50); do grep -q ready "$work/capture.log" 2>/dev/null && break; sleep 0.1; done
n=0
query() {  # query SEED_NAME KDIG_ARGS...
  local name=$1
  shift
  kdig @127.0.0.1 -p "$port" +timeout=2 +retry=0 "$@" >/dev/null 2>&1 || true
  mv "$captured/$(printf '%03d' "$n").bin" "$corpus/fuzz_dns_query/$name.bin"
  n=$((n + 1))
}
query a_nas nas.home.arpa A +noedns
query a_router_edns router.home.arpa A +edns
query aaaa_camera_dnssec camera.home.arpa AAAA +dnssec
query ptr_camera -x 192.168.1.20
query soa_apex home.arpa SOA +bufsize=4096
query ns_apex home.arpa NS +nord
query any_tcp home.arpa ANY +tcp
query a_printer_cookie_nsid printer.home.arpa A +cookie +nsid
query a_unknown_subnet_padding unknown.home.arpa A +subnet=192.168.1.0/24 +padding=128
query a_mixed_case NaS.HoMe.ArPa A +cdflag
query refused_outside example.com A
query chaos_txt version.bind TXT CH
query miss_edns_version_1 nas.home.arpa A +edns=1
kill "$capture_pid"
wait "$capture_pid" 2>/dev/null || true
capture_pid=""
python3 "$here/dns_near_misses.py" "$corpus/fuzz_dns_query/a_nas.bin" "$corpus/fuzz_dns_query"

for target in "${targets[@]}"; do
  echo "$target: $(find "$corpus/$target" -type f | wc -l) seeds, $(du -sk "$corpus/$target" | cut -f1) KiB"
done
