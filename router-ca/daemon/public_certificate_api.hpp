#pragma once
// POST /api/v1/public-certificates and GET /api/v1/public-certificates/<id> (issue 6,
// docs/hq.md "Router side"): a device, proven by its certificate (mutual TLS), asks for a
// publicly trusted certificate for its public alias <label>.<home>.<ZONE>. The router checks the
// CSR names exactly that alias, makes sure HQ's record for it is current, and relays the CSR to
// HQ; the device then polls through the router. Keys never leave the device: only CSRs and chains
// pass through.
#include <httplib.h>

#include "core/enrolment_service.hpp"
#include "daemon/hq_link.hpp"

namespace rca {

/// Registers both routes; `link` is null without --hq-url (then both answer 503, saying so).
void register_public_certificate_api(httplib::Server& server, EnrolmentService& service,
                                     HqLink* link);

}  // namespace rca
