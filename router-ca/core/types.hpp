#pragma once
// Value types that cross the core's boundary (house style #3): plain structs, returned by value.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/ipv4.hpp"
#include "core/revocation_reason.hpp"

namespace rca {

using Clock = std::chrono::system_clock;
using TimePoint = Clock::time_point;
using Bytes = std::vector<uint8_t>;

/// Where a device's certificate came from: device-enrol, the router itself, or an ACME client.
enum class DeviceSource { native, router, acme };

/// A device that holds (or held) a certificate for <name>.<domain>.
struct Device {
    int64_t id = 0;
    std::string name;          ///< one LDH label, unique in the home zone
    std::optional<Ipv4> ipv4;  ///< last known LAN address
    std::string key_type;      ///< "p256", "p384", "ed25519", "rsa2048"...
    DeviceSource source = DeviceSource::native;
    TimePoint created_at{};
    std::optional<TimePoint> revoked_at;  ///< set once revoked; a revoked device cannot renew
    /// When a replaced certificate of this device last asked for more than its lost renewal
    /// answer: a copy of an old key is in use (issue 15, part 5). Unset: never.
    std::optional<TimePoint> possibly_cloned_at;
};

/// What a certificate was issued for.
enum class IssueKind { enrolment, renewal, router };

/// A certificate the CA signed, as the store keeps it.
struct IssuedCert {
    std::string serial_hex;  ///< lowercase hex, no leading zeros beyond one byte pair
    int64_t device_id = 0;
    Bytes der;
    TimePoint not_before{};
    TimePoint not_after{};
    TimePoint issued_at{};
    IssueKind kind = IssueKind::enrolment;
};

/// The life cycle of an enrolment request (see PairingWindow for the transitions).
enum class RequestStatus { pending, issued, denied, overlap, expired };

/// A device's request for a certificate, kept until decided and then, briefly, for its poller.
struct EnrolmentRequest {
    std::string id;         ///< random, unguessable
    Bytes token_hash;       ///< SHA-256 of the poll token; the token itself is never stored
    Bytes public_key_info;  ///< DER SubjectPublicKeyInfo from the CSR; emptied once decided
    std::string key_id;     ///< SHA-256 hex of the CSR's public key: "distinct" means distinct key
    std::string key_type;
    std::string name_hint;     ///< already sanitised; empty when none
    std::optional<Ipv4> ipv4;  ///< the device's LAN address, when known and inside a LAN subnet
    std::string source;        ///< the connection's source address as text; caps count per source
    RequestStatus status = RequestStatus::pending;
    TimePoint received_at{};
    std::optional<TimePoint> decided_at;
    std::optional<int64_t> device_id;        ///< set when issued
    std::optional<std::string> cert_serial;  ///< set when issued
};

/// One revoked certificate, as the CRL lists it.
struct Revocation {
    std::string serial_hex;
    TimePoint revoked_at{};
    RevocationReason reason = RevocationReason::unspecified;
};

/// A revoked device whose public name at the vendor's HQ the router has yet to withdraw.
struct PublicWithdrawal {
    int64_t device_id = 0;
    std::string name;        ///< the device's label, as HQ names its record
    TimePoint revoked_at{};  ///< the device's revocation this withdrawal answers
    RevocationReason reason = RevocationReason::unspecified;  ///< its newest certificate's
};

/// A security-relevant event (pairing opened, approved, denied, overlap, issued, renewed, revoked).
struct AuditEvent {
    TimePoint at{};
    std::string event;    ///< short machine-readable verb: "pairing.opened", "cert.issued"...
    std::string subject;  ///< request id, device name or serial
    std::string detail;   ///< free text for people
};

/// Text forms used in the store, the API and the CLI.
const char* to_string(RequestStatus status);
std::optional<RequestStatus> request_status_from(const std::string& text);
const char* to_string(DeviceSource source);
std::optional<DeviceSource> device_source_from(const std::string& text);
const char* to_string(IssueKind kind);
std::optional<IssueKind> issue_kind_from(const std::string& text);

}  // namespace rca
