#include "core/leaf_issuance.hpp"

#include <stdexcept>

#include "core/certificate_signer.hpp"
#include "core/name_assigner.hpp"

namespace rca {
namespace {

std::vector<Ipv4> listed(std::optional<Ipv4> address) {
    return address ? std::vector<Ipv4>{*address} : std::vector<Ipv4>{};
}

}  // namespace

LeafIssuance::LeafIssuance(Store& store, const Issuer& issuer, Botan::RandomNumberGenerator& rng)
    : store_(store), issuer_(issuer), rng_(rng) {}

SignedLeaf LeafIssuance::issue(const LeafSubject& subject, IssueKind kind, int64_t device_id,
                               TimePoint now,
                               const std::function<void(const IssuedCert&)>& commit) const {
    const auto serial =
        unused_serial(rng_, [this](const std::string& hex) { return store_.serial_exists(hex); });
    auto leaf = issuer_.issue_leaf(subject, serial, now, rng_);
    IssuedCert record{serial_hex(leaf),
                      device_id,
                      leaf.BER_encode(),
                      to_time_point(leaf.not_before()),
                      to_time_point(leaf.not_after()),
                      now,
                      kind};
    commit(record);
    return {std::move(leaf), std::move(record)};
}

SignedLeaf LeafIssuance::enrol(const EnrolmentRequest& request, std::optional<Ipv4> address,
                               TimePoint now) const {
    // An ACME validation may claim the name chosen here before the commit, since it does not
    // take the enrolment lock: the commit refuses then, and the device gets the next free name
    // (found by the adversarial review: the refusal used to end the daemon). Each round a claim
    // takes a name for good, so a few rounds are only ever needed under a deliberate race.
    constexpr int kNameRounds = 4;
    for (int round = 1;; ++round) {
        try {
            return enrol_as(
                assign_name(
                    request.name_hint,
                    [this](const std::string& n) { return store_.name_taken(n); }, rng_),
                request, address, now);
        } catch (const NameClaimedMeanwhile&) {
            if (round == kNameRounds) throw;
        }
    }
}

SignedLeaf LeafIssuance::enrol_as(const std::string& name, const EnrolmentRequest& request,
                                  std::optional<Ipv4> address, TimePoint now) const {
    // The CSR was checked on arrival; only its key was kept, and the CA builds everything else.
    return issue(
        {name, listed(address), request.public_key_info, is_rsa_key_type(request.key_type)},
        IssueKind::enrolment, 0, now, [&](const IssuedCert& cert) {
            store_.commit_enrolment({name, address, request.key_type, DeviceSource::native, now},
                                    cert, request.id,
                                    {now, "cert.issued", name,
                                     "serial " + cert.serial_hex + " for request " + request.id});
        });
}

SignedLeaf LeafIssuance::renew(const Device& device, const AcceptedCsr& csr,
                               std::optional<Ipv4> address, const std::string& replaced_serial,
                               TimePoint now) const {
    return issue({device.name, listed(address), csr.public_key_info, csr.rsa_key},
                 IssueKind::renewal, device.id, now, [&](const IssuedCert& cert) {
                     store_.commit_renewal(
                         cert, address, csr.key_type,
                         {now, "cert.renewed", device.name,
                          "serial " + cert.serial_hex + " replaces " + replaced_serial});
                 });
}

SignedLeaf LeafIssuance::router(const std::vector<uint8_t>& public_key_info,
                                const std::vector<Ipv4>& addresses, TimePoint now) const {
    const auto existing = store_.find_device_by_name(kRouterName);
    if (existing && existing->source != DeviceSource::router)
        throw std::runtime_error("a device took the name 'router', which the router needs");
    const std::optional<Ipv4> first =
        addresses.empty() ? std::nullopt : std::optional<Ipv4>(addresses.front());
    return issue({kRouterName, addresses, public_key_info, false}, IssueKind::router,
                 existing ? existing->id : 0, now, [&](const IssuedCert& cert) {
                     const AuditEvent event{now, "cert.issued", kRouterName,
                                            "router TLS certificate " + cert.serial_hex};
                     if (existing)
                         store_.commit_renewal(cert, first, "p256", event);
                     else
                         store_.commit_enrolment(
                             {kRouterName, first, "p256", DeviceSource::router, now}, cert, "",
                             event);
                 });
}

}  // namespace rca
