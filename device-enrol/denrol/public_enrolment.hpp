#pragma once
// The public certificate's flow (docs/hq.md, docs/device-makers.md): when the router's enrolment
// answer carried a public name, the device makes a key for it, sends a CSR for exactly that name
// to the router over mutual TLS (the router relays it to the vendor's HQ, which orders it from a
// public CA), polls at the pace the router asks, checks the chain and installs it beside the
// local one. A router without a home at HQ is not an error: the device simply has no public
// certificate. Time, waiting and randomness come in as parameters (house style #2).
#include <chrono>
#include <optional>
#include <string>

#include <botan/rng.h>

#include "denrol/clock.hpp"
#include "denrol/enrolment_dir.hpp"
#include "denrol/errors.hpp"
#include "denrol/log.hpp"
#include "denrol/router_client.hpp"

namespace denrol {

/// How long `pair` and `renew` wait for HQ by default. Let's Encrypt usually validates DNS-01 and
/// issues within seconds to a minute; past this the command ends and `run` picks the order up.
inline constexpr std::chrono::seconds kDefaultPublicWait{120};

/// How long `run` polls on one attempt before it backs off and polls the same order again later:
/// short, because address reports and CRL checks wait while it polls.
inline constexpr std::chrono::seconds kRunPublicWait{60};

/// What one attempt needs.
struct PublicOptions {
    std::chrono::seconds wait = kDefaultPublicWait;  ///< how long to poll a pending order
    HttpOptions http;                                ///< per-request limits
};

/// How an attempt ended (failures are Errors).
struct PublicOutcome {
    enum class Kind {
        not_offered,  ///< no public name, or the router has no home at HQ now (503)
        up_to_date,   ///< the installed certificate names the public name and is not due
        installed,    ///< a new public certificate was installed
        pending,      ///< HQ has not issued within the wait; the order is kept for later
    };
    Kind kind = Kind::not_offered;
    std::string name;       ///< the public name ("" when none)
    std::string serial;     ///< the installed certificate's serial (up_to_date, installed)
    TimePoint not_after{};  ///< its expiry (up_to_date, installed)
    TimePoint renew_at{};   ///< its renewal moment (up_to_date, installed)
    std::string detail;     ///< the router's reason for not_offered
};

/// Obtains or renews the public certificate for `state.public_name` in `dir`: polls the kept
/// order if there is one for that name, else sends a new CSR made with a new key (kept 0600 in
/// public-order-key.pem before it is sent, so a lost answer costs no new key or order). HQ's
/// failure comes back as Errc::refused with the public CA's problem.
Result<PublicOutcome> obtain_public_certificate(const EnrolmentDir& dir, const DeviceState& state,
                                                const PublicOptions& options, Clock& clock,
                                                Botan::RandomNumberGenerator& rng, const Log& log);

/// When the public certificate next needs work: nullopt without a public name; its renewal
/// moment when one for that name is installed; else `now`.
std::optional<TimePoint> public_due(const EnrolmentDir& dir, const DeviceState& state,
                                    TimePoint now);

/// One line saying how an attempt ended, for the log.
std::string describe_public(const Result<PublicOutcome>& outcome);

}  // namespace denrol
