#include "daemon/ca_files.hpp"

#include <botan/auto_rng.h>
#include <botan/ecdsa.h>

#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "../store/store_test_support.hpp"
#include "core/certificate_signer.hpp"
#include "files/atomic_file.hpp"
#include "support/test_pki.hpp"

namespace rca {
namespace {

namespace fs = std::filesystem;

struct CaDir : test::CaWorld {
    test::TempDir tmp;
    DataPaths paths{tmp.file("data")};
    Result<CaHierarchy> load(bool& created) {
        return load_or_create_ca(paths, policy, rng, clock.now(), created);
    }
};

void write(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

}  // namespace

TEST_CASE_METHOD(CaDir, "the CA is created whole or not at all", "[ca_files]") {
    SECTION("a first start writes all four files into ca/, keys 0600, nothing else") {
        bool created = false;
        REQUIRE(load(created));
        CHECK(created);
        for (const auto& key : {paths.root_key(), paths.intermediate_key()})
            CHECK(files::mode_of(key) == 0600);
        CHECK(files::exists(paths.root_cert()));
        CHECK(files::exists(paths.intermediate_cert()));
        CHECK_FALSE(files::exists(paths.ca_staging_dir()));
        CHECK(std::distance(fs::directory_iterator(paths.ca_dir()), fs::directory_iterator()) == 4);

        SECTION("the next start loads the same CA") {
            bool again = true;
            const auto loaded = load(again);
            REQUIRE(loaded);
            CHECK_FALSE(again);
            CHECK(loaded.value().root.cert.BER_encode() ==
                  Botan::X509_Certificate(paths.root_cert()).BER_encode());
        }
    }
    SECTION("a first start cut short (a half-written ca.new/) is made again") {
        // What a power cut during the first start leaves: keys written, certificates not.
        fs::create_directories(paths.ca_staging_dir());
        write(paths.ca_staging_dir() + "/root.key.pem", "half a key");
        write(paths.ca_staging_dir() + "/intermediate.key.pem.tmp.Ab12Cd", "");
        fs::create_directories(paths.ca_dir());  // empty, as an older version left it
        bool created = false;
        const auto ca = load(created);
        REQUIRE(ca);
        CHECK(created);
        CHECK_FALSE(files::exists(paths.ca_staging_dir()));
        CHECK(read_private_key(paths.root_key())->subject_public_key() ==
              ca.value().root.cert.subject_public_key_info());
    }
    SECTION("a CA an older router-ca made (DNS and IPv4 only) still loads") {
        const auto old = test::make_old_ca(policy, rng, clock.now());
        fs::create_directories(paths.ca_dir());
        write(paths.root_cert(), old.root.cert.PEM_encode());
        write(paths.intermediate_cert(), old.intermediate.cert.PEM_encode());
        write_private_key(paths.root_key(), *old.root.key);
        write_private_key(paths.intermediate_key(), *old.intermediate.key);
        bool created = true;
        const auto loaded = load(created);
        REQUIRE(loaded);
        CHECK_FALSE(created);
        CHECK(loaded.value().root.cert == old.root.cert);
        CHECK(loaded.value().intermediate.cert == old.intermediate.cert);
    }
    SECTION("a CA missing a file is still refused, never overwritten") {
        bool created = false;
        REQUIRE(load(created));
        fs::remove(paths.intermediate_cert());
        const std::string root_key = files::read_file(paths.root_key());
        const auto again = load(created);
        REQUIRE_FALSE(again);
        CHECK_THAT(again.error().detail, Catch::Contains("incomplete"));
        CHECK(files::read_file(paths.root_key()) == root_key);
    }
}

constexpr const char* kSecret = "a secret of twenty chars";

TEST_CASE("encrypted PKCS#8 keys read back only with their passphrase", "[ca_files]") {
    Botan::AutoSeeded_RNG rng;
    const Botan::ECDSA_PrivateKey key(rng, Botan::EC_Group("secp256r1"));
    const auto pem = encrypted_key_pem(key, "right passphrase", 1000, rng);
    CHECK(is_encrypted_key_pem(pem));
    const auto back = parse_private_key(pem, "right passphrase", "k.pem");
    REQUIRE(back);
    CHECK(back.value()->private_key_bits() == key.private_key_bits());

    const auto wrong = parse_private_key(pem, "wrong passphrase", "k.pem");
    REQUIRE_FALSE(wrong);
    CHECK(wrong.error().code == Errc::unauthorized);
    CHECK_THAT(wrong.error().detail, Catch::Contains("cannot decrypt k.pem"));
    const auto none = parse_private_key(pem, "", "k.pem");
    REQUIRE_FALSE(none);
    CHECK_THAT(none.error().detail, Catch::Contains("k.pem is encrypted"));
    CHECK_FALSE(parse_private_key("not a key", "", "k.pem"));
}

TEST_CASE_METHOD(CaDir, "the intermediate key secret protects intermediate keys at rest",
                 "[ca_files]") {
    bool created = false;
    const auto load_with = [&](const std::string& secret) {
        return load_or_create_ca(paths, policy, rng, clock.now(), created, secret);
    };
    SECTION("a new CA with a secret: the intermediate key is never plain on disk") {
        REQUIRE(load_with(kSecret));
        CHECK(created);
        CHECK(is_encrypted_key_pem(files::read_file(paths.intermediate_key())));
        CHECK(files::mode_of(paths.intermediate_key()) == 0600);
        CHECK(load_with(kSecret));
        const auto wrong = load_with("another secret!!");
        REQUIRE_FALSE(wrong);
        CHECK_THAT(wrong.error().detail, Catch::Contains("cannot decrypt"));
        const auto missing = load_with("");
        REQUIRE_FALSE(missing);
        CHECK_THAT(missing.error().detail, Catch::Contains("--intermediate-key-secret"));
    }
    SECTION("turning the secret on encrypts the plain key in place") {
        REQUIRE(load_with(""));
        CHECK_FALSE(is_encrypted_key_pem(files::read_file(paths.intermediate_key())));
        REQUIRE(load_with(kSecret));
        CHECK(is_encrypted_key_pem(files::read_file(paths.intermediate_key())));
        CHECK(files::mode_of(paths.intermediate_key()) == 0600);
    }
}

TEST_CASE_METHOD(CaDir, "a rotated intermediate loads as the current one", "[ca_files]") {
    bool created = false;
    auto first = load(created);
    REQUIRE(first);
    const auto later = clock.now() + std::chrono::hours(24);
    const auto next = make_intermediate(first.value().root, policy, rng, later);
    save_rotated_intermediate(paths, next, kSecret, rng);
    CHECK(files::mode_of(paths.intermediate_key(ca_key_id(next.cert))) == 0600);

    const auto loaded = load_or_create_ca(paths, policy, rng, later, created, kSecret);
    REQUIRE(loaded);
    CHECK(loaded.value().intermediate.cert == next.cert);
    REQUIRE(loaded.value().earlier.size() == 1);
    CHECK(loaded.value().earlier[0].cert == first.value().intermediate.cert);
    // Past the first intermediate's expiry it is no longer held.
    const auto after =
        to_time_point(first.value().intermediate.cert.not_after()) + std::chrono::hours(1);
    const auto pruned = load_or_create_ca(paths, policy, rng, after, created, kSecret);
    REQUIRE(pruned);
    CHECK(pruned.value().earlier.empty());
}

TEST_CASE_METHOD(CaDir, "an intermediates folder that cannot be listed is an error, not an abort",
                 "[ca_files]") {
    bool created = false;
    REQUIRE(load(created));
    // What a damaged flash or a hand-made file leaves: ca/intermediates is not a folder.
    write(paths.intermediates_dir(), "not a folder");
    const auto loaded = load(created);
    REQUIRE_FALSE(loaded);
    CHECK(loaded.error().detail.find("cannot load the CA") != std::string::npos);
    CHECK(loaded.error().detail.find(paths.intermediates_dir()) != std::string::npos);
}

TEST_CASE("write_new_atomic never replaces a file", "[ca_files]") {
    test::TempDir tmp;
    const std::string path = tmp.file("export.pem");
    files::write_new_atomic(path, "first", 0600);
    CHECK(files::mode_of(path) == 0600);
    CHECK_THROWS_WITH(files::write_new_atomic(path, "second", 0600),
                      Catch::Contains("refusing to overwrite"));
    CHECK(files::read_file(path) == "first");
    // No temporary is left beside it.
    CHECK(std::distance(fs::directory_iterator(tmp.file("")), fs::directory_iterator()) == 1);
}

}  // namespace rca
