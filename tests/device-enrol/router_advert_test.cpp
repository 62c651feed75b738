#include "denrol/router_advert.hpp"

#include <catch2/catch.hpp>

namespace {

const std::string kFp = std::string(32, 'a') + std::string(32, '7');

}  // namespace

TEST_CASE("TXT values: keys without case, the first occurrence wins (RFC 6763 6.4)",
          "[router_advert]") {
    struct Row {
        std::vector<std::string> txt;
        std::string key;
        std::string value;
    };
    const auto row = GENERATE(values<Row>({
        {{"fp=abc", "domain=home.arpa"}, "fp", "abc"},
        {{"FP=abc"}, "fp", "abc"},
        {{"fp=first", "fp=second"}, "fp", "first"},
        {{"fp", "fp=later"}, "fp", ""},
        {{"fp="}, "fp", ""},
        {{"path=/api/v1=x"}, "path", "/api/v1=x"},
        {{"fpx=abc"}, "fp", ""},
        {{}, "fp", ""},
    }));
    CHECK(denrol::txt_value(row.txt, row.key) == row.value);
}

TEST_CASE("a resolved service becomes a router to try", "[router_advert]") {
    const auto r = denrol::read_advert(
        "router-ca on gw", "192.168.1.1", 8443,
        {"fp=" + std::string(32, 'A') + std::string(32, '7'), "domain=home.arpa", "path=/api/v1"});
    REQUIRE(r.ok());
    CHECK(r.value().fingerprint == kFp);  // normalised to lower case
    CHECK(r.value().domain == "home.arpa");
    CHECK(r.value().api_path == "/api/v1");
    CHECK(denrol::advertised_url(r.value()) == "https://192.168.1.1:8443");
}

TEST_CASE("answers that cannot be checked are refused with a reason", "[router_advert]") {
    struct Row {
        std::string address;
        int port;
        std::vector<std::string> txt;
        std::string says;
    };
    const auto row = GENERATE_COPY(values<Row>({
        {"192.168.1.1", 8443, {"domain=home.arpa"}, "no root fingerprint"},
        {"192.168.1.1", 8443, {"fp=abcd"}, "no root fingerprint"},
        {"fe80::1", 8443, {"fp=" + kFp}, "not an IPv4 address"},
        {"192.168.1.1", 0, {"fp=" + kFp}, "no usable port"},
    }));
    const auto r = denrol::read_advert("impostor", row.address, row.port, row.txt);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == denrol::Errc::protocol);
    CHECK_THAT(r.error().detail, Catch::Contains(row.says) && Catch::Contains("impostor"));
}

TEST_CASE("the announced fingerprint must be the one the user gave", "[router_advert]") {
    const auto r = denrol::read_advert("gw", "192.168.1.1", 8443, {"fp=" + kFp}).value();
    CHECK(denrol::check_advertised_fingerprint(r, "").ok());
    CHECK(denrol::check_advertised_fingerprint(r, kFp).ok());
    const auto wrong = denrol::check_advertised_fingerprint(r, std::string(64, 'b'));
    REQUIRE_FALSE(wrong.ok());
    CHECK(wrong.error().code == denrol::Errc::untrusted);
    CHECK_THAT(wrong.error().detail, Catch::Contains(kFp) && Catch::Contains("refusing"));
}
