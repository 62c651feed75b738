// Rotation before expiry (docs/ca-keys.md): in the last quarter of the intermediate's life the
// daemon rotates by itself while the root key is online, and with the root offline it only warns,
// in status, with the dates. Driven by the clock passed to maintain(), on a CA made in a temporary
// data folder.
#include "daemon/ca_keys.hpp"

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
    const auto due = rotation_due_at(first);
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

}  // namespace
}  // namespace rca
