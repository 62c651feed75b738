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

}  // namespace rca
