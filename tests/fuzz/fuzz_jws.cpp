// libFuzzer target: an ACME request body as it arrives on the wire. parse_jws (flattened JSON,
// strict base64url, protected header, embedded "jwk"), then verify with whichever key applies:
// the header's own jwk, a fixed account key for "kid", a fixed MAC key for HS256. The same bytes
// also go to parse_jwk as a bare JWK (ACME keyChange's "oldKey", stored account keys).
//
// Besides ASan and UBSan, it checks what the parsers promise: a parsed JWS re-encodes to the
// base64url it came from (one accepted encoding per byte string), and a parsed JWK's RFC 7638
// canonical form is what jwk_of writes for its key and parses back to the same thumbprint.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "exact_input.hpp"
#include "fuzz_keys.hpp"
#include "jose/jws.hpp"
#include "jose/strict_json.hpp"

namespace {

using rca::jose::Jwk;

/// Stops the run as a finding when a promise does not hold.
void require(bool holds, const char* what) {
    if (holds) return;
    std::fprintf(stderr, "fuzz_jws: broken invariant: %s\n", what);
    std::abort();
}

const Jwk& kid_key() {
    static const Jwk key = [] {
        const auto parsed = rca::jose::parse_jwk(rca::jose::jwk_of(rca::fuzz::kid_account_key()));
        require(parsed.ok(), "the fixed kid key parses");
        return parsed.value();
    }();
    return key;
}

void check_jwk(const Jwk& jwk) {
    require(rca::jose::jwk_of(*jwk.key).dump() == jwk.canonical_json,
            "jwk_of(key) is the canonical JWK");
    const auto again = rca::jose::parse_jwk(nlohmann::json::parse(jwk.canonical_json));
    require(again.ok() && again.value().thumbprint == jwk.thumbprint,
            "the canonical JWK parses to the same thumbprint");
}

}  // namespace

int rca::fuzz::test_one_input(const uint8_t* data, size_t size) {
    const std::string_view text = as_text(data, size);

    // 64 KiB: the ACME server's limit (acme/request_verifier.hpp kMaxJwsBytes).
    const auto jws = rca::jose::parse_jws(text, 64 * 1024);
    if (jws) {
        const auto& j = jws.value();
        require(rca::jose::base64url_encode(j.payload) == j.payload_b64,
                "the payload re-encodes to its base64url");
        require(j.header.is_object(), "the protected header is an object");
        (void)j.signing_input();
        if (j.jwk) {
            check_jwk(*j.jwk);
            (void)rca::jose::verify(j, *j.jwk);
        } else {
            (void)rca::jose::verify(j, kid_key());
        }
        (void)rca::jose::verify_hs256(j, rca::fuzz::eab_mac_key());
    }

    const auto json = rca::jose::parse_strict_json(text, "fuzz input");
    if (json) {
        const auto jwk = rca::jose::parse_jwk(json.value());
        if (jwk) check_jwk(jwk.value());
    }

    // Strict base64url: whatever decodes has exactly this encoding.
    if (const auto bytes = rca::jose::base64url_decode(text))
        require(rca::jose::base64url_encode(*bytes) == text, "base64url has one encoding");
    return 0;
}
