// HQ's input validators: tokens, private addresses, labels (table-driven, house style #12).
#include <catch2/catch.hpp>

#include "hq/core/input_rules.hpp"

using namespace hq;

TEST_CASE("tokens carry at least 128 bits as hex or base64url") {
    const auto [token, accepted] = GENERATE(table<std::string, bool>({
        {std::string(32, 'a'), true},                      // 128 bits of hex
        {"0123456789ABCDEFabcdef0123456789", true},       // either case
        {"0123456789abcdef0123", false},                   // 80 bits (20 characters)
        {"Zm9vYmFyYmF6cXV4cXV1eHh4eXl5", true},           // 28 base64url characters
        {"abcdefghijklmnopqrstu-", true},                  // 22 characters: 132 bits
        {"abcdefghijklmnopqrst_", false},                  // 21 characters: 126 bits
        {"abcdefghijklmnopqrstuvwxyz+/", false},           // base64, not base64url
        {"abcdefghijklmnopqrstuvwxyz==", false},           // padding
        {std::string(257, 'a'), false},                    // longer than any token needs
        {"", false},
    }));
    CAPTURE(token);
    CHECK(check_token(token).ok() == accepted);
}

TEST_CASE("only RFC 1918 addresses are published") {
    const auto [text, accepted] = GENERATE(table<std::string, bool>({
        {"10.0.0.1", true},
        {"172.16.0.1", true},
        {"172.31.255.254", true},
        {"192.168.1.20", true},
        {"172.32.0.1", false},   // just outside 172.16/12
        {"8.8.8.8", false},
        {"127.0.0.1", false},    // loopback is nobody's LAN address
        {"169.254.1.1", false},  // link-local
        {"100.64.0.1", false},   // CGNAT (RFC 6598) is not a home LAN
        {"192.168.1", false},
        {"192.168.001.1", false},
        {"::1", false},
    }));
    CAPTURE(text);
    const auto result = parse_private_address(text);
    CHECK(result.ok() == accepted);
    if (!result) CHECK(result.error().code == HqErrc::bad_request);
}

TEST_CASE("labels are one lowercase LDH label") {
    const auto [label, accepted] = GENERATE(table<std::string, bool>({
        {"cam", true},
        {"nas-2", true},
        {"0", true},
        {std::string(63, 'a'), true},
        {std::string(64, 'a'), false},
        {"", false},
        {"-cam", false},
        {"cam-", false},
        {"Cam", false},
        {"a.b", false},
        {"_acme-challenge", false},  // the challenge records are HQ's, never a home's
        {"*", false},
        {"caf\xc3\xa9", false},
    }));
    CAPTURE(label);
    CHECK(check_label(label, "label").ok() == accepted);
}
