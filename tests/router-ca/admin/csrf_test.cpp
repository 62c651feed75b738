#include "admin/csrf.hpp"

#include <catch2/catch.hpp>

using rca::admin::csrf_token_matches;
using rca::admin::origin_allowed;

TEST_CASE("csrf: tokens must match exactly", "[csrf]") {
    const std::string token(64, 'a');
    CHECK(csrf_token_matches(token, token));
    CHECK_FALSE(csrf_token_matches(token, ""));
    CHECK_FALSE(csrf_token_matches(token, token.substr(1)));
    CHECK_FALSE(csrf_token_matches(token, std::string(63, 'a') + "b"));
    CHECK_FALSE(csrf_token_matches("", ""));  // a session without a token never matches
}

TEST_CASE("csrf: Origin must be this HTTPS host, or absent", "[csrf]") {
    struct Case {
        const char* origin;
        const char* host;
        bool allowed;
    };
    const auto c = GENERATE(Case{"", "192.168.1.1:8443", true},
                            Case{"https://192.168.1.1:8443", "192.168.1.1:8443", true},
                            Case{"HTTPS://Router.Home.Arpa:8443", "router.home.arpa:8443", true},
                            Case{"http://192.168.1.1:8443", "192.168.1.1:8443", false},
                            Case{"https://evil.example", "192.168.1.1:8443", false},
                            Case{"https://192.168.1.1:8444", "192.168.1.1:8443", false},
                            Case{"null", "192.168.1.1:8443", false},
                            Case{"https://192.168.1.1:8443", "", false});
    CAPTURE(c.origin, c.host);
    CHECK(origin_allowed(c.origin, c.host) == c.allowed);
}
