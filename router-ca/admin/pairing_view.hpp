#pragma once
// What the admin sees of pairing, for `status` and the web UI: the window and how it ended, the
// waiting requests, and, after an overlap, who took part (address, MAC, key fingerprint, name
// asked), sources that keep asking without approval, and blocked addresses (issue 15).
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "admin/admin_operations.hpp"

namespace rca {

/// The window's state; after an overlap, "participants" describes each request in it.
nlohmann::json pairing_json(const PairingSnapshot& p, AdminContext& c);
/// The undecided requests, oldest first, each with its source, MAC and key fingerprint, and
/// "suspicious" when its source keeps asking without approval.
nlohmann::json requests_json(AdminContext& c);
/// The sources that keep asking without approval (core/suspicious_sources.hpp).
nlohmann::json suspicious_json(AdminContext& c);
/// The blocked addresses.
nlohmann::json blocked_json(AdminContext& c);
/// One line for the log about a window that ended in an overlap: each participant's kind, id,
/// source, MAC, key fingerprint and name asked.
std::string overlap_alert(const std::vector<ParticipantId>& ids, AdminContext& c);

}  // namespace rca
