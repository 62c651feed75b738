#pragma once
// The ACME server's HTTP face (RFC 8555): routes under /acme/ on the router's HTTPS port, the
// headers every answer carries, and ACME problem documents for failures cpp-httplib produces
// itself (an oversized body, an unknown path).
#include <httplib.h>

#include <chrono>

#include "acme/acme_service.hpp"

namespace rca {

/// Registers every ACME route on server. A newAccount answer that waits for the pairing window
/// is held for at most `pairing_wait` (the guard interval and a margin).
void register_acme_api(httplib::Server& server, acme::AcmeService& acme,
                       std::chrono::milliseconds pairing_wait);

/// When req is an ACME request, answers res (already carrying cpp-httplib's status) with an ACME
/// problem document and returns true.
bool answer_acme_error(acme::AcmeService& acme, const httplib::Request& req,
                       httplib::Response& res);

}  // namespace rca
