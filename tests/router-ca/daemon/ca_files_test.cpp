#include "daemon/ca_files.hpp"

#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "../store/store_test_support.hpp"
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

}  // namespace rca
