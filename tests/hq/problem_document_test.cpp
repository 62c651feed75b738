// HQ's problem documents (hq/core/problem_document.hpp): one status, type and title per error kind.
#include <catch2/catch.hpp>

#include <string>

#include "hq/core/problem_document.hpp"

using namespace hq;

TEST_CASE("each error kind has its status, type and title") {
    const auto [code, status, slug] = GENERATE(table<HqErrc, int, std::string>({
        {HqErrc::bad_request, 400, "bad-request"},
        {HqErrc::unauthenticated, 401, "unauthenticated"},
        {HqErrc::forbidden, 403, "forbidden"},
        {HqErrc::not_found, 404, "not-found"},
        {HqErrc::too_large, 413, "too-large"},
        {HqErrc::too_many_requests, 429, "rate-limited"},
        {HqErrc::internal, 500, "internal"},
    }));
    const rca::wire::Problem problem = problem_document({code, "what to do"});
    CHECK(problem.status == status);
    CHECK(problem.type == "urn:hq:problem:" + slug);
    CHECK_FALSE(problem.title.empty());
    CHECK(problem.detail == "what to do");
}
