#pragma once
// The decisions of HQ's ACME client for one order, without I/O (house style #1): given what the
// public CA says about an authorization or an order (RFC 8555 §7.1.6 status values), which step
// comes next; and how long to wait before trying again after a transient failure.
#include <chrono>
#include <optional>
#include <string>

#include "hq/core/hq_types.hpp"

namespace hq {

/// The status values of RFC 8555 §7.1.6 that orders and authorizations take.
enum class AcmeStatus { pending, ready, processing, valid, invalid, deactivated, expired, revoked,
                        unknown };

/// The status of its JSON name; unknown for anything else.
AcmeStatus acme_status_from(const std::string& text);

/// What to do after reading a resource.
struct Transition {
    enum class Kind {
        advance,  ///< go on with `next` at once
        wait,     ///< the CA is still working: read the resource again later
        fail,     ///< the order cannot succeed: `why` explains
    };
    Kind kind = Kind::wait;
    OrderStep next = OrderStep::done;
    std::string why;
};

/// After reading the authorization in step `at` (authorize or poll_authz): valid -> finalize;
/// pending in authorize -> respond (after publishing the TXT); pending or processing in poll_authz
/// -> wait; anything else -> fail.
Transition after_authorization(OrderStep at, AcmeStatus status);

/// After reading the order in step `at` (finalize or poll_order): in finalize, ready -> send the
/// CSR (next poll_order), processing or valid -> poll_order; in poll_order, valid -> download,
/// processing (or still ready, a CA that has not seen the CSR yet) -> wait; invalid or anything
/// else -> fail.
Transition after_order(OrderStep at, AcmeStatus status);

/// True while the CSR cannot have reached the CA yet (steps before finalize): an order whose name
/// the home withdrew can then be given up, since the CA has nothing it could sign.
bool before_finalize(OrderStep step);

/// How long a polling step waits between reads when the CA gives no Retry-After.
inline constexpr std::chrono::seconds kPollInterval{1};
/// The longest wait HQ honours from a Retry-After header or its own backoff: an hour, after which
/// a stuck order is better retried than forgotten.
inline constexpr std::chrono::seconds kMaxDelay{3600};
/// Transient failures in a row at one step before the order fails for good.
inline constexpr int kMaxAttempts = 12;

/// The wait before attempt number `attempts` (1 for the first retry): the CA's Retry-After when
/// it sent one (RFC 8555 §6.6, RFC 9110 §10.2.3), else 2^(attempts-1) seconds; never above
/// kMaxDelay.
std::chrono::seconds retry_delay(int attempts, std::optional<std::chrono::seconds> retry_after);

}  // namespace hq
