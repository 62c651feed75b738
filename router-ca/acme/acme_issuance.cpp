// The ACME server's issuance (RFC 8555 section 7.4): finalize signs the order's certificate with
// the home CA, under the same address rules and lock as native enrolment, and the certificate
// is downloaded as a PEM chain (section 9.1).
#include <botan/x509cert.h>

#include <nlohmann/json.hpp>

#include "acme/acme_service.hpp"
#include "acme/csr_names.hpp"
#include "acme/order_state.hpp"
#include "core/csr_policy.hpp"
#include "jose/base64url.hpp"

namespace rca::acme {

using nlohmann::json;

// --- issuance --------------------------------------------------------------------------------

AcmeReply AcmeService::finalize(const AcmeRequest& request, const AcmeUrls& urls,
                                const std::string& order_id) {
    auto owned = owned_order(request, urls, order_id);
    if (!owned) return problem_reply(owned.error());
    Order& order = owned.value().order;
    const auto& authzs = owned.value().authzs;
    const Account& account = *owned.value().request.account;
    const TimePoint now = clock_.now();
    const OrderStatus status = effective_status(order, authzs, now);
    if (status != OrderStatus::ready)
        return problem_reply(problem(ProblemType::order_not_ready,
                                     std::string("the order is ") + to_string(status) +
                                         "; finalize it once every authorization is valid"));
    const json& payload = owned.value().request.payload;
    const auto csr_field = payload.is_object() ? payload.find("csr") : payload.end();
    if (csr_field == payload.end() || !csr_field->is_string())
        return problem_reply(
            problem(ProblemType::malformed, "finalize needs {\"csr\": <base64url DER>}"));
    const auto der = jose::base64url_decode(csr_field->get<std::string>());
    if (!der) return problem_reply(problem(ProblemType::malformed, "\"csr\" is not base64url"));
    auto csr = accept_csr(std::string(der->begin(), der->end()));
    if (!csr) return problem_reply(problem(ProblemType::bad_csr, csr.error().detail));
    if (auto names = check_csr_names(*der, order.identifiers); !names)
        return problem_reply(names.error());
    // Section 11.1: an account key must never also be a certificate key.
    if (csr.value().public_key_info == owned.value().request.key.public_key_info())
        return problem_reply(problem(ProblemType::bad_csr,
                                     "the CSR uses the account key; use a separate key for the "
                                     "certificate"));
    std::optional<Ipv4> validated_address;
    std::optional<TimePoint> validated_at;
    for (const auto& a : authzs) {
        if (a.validated_address) validated_address = a.validated_address;
        if (a.validated_at && (!validated_at || *a.validated_at < *validated_at))
            validated_at = a.validated_at;
    }
    // The approval and the name are checked again here, not only at validation: the pairing
    // window may have taken the approval back since (issue 15), or the admin released the name.
    if (!approved(account.approval))
        return problem_reply(problem(ProblemType::unauthorized, pairing_detail(account)));
    if (auto ok = may_take(order.label, account, validated_at); !ok)
        return problem_reply(ok.error());
    if (acme_store_.name_owner(order.label) != account.id)
        return problem_reply(problem(ProblemType::unauthorized,
                                     order.label + " is no longer held by this account; order "
                                                   "it again and validate it"));
    const std::lock_guard<std::mutex> lock(issue_mutex_);
    // Re-read under the lock: two finalize requests racing must not both issue.
    if (auto fresh = acme_store_.find_order(order.id);
        !fresh || fresh->status == OrderStatus::valid)
        return order_reply(fresh ? *fresh : order, authzs, urls, 200);
    // Where the router reached the client, under the native devices' rules: never the router's
    // own address nor another device's (issue 15, part 2); a withheld one leaves names only.
    // Signed and committed under the enrolment service's lock, so that a native device cannot
    // take the address between the check and the commit (found by the adversarial review).
    AcmeIssue issue;
    std::string store_error;
    enrolment_.with_certificate_address(
        order.label, validated_address, [&](std::optional<Ipv4> address) {
            issue.order_id = order.id;
            issue.account_id = account.id;
            issue.label = order.label;
            issue.ipv4 = address;
            issue.key_type = csr.value().key_type;
            try {
                issuance_.issue(
                    {order.label, address ? std::vector<Ipv4>{*address} : std::vector<Ipv4>{},
                     csr.value().public_key_info, csr.value().rsa_key},
                    IssueKind::enrolment, 0, now, [&](const IssuedCert& cert) {
                        issue.cert = cert;
                        acme_store_.commit_acme_issue(
                            issue, AuditEvent{now, "cert.issued", order.label,
                                              "serial " + cert.serial_hex + " for ACME account " +
                                                  account.id});
                    });
            } catch (const std::exception& e) {
                store_error = e.what();
            }
        });
    if (!store_error.empty())
        return problem_reply(problem(ProblemType::server_internal,
                                     "the certificate could not be stored: " + store_error));
    enrolment_.note_devices_changed(false);
    order.status = OrderStatus::valid;
    order.cert_serial = issue.cert.serial_hex;
    return order_reply(order, authzs, urls, 200);
}

AcmeReply AcmeService::certificate(const AcmeRequest& request, const AcmeUrls& urls,
                                   const std::string& serial) {
    auto verified = verify(request, KeyRule::kid, urls);
    if (!verified) return problem_reply(verified.error());
    const auto owner = acme_store_.certificate_account(serial);
    const auto cert = store_.find_certificate(serial);
    if (!owner || *owner != verified.value().account->id || !cert)
        return problem_reply(problem(ProblemType::not_found,
                                     "there is no certificate " + serial + " of this account"));
    AcmeReply reply;
    reply.raw = issuer_.chain_pem(cert->der);
    reply.content_type = "application/pem-certificate-chain";  // section 9.1
    return reply;
}

}  // namespace rca::acme
