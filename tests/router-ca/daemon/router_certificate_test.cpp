#include "daemon/router_certificate.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "../store/store_test_support.hpp"
#include "daemon/ca_files.hpp"
#include "files/atomic_file.hpp"
#include "store/sqlite_store.hpp"
#include "support/test_pki.hpp"

namespace rca {
namespace {

struct RouterFiles : test::CaWorld {
    test::TempDir tmp;
    DataPaths paths{tmp.file("data")};
    SqliteStore store{":memory:"};
    EnrolmentService service{store, issuer, PairingRules{}, clock, rng};
    std::vector<Ipv4> addresses{*Ipv4::parse("192.168.1.1")};

    Botan::X509_Certificate ensure() {
        return ensure_router_certificate(paths, service, issuer, addresses, rng, clock.now());
    }
    bool key_matches_chain() {
        return read_private_key(paths.server_key())->subject_public_key() ==
               Botan::X509_Certificate(paths.server_cert()).subject_public_key_info();
    }
};

}  // namespace

TEST_CASE_METHOD(RouterFiles, "temporaries a killed write left in server/ are removed",
                 "[router_certificate]") {
    const auto first = ensure();
    REQUIRE(key_matches_chain());
    // A kill inside write_atomic, before its rename: the files in place are still the good pair.
    std::ofstream(paths.server_dir() + "/key.pem.tmp.Ab12Cd") << "-----BEGIN PRIVATE KEY-----\nMIG";
    std::ofstream(paths.server_dir() + "/chain.pem.tmp.xY34zW");
    std::ofstream(paths.server_dir() + "/notes.txt") << "not ours";

    const auto again = ensure();
    CHECK(again.BER_encode() == first.BER_encode());  // still good: kept, not re-issued
    CHECK_FALSE(files::exists(paths.server_dir() + "/key.pem.tmp.Ab12Cd"));
    CHECK_FALSE(files::exists(paths.server_dir() + "/chain.pem.tmp.xY34zW"));
    CHECK(files::exists(paths.server_dir() + "/notes.txt"));
    CHECK(key_matches_chain());
}

}  // namespace rca
