#include "admin/tar_archive.hpp"

#include <catch2/catch.hpp>

using namespace rca::admin;
using rca::Bytes;

TEST_CASE("tar: files and directories round-trip with their modes", "[tar]") {
    const std::vector<TarEntry> entries = {
        {"ca", true, 0700, {}},
        {"ca/root.pem", false, 0644, Bytes(700, 'r')},
        {"ca/root.key.pem", false, 0600, Bytes(512, 'k')},
        {"empty", false, 0600, {}},
    };
    const Bytes archive = write_tar(entries);
    CHECK(archive.size() % 512 == 0);
    const auto back = read_tar(archive);
    REQUIRE(back);
    REQUIRE(back.value().size() == entries.size());
    for (size_t i = 0; i < entries.size(); ++i) {
        CAPTURE(i);
        CHECK(back.value()[i].path == entries[i].path);
        CHECK(back.value()[i].directory == entries[i].directory);
        CHECK(back.value()[i].mode == entries[i].mode);
        CHECK(back.value()[i].content == entries[i].content);
    }
    CHECK(write_tar(entries) == archive);  // deterministic
}

TEST_CASE("tar: unsafe paths are never written or read", "[tar]") {
    const std::string bad =
        GENERATE("", "/etc/passwd", "../x", "a/../../x", "a//b", "./a", "a/", "a\\b");
    CAPTURE(bad);
    CHECK_FALSE(safe_relative_path(bad));
    if (!bad.empty()) {
        CHECK_THROWS(write_tar({{bad, false, 0600, {}}}));
    }
    // A hand-made archive with the bad name is refused on reading.
    Bytes archive = write_tar({{"x", false, 0600, Bytes{'1'}}});
    if (!bad.empty() && bad.size() < 100) {
        std::fill(archive.begin(), archive.begin() + 100, 0);
        std::copy(bad.begin(), bad.end(), archive.begin());
        unsigned sum = 0;
        for (size_t i = 0; i < 512; ++i) sum += (i >= 148 && i < 156) ? ' ' : archive[i];
        const std::string octal = [&] {
            char buf[8];
            std::snprintf(buf, sizeof buf, "%06o", sum);
            return std::string(buf);
        }();
        std::copy(octal.begin(), octal.end(), archive.begin() + 148);
        CHECK_FALSE(read_tar(archive));
    }
}

TEST_CASE("tar: truncated, corrupted and foreign archives are refused", "[tar]") {
    const Bytes good = write_tar({{"a", false, 0600, Bytes(1000, 'a')}});
    CHECK_FALSE(read_tar(Bytes(good.begin(), good.begin() + 700)));
    CHECK_FALSE(read_tar(Bytes(good.begin(), good.begin() + 512 + 1024)));  // no end marker
    Bytes flipped = good;
    flipped[10] ^= 1;  // header byte: checksum fails
    CHECK_FALSE(read_tar(flipped));
    Bytes symlink = good;
    symlink[156] = '2';
    CHECK_FALSE(read_tar(symlink));
    CHECK_FALSE(read_tar(Bytes(100, 0)));
    CHECK(read_tar(Bytes(1024, 0)).value().empty());
}
