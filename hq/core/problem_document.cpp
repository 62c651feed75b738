#include "hq/core/problem_document.hpp"

namespace hq {
namespace {

struct Kind {
    int status;
    const char* slug;
    const char* title;
};

Kind kind_of(HqErrc code) {
    switch (code) {
        case HqErrc::bad_request:
            return {400, "bad-request", "Malformed or unacceptable request"};
        case HqErrc::unauthenticated:
            return {401, "unauthenticated", "Not authenticated"};
        case HqErrc::router_unauthenticated:
            return {401, "router-unauthenticated", "Not a known router"};
        case HqErrc::router_refused:
            return {403, "router-refused", "The home's router may not order"};
        case HqErrc::forbidden:
            return {403, "forbidden", "Not allowed"};
        case HqErrc::not_found:
            return {404, "not-found", "Not found"};
        case HqErrc::too_large:
            return {413, "too-large", "Request body too large"};
        case HqErrc::too_many_requests:
            return {429, "rate-limited", "Too many requests"};
        case HqErrc::internal:
            return {500, "internal", "Internal error"};
    }
    return {500, "error", "Error"};
}

}  // namespace

rca::wire::Problem problem_document(const HqError& error) {
    const Kind kind = kind_of(error.code);
    rca::wire::Problem problem;
    problem.type = std::string("urn:hq:problem:") + kind.slug;
    problem.status = kind.status;
    problem.title = kind.title;
    problem.detail = error.detail;
    return problem;
}

}  // namespace hq
