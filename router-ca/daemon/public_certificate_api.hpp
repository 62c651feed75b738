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

/// Which relayed exchange HQ answered: the device's order (POST, with the router's credential)
/// or its poll of one order (GET).
enum class HqRelay { order, poll };

/// True when HQ's refusal is about the device's own request and is relayed to the device with
/// HQ's status: a CSR HQ refuses (400), too large (413), a per-home limit (429), and on a poll an
/// unknown order (404). Anything else refuses the router, not the device (401/403: its credential,
/// e.g. after HQ lost its database; 404 on an order: an unknown home): the device gets 503, since
/// device-enrol reads 401/403 as "pair again".
bool is_device_refusal(int status, HqRelay relay);

/// Registers both routes; `link` is null without --hq-url (then both answer 503, saying so).
void register_public_certificate_api(httplib::Server& server, EnrolmentService& service,
                                     HqLink* link);

}  // namespace rca
