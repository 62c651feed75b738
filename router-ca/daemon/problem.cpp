#include "daemon/problem.hpp"

#include "wire/enrolment_wire.hpp"

namespace rca {
namespace {

const char* title(Errc code) {
    switch (code) {
        case Errc::malformed:
            return "Malformed request";
        case Errc::bad_csr:
            return "Unacceptable certificate request";
        case Errc::policy_denied:
            return "Refused by policy";
        case Errc::not_found:
            return "Not found";
        case Errc::unauthorized:
            return "Not authenticated";
        case Errc::forbidden:
            return "Not allowed";
        case Errc::conflict:
            return "Conflicts with the current state";
        case Errc::unavailable:
            return "Unavailable";
    }
    return "Error";
}

const char* slug(Errc code) {
    switch (code) {
        case Errc::malformed:
            return "malformed";
        case Errc::bad_csr:
            return "bad-csr";
        case Errc::policy_denied:
            return "policy-denied";
        case Errc::not_found:
            return "not-found";
        case Errc::unauthorized:
            return "unauthorized";
        case Errc::forbidden:
            return "forbidden";
        case Errc::conflict:
            return "conflict";
        case Errc::unavailable:
            return "unavailable";
    }
    return "error";
}

}  // namespace

int http_status(Errc code) {
    switch (code) {
        case Errc::malformed:
        case Errc::bad_csr:
        case Errc::policy_denied:
            return 400;
        case Errc::unauthorized:
            return 401;
        case Errc::forbidden:
            return 403;
        case Errc::not_found:
            return 404;
        case Errc::conflict:
            return 409;
        case Errc::unavailable:
            return 503;
    }
    return 500;
}

void send_problem(httplib::Response& res, const Error& error) {
    send_problem_with_status(res, error, http_status(error.code));
}

void send_problem_with_status(httplib::Response& res, const Error& error, int status) {
    wire::Problem problem;
    problem.type = std::string("urn:router-ca:problem:") + slug(error.code);
    problem.status = status;
    problem.title = title(error.code);
    problem.detail = error.detail;
    res.status = problem.status;
    res.set_content(wire::to_json(problem), wire::kProblemJson);
}

}  // namespace rca
