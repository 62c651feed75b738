#pragma once
// The HTTPS API devices use: the CA certificates, the CRL, enrolment, polling and renewal.
#include <httplib.h>

#include "core/enrolment_service.hpp"

namespace rca {

/// Registers every route of the device API on server.
void register_device_api(httplib::Server& server, EnrolmentService& service, const Issuer& issuer);

}  // namespace rca
