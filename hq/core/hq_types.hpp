#pragma once
// Value types that cross HQ's core boundary (house style #3): homes, their records, the DNS-01
// challenges being answered, and the certificate orders worked against the public CA.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/ipv4.hpp"
#include "core/revocation_reason.hpp"
#include "core/types.hpp"

namespace hq {

using rca::Bytes;
using rca::TimePoint;

/// A registered home: <name>.<ZONE> is its zone. Only hashes of its secrets are kept.
struct Home {
    std::string name;       ///< one LDH label, e.g. "nifty-babbage"
    Bytes token_hash;       ///< SHA-256 of the router's registration token
    Bytes credential_hash;  ///< SHA-256 of the credential HQ handed out
    TimePoint created_at{};
};

/// One A record: <label>.<home>.<ZONE> -> address (a private IPv4).
struct HomeRecord {
    std::string home;
    std::string label;
    rca::Ipv4 address;
};

/// A TXT record answered while an order's DNS-01 challenge is being validated (RFC 8555 §8.4).
struct ChallengeTxt {
    std::string order_id;
    std::string owner;  ///< "_acme-challenge.<name>"
    std::string value;  ///< base64url(SHA-256(key authorization))
};

/// Where an order stands for the client of HQ. An issued certificate whose name the home
/// withdrew is revoking until the CA confirmed its revocation (RFC 8555 §7.6), then revoked; a
/// revocation the CA refused for good leaves it issued, with the CA's problem.
enum class OrderStatus { pending, issued, failed, revoking, revoked };

/// The next thing HQ does with the public CA for a pending order (RFC 8555 §7.1 flow, DNS-01
/// only). Each step is persisted before the next starts, so a restart resumes where it stopped.
enum class OrderStep {
    new_order,   ///< POST newOrder for the one name
    authorize,   ///< read the authorization; publish the TXT record
    respond,     ///< tell the CA the challenge is ready
    poll_authz,  ///< wait until the authorization is valid or invalid
    finalize,    ///< send the CSR once the order is ready
    poll_order,  ///< wait until the order is valid (certificate URL) or invalid
    download,    ///< fetch the chain
    revoke,      ///< ask the CA to revoke the issued certificate (revokeCert)
    done,        ///< issued, failed or revoked; nothing more to do
};

/// One certificate order of one home, for exactly one name under the home's zone.
struct CertificateOrder {
    std::string id;  ///< 128-bit random, base64url: unguessable, it is the polling capability
    std::string home;
    std::string name;  ///< <label>.<home>.<ZONE>
    Bytes csr_der;
    OrderStatus status = OrderStatus::pending;
    OrderStep step = OrderStep::new_order;
    // The public CA's resources, learnt step by step.
    std::string order_url;
    std::string finalize_url;
    std::string authz_url;
    std::string challenge_url;
    std::string certificate_url;
    std::string chain_pem;     ///< once issued
    std::string problem_json;  ///< once failed: the CA's problem document (RFC 7807), or HQ's
    /// Set when the home withdrew the name (HqStore::withdraw_name): the certificate is revoked
    /// for this reason once issued, and an order not yet finalized is given up.
    std::optional<rca::RevocationReason> revoke_reason;
    TimePoint created_at{};
    TimePoint next_attempt_at{};  ///< not worked before this (polling interval, backoff)
    int attempts = 0;             ///< transient failures in a row at the current step
};

/// "pending", "issued", "failed".
const char* to_string(OrderStatus status);
/// The status of a name; nullopt for an unknown one.
std::optional<OrderStatus> order_status_from(const std::string& text);
/// "new_order", "authorize", ...
const char* to_string(OrderStep step);
/// The step of a name; nullopt for an unknown one.
std::optional<OrderStep> order_step_from(const std::string& text);

}  // namespace hq
