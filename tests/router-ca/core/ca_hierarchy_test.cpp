// The CA levels' pure rules: what each CA certificate bounds, which earlier ones still load, and
// when an intermediate is due for rotation.
#include "core/ca_hierarchy.hpp"

#include <botan/auto_rng.h>

#include <catch2/catch.hpp>

#include "core/certificate_signer.hpp"
#include "support/test_pki.hpp"

namespace rca {
namespace {

const std::vector<Botan::OID> kTls = {Botan::OID::from_string("PKIX.ServerAuth"),
                                      Botan::OID::from_string("PKIX.ClientAuth")};

TEST_CASE("an intermediate is due for rotation at three quarters of its life", "[rotation]") {
    Botan::AutoSeeded_RNG rng;
    const auto policy = test::test_policy();
    const auto ca = test::make_test_ca(policy, rng, test::test_epoch());
    const auto start = to_time_point(ca.intermediate.cert.not_before());
    const auto end = to_time_point(ca.intermediate.cert.not_after());
    const auto due = rotation_due_at(ca.intermediate.cert, policy);
    CHECK(due - start == (end - start) * 3 / 4);
    CHECK(end - due > std::chrono::hours(24 * 180));  // months to bring an offline root back
}

TEST_CASE("root and intermediate bound every use: TLS purposes only", "[bounds]") {
    Botan::AutoSeeded_RNG rng;
    const auto policy = test::test_policy();
    const auto ca = test::make_test_ca(policy, rng, test::test_epoch());
    for (const auto* cert : {&ca.root.cert, &ca.intermediate.cert}) {
        CHECK(cert->extended_key_usage() == kTls);
        CHECK_FALSE(cert->v3_extensions().critical_extension_set(
            Botan::OID::from_string("X509v3.ExtendedKeyUsage")));
        const auto bounds = check_constraints_match(*cert, policy);
        REQUIRE(bounds);
        CHECK(bounds.value() == CaBounds::every_use);
    }
}

TEST_CASE("the home's constraints name every form", "[bounds]") {
    auto policy = test::test_policy();
    auto c = home_constraints(policy);
    CHECK(c.permitted.dns == std::vector<std::string>{"home.arpa", "local"});
    CHECK(c.permitted.email == std::vector<std::string>{"home.arpa", ".home.arpa"});
    CHECK(c.permitted.uri == std::vector<std::string>{"home.arpa", ".home.arpa"});
    CHECK(c.permitted.ipv4.size() == 2);
    CHECK(c.permitted.ipv6.empty());
    REQUIRE(c.excluded.ipv6.size() == 1);
    CHECK(c.excluded.ipv6[0].to_string() == "::/0");
    CHECK(c.excluded.dns.empty());

    policy.lan_subnets6 = {*Ipv6Subnet::parse("fd12:3456:789a::/48")};
    c = home_constraints(policy);
    REQUIRE(c.permitted.ipv6.size() == 1);
    CHECK(c.permitted.ipv6[0].to_string() == "fd12:3456:789a::/48");
    CHECK(c.excluded.empty());
}

TEST_CASE("a CA an older router-ca made still loads, and its intermediate is due at once",
          "[bounds][rotation]") {
    Botan::AutoSeeded_RNG rng;
    const auto policy = test::test_policy();
    const auto old = test::make_old_ca(policy, rng, test::test_epoch());
    for (const auto* cert : {&old.root.cert, &old.intermediate.cert}) {
        const auto bounds = check_constraints_match(*cert, policy);
        REQUIRE(bounds);
        CHECK(bounds.value() == CaBounds::dns_and_ipv4);
    }
    CHECK(rotation_due_at(old.intermediate.cert, policy) ==
          to_time_point(old.intermediate.cert.not_before()));

    SECTION("a new intermediate under the old root bounds every use") {
        const auto next = make_intermediate(old.root, policy, rng, test::test_epoch());
        const auto bounds = check_constraints_match(next.cert, policy);
        REQUIRE(bounds);
        CHECK(bounds.value() == CaBounds::every_use);
        CHECK(rotation_due_at(next.cert, policy) >
              test::test_epoch() + std::chrono::hours(24 * 365));
    }
}

TEST_CASE("a CA made for other names or subnets is refused, old or new", "[bounds]") {
    Botan::AutoSeeded_RNG rng;
    const auto policy = test::test_policy();
    const auto ca = test::make_test_ca(policy, rng, test::test_epoch());
    const auto old = test::make_old_ca(policy, rng, test::test_epoch());
    auto other = policy;
    SECTION("domain") { other.domain = "other.example"; }
    SECTION("subnets") { other.lan_subnets.pop_back(); }
    SECTION("local names") { other.local_names = false; }
    SECTION("a ULA prefix added") {
        other.lan_subnets6 = {*Ipv6Subnet::parse("fd12:3456:789a::/48")};
        // The old root never named IPv6: it still matches (the new intermediate adds the prefix).
        CHECK(check_constraints_match(old.root.cert, other));
        const auto refused = check_constraints_match(ca.root.cert, other);
        REQUIRE_FALSE(refused);
        CHECK_THAT(refused.error().detail, Catch::Contains("IP:fd12:3456:789a::/48"));
        return;
    }
    for (const auto* cert : {&ca.root.cert, &old.root.cert}) {
        const auto refused = check_constraints_match(*cert, other);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == Errc::policy_denied);
        CHECK_THAT(refused.error().detail, Catch::Contains("other name constraints"));
    }
}

}  // namespace
}  // namespace rca
