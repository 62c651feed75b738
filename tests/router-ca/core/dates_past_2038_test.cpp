// Dates past 2038 (issue 18): a router that makes its root in 2029 has a root valid into 2039.
// Where glibc's time_t is 32 bits (Debian 12's armhf and mipsel; scripts/cross-test.sh runs this
// under qemu), Botan's own time conversions wrote 2039 as 1903 and refused to read it back. Each
// time is read back by OpenSSL, a second parser, as calendar fields, with no time_t on the way.
#include <openssl/asn1.h>
#include <openssl/x509.h>

#include <catch2/catch.hpp>

#include <cstdio>
#include <ctime>
#include <memory>

#include "core/certificate_signer.hpp"
#include "core/crl_signer.hpp"
#include "core/time_text.hpp"
#include "support/test_pki.hpp"

namespace rca {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

const TimePoint k2029 = TimePoint(seconds(1874966400));      // 2029-06-01T00:00:00Z
const TimePoint k2039 = TimePoint(seconds(2190542400));      // 2039-06-01T12:00:00Z
const TimePoint kPast2038 = TimePoint(seconds(2147483648));  // 2038-01-19T03:14:08Z: 2^31 s

// "YYYY-MM-DD" of an ASN1_TIME, from OpenSSL's calendar fields.
std::string openssl_date(const ASN1_TIME* t) {
    std::tm tm{};
    REQUIRE(ASN1_TIME_to_tm(t, &tm) == 1);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    return buf;
}

struct X509Deleter {
    void operator()(X509* x) const { X509_free(x); }
};

std::unique_ptr<X509, X509Deleter> openssl_cert(const Botan::X509_Certificate& cert) {
    const auto der = cert.BER_encode();
    const unsigned char* p = der.data();
    std::unique_ptr<X509, X509Deleter> x(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
    REQUIRE(x);
    return x;
}

TEST_CASE("a root made in 2029 is valid into 2039, and its intermediate's dates read back",
          "[time]") {
    Botan::AutoSeeded_RNG rng;
    const auto ca = test::make_test_ca(test::test_policy(), rng, k2029);
    const auto root = openssl_cert(ca.root.cert);
    CHECK(openssl_date(X509_get0_notBefore(root.get())) == "2029-05-31");  // an hour of skew
    CHECK(openssl_date(X509_get0_notAfter(root.get())) == "2039-05-30");   // 3650 days later
    // Read back by router-ca itself: the intermediate's end and the rotation rule depend on it.
    CHECK(iso8601(to_time_point(ca.root.cert.not_after())) == "2039-05-30T00:00:00Z");
    const auto intermediate = openssl_cert(ca.intermediate.cert);
    CHECK(openssl_date(X509_get0_notAfter(intermediate.get())) == "2031-06-01");
    CHECK(to_time_point(ca.root.cert.not_after()) - to_time_point(ca.root.cert.not_before()) ==
          hours(24 * kRootDays + 1));
}

TEST_CASE("a CRL signed past 2^31 seconds carries 2038 and 2039 dates", "[time]") {
    Botan::AutoSeeded_RNG rng;
    const auto ca = test::make_test_ca(test::test_policy(), rng, k2029);
    CrlSpec spec;
    spec.number = 7;
    spec.this_update = kPast2038;
    spec.next_update = k2039;
    spec.revoked = {Revocation{"0a1b", kPast2038, RevocationReason::unspecified}};
    const auto crl = sign_crl(spec, ca.intermediate.cert, *ca.intermediate.key, rng);
    const auto der = crl.BER_encode();
    const unsigned char* p = der.data();
    std::unique_ptr<X509_CRL, void (*)(X509_CRL*)> parsed(
        d2i_X509_CRL(nullptr, &p, static_cast<long>(der.size())), X509_CRL_free);
    REQUIRE(parsed);
    CHECK(openssl_date(X509_CRL_get0_lastUpdate(parsed.get())) == "2038-01-19");
    CHECK(openssl_date(X509_CRL_get0_nextUpdate(parsed.get())) == "2039-06-01");
    const auto* entry = sk_X509_REVOKED_value(X509_CRL_get_REVOKED(parsed.get()), 0);
    REQUIRE(entry);
    CHECK(openssl_date(X509_REVOKED_get0_revocationDate(entry)) == "2038-01-19");
    CHECK(to_time_point(crl.next_update()) == k2039);
    CHECK(iso8601(kPast2038) == "2038-01-19T03:14:08Z");
}

}  // namespace
}  // namespace rca
