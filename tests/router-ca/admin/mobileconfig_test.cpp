#include "admin/mobileconfig.hpp"

#include <botan/auto_rng.h>
#include <botan/base64.h>

#include <catch2/catch.hpp>
#include <regex>

using namespace rca::admin;

TEST_CASE("mobileconfig: a root payload with the DER and distinct UUIDs", "[mobileconfig]") {
    Botan::AutoSeeded_RNG rng;
    MobileconfigInput in;
    for (int i = 0; i < 300; ++i) in.root_der.push_back(static_cast<uint8_t>(i));
    in.display_name = "home.arpa root <&>";
    in.identifier = "arpa.home.router-ca";
    in.profile_uuid = random_uuid(rng);
    in.payload_uuid = random_uuid(rng);
    in.organization = "router-ca";
    in.description = "d";
    in.certificate_file_name = "home-root.cer";
    const std::string xml = build_mobileconfig(in);

    CHECK(xml.find("<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\"") != std::string::npos);
    CHECK(xml.find("<string>com.apple.security.root</string>") != std::string::npos);
    CHECK(xml.find("<string>Configuration</string>") != std::string::npos);
    CHECK(xml.find("home.arpa root &lt;&amp;&gt;") != std::string::npos);  // escaped
    CHECK(xml.find(in.profile_uuid) != std::string::npos);
    CHECK(xml.find(in.payload_uuid) != std::string::npos);
    CHECK(xml.find("<string>arpa.home.router-ca.root</string>") != std::string::npos);

    // The <data> holds exactly the DER, in base64 lines.
    const auto start = xml.find("<data>") + 6;
    const auto end = xml.find("</data>");
    std::string b64;
    for (const char c : xml.substr(start, end - start))
        if (!std::isspace(static_cast<unsigned char>(c))) b64 += c;
    const auto decoded = Botan::base64_decode(b64);
    CHECK(rca::Bytes(decoded.begin(), decoded.end()) == in.root_der);
}

TEST_CASE("mobileconfig: UUIDs are version 4", "[mobileconfig]") {
    Botan::AutoSeeded_RNG rng;
    const std::string uuid = random_uuid(rng);
    CHECK(
        std::regex_match(uuid, std::regex("[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-"
                                          "[0-9A-F]{12}")));
    CHECK(random_uuid(rng) != uuid);
}
