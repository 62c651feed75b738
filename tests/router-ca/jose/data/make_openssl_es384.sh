#!/bin/sh
# Makes the ES384 vector jws_openssl_test.cpp checks, with the openssl CLI alone, so the verifier
# is tested against a signer that is not Botan. Run once; the outputs are committed (the private
# key is not: the vector only has to verify). Needs openssl and coreutils' basenc.
#
#   es384_public.pem  the P-384 public key (SubjectPublicKeyInfo, PEM)
#   es384_jwk.json    its JWK, x and y cut from the uncompressed point in the DER key
#   es384_jws.json    a flattened JWS: "openssl dgst -sha384 -sign" over the signing input, the
#                     DER ECDSA-Sig-Value turned into r||s of 48 bytes each (RFC 7518 3.4)
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

b64url() { basenc --base64url -w0 | tr -d '='; }

openssl ecparam -name secp384r1 -genkey -noout -out "$tmp/key.pem"
openssl ec -in "$tmp/key.pem" -pubout -out es384_public.pem 2>/dev/null
# The DER SPKI of a P-384 key ends with the point 04 || x || y, 1 + 48 + 48 bytes.
openssl ec -pubin -in es384_public.pem -outform DER 2>/dev/null | tail -c 96 >"$tmp/xy"
x=$(head -c 48 "$tmp/xy" | b64url)
y=$(tail -c 48 "$tmp/xy" | b64url)
printf '{"kty":"EC","crv":"P-384","x":"%s","y":"%s"}\n' "$x" "$y" >es384_jwk.json

protected=$(printf '%s' '{"alg":"ES384","nonce":"b3BlbnNzbA","url":"https://ca.home.arpa/acme/new-order"}' | b64url)
payload=$(printf '%s' '{"identifiers":[{"type":"dns","value":"printer.home.arpa"}]}' | b64url)
printf '%s.%s' "$protected" "$payload" >"$tmp/input"
openssl dgst -sha384 -sign "$tmp/key.pem" -out "$tmp/sig.der" "$tmp/input"
# asn1parse prints r and s as hex; left-pad each to 96 digits (48 bytes).
openssl asn1parse -inform DER -in "$tmp/sig.der" | sed -n 's/.*INTEGER *://p' >"$tmp/rs"
[ "$(wc -l <"$tmp/rs")" -eq 2 ]
for v in $(cat "$tmp/rs"); do printf '%096s' "$v" | tr ' ' 0 | tail -c 96; done | xxd -r -p >"$tmp/sig.raw"
[ "$(wc -c <"$tmp/sig.raw")" -eq 96 ]
signature=$(b64url <"$tmp/sig.raw")
printf '{"protected":"%s","payload":"%s","signature":"%s"}\n' "$protected" "$payload" "$signature" >es384_jws.json
