#include "core/pairing_plan.hpp"

namespace rca {

PairingPlan plan_pairing(const std::vector<PairingDecision>& decisions,
                         const PairingSnapshot& window, TimePoint now) {
    PairingPlan plan;
    bool overlap = false;
    for (const auto& d : decisions) {
        // The window hands out overlap (and withdraw) verdicts only as it ends in an overlap.
        if (d.verdict == PairingVerdict::overlap || d.verdict == PairingVerdict::withdraw)
            overlap = true;
        if (d.who.kind == ParticipantKind::acme_account) {
            plan.writes.push_back({PairingWrite::Kind::decide_account, d, std::nullopt});
            plan.effects.accounts_decided = true;
            if (d.verdict == PairingVerdict::withdraw) {
                plan.refresh_crl = true;
                plan.effects.devices_changed = true;
            }
            continue;
        }
        switch (d.verdict) {
            case PairingVerdict::approve:
                plan.writes.push_back({PairingWrite::Kind::issue, d,
                                       AuditEvent{now, "request.approved", d.who.id,
                                                  "the only device in the pairing window"}});
                break;
            case PairingVerdict::overlap:
                plan.writes.push_back({PairingWrite::Kind::mark_overlap, d,
                                       AuditEvent{now, "pairing.overlap", d.who.id,
                                                  "several devices asked in one window"}});
                break;
            case PairingVerdict::replaced:
                plan.writes.push_back(
                    {PairingWrite::Kind::mark_replaced, d,
                     AuditEvent{now, "request.replaced", d.who.id, "the same key asked again"}});
                break;
            case PairingVerdict::withdraw:
                // Whether anything was revoked is known only once the store has done it: the
                // applier then refreshes the CRL and marks the devices changed.
                plan.writes.push_back({PairingWrite::Kind::withdraw_issued, d, std::nullopt});
                break;
        }
    }
    if (overlap) plan.effects.overlap = window.outcome_requests;
    return plan;
}

}  // namespace rca
