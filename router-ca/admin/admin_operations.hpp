#pragma once
// The admin operations, shared by the control socket (`router-ca pair`, `devices`, ...) and the
// web UI's JSON API: one JSON object with a "cmd" in, a JSON result or an Error out.
#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "acme/acme_service.hpp"
#include "admin/admin_account.hpp"
#include "core/enrolment_service.hpp"
#include "core/mdns_publisher.hpp"
#include "core/time_text.hpp"

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
    admin::AdminAccount* account = nullptr;  ///< the web UI's account; null without the UI
    acme::AcmeService* acme = nullptr;       ///< the ACME server; null when it does not run
    /// The CA keys' state for `status` (root key online or offline, intermediates held, rotation
    /// due and its warning); empty where nothing manages the keys.
    std::function<nlohmann::json(TimePoint)> ca_keys_status = nullptr;
    /// The HQ link's state for `status` ("public": off, registered, unreachable...); empty where
    /// there is none (then reported as off).
    std::function<nlohmann::json()> public_status = nullptr;
    /// The LAN neighbour table's hardware address for a source address (net/neighbour_table.hpp);
    /// empty where there is none (then no MAC is shown).
    std::function<std::optional<std::string>(const std::string&)> mac_of = nullptr;
};

/// Certificates expiring within this many days count as "expiring soon" on the dashboard: a
/// device renews in the last third of a 90-day life, so one still this close has a problem.
inline constexpr int kExpiringSoonDays = 14;

/// The string member `key` of a command, "" when missing or not a string.
std::string string_arg(const nlohmann::json& cmd, const char* key);

/// Runs one command: pair {seconds}, approve {id}, deny {id}, devices, revoke {name},
/// rename {name, new_name}, delete {name}, audit {limit}, status, setup-code, logout-all, and the
/// ACME commands of acme_admin_commands.hpp.
Result<nlohmann::json> run_admin_command(const nlohmann::json& command, AdminContext& context);

}  // namespace rca
