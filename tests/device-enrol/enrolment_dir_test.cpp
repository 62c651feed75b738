#include "denrol/enrolment_dir.hpp"

#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <cstring>
#include <filesystem>

#include "denrol/status_report.hpp"
#include "support/test_pki.hpp"

namespace {

namespace fs = std::filesystem;
using denrol::EnrolmentDir;
using denrol_test::slurp;
using denrol_test::spit;

denrol::DeviceState sample_state(const std::string& serial) {
    denrol::DeviceState s;
    s.router_url = "https://192.168.1.1";
    s.name = "cam";
    s.fqdn = "cam.home.arpa";
    s.root_sha256 = std::string(64, 'a');
    s.serial = serial;
    s.not_before = std::chrono::system_clock::from_time_t(1'700'000'000);
    s.not_after = s.not_before + std::chrono::hours(24 * 90);
    s.last_renewal = s.not_before + std::chrono::seconds(5);
    s.key_type = denrol::KeyType::ed25519;
    return s;
}

denrol::Bundle sample_bundle(const std::string& tag) {
    return {"KEY " + tag, "CERT " + tag, "CHAIN " + tag, "ROOT", sample_state(tag)};
}

int mode_of(const std::string& path) {
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

}  // namespace

TEST_CASE("state.json round trip", "[enrolment_dir]") {
    const auto s = sample_state("0a1b");
    const auto back = denrol::state_from_json(denrol::state_to_json(s));
    REQUIRE(back.ok());
    const auto& b = back.value();
    CHECK(b.router_url == s.router_url);
    CHECK(b.name == s.name);
    CHECK(b.fqdn == s.fqdn);
    CHECK(b.root_sha256 == s.root_sha256);
    CHECK(b.serial == s.serial);
    CHECK(b.not_before == s.not_before);
    CHECK(b.not_after == s.not_after);
    CHECK(b.last_renewal == s.last_renewal);
    CHECK(b.key_type == s.key_type);
}

TEST_CASE("a corrupt state.json gives a clear error", "[enrolment_dir]") {
    struct Row {
        std::string text;
        std::string says;
    };
    const std::string good = denrol::state_to_json(sample_state("01"));
    const auto replaced = [&](const std::string& from, const std::string& to) {
        std::string t = good;
        t.replace(t.find(from), from.size(), to);
        return t;
    };
    const auto row = GENERATE_COPY(values<Row>({
        {"", "not a JSON object"},
        {good.substr(0, good.size() / 2), "not a JSON object"},
        {"[1,2]", "not a JSON object"},
        {replaced("\"version\": 1", "\"version\": 99"), "unsupported version"},
        {replaced("\"fqdn\"", "\"fqdm\""), "\"fqdn\""},
        {replaced("\"2023-", "\"yesterday-"), "not a UTC time"},
        {replaced("\"ed25519\"", "\"dsa\""), "unknown key_type"},
    }));
    const auto r = denrol::state_from_json(row.text);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == denrol::Errc::local);
    CHECK_THAT(r.error().detail, Catch::Contains(row.says));

    SECTION("through the directory, naming the file") {
        denrol_test::TempDir tmp;
        spit(tmp.file("state.json"), row.text);
        const auto loaded = EnrolmentDir(tmp.path()).load_state();
        REQUIRE_FALSE(loaded.ok());
        CHECK_THAT(loaded.error().detail,
                   Catch::Contains(tmp.file("state.json")) && Catch::Contains(row.says));
    }
}

TEST_CASE("state.json: the reported address is optional and kept", "[enrolment_dir]") {
    auto s = sample_state("0a1b");
    CHECK(denrol::state_to_json(s).find("reported_ipv4") == std::string::npos);
    CHECK(denrol::state_from_json(denrol::state_to_json(s)).value().reported_ipv4.empty());
    s.reported_ipv4 = "192.168.1.20";
    const std::string text = denrol::state_to_json(s);
    CHECK(denrol::state_from_json(text).value().reported_ipv4 == "192.168.1.20");

    std::string broken = text;
    broken.replace(broken.find("\"192.168.1.20\""), 14, "42");
    const auto r = denrol::state_from_json(broken);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().detail, Catch::Contains("reported_ipv4"));
}

