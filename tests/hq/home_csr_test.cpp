// check_home_csr (hq/core/home_csr.hpp) over many CSRs holds no memory: Botan 2's
// PKCS10_Request::subject_public_key() hands the caller a key to free, and HQ kept every one
// (found by fuzz_hq_certificate_orders under LeakSanitizer). The test build has no sanitizer, so
// it counts the heap's bytes in use (glibc's mallinfo2) around many checks.
#include <botan/auto_rng.h>
#include <botan/x509self.h>
#include <malloc.h>

#include <catch2/catch.hpp>

#include "hq/core/home_csr.hpp"
#include "support/test_pki.hpp"

using namespace hq;

TEST_CASE("checking a CSR keeps no memory") {
    Botan::AutoSeeded_RNG rng;
    const auto key = rca::test::make_key("p256", rng);
    Botan::X509_Cert_Options opts("cam.nifty-babbage.vendor.example");
    opts.more_dns = {"cam.nifty-babbage.vendor.example"};
    const auto csr = Botan::X509::create_cert_req(opts, *key, "SHA-256", rng);
    const auto der = csr.BER_encode();
    const Bytes csr_der(der.begin(), der.end());
    const std::string zone = "nifty-babbage.vendor.example";

    // Warm up: Botan builds its curve and OID tables on first use and keeps them.
    for (int i = 0; i < 20; ++i) REQUIRE(check_home_csr(csr_der, zone).ok());
    constexpr int kChecks = 2000;
    const size_t before = mallinfo2().uordblks;
    int accepted = 0;
    for (int i = 0; i < kChecks; ++i) accepted += check_home_csr(csr_der, zone).ok() ? 1 : 0;
    const size_t after = mallinfo2().uordblks;
    CHECK(accepted == kChecks);
    // The leak kept about 176 octets a check (350 KB here); allow a tenth of that for the heap's
    // own bookkeeping.
    CHECK(after < before + 32 * 1024);
}
