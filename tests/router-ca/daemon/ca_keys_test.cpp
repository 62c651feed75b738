// Rotation before expiry (docs/ca-keys.md): in the last quarter of the intermediate's life the
// daemon rotates by itself while the root key is online, and with the root offline it only warns,
// in status, with the dates. Driven by the clock passed to maintain(), on a CA made in a temporary
// data folder.
#include "daemon/ca_keys.hpp"

#include <botan/pkcs8.h>

#include <catch2/catch.hpp>

#include "../store/store_test_support.hpp"
#include "core/certificate_signer.hpp"
#include "core/time_text.hpp"
#include "daemon/ca_files.hpp"
#include "files/atomic_file.hpp"
#include "support/test_pki.hpp"

namespace rca {
namespace {

struct KeysWorld : test::CaWorld {
    test::TempDir tmp;
    DataPaths paths{tmp.file("data")};
    int rotations = 0;
    CaKeys keys(std::shared_ptr<Botan::Private_Key> root_key) {
        return CaKeys(paths, issuer, std::move(root_key), "", rng, [this] { ++rotations; });
    }
};

TEST_CASE_METHOD(KeysWorld, "the intermediate is rotated in its last quarter, or warned about",
                 "[ca_keys]") {
    const auto first = issuer.intermediate();
    const auto due = rotation_due_at(first, policy);
    SECTION("root online: nothing before the due date, a rotation after it") {
        auto online = keys(ca.root.key);
        online.maintain(due - std::chrono::hours(1));
        CHECK(issuer.intermediate() == first);
        CHECK(rotations == 0);
        online.maintain(due + std::chrono::hours(1));
        CHECK(rotations == 1);
        const auto next = issuer.intermediate();
        CHECK_FALSE(next == first);
        CHECK(files::exists(paths.intermediate_cert(ca_key_id(next))));
        CHECK(files::mode_of(paths.intermediate_key(ca_key_id(next))) == 0600);
        CHECK(issuer.intermediates().size() == 2);
        CHECK(online.status_json(due).value("root_key", "") == "online");
        CHECK_FALSE(online.status_json(due).contains("rotation_warning"));
        CHECK_FALSE(online.status_json(due).contains("root_warning"));
        CHECK_FALSE(online.old_root());
    }
    SECTION("root offline: no rotation, and status warns with both dates") {
        auto offline = keys(nullptr);
        offline.maintain(due + std::chrono::hours(1));
        CHECK(rotations == 0);
        CHECK(issuer.intermediate() == first);
        CHECK_FALSE(offline.status_json(due - std::chrono::hours(1)).contains("rotation_warning"));
        const auto status = offline.status_json(due + std::chrono::hours(1));
        CHECK(status.value("root_key", "") == "offline");
        const std::string warning = status.value("rotation_warning", "");
        CHECK_THAT(warning, Catch::Contains(iso8601(due)));
        CHECK_THAT(warning, Catch::Contains(iso8601(to_time_point(first.not_after()))));
        CHECK_THAT(warning, Catch::Contains("--root-key FILE"));
        CHECK(offline.rotate("", due).error().code == Errc::conflict);
    }
}

// A router an older router-ca set up (docs/ca-keys.md): its root stays, and its intermediate,
// which bounds DNS and IPv4 only, is replaced at the first start.
struct OldKeysWorld : KeysWorld {
    CaHierarchy old = test::make_old_ca(policy, rng, clock.now());
    Issuer old_issuer{old.intermediate, old.root.cert, policy};
    CaKeys old_keys(std::shared_ptr<Botan::Private_Key> root_key) {
        return CaKeys(paths, old_issuer, std::move(root_key), "", rng, [this] { ++rotations; });
    }
};

TEST_CASE_METHOD(OldKeysWorld, "an old intermediate is replaced at once; the old root is named",
                 "[ca_keys][bounds]") {
    const auto first = old_issuer.intermediate();
    const auto now = clock.now() + std::chrono::hours(1);
    SECTION("root online: the first maintain() rotates to an intermediate that bounds every use") {
        auto online = old_keys(old.root.key);
        CHECK(online.old_root());
        online.maintain(now);
        CHECK(rotations == 1);
        const auto next = old_issuer.intermediate();
        REQUIRE_FALSE(next == first);
        const auto bounds = check_constraints_match(next, policy);
        REQUIRE(bounds);
        CHECK(bounds.value() == CaBounds::every_use);
        CHECK(old_issuer.intermediates().size() == 2);  // the old one stays for its leaves' CRLs
        online.maintain(now + std::chrono::hours(1));
        CHECK(rotations == 1);  // and the new one is not due for a year and a half
        const auto status = online.status_json(now);
        CHECK_FALSE(status.contains("rotation_warning"));
        CHECK_THAT(status.value("root_warning", ""), Catch::Contains("DNS names and IPv4"));
    }
    SECTION("root offline: no rotation, and status says why and what to run") {
        auto offline = old_keys(nullptr);
        offline.maintain(now);
        CHECK(rotations == 0);
        const std::string warning = offline.status_json(now).value("rotation_warning", "");
        CHECK_THAT(warning, Catch::Contains("made by an older router-ca"));
        CHECK_THAT(warning, Catch::Contains("--root-key FILE"));
        CHECK(offline.rotate(Botan::PKCS8::PEM_encode(*old.root.key), now));
        CHECK(rotations == 1);
        CHECK_FALSE(offline.status_json(now).contains("rotation_warning"));
    }
}

}  // namespace
}  // namespace rca
