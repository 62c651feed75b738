#pragma once
// The device's three jobs, each an orchestration of the single-concern pieces: pair (first
// enrolment after a button press), renew (mutual-TLS renewal with a new key) and run (renew for
// ever at random moments). Time, waiting and randomness come in as parameters (house style #2);
// failures come back as values and only main() exits (house style #15).
#include <chrono>
#include <string>

#include <botan/rng.h>

#include "denrol/address_probe.hpp"
#include "denrol/address_watch.hpp"
#include "denrol/clock.hpp"
#include "denrol/enrolment_dir.hpp"
#include "denrol/errors.hpp"
#include "denrol/key_maker.hpp"
#include "denrol/log.hpp"
#include "denrol/public_enrolment.hpp"
#include "denrol/router_client.hpp"

namespace denrol {

/// How long `pair` waits for approval by default: a pairing window is 120 s, and the user may
/// press the router's button some time after starting the device.
inline constexpr std::chrono::seconds kDefaultPairTimeout{300};

/// How often `run` fetches the router's CRL to see whether this device's certificate was revoked:
/// four small requests a day, so a revocation is noticed within hours, not at the next renewal
/// weeks later (the router re-signs the CRL at least every 3.5 days anyway).
inline constexpr std::chrono::seconds kRevocationCheckInterval{6 * 3600};

/// What `pair` needs.
struct PairOptions {
    std::string router;  ///< https://HOST[:PORT]
    /// TXT `fp=` of the router when it was found over mDNS ("" when --router was given): the
    /// root it serves must have this fingerprint, and so must --ca-fingerprint when given.
    std::string advertised_fingerprint;
    std::string out_dir;               ///< where the bundle goes
    std::string name_hint;             ///< the name the user would like; "" for none
    std::string ca_fingerprint;        ///< as typed by the user; "" to trust on first use
    KeyType key_type = KeyType::p256;  ///< type of the new key
    std::chrono::seconds timeout = kDefaultPairTimeout;  ///< how long to wait for approval
    /// Per-request limits, and the address to connect from: the certificate's (--ipv4).
    HttpOptions http;
    /// How long to wait for a public certificate when the router offers one; pairing succeeds
    /// for the local certificate either way.
    std::chrono::seconds public_wait = kDefaultPublicWait;
};

/// Fetches and checks the router's root (against --ca-fingerprint, the pin, and the fingerprint
/// the router announced over mDNS), makes a key and CSR, submits it, polls until a decision
/// or the timeout, checks the certificate and installs the bundle; then, when the router's answer
/// names a public name, obtains the public certificate too (its outcome is logged, never an
/// error of the pairing). The state written on success.
Result<DeviceState> pair(const PairOptions& options, Clock& clock,
                         Botan::RandomNumberGenerator& rng, const Log& log);

/// What `renew` did.
struct RenewOutcome {
    bool renewed = false;  ///< false when renewal was not due yet
    DeviceState state;     ///< the state now on disk
    TimePoint next_due;    ///< when the (new) certificate's renewal window opens
};

/// Renews the certificate in `out_dir` over mutual TLS with a new key of the same type, if it is
/// in the last third of its lifetime, `force` is set, or a renewal sent earlier has no answer yet
/// (renewal-key.pem: the router hears from nothing but its retry); then obtains the public
/// certificate when the router offers one and it is missing or due (waiting up to `public_wait`;
/// logged, never an error of the renewal).
Result<RenewOutcome> renew(const std::string& out_dir, bool force, Clock& clock,
                           Botan::RandomNumberGenerator& rng, const Log& log,
                           const HttpOptions& http = {},
                           std::chrono::seconds public_wait = kDefaultPublicWait);

/// What `run` needs.
struct RunOptions {
    std::string out_dir;  ///< the enrolment directory
    std::string hook;     ///< run via /bin/sh -c after each renewal; "" for none
    /// Per-request limits, and the address to connect from (--ipv4; "" for the kernel's).
    HttpOptions http;
    /// How often to look for a new LAN address and report it; 0 turns address checks off.
    std::chrono::seconds address_check_every = kAddressCheckInterval;
    /// Where the address comes from; nullptr for http.source_ipv4 when set (GivenAddressProbe),
    /// else the kernel's route (KernelAddressProbe).
    const AddressProbe* address_probe = nullptr;
    /// How often to look for this device's certificate in a fresh CRL; 0 checks only at start.
    std::chrono::seconds revocation_check_every = kRevocationCheckInterval;
    /// How long one attempt at the public certificate polls before `run` sleeps and polls again.
    std::chrono::seconds public_wait = kRunPublicWait;
};

/// Renews at a random moment in each renewal window (at once when a renewal sent earlier has no
/// answer yet), retrying failures with jittered backoff; keeps
/// the public certificate (when the router offers one) obtained and renewed at its own stable
/// random moment (public_certificate.hpp), retried with the same backoff; and
/// meanwhile reports the device's LAN address to the router whenever it changes (AddressWatch)
/// and looks for its certificate in the router's CRL, until the clock's wait is stopped (Done) or
/// the certificate turns out revoked or the router refuses for good (the error: pair again).
Result<Done> run(const RunOptions& options, Clock& clock, Botan::RandomNumberGenerator& rng,
                 const Log& log);

}  // namespace denrol
