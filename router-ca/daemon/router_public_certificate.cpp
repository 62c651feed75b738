#include "daemon/router_public_certificate.hpp"

#include <botan/data_src.h>
#include <botan/ecdsa.h>
#include <botan/pkcs10.h>
#include <botan/x509_ext.h>
#include <botan/x509cert.h>

#include <algorithm>

#include "core/certificate_signer.hpp"
#include "core/hq_schedule.hpp"
#include "core/time_text.hpp"
#include "daemon/ca_files.hpp"
#include "daemon/log.hpp"
#include "files/atomic_file.hpp"
#include "wire/enrolment_wire.hpp"

namespace rca {
namespace {

bool names(const Botan::X509_Certificate& cert, const std::string& name) {
    const auto dns = cert.subject_alt_name().get_attribute("DNS");
    return std::find(dns.begin(), dns.end(), name) != dns.end();
}

// A CSR naming exactly `name`, as a dNSName and as the commonName: public CAs read the SAN only
// (CA/Browser Forum BR 7.1.2.7.12), and HQ's check wants a commonName, if any, to match.
std::string csr_for(const std::string& name, const Botan::Private_Key& key,
                    Botan::RandomNumberGenerator& rng) {
    Botan::X509_DN subject;
    subject.add_attribute("X520.CommonName", name);
    Botan::AlternativeName alt;
    alt.add_attribute("DNS", name);
    Botan::Extensions extensions;
    extensions.add(new Botan::Cert_Extension::Subject_Alternative_Name(alt));  // takes ownership
    return Botan::PKCS10_Request::create(key, subject, extensions, "SHA-256", rng).PEM_encode();
}

}  // namespace

RouterPublicCertificate::RouterPublicCertificate(const DataPaths& paths, const HqClient& client,
                                                 SniIdentity& sni, const TimeSource& clock,
                                                 Botan::RandomNumberGenerator& rng)
    : paths_(paths), client_(client), sni_(sni), clock_(clock), rng_(rng) {}

RouterPublicCertificate::~RouterPublicCertificate() = default;

void RouterPublicCertificate::serve_stored_at_start(const PublicHome& home) {
    const std::string name = public_name(home, "router");
    {
        const std::lock_guard<std::mutex> lock(mutex_);
        name_ = name;
    }
    serve_stored(name);
}

BasicResult<TimePoint, std::string> RouterPublicCertificate::maintain(
    const HomeRegistration& registration) {
    const TimePoint now = clock_.now();
    const std::string name = public_name(registration.home, "router");
    {
        const std::lock_guard<std::mutex> lock(mutex_);
        if (name_ != name) order_id_.clear();  // another home: an order for the old name is moot
        name_ = name;
    }
    if (!order_id_.empty()) return poll(name, now);
    const auto renew_at = serve_stored(name);
    if (renew_at && now < *renew_at) return *renew_at;
    if (now < retry_at_) return retry_at_;
    return order(registration, name, now);
}

namespace {

// True when the key at key_path is the one certified by the chain at cert_path.
bool pair_matches(const std::string& key_path, const std::string& cert_path) {
    if (!files::exists(key_path) || !files::exists(cert_path)) return false;
    try {
        return read_private_key(key_path)->subject_public_key() ==
               Botan::X509_Certificate(cert_path).subject_public_key_info();
    } catch (const std::exception&) {
        return false;  // a staged file a crash cut short
    }
}

}  // namespace

// The switch renames the staged key, then the staged chain. A crash before the first rename leaves
// the old pair in place (a complete staged pair is switched now, a partial one dropped); after it,
// the new key beside the old chain, with the new chain still staged: renamed now.
void RouterPublicCertificate::finish_staged_switch() {
    const std::string key = paths_.public_key(), cert = paths_.public_cert();
    const std::string staged_key = paths_.public_key_staged();
    const std::string staged_cert = paths_.public_cert_staged();
    if (files::exists(staged_key)) {
        if (!pair_matches(staged_key, staged_cert)) {
            files::remove_durably(staged_key);
            if (files::exists(staged_cert)) files::remove_durably(staged_cert);
            return;
        }
        files::rename_durably(staged_key, key);
    }
    if (!files::exists(staged_cert)) return;
    if (pair_matches(key, staged_cert))
        files::rename_durably(staged_cert, cert);
    else
        files::remove_durably(staged_cert);
}

std::optional<TimePoint> RouterPublicCertificate::serve_stored(const std::string& name) {
    try {
        finish_staged_switch();
    } catch (const std::exception& e) {
        log_line("cannot finish switching to the renewed public certificate: " +
                 std::string(e.what()));
    }
    if (!files::exists(paths_.public_cert()) || !files::exists(paths_.public_key()))
        return std::nullopt;
    try {
        const Botan::X509_Certificate cert(paths_.public_cert());
        const auto key = read_private_key(paths_.public_key());
        if (key->subject_public_key() != cert.subject_public_key_info() || !names(cert, name) ||
            clock_.now() >= to_time_point(cert.not_after())) {
            withdraw(name);
            return std::nullopt;
        }
        const std::string not_after = iso8601(to_time_point(cert.not_after()));
        const std::lock_guard<std::mutex> lock(mutex_);
        if (state_ != "installed" || not_after_ != not_after) {
            sni_.set(name, std::make_shared<TlsIdentity>(paths_.public_cert(), paths_.public_key()));
            state_ = "installed";
            not_after_ = not_after;
            log_line("serving the public certificate for " + name + " (SNI), valid until " +
                     not_after);
        }
        return last_third_start(to_time_point(cert.not_before()), to_time_point(cert.not_after()));
    } catch (const std::exception& e) {
        log_line("cannot use the stored public certificate, ordering a new one: " +
                 std::string(e.what()));
        return std::nullopt;
    }
}

void RouterPublicCertificate::withdraw(const std::string& name) {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (state_ != "installed") return;
    // Expired or for another home: browsers would refuse it, and the status must not claim it.
    sni_.set(name, nullptr);
    state_ = "none";
    not_after_.clear();
    log_line("no longer serving the stored public certificate: expired or not for " + name);
}

BasicResult<TimePoint, std::string> RouterPublicCertificate::order(
    const HomeRegistration& registration, const std::string& name, TimePoint now) {
    auto key = std::make_unique<Botan::ECDSA_PrivateKey>(rng_, Botan::EC_Group("secp256r1"));
    const auto answer = client_.submit_certificate(registration.home.home,
                                                   registration.credential, csr_for(name, *key, rng_));
    if (!answer) return answer.error();
    if (answer.value().status != 202) {
        if (answer.value().status >= 400 && answer.value().status < 500)
            return refused("ordering " + name + ": " + hq_refusal(answer.value()), now);
        return "ordering " + name + ": " + hq_refusal(answer.value());
    }
    std::string error;
    const auto order = wire::parse_public_certificate_status(answer.value().body, error);
    if (!order || !is_hq_order_id(order->id))
        return "HQ's answer to the order for " + name + " cannot be read";
    order_id_ = order->id;
    pending_key_ = std::move(key);
    ordered_at_ = now;
    polls_ = 0;
    const std::lock_guard<std::mutex> lock(mutex_);
    if (state_ != "installed") state_ = "pending";
    detail_.clear();
    return now + kPublicOrderPoll;
}

BasicResult<TimePoint, std::string> RouterPublicCertificate::poll(const std::string& name,
                                                                  TimePoint now) {
    const auto answer = client_.certificate(order_id_);
    if (!answer) return answer.error();
    if (answer.value().status != 200) {
        if (answer.value().status >= 400 && answer.value().status < 500) {
            order_id_.clear();
            return refused("polling the order for " + name + ": " + hq_refusal(answer.value()),
                           now);
        }
        return "polling the order for " + name + ": " + hq_refusal(answer.value());
    }
    std::string error;
    const auto order = wire::parse_public_certificate_status(answer.value().body, error);
    if (!order) return "HQ's answer about the order for " + name + " cannot be read: " + error;
    if (order->status == "pending") {
        if (now - ordered_at_ >= kPublicOrderGiveUp) {
            order_id_.clear();
            return refused("HQ's order for " + name + " is still pending after " +
                               std::to_string(kPublicOrderGiveUp.count()) + " h; giving it up",
                           now);
        }
        return now + next_poll(retry_after_seconds(answer.value()));
    }
    order_id_.clear();
    if (order->status != "issued")
        return refused("the public CA did not issue " + name + ": " +
                           (order->problem ? order->problem->detail : order->status),
                       now);
    try {
        Botan::DataSource_Memory source(order->chain);
        const Botan::X509_Certificate leaf(source);
        if (leaf.subject_public_key_info() != pending_key_->subject_public_key() ||
            !names(leaf, name))
            return refused("HQ's chain for " + name + " is not for this router's key and name",
                           now);
        // Both staged in full, then switched: the still-valid pair is replaced only once the new
        // one is on disk, and finish_staged_switch() completes a switch a crash interrupted.
        write_private_key(paths_.public_key_staged(), *pending_key_);
        files::write_atomic(paths_.public_cert_staged(), order->chain, 0644);
        finish_staged_switch();
    } catch (const std::exception& e) {
        return refused("cannot store the public certificate for " + name + ": " + e.what(), now);
    }
    pending_key_.reset();
    const auto renew_at = serve_stored(name);
    if (!renew_at) return refused("the stored public certificate for " + name + " is unusable", now);
    return *renew_at;
}

std::chrono::seconds RouterPublicCertificate::next_poll(
    std::optional<std::chrono::seconds> retry_after) {
    ++polls_;
    // HQ's Retry-After when it gives one, within the same bounds; else 2 s doubling.
    if (retry_after) return std::clamp(*retry_after, kPublicOrderPoll, kPublicOrderLongestPoll);
    return doubling_delay(kPublicOrderPoll, kPublicOrderLongestPoll, polls_);
}

TimePoint RouterPublicCertificate::refused(const std::string& detail, TimePoint now) {
    log_line(detail + "; asking again in an hour");
    retry_at_ = now + kPublicOrderRetry;
    const std::lock_guard<std::mutex> lock(mutex_);
    detail_ = detail;
    if (state_ == "pending") state_ = "none";
    return retry_at_;
}

nlohmann::json RouterPublicCertificate::status_json() const {
    const std::lock_guard<std::mutex> lock(mutex_);
    nlohmann::json j = {{"name", name_}, {"state", state_}};
    if (!not_after_.empty()) j["not_after"] = not_after_;
    if (!detail_.empty()) j["detail"] = detail_;
    return j;
}

}  // namespace rca
