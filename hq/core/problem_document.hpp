#pragma once
// What HQ answers an expected failure with (house style #5): an RFC 7807 problem document,
// router-ca's wire type, whose status is the HTTP status and whose detail says what to do. Pure,
// so that the fuzz targets check the document the daemon sends (hq/daemon/hq_problem.cpp).
#include "hq/core/hq_error.hpp"
#include "wire/enrolment_wire.hpp"

namespace hq {

/// The problem document of error: type "urn:hq:problem:<kind>", the kind's title and HTTP
/// status, and error's detail.
rca::wire::Problem problem_document(const HqError& error);

}  // namespace hq
