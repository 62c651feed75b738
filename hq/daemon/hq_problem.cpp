#include "hq/daemon/hq_problem.hpp"

#include "hq/core/problem_document.hpp"

namespace hq {

void send_problem(httplib::Response& res, const HqError& error) {
    const rca::wire::Problem problem = problem_document(error);
    res.status = problem.status;
    res.set_content(rca::wire::to_json(problem), rca::wire::kProblemJson);
}

}  // namespace hq
