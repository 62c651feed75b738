#pragma once
// The one place where expected failures become HTTP answers (house style #5): an RFC 7807 problem
// document whose detail says what to do.
#include <httplib.h>

#include "core/result.hpp"

namespace rca {

/// The HTTP status for an error kind.
int http_status(Errc code);

/// Answers res with the problem document for error.
void send_problem(httplib::Response& res, const Error& error);
/// The same with another HTTP status (413, 500...), which the document's "status" repeats
/// (RFC 7807 section 3.1: it must equal the response's).
void send_problem_with_status(httplib::Response& res, const Error& error, int status);

}  // namespace rca
