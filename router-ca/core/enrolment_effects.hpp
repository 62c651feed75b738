#pragma once
// What an enrolment decision asks of the world beyond the store: the DNS zone and mDNS follow the
// devices, HQ hears of them, the admin is alerted, the ACME server's waiting clients wake up. The
// service collects these while it holds its lock and runs them after releasing it, so that a
// listener may call back into the service and a slow one (a zone rebuild, an Avahi call) never
// holds up the next enrolment. The pure plan (pairing_plan.hpp) / apply split follows ninja's
// build plan and its executor.
#include <optional>
#include <vector>

#include "core/pairing_window.hpp"
#include "core/types.hpp"

namespace rca {

/// The effects of one or more decisions, to run once the service's lock is released.
struct Effects {
    /// The devices, their names or addresses changed: the change listener runs (zone rebuild,
    /// mDNS republish, HQ wake-up).
    bool devices_changed = false;
    /// A window ended in an overlap: the overlap listener gets its participants (admin alert).
    std::optional<std::vector<ParticipantId>> overlap;
    /// The window decided about an ACME account: the participant's `decided` runs.
    bool accounts_decided = false;
    /// Audit events the operator should also see in the daemon's log (the warning listener).
    std::vector<AuditEvent> warnings;

    /// Adds `other`'s effects to these; a later overlap replaces an earlier one.
    void add(const Effects& other) {
        devices_changed = devices_changed || other.devices_changed;
        if (other.overlap) overlap = other.overlap;
        accounts_decided = accounts_decided || other.accounts_decided;
        warnings.insert(warnings.end(), other.warnings.begin(), other.warnings.end());
    }
};

}  // namespace rca
