// The ACME server's revokeCert (RFC 8555 section 7.6): who may revoke a certificate, and the
// reason its CRL entry then carries. One certificate is revoked, not its device: the account may
// order again, and the device list shows the certificate revoked meanwhile.
#include <botan/x509cert.h>

#include <nlohmann/json.hpp>
#include <optional>

#include "acme/acme_service.hpp"
#include "core/certificate_signer.hpp"
#include "jose/base64url.hpp"

namespace rca::acme {

using nlohmann::json;

AcmeReply AcmeService::revoke(const AcmeRequest& request, const AcmeUrls& urls) {
    auto verified = verify(request, KeyRule::either, urls);
    if (!verified) return problem_reply(verified.error());
    const json& payload = verified.value().payload;
    const auto field = payload.is_object() ? payload.find("certificate") : payload.end();
    if (field == payload.end() || !field->is_string())
        return problem_reply(
            problem(ProblemType::malformed, "revokeCert needs {\"certificate\": <base64url DER>}"));
    // Section 7.6: the reason is optional; the CRL entry carries it (core/revocation_reason
    // says which a subscriber may give).
    RevocationReason reason = RevocationReason::unspecified;
    if (const auto code = payload.find("reason"); code != payload.end()) {
        const auto given = code->is_number_integer()
                               ? revocation_reason_from_code(code->get<long long>())
                               : std::nullopt;
        if (!given)
            return problem_reply(problem(ProblemType::bad_revocation_reason,
                                         "the reason must be one of 0, 1, 3, 4, 5, 9 "
                                         "(RFC 5280 section 5.3.1)"));
        reason = *given;
    }
    const auto der = jose::base64url_decode(field->get<std::string>());
    if (!der)
        return problem_reply(problem(ProblemType::malformed, "\"certificate\" is not base64url"));
    std::optional<Botan::X509_Certificate> cert;
    try {
        cert.emplace(*der);
    } catch (const std::exception&) {
        return problem_reply(
            problem(ProblemType::malformed, "\"certificate\" is not a certificate"));
    }
    const std::string serial = serial_hex(*cert);
    const auto stored = store_.find_certificate(serial);
    if (!stored || stored->der != *der)
        return problem_reply(
            problem(ProblemType::not_found, "this certificate was not issued by this router"));
    const auto device = store_.find_device(stored->device_id);
    if (!device || device->source == DeviceSource::router)
        return problem_reply(
            problem(ProblemType::unauthorized, "the router's own certificate cannot be revoked"));
    // Section 7.6: the account that ordered it, the account that owns its name, or anyone
    // holding the certificate's own key.
    const VerifiedRequest& v = verified.value();
    bool allowed = false;
    if (v.account) {
        const auto by = acme_store_.certificate_account(serial);
        const auto owner = acme_store_.name_owner(device->name);
        allowed = (by && *by == v.account->id) || (owner && *owner == v.account->id);
    } else {
        allowed = v.key.public_key_info() == cert->subject_public_key_info();
    }
    if (!allowed)
        return problem_reply(problem(ProblemType::unauthorized,
                                     "only the account that ordered this certificate, or its own "
                                     "key, may revoke it"));
    const TimePoint now = clock_.now();
    if (!acme_store_.revoke_certificate(
            serial, now, reason,
            AuditEvent{now, "cert.revoked", device->name,
                       "serial " + serial + " over ACME, reason " + to_string(reason)}))
        return problem_reply(
            problem(ProblemType::already_revoked, "certificate " + serial + " is already revoked"));
    enrolment_.note_devices_changed(true);
    return AcmeReply{};  // 200 with an empty body (section 7.6)
}

}  // namespace rca::acme
