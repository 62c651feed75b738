// EnrolmentService's side for paired devices, which prove who they are with their certificate
// over mutual TLS: renewal, address updates and identify, with the two rules they share. Only
// the newest certificate speaks for a device, but for retrying a lost renewal answer (issue 15,
// part 5); and a certificate's address is the connection's source, never the router's own nor
// another device's (part 2, core/device_address.hpp).
#include <botan/x509cert.h>

#include "core/certificate_signer.hpp"
#include "core/csr_policy.hpp"
#include "core/enrolment_service.hpp"

namespace rca {

Result<EnrolmentService::AuthenticatedDevice> EnrolmentService::authenticate(
    const Bytes& client_cert_der, TimePoint now) {
    if (client_cert_der.empty())
        return fail(Errc::unauthorized,
                    "this needs the device's current certificate as the TLS client certificate");
    std::optional<Botan::X509_Certificate> presented;
    try {
        presented.emplace(client_cert_der);
    } catch (const std::exception&) {
        return fail(Errc::unauthorized, "the TLS client certificate cannot be parsed");
    }
    const std::string serial = serial_hex(*presented);
    const auto stored = store_.find_certificate(serial);
    // Byte equality with what the CA stored proves the CA issued it; the TLS handshake proved
    // possession of its key.
    if (!stored || stored->der != client_cert_der)
        return fail(Errc::unauthorized, "the TLS client certificate was not issued by this router");
    const auto device = store_.find_device(stored->device_id);
    if (!device || device->revoked_at || store_.is_revoked(serial))
        return fail(Errc::forbidden,
                    "this device's certificate was revoked; pair the device again");
    if (device->source == DeviceSource::router)
        return fail(Errc::forbidden, "the router's own certificate cannot be used by a device");
    if (now > stored->not_after)
        return fail(Errc::forbidden, "the client certificate has expired; pair the device again");
    // Any certificate of the device's is known here; each use says whether an older one may
    // act (only the retry of a lost renewal answer may: renew).
    auto history = store_.newest_certificates(device->id, 2);
    const bool newest = !history.empty() && history[0].serial_hex == serial;
    return AuthenticatedDevice{*device, serial, *presented, std::move(history), newest};
}

Error EnrolmentService::refuse_replaced(const AuthenticatedDevice& who, const std::string& asked,
                                        TimePoint now) {
    // device-enrol finishes a renewal whose answer was lost before it uses the certificate for
    // anything else, so a replaced certificate asking for more than that answer is a copy of the
    // device's old key and certificate at work beside the device (issue 15, part 5).
    const auto event =
        AuditEvent{now, "device.possibly-cloned", who.device.name,
                   "certificate " + who.serial + ", replaced by " + who.history.front().serial_hex +
                       ", asked " + asked + ": a copy of the device's old key may be in use"};
    store_.flag_possibly_cloned(who.device.id, now, event);
    effects_.warnings.push_back(event);
    return fail(Errc::forbidden,
                "this certificate has been replaced; only the device's newest certificate speaks "
                "for it (the router's admin is told this device may be cloned)");
}

AddressVerdict EnrolmentService::judge_address(std::optional<Ipv4> candidate, int64_t device_id) {
    return judge_device_address(issuer_.policy(), router_addresses_, candidate,
                                candidate ? store_.devices_at(*candidate) : std::vector<Device>{},
                                device_id);
}

std::optional<Ipv4> EnrolmentService::vetted_address(std::optional<Ipv4> candidate,
                                                     int64_t device_id, const std::string& subject,
                                                     TimePoint now) {
    const AddressVerdict verdict = judge_address(candidate, device_id);
    if (!verdict.withheld.empty())
        warn({now, "address.withheld", subject,
              verdict.withheld + ", so the certificate names no address"});
    return verdict.address;
}

void EnrolmentService::warn(const AuditEvent& event) {
    store_.append_audit(event);
    effects_.warnings.push_back(event);
}

void EnrolmentService::set_router_addresses(std::vector<Ipv4> addresses) {
    const std::lock_guard<std::mutex> lock(mutex_);
    router_addresses_ = std::move(addresses);
}

void EnrolmentService::set_warning_listener(std::function<void(const AuditEvent&)> listener) {
    const std::lock_guard<std::mutex> lock(sinks_mutex_);
    sinks_.warning = std::move(listener);
}

std::optional<Ipv4> EnrolmentService::certificate_address(const std::string& name,
                                                          std::optional<Ipv4> candidate) {
    std::optional<Ipv4> address;
    with_certificate_address(name, candidate, [&](std::optional<Ipv4> a) { address = a; });
    return address;
}

void EnrolmentService::with_certificate_address(
    const std::string& name, std::optional<Ipv4> candidate,
    const std::function<void(std::optional<Ipv4>)>& use) {
    return locked([&]() -> void {
        const auto device = store_.find_device_by_name(name);
        use(vetted_address(candidate, device ? device->id : 0, name, clock_.now()));
    });
}

Result<Device> EnrolmentService::identify(const Bytes& client_cert_der) {
    return locked([&]() -> Result<Device> {
        const TimePoint now = clock_.now();
        auto who = authenticate(client_cert_der, now);
        if (!who) return who.error();
        if (!who.value().newest)
            return refuse_replaced(who.value(), "for its public certificate", now);
        return who.value().device;
    });
}

Result<wire::EnrolmentStatus> EnrolmentService::renew(const Bytes& client_cert_der,
                                                      const std::string& csr_pem,
                                                      std::optional<Ipv4> source) {
    return locked([&]() -> Result<wire::EnrolmentStatus> {
        const TimePoint now = clock_.now();
        auto who = authenticate(client_cert_der, now);
        if (!who) return who.error();
        const Device& device = who.value().device;
        const std::string& serial = who.value().serial;
        // The body is looked at only once the client is known to be one of this router's devices.
        auto csr = accept_csr(csr_pem);
        if (!csr) return csr.error();
        if (!who.value().newest) {
            // The certificate the newest replaced, asking again with the newest one's key: the
            // answer to that renewal was lost (a power cut or a killed client before it installed)
            // and the device kept the key it had sent. Answer again with what was issued rather
            // than a third certificate, so that lost answers, however many in a row, never leave
            // the device more than one renewal behind. Anything else would start a second line of
            // certificates beside the device's own: refused, and the device flagged.
            const auto& history = who.value().history;
            const Botan::X509_Certificate newest(history[0].der);
            if (history.size() > 1 && serial == history[1].serial_hex &&
                csr.value().public_key_info == newest.subject_public_key_info())
                return renewal_answer(device, newest);
            return refuse_replaced(who.value(), "to renew with another key", now);
        }
        if (csr.value().public_key_info == who.value().presented.subject_public_key_info())
            return fail(Errc::bad_csr,
                        "a renewal must use a new key; this CSR reuses the current one");

        // The connection's source when it is a LAN address, else (a VPN peer, IPv6) the address the
        // device was last given; either is judged again, since both may have become another's.
        const std::optional<Ipv4> address = vetted_address(
            source && issuer_.policy().is_lan_address(*source) ? source : device.ipv4, device.id,
            device.name, now);
        const auto renewed = issuance_.renew(device, csr.value(), address, serial, now);
        notify_changed();
        return renewal_answer(device, renewed.leaf);
    });
}

wire::EnrolmentStatus EnrolmentService::renewal_answer(const Device& device,
                                                       const Botan::X509_Certificate& leaf) const {
    wire::EnrolmentStatus answer;
    answer.status = to_string(RequestStatus::issued);
    answer.name = device.name;
    answer.fqdn = issuer_.policy().fqdn(device.name);
    answer.certificate = leaf.PEM_encode();
    answer.chain = issuer_.chain_pem(leaf);
    return answer;
}

Result<Done> EnrolmentService::update_address(const Bytes& client_cert_der,
                                              const std::string& stated_ipv4,
                                              std::optional<Ipv4> source) {
    return locked([&]() -> Result<Done> {
        const TimePoint now = clock_.now();
        auto who = authenticate(client_cert_der, now);
        if (!who) return who.error();
        if (!who.value().newest) return refuse_replaced(who.value(), "to change its address", now);
        if (auto stated = check_stated_address(stated_ipv4, source); !stated) return stated.error();
        if (!source || !issuer_.policy().is_lan_address(*source))
            return fail(
                Errc::policy_denied,
                "the request came from " +
                    (source ? source->to_string() : std::string("a non-IPv4 address")) +
                    ", outside the home's LAN subnets; send it from the device's LAN address");
        const Device& device = who.value().device;
        const AddressVerdict verdict = judge_address(source, device.id);
        if (!verdict.address) {
            warn({now, "address.refused", device.name,
                  verdict.withheld + "; the home zone keeps the device's previous address"});
            return fail(Errc::conflict, verdict.withheld +
                                            ": a device's address may be neither the router's nor "
                                            "another device's; the router keeps the previous one");
        }
        const Ipv4 address = *verdict.address;
        if (!store_.update_device_address(
                device.id, address,
                {now, "device.address", device.name, "now at " + address.to_string()}))
            return fail(Errc::forbidden, "this device's certificate was revoked; pair it again");
        notify_changed();
        return Done{};
    });
}

}  // namespace rca
