#include "files/dir_listing.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <system_error>

#include "../store/store_test_support.hpp"

namespace rca::files {
namespace {

std::vector<std::string> sorted_names(const std::vector<DirEntry>& entries) {
    std::vector<std::string> names;
    for (const auto& entry : entries) names.push_back(entry.name);
    std::sort(names.begin(), names.end());
    return names;
}

}  // namespace

// ext4 hands out 64-bit directory offsets (hash cookies) to 64-bit processes; a 32-bit build
// without large-file support cannot hold them and readdir fails with EOVERFLOW (seen on armhf under
// qemu-user). Enough files that some cookie is past 2^31, whatever the hash seed.
TEST_CASE("a folder is listed whole, every entry once", "[dir_listing]") {
    test::TempDir tmp;
    std::vector<std::string> expected{"sub"};
    std::filesystem::create_directory(tmp.file("sub"));
    for (int i = 0; i < 64; ++i) {
        expected.push_back("f" + std::to_string(i) + ".pem");
        std::ofstream(tmp.file(expected.back())) << i;
    }
    std::sort(expected.begin(), expected.end());

    const auto listing = list_dir(tmp.file(""));
    REQUIRE(listing);
    CHECK(sorted_names(*listing) == expected);  // no "." or "..", nothing missing
    for (const auto& entry : *listing) CHECK(entry.is_dir == (entry.name == "sub"));
}

TEST_CASE("a missing folder lists as none; a file is an error", "[dir_listing]") {
    test::TempDir tmp;
    CHECK_FALSE(list_dir(tmp.file("missing")));
    CHECK(list_dir(tmp.file(""))->empty());
    std::ofstream(tmp.file("plain")) << "x";
    try {
        list_dir(tmp.file("plain"));
        FAIL("listing a file did not throw");
    } catch (const std::system_error& e) {
        CHECK(e.code() == std::errc::not_a_directory);
        CHECK_THAT(e.what(), Catch::Contains(tmp.file("plain")));
    }
}

}  // namespace rca::files
