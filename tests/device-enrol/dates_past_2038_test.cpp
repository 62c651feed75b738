// Dates past 2038 on the device (issue 18): a certificate from a root made in 2029 may end in
// 2039. Where glibc's time_t is 32 bits (Debian 12's armhf and mipsel, run under qemu by
// scripts/cross-test.sh), timegm and Botan's to_std_timepoint could not represent such dates:
// state.json's times did not parse and an installed certificate's validity threw.
#include <botan/auto_rng.h>
#include <botan/ec_group.h>
#include <botan/ecdsa.h>

#include <catch2/catch.hpp>

#include "denrol/issued_cert.hpp"
#include "denrol/time_text.hpp"
#include "support/test_pki.hpp"

namespace {

using denrol::TimePoint;
const TimePoint k2029 = TimePoint(std::chrono::seconds(1874966400));  // 2029-06-01T00:00:00Z
const TimePoint k2039 = TimePoint(std::chrono::seconds(2190542400));  // 2039-06-01T12:00:00Z

TEST_CASE("state.json's times past 2038 format and parse back", "[time]") {
    CHECK(denrol::format_utc(k2039) == "2039-06-01T12:00:00Z");
    CHECK(denrol::parse_utc("2039-06-01T12:00:00Z") == k2039);
    CHECK(denrol::parse_utc("2038-01-19T03:14:08Z") == TimePoint(std::chrono::seconds(2147483648)));
    CHECK_FALSE(denrol::parse_utc("2100-02-29T00:00:00Z"));  // 2100 is not a leap year
    CHECK_FALSE(denrol::parse_utc("2039-04-31T00:00:00Z"));
}

TEST_CASE("state.json's times are read only in the exact form format_utc writes", "[time]") {
    // sscanf's %d took these: spaces and signs inside the fields.
    const auto text = GENERATE("2039- 1-01T00:00:00Z", "2039-+1-01T00:00:00Z", "2039-01-01T-0:00:00Z",
                               "+039-01-01T00:00:00Z", " 039-01-01T00:00:00Z", "2039-01-01 00:00:00Z",
                               "2039-01-01T00:00:00z", "2039-01-01T00:00:60Z", "9999-12-31T23:59:59Z");
    CAPTURE(text);
    CHECK_FALSE(denrol::parse_utc(text));
}

TEST_CASE("an installed certificate valid into 2039 reports its validity", "[time]") {
    Botan::AutoSeeded_RNG rng;
    denrol_test::TestPki pki(rng);
    const Botan::ECDSA_PrivateKey key(rng, Botan::EC_Group("secp256r1"));
    const auto leaf = pki.issue_leaf(key, "camera.home.arpa", "", k2029, k2039);
    const auto facts = denrol::facts_of(leaf);
    CHECK(facts.validity.not_before == k2029);
    CHECK(facts.validity.not_after == k2039);
}

}  // namespace
