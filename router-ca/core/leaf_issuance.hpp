#pragma once
// The one way a leaf comes to be, for every path that issues one: native enrolment, renewal, the
// ACME server's finalize and the router's own certificate. It owns the serial (unused in the
// store), the profile (Issuer::issue_leaf builds every extension), the name claim of a new device,
// and the record the store commits. Callers decide who may have what; this signs and records it.
// Not thread-safe on its own: callers hold the enrolment service's lock, so that two issuances
// never race for a name or a serial.
#include <botan/rng.h>
#include <botan/x509cert.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/csr_policy.hpp"
#include "core/issuer.hpp"
#include "core/store.hpp"
#include "core/types.hpp"

namespace rca {

/// A leaf just signed, and the record of it the store keeps.
struct SignedLeaf {
    Botan::X509_Certificate leaf;
    IssuedCert record;
};

class LeafIssuance {
  public:
    /// Issues with `issuer`, recording in `store`, drawing serials and names from `rng`.
    LeafIssuance(Store& store, const Issuer& issuer, Botan::RandomNumberGenerator& rng);

    /// Signs a leaf for `subject` at `now` with a serial no stored certificate has, then hands
    /// its record (for device `device_id`, 0 when the commit creates the device) to `commit`,
    /// which stores it. What `commit` throws propagates: nothing is stored then.
    SignedLeaf issue(const LeafSubject& subject, IssueKind kind, int64_t device_id, TimePoint now,
                     const std::function<void(const IssuedCert&)>& commit) const;

    /// Native enrolment of `request` (approved): claims a free name from its hint, signs for
    /// that name, its key and `address`, and commits the new device with the request decided.
    SignedLeaf enrol(const EnrolmentRequest& request, std::optional<Ipv4> address,
                     TimePoint now) const;

    /// Renews `device` with the key of `csr`, naming `address`; `replaced_serial` is the
    /// certificate presented, named in the audit log.
    SignedLeaf renew(const Device& device, const AcceptedCsr& csr, std::optional<Ipv4> address,
                     const std::string& replaced_serial, TimePoint now) const;

    /// The router's own TLS certificate for router.<domain> and `addresses`, with the key
    /// `public_key_info`: a new device the first time, a renewal after. Throws when a device
    /// holds the name "router".
    SignedLeaf router(const std::vector<uint8_t>& public_key_info,
                      const std::vector<Ipv4>& addresses, TimePoint now) const;

  private:
    /// enrol, for the name chosen; throws NameClaimedMeanwhile when an ACME account took it.
    SignedLeaf enrol_as(const std::string& name, const EnrolmentRequest& request,
                        std::optional<Ipv4> address, TimePoint now) const;

    Store& store_;
    const Issuer& issuer_;
    Botan::RandomNumberGenerator& rng_;
};

}  // namespace rca
