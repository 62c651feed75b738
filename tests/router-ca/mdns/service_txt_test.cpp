#include "mdns/service_txt.hpp"

#include <catch2/catch.hpp>

namespace {

rca::RouterAdvert good_advert() {
    rca::RouterAdvert a;
    a.https_port = 8443;
    a.root_fingerprint_hex = std::string(32, 'A') + std::string(32, '0');
    a.domain = "home.arpa";
    return a;
}

}  // namespace

TEST_CASE("the router's TXT record: fp first, lower-case hex, then domain and path", "[txt]") {
    const auto a = good_advert();
    REQUIRE_FALSE(rca::mdns::advert_problem(a));
    CHECK(rca::mdns::router_txt(a) ==
          std::vector<std::string>{"fp=" + std::string(32, 'a') + std::string(32, '0'),
                                   "domain=home.arpa", "path=/api/v1"});
    CHECK(rca::mdns::web_ui_txt() == std::vector<std::string>{"path=/"});
}

TEST_CASE("adverts that must not be published say why", "[txt]") {
    struct Row {
        const char* what;
        void (*spoil)(rca::RouterAdvert&);
        const char* says;
    };
    const auto row = GENERATE(values<Row>({
        {"port 0", [](rca::RouterAdvert& a) { a.https_port = 0; }, "not a TCP port"},
        {"port 65536", [](rca::RouterAdvert& a) { a.https_port = 65536; }, "not a TCP port"},
        {"short fingerprint", [](rca::RouterAdvert& a) { a.root_fingerprint_hex = "abcd"; },
         "64 hex digits"},
        {"non-hex fingerprint",
         [](rca::RouterAdvert& a) { a.root_fingerprint_hex = std::string(64, 'g'); },
         "64 hex digits"},
        {"no domain", [](rca::RouterAdvert& a) { a.domain.clear(); }, "domain is empty"},
        {"relative path", [](rca::RouterAdvert& a) { a.api_path = "api"; }, "start with '/'"},
        {"TXT string over 255 bytes",
         [](rca::RouterAdvert& a) { a.domain = std::string(250, 'x') + ".arpa"; },
         "longer than 255 bytes"},
    }));
    INFO(row.what);
    auto a = good_advert();
    row.spoil(a);
    const auto problem = rca::mdns::advert_problem(a);
    REQUIRE(problem);
    CHECK_THAT(*problem, Catch::Contains(row.says));
}

TEST_CASE("instance names: given, defaulted from the host, cut to 63 bytes", "[txt]") {
    auto a = good_advert();
    CHECK(rca::mdns::instance_name_for(a, "gateway") == "router-ca on gateway");
    CHECK(rca::mdns::instance_name_for(a, "") == "router-ca");
    a.instance_name = "Home router";
    CHECK(rca::mdns::instance_name_for(a, "gateway") == "Home router");

    // 62 ASCII bytes then a two-byte "é": the cut at 63 must not split it (RFC 6763 4.1.1).
    a.instance_name = std::string(62, 'r') + "\xc3\xa9" + "tail";
    const std::string cut = rca::mdns::instance_name_for(a, "");
    CHECK(cut == std::string(62, 'r'));
    a.instance_name = std::string(80, 'r');
    CHECK(rca::mdns::instance_name_for(a, "").size() == rca::mdns::kMaxInstanceNameBytes);
}