TEST_CASE("state.json: the public name is optional and kept", "[enrolment_dir]") {
    auto s = sample_state("0a1b");
    CHECK(denrol::state_to_json(s).find("public_name") == std::string::npos);
    s.public_name = "cam.nifty-babbage.vendor-cert.example";
    const std::string text = denrol::state_to_json(s);
    CHECK(denrol::state_from_json(text).value().public_name == s.public_name);
    std::string broken = text;
    broken.replace(broken.find("\"cam.nifty"),
                   std::strlen("\"cam.nifty-babbage.vendor-cert.example\""), "[]");
    const auto r = denrol::state_from_json(broken);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().detail, Catch::Contains("public_name"));
}

TEST_CASE("the public bundle installs on its own and ends its pending order", "[enrolment_dir]") {
    denrol_test::TempDir tmp;
    const std::string path = tmp.file("device");
    const EnrolmentDir dir(path);
    REQUIRE(dir.install(sample_bundle("local")).ok());
    REQUIRE(dir.keep_pending(EnrolmentDir::kRenewalKey, "KEY renewal").ok());
    REQUIRE(dir.keep_pending(EnrolmentDir::kPublicOrderKey, "KEY public order").ok());
    REQUIRE(dir.keep_pending(EnrolmentDir::kPublicOrder, "{\"id\":\"o1\"}").ok());
    CHECK(mode_of(dir.file(EnrolmentDir::kPublicOrderKey)) == 0600);

    SECTION("a local install leaves the public order alone") {
        REQUIRE(dir.install(sample_bundle("local2")).ok());
        CHECK_FALSE(dir.has(EnrolmentDir::kRenewalKey));
        CHECK(dir.has(EnrolmentDir::kPublicOrderKey));
        CHECK(dir.has(EnrolmentDir::kPublicOrder));
    }
    SECTION("a public install leaves the local bundle and the renewal's key alone") {
        REQUIRE(dir.install_public({"KEY public", "CERT public", "CHAIN public"}).ok());
        CHECK(slurp(dir.file(EnrolmentDir::kPublicKey)) == "KEY public");
        CHECK(mode_of(dir.file(EnrolmentDir::kPublicKey)) == 0600);
        CHECK(slurp(dir.file(EnrolmentDir::kPublicChain)) == "CHAIN public");
        CHECK(slurp(dir.file(EnrolmentDir::kKey)) == "KEY local");
        CHECK(dir.has(EnrolmentDir::kRenewalKey));
        CHECK_FALSE(dir.has(EnrolmentDir::kPublicOrderKey));
        CHECK_FALSE(dir.has(EnrolmentDir::kPublicOrder));
        CHECK_FALSE(dir.install_pending());
    }
    SECTION("a committed public install a crash interrupted is finished by recover") {
        fs::create_directory(path + "/.ready");
        spit(path + "/.ready/public-key.pem", "KEY public");
        spit(path + "/.ready/public-cert.pem", "CERT public");
        REQUIRE(dir.recover().value() == denrol::Recovery::rolled_forward);
        CHECK(slurp(dir.file(EnrolmentDir::kPublicCert)) == "CERT public");
        CHECK_FALSE(dir.has(EnrolmentDir::kPublicOrderKey));
        CHECK(dir.has(EnrolmentDir::kRenewalKey));
    }
    SECTION("forget removes one pending file, and a missing one is fine") {
        REQUIRE(dir.forget(EnrolmentDir::kPublicOrder).ok());
        CHECK_FALSE(dir.has(EnrolmentDir::kPublicOrder));
        CHECK(dir.has(EnrolmentDir::kPublicOrderKey));
        CHECK(dir.forget(EnrolmentDir::kPublicOrder).ok());
    }
}

TEST_CASE("update_state changes state.json alone", "[enrolment_dir]") {
    denrol_test::TempDir tmp;
    const EnrolmentDir dir(tmp.file("device"));
    REQUIRE(dir.install(sample_bundle("01")).ok());
    const auto updated =
        dir.update_state([](denrol::DeviceState& s) { s.reported_ipv4 = "10.0.0.7"; });
    REQUIRE(updated.ok());
    CHECK(updated.value().reported_ipv4 == "10.0.0.7");
    CHECK(dir.load_state().value().reported_ipv4 == "10.0.0.7");
    CHECK(dir.load_state().value().serial == "01");
    CHECK(slurp(dir.file(EnrolmentDir::kKey)) == "KEY 01");
    CHECK(mode_of(dir.file(EnrolmentDir::kState)) == 0644);

    const EnrolmentDir empty(tmp.file("nothing"));
    ::mkdir(empty.path().c_str(), 0700);
    const auto missing = empty.update_state([](denrol::DeviceState&) {});
    REQUIRE_FALSE(missing.ok());
    CHECK_THAT(missing.error().detail, Catch::Contains("pair"));
}

