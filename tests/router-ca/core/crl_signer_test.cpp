#include "core/crl_signer.hpp"

#include <openssl/asn1.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <catch2/catch.hpp>

#include <memory>

#include "core/certificate_signer.hpp"
#include "support/test_pki.hpp"

namespace rca {
namespace {

struct CrlDeleter {
    void operator()(X509_CRL* c) const { X509_CRL_free(c); }
};
using OpensslCrl = std::unique_ptr<X509_CRL, CrlDeleter>;

// The CRL as OpenSSL reads it: a second parser, not the one that wrote it.
OpensslCrl parse_with_openssl(const Botan::X509_CRL& crl) {
    const auto der = crl.BER_encode();
    const unsigned char* p = der.data();
    OpensslCrl parsed(d2i_X509_CRL(nullptr, &p, static_cast<long>(der.size())));
    REQUIRE(parsed);
    return parsed;
}

// The ASN1 INTEGER extension `nid` of the CRL as a number; -1 when absent.
long crl_integer_extension(X509_CRL* crl, int nid) {
    auto* value = static_cast<ASN1_INTEGER*>(X509_CRL_get_ext_d2i(crl, nid, nullptr, nullptr));
    if (!value) return -1;
    const long n = ASN1_INTEGER_get(value);
    ASN1_INTEGER_free(value);
    return n;
}

// The reasonCode of the entry with this serial, -1 when it has none; fails when not listed.
long entry_reason(X509_CRL* crl, const std::string& wanted) {
    const STACK_OF(X509_REVOKED)* entries = X509_CRL_get_REVOKED(crl);
    for (int i = 0; i < sk_X509_REVOKED_num(entries); ++i) {
        X509_REVOKED* entry = sk_X509_REVOKED_value(entries, i);
        BIGNUM* bn = ASN1_INTEGER_to_BN(X509_REVOKED_get0_serialNumber(entry), nullptr);
        char* hex = BN_bn2hex(bn);
        const Botan::BigInt serial("0x" + std::string(hex));
        OPENSSL_free(hex);
        BN_free(bn);
        if (serial_hex(serial) != wanted) continue;
        auto* reason = static_cast<ASN1_ENUMERATED*>(
            X509_REVOKED_get_ext_d2i(entry, NID_crl_reason, nullptr, nullptr));
        if (!reason) return -1;
        const long code = ASN1_ENUMERATED_get(reason);
        ASN1_ENUMERATED_free(reason);
        return code;
    }
    FAIL("serial " << wanted << " is not in the CRL");
    return -2;
}

TEST_CASE("sign_crl: v2, numbered, each entry with its own time and reason", "[crl]") {
    test::CaWorld w;
    const TimePoint now = w.clock.now();
    const CrlSpec spec{4711,
                       now,
                       now + std::chrono::hours(24 * 7),
                       {{"0a1b", now - std::chrono::hours(30), RevocationReason::key_compromise},
                        {"7f00aa", now - std::chrono::hours(2), RevocationReason::unspecified},
                        {"0c", now, RevocationReason::privilege_withdrawn}}};
    const auto crl = sign_crl(spec, w.ca.intermediate.cert, *w.ca.intermediate.key, w.rng);

    CHECK(crl.check_signature(
        *std::unique_ptr<Botan::Public_Key>(w.ca.intermediate.cert.subject_public_key())));
    CHECK(crl.crl_number() == 4711);
    CHECK(crl.authority_key_id() == w.ca.intermediate.cert.subject_key_id());
    CHECK(crl.issuer_dn() == w.ca.intermediate.cert.subject_dn());
    REQUIRE(crl.get_revoked().size() == 3);
    CHECK(to_time_point(crl.get_revoked()[0].expire_time()) == spec.revoked[0].revoked_at);

    const auto parsed = parse_with_openssl(crl);
    CHECK(X509_CRL_get_version(parsed.get()) == 1);  // v2
    CHECK(crl_integer_extension(parsed.get(), NID_crl_number) == 4711);
    CHECK(entry_reason(parsed.get(), "0a1b") == 1);
    CHECK(entry_reason(parsed.get(), "0c") == 9);
    // RFC 5280 5.3.1: "unspecified" is said by leaving the reasonCode out.
    CHECK(entry_reason(parsed.get(), "7f00aa") == -1);
}

TEST_CASE("sign_crl: an empty CRL has no revokedCertificates", "[crl]") {
    test::CaWorld w;
    const TimePoint now = w.clock.now();
    const auto crl = sign_crl({3, now, now + std::chrono::hours(1), {}}, w.ca.intermediate.cert,
                              *w.ca.intermediate.key, w.rng);
    CHECK(crl.get_revoked().empty());
    const auto parsed = parse_with_openssl(crl);
    CHECK(X509_CRL_get_REVOKED(parsed.get()) == nullptr);
    CHECK(crl_integer_extension(parsed.get(), NID_crl_number) == 3);
    CHECK(to_time_point(crl.next_update()) == now + std::chrono::hours(1));
}

}  // namespace
}  // namespace rca
