#pragma once
// What the pairing window's decisions ask for, as a value: the store writes, in order, and the
// effects to run after the service's lock is released. Pure (no store, no clock): the enrolment
// service looks up what a write needs and applies the plan (enrolment_service.cpp, apply()).
#include <optional>
#include <vector>

#include "core/enrolment_effects.hpp"
#include "core/pairing_window.hpp"
#include "core/types.hpp"

namespace rca {

/// One store write a pairing decision asks for.
struct PairingWrite {
    enum class Kind {
        issue,            ///< sign the device request now (if it still holds a key)
        mark_overlap,     ///< the request's status becomes overlap
        mark_replaced,    ///< the request is superseded by its key's newer one (status expired)
        withdraw_issued,  ///< revoke what was issued for the request, free its name (overlap)
        decide_account,   ///< the ACME server applies the decision about its account
    };
    Kind kind;
    PairingDecision decision;
    /// The audit event the write appends; none when the applier words it from what it finds
    /// (withdraw_issued names the certificate and the name, decide_account is the ACME side's).
    std::optional<AuditEvent> audit;
};

/// The writes and effects of a batch of the window's decisions.
struct PairingPlan {
    std::vector<PairingWrite> writes;
    /// An account's approval was withdrawn: its certificates are revoked, so the CRLs are
    /// re-signed (under the lock, since the CRL is the service's state) and the devices changed.
    bool refresh_crl = false;
    Effects effects;
};

/// Plans `decisions` (from one call of the window), made at `now`; `window` is the window's
/// state after them, whose participants the admin's alert names when they ended in an overlap.
PairingPlan plan_pairing(const std::vector<PairingDecision>& decisions,
                         const PairingSnapshot& window, TimePoint now);

}  // namespace rca
