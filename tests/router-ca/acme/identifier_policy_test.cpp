#include "acme/identifier_policy.hpp"

#include <catch2/catch.hpp>

#include "support/test_pki.hpp"

namespace rca::acme {
namespace {

// The identifier policy as a table: what a client asks for, and what the router answers.
struct Row {
    std::vector<Identifier> asked;
    const char* label;    // the accepted device name, or nullptr when refused
    ProblemType refusal;  // when refused
};

TEST_CASE("identifier policy table", "[acme][identifiers]") {
    const HomePolicy policy = test::test_policy();
    using P = ProblemType;
    const std::vector<Row> rows = {
        {{{"dns", "nas.home.arpa"}}, "nas", P::malformed},
        {{{"dns", "NAS.Home.Arpa"}}, "nas", P::malformed},
        {{{"dns", "nas.local"}}, "nas", P::malformed},
        {{{"dns", "nas.home.arpa"}, {"dns", "nas.local"}, {"dns", "nas.home.arpa"}},
         "nas",
         P::malformed},
        {{{"dns", "*.home.arpa"}}, nullptr, P::rejected_identifier},
        {{{"dns", "*.nas.home.arpa"}}, nullptr, P::rejected_identifier},
        {{{"dns", "www.example.com"}}, nullptr, P::rejected_identifier},
        {{{"dns", "nas.home.arpa.evil.example"}}, nullptr, P::rejected_identifier},
        {{{"dns", "a.b.home.arpa"}}, nullptr, P::rejected_identifier},
        {{{"dns", "home.arpa"}}, nullptr, P::rejected_identifier},
        {{{"dns", "nas.home.arpa."}}, nullptr, P::rejected_identifier},
        {{{"dns", "-nas.home.arpa"}}, nullptr, P::rejected_identifier},
        {{{"dns", "na_s.home.arpa"}}, nullptr, P::rejected_identifier},
        {{{"dns", ".home.arpa"}}, nullptr, P::rejected_identifier},
        {{{"dns", "nas.home.arpa"}, {"dns", "tv.home.arpa"}}, nullptr, P::rejected_identifier},
        {{{"ip", "192.168.1.2"}}, nullptr, P::rejected_identifier},
        {{{"email", "me@home.arpa"}}, nullptr, P::unsupported_identifier},
        {{}, nullptr, P::malformed},
        {std::vector<Identifier>(kMaxIdentifiers + 1, {"dns", "nas.home.arpa"}), nullptr,
         P::malformed},
    };
    for (const auto& row : rows) {
        std::string asked;
        for (const auto& id : row.asked) asked += id.type + ":" + id.value + " ";
        INFO("asked: " << asked);
        const auto result = accept_identifiers(policy, row.asked);
        if (row.label) {
            REQUIRE(result);
            CHECK(result.value().label == row.label);
        } else {
            REQUIRE_FALSE(result);
            CHECK(result.error().type == row.refusal);
            CHECK_FALSE(result.error().detail.empty());
        }
    }
}

TEST_CASE("identifiers are lowercased and deduplicated in order", "[acme][identifiers]") {
    const auto result =
        accept_identifiers(test::test_policy(),
                           {{"dns", "NAS.local"}, {"dns", "nas.home.arpa"}, {"dns", "nas.LOCAL"}});
    REQUIRE(result);
    CHECK(result.value().identifiers == std::vector<std::string>{"nas.local", "nas.home.arpa"});
}

TEST_CASE(".local names are refused when local names are off", "[acme][identifiers]") {
    HomePolicy policy = test::test_policy();
    policy.local_names = false;
    const auto result = accept_identifiers(policy, {{"dns", "nas.local"}});
    REQUIRE_FALSE(result);
    CHECK(result.error().type == ProblemType::rejected_identifier);
}

}  // namespace
}  // namespace rca::acme
