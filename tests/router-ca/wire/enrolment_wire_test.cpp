// The wire types' JSON: what the daemon and HQ send as a problem document can always be written.
#include <catch2/catch.hpp>

#include <string>

#include "wire/enrolment_wire.hpp"

using namespace rca::wire;

TEST_CASE("a problem whose detail quotes octets that are not UTF-8 is still written") {
    // What a refusal quotes from hostile input: a path label percent-decoded to Latin-1, a lone
    // continuation octet, a member name cut at 40 octets inside "é" (issue 14, found by
    // fuzz_hq_records and fuzz_hq_registration).
    const auto [detail, written] = GENERATE(table<std::string, std::string>({
        {"label \"caf\xe9\" is not one lowercase DNS label",
         "label \"caf\xef\xbf\xbd\" is not one lowercase DNS label"},
        {"no such resource: /v1/x\xff", "no such resource: /v1/x\xef\xbf\xbd"},
        {"unknown member \"aaa\xc3\"", "unknown member \"aaa\xef\xbf\xbd\""},
        {"caf\xc3\xa9 stays as it is", "caf\xc3\xa9 stays as it is"},
    }));
    Problem problem{"urn:hq:problem:bad-request", "Malformed or unacceptable request", 400, detail};
    std::string json;
    REQUIRE_NOTHROW(json = to_json(problem));
    std::string error;
    const auto back = parse_problem(json, error);
    REQUIRE(back);
    CHECK(back->detail == written);
    CHECK(back->status == 400);
    CHECK(back->type == problem.type);
}
