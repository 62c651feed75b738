#pragma once
// The HTTPS API devices use: the CA certificates, the CRL, enrolment, polling and renewal.
#include <httplib.h>

#include <functional>

#include "core/enrolment_service.hpp"
#include "core/public_home.hpp"

namespace rca {

/// Answers a failed request in another API's own error format (ACME's); false when the request
/// is not that API's.
using ErrorAnswer = std::function<bool(const httplib::Request&, httplib::Response&)>;

/// Registers every route of the device API on server, and the error and exception pages of the
/// whole server: problem documents, in other_errors' format for the requests it takes. Issued
/// enrolment and renewal answers carry the device's public name while `public_home` holds a home.
void register_device_api(httplib::Server& server, EnrolmentService& service, const Issuer& issuer,
                         const PublicHomeHolder& public_home, ErrorAnswer other_errors);

}  // namespace rca
