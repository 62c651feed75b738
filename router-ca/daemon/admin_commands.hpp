#pragma once
// What the control socket understands: one JSON object per line with a "cmd", answered with one
// JSON object carrying "ok" and either the result or an "error" sentence.
#include <string>

#include "core/enrolment_service.hpp"
#include "core/mdns_publisher.hpp"

namespace rca {

/// What admin commands act on.
struct AdminContext {
    EnrolmentService& service;
    Store& store;
    const Issuer& issuer;
    const TimeSource& clock;
    std::chrono::seconds default_pairing;  ///< `pair` without --seconds
    std::string url;                       ///< https://HOST:PORT of the API
    std::string dns_endpoint;              ///< HOST:PORT of the DNS responder, or "off"
    const MdnsPublisher& mdns;
};

/// Runs one command line (pair, approve, deny, devices, revoke, status) and returns the answer.
std::string handle_admin_command(const std::string& line, AdminContext& context);

}  // namespace rca
