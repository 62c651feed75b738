#pragma once
// The one place where HQ's expected failures become HTTP answers (house style #5): the problem
// document of hq/core/problem_document.hpp, with its status.
#include <httplib.h>

#include "hq/core/hq_error.hpp"

namespace hq {

/// Answers res with the problem document for error.
void send_problem(httplib::Response& res, const HqError& error);

}  // namespace hq