TEST_CASE("a missing state.json says to pair first", "[enrolment_dir]") {
    denrol_test::TempDir tmp;
    const auto r = EnrolmentDir(tmp.path()).load_state();
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().detail, Catch::Contains("pair"));
}

TEST_CASE("staged install", "[enrolment_dir]") {
    denrol_test::TempDir tmp;
    const std::string path = tmp.file("device");  // created by the install, mode 0700
    const EnrolmentDir dir(path);

    SECTION("a normal install writes every file, key.pem 0600, and leaves nothing behind") {
        REQUIRE(dir.install(sample_bundle("one")).ok());
        CHECK(slurp(dir.file(EnrolmentDir::kKey)) == "KEY one");
        CHECK(slurp(dir.file(EnrolmentDir::kCert)) == "CERT one");
        CHECK(slurp(dir.file(EnrolmentDir::kChain)) == "CHAIN one");
        CHECK(slurp(dir.file(EnrolmentDir::kRoot)) == "ROOT");
        CHECK(dir.load_state().value().serial == "one");
        CHECK(mode_of(dir.file(EnrolmentDir::kKey)) == 0600);
        CHECK(mode_of(dir.file(EnrolmentDir::kCert)) == 0644);
        CHECK(mode_of(path) == 0700);
        CHECK_FALSE(dir.install_pending());
        for (const auto& entry : fs::directory_iterator(path)) {
            const auto name = entry.path().filename().string();
            CHECK((name == ".lock" || name.find(".pem") != std::string::npos ||
                   name == "state.json"));
            CHECK(name.find(".tmp.") == std::string::npos);
        }

        SECTION("a second install replaces the bundle as a whole") {
            REQUIRE(dir.install(sample_bundle("two")).ok());
            CHECK(slurp(dir.file(EnrolmentDir::kKey)) == "KEY two");
            CHECK(slurp(dir.file(EnrolmentDir::kCert)) == "CERT two");
            CHECK(dir.load_state().value().serial == "two");
            CHECK(mode_of(dir.file(EnrolmentDir::kKey)) == 0600);
        }
    }

    SECTION("a committed install (.ready) interrupted half-way is rolled forward") {
        REQUIRE(dir.install(sample_bundle("old")).ok());
        // The crash came after key.pem and cert.pem had moved: the rest are still in .ready.
        fs::create_directory(path + "/.ready");
        spit(dir.file(EnrolmentDir::kKey), "KEY new");
        spit(dir.file(EnrolmentDir::kCert), "CERT new");
        spit(path + "/.ready/chain.pem", "CHAIN new");
        spit(path + "/.ready/root.pem", "ROOT");
        spit(path + "/.ready/state.json", denrol::state_to_json(sample_state("new")));
        CHECK(dir.install_pending());

        const auto r = dir.recover();
        REQUIRE(r.ok());
        CHECK(r.value() == denrol::Recovery::rolled_forward);
        CHECK(slurp(dir.file(EnrolmentDir::kChain)) == "CHAIN new");
        CHECK(dir.load_state().value().serial == "new");
        CHECK_FALSE(fs::exists(path + "/.ready"));
        CHECK(dir.recover().value() == denrol::Recovery::clean);
    }

    SECTION("the renewal's key is kept 0600 until an install, also one a crash interrupted") {
        REQUIRE(dir.install(sample_bundle("old")).ok());
        REQUIRE(dir.keep_pending(EnrolmentDir::kRenewalKey, "KEY renewal").ok());
        CHECK(slurp(dir.file(EnrolmentDir::kRenewalKey)) == "KEY renewal");
        CHECK(mode_of(dir.file(EnrolmentDir::kRenewalKey)) == 0600);
        CHECK_FALSE(dir.install_pending());
        // Committed, and the crash came before anything moved out of .ready.
        fs::create_directory(path + "/.ready");
        spit(path + "/.ready/key.pem", "KEY renewal");
        spit(path + "/.ready/state.json", denrol::state_to_json(sample_state("new")));
        REQUIRE(dir.recover().value() == denrol::Recovery::rolled_forward);
        CHECK(slurp(dir.file(EnrolmentDir::kKey)) == "KEY renewal");
        CHECK_FALSE(dir.has(EnrolmentDir::kRenewalKey));

        REQUIRE(dir.keep_pending(EnrolmentDir::kRenewalKey, "KEY next").ok());
        REQUIRE(dir.install(sample_bundle("next")).ok());
        CHECK_FALSE(dir.has(EnrolmentDir::kRenewalKey));
    }

    SECTION("temporaries a killed write left beside the bundle go at the next install") {
        REQUIRE(dir.install(sample_bundle("old")).ok());
        spit(dir.file("renewal-key.pem.tmp.Ab12Cd"), "-----BEGIN PRIVATE KEY-----\nMIG");
        spit(dir.file("state.json.tmp.zZ9yX8"), "");
        spit(dir.file("notes.tmp.txt"), "not ours");
        REQUIRE(dir.install(sample_bundle("new")).ok());
        CHECK_FALSE(fs::exists(dir.file("renewal-key.pem.tmp.Ab12Cd")));
        CHECK_FALSE(fs::exists(dir.file("state.json.tmp.zZ9yX8")));
        CHECK(slurp(dir.file("notes.tmp.txt")) == "not ours");
        CHECK(dir.load_state().value().serial == "new");
    }

    SECTION("an uncommitted install (.staging) is discarded and the old bundle kept") {
        REQUIRE(dir.install(sample_bundle("old")).ok());
        fs::create_directory(path + "/.staging");
        spit(path + "/.staging/key.pem", "KEY half");
        spit(path + "/.staging/cert.pem.tmp.abc123", "CERT ha");
        const auto r = dir.recover();
        REQUIRE(r.ok());
        CHECK(r.value() == denrol::Recovery::discarded);
        CHECK_FALSE(fs::exists(path + "/.staging"));
        CHECK(slurp(dir.file(EnrolmentDir::kKey)) == "KEY old");
        CHECK(dir.load_state().value().serial == "old");
    }

    SECTION("install itself recovers first") {
        REQUIRE(dir.install(sample_bundle("old")).ok());
        fs::create_directory(path + "/.staging");
        spit(path + "/.staging/key.pem", "KEY half");
        REQUIRE(dir.install(sample_bundle("next")).ok());
        CHECK(slurp(dir.file(EnrolmentDir::kKey)) == "KEY next");
        CHECK_FALSE(dir.install_pending());
    }

    SECTION("recovering a directory that does not exist is a no-op") {
        CHECK(dir.recover().value() == denrol::Recovery::clean);
        CHECK_FALSE(fs::exists(path));
    }
}

