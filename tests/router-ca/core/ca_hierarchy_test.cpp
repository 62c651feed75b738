// The CA levels' pure rules: when an intermediate is due for rotation.
#include "core/ca_hierarchy.hpp"

#include <botan/auto_rng.h>

#include <catch2/catch.hpp>

#include "core/certificate_signer.hpp"
#include "support/test_pki.hpp"

namespace rca {
namespace {

TEST_CASE("an intermediate is due for rotation at three quarters of its life", "[rotation]") {
    Botan::AutoSeeded_RNG rng;
    const auto policy = test::test_policy();
    const auto ca = test::make_test_ca(policy, rng, test::test_epoch());
    const auto start = to_time_point(ca.intermediate.cert.not_before());
    const auto end = to_time_point(ca.intermediate.cert.not_after());
    const auto due = rotation_due_at(ca.intermediate.cert);
    CHECK(due - start == (end - start) * 3 / 4);
    CHECK(end - due > std::chrono::hours(24 * 180));  // months to bring an offline root back
}

}  // namespace
}  // namespace rca
