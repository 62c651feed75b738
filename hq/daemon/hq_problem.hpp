#pragma once
// The one place where HQ's expected failures become HTTP answers (house style #5): an RFC 7807
// problem document (router-ca's wire type) whose detail says what to do.
#include <httplib.h>

#include "hq/core/hq_error.hpp"

namespace hq {

/// The HTTP status for an error kind.
int http_status(HqErrc code);

/// Answers res with the problem document for error.
void send_problem(httplib::Response& res, const HqError& error);

}  // namespace hq