TEST_CASE("status report: days left and whether renewal is due", "[status_report]") {
    const auto s = sample_state("ab");
    struct Row {
        int day;
        long days_left;
        bool due;
        bool expired;
    };
    const auto row = GENERATE(values<Row>({{0, 90, false, false},
                                           {59, 31, false, false},
                                           {60, 30, true, false},
                                           {89, 1, true, false},
                                           {91, -1, true, true}}));
    const auto r =
        denrol::make_status_report(s, "/d", s.not_before + std::chrono::hours(24 * row.day));
    CHECK(r.days_left == row.days_left);
    CHECK(r.renewal_due == row.due);
    CHECK(r.expired == row.expired);
    CHECK_THAT(denrol::status_text(r),
               Catch::Contains("cam.home.arpa") && Catch::Contains(s.root_sha256));
    CHECK_THAT(denrol::status_json(r),
               Catch::Contains("\"renewal_due\": " + std::string(row.due ? "true" : "false")));
}

TEST_CASE("status report: the address last reported to the router", "[status_report]") {
    auto s = sample_state("ab");
    CHECK_THAT(denrol::status_text(denrol::make_status_report(s, "/d", s.not_before)),
               Catch::Contains("address:       not reported yet"));
    s.reported_ipv4 = "192.168.1.20";
    const auto r = denrol::make_status_report(s, "/d", s.not_before);
    CHECK_THAT(denrol::status_text(r), Catch::Contains("address:       192.168.1.20"));
    CHECK_THAT(denrol::status_json(r), Catch::Contains("\"reported_ipv4\": \"192.168.1.20\""));
}
