#include "hq/daemon/hq_problem.hpp"

#include "hq/core/problem_document.hpp"
#include "hq/core/router_credential.hpp"

namespace hq {

void send_problem(httplib::Response& res, const HqError& error) {
    const rca::wire::Problem problem = problem_document(error);
    res.status = problem.status;
    // A 401 names the scheme that would work (RFC 9110 §15.5.2): the router's factory
    // credential for registration (RFC 7617), the home's credential elsewhere (RFC 6750 §3).
    if (error.code == HqErrc::router_unauthenticated)
        res.set_header("WWW-Authenticate", kRouterAuthChallenge);
    else if (error.code == HqErrc::unauthenticated)
        res.set_header("WWW-Authenticate", "Bearer realm=\"hq homes\"");
    if (error.retry_after)
        res.set_header("Retry-After", std::to_string(error.retry_after->count()));
    res.set_content(rca::wire::to_json(problem), rca::wire::kProblemJson);
}

}  // namespace hq
