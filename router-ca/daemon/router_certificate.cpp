#include "daemon/router_certificate.hpp"

#include <botan/ecdsa.h>

#include <algorithm>
#include <utility>

#include "core/certificate_signer.hpp"
#include "core/hq_schedule.hpp"
#include "daemon/ca_files.hpp"
#include "daemon/log.hpp"
#include "files/atomic_file.hpp"

namespace rca {
namespace {

std::vector<std::string> sorted(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
}

// True when the files on disk can keep serving.
bool still_good(const DataPaths& paths, const Issuer& issuer, const std::vector<Ipv4>& addresses,
                TimePoint now) {
    if (!files::exists(paths.server_cert()) || !files::exists(paths.server_key())) return false;
    try {
        const Botan::X509_Certificate cert(paths.server_cert());
        const auto key = read_private_key(paths.server_key());
        if (key->subject_public_key() != cert.subject_public_key_info()) return false;
        if (cert.issuer_dn() != issuer.intermediate().subject_dn()) return false;
        const std::unique_ptr<Botan::Public_Key> ca_key(issuer.intermediate().subject_public_key());
        if (!cert.check_signature(*ca_key)) return false;
        std::vector<std::string> want;
        for (const Ipv4 a : addresses) want.push_back(a.to_string());
        const auto& names = cert.subject_alt_name();
        if (sorted(names.get_attribute("IP")) != sorted(want)) return false;
        const auto dns = names.get_attribute("DNS");
        const std::string fqdn = issuer.policy().fqdn(kRouterName);
        if (std::find(dns.begin(), dns.end(), fqdn) == dns.end()) return false;
        const auto start = to_time_point(cert.not_before());
        const auto end = to_time_point(cert.not_after());
        return !in_last_third(now, start, end);
    } catch (const std::exception&) {
        return false;  // unreadable or mismatched files are replaced, not fatal
    }
}

}  // namespace

Botan::X509_Certificate ensure_router_certificate(const DataPaths& paths, EnrolmentService& service,
                                                  const Issuer& issuer,
                                                  const std::vector<Ipv4>& addresses,
                                                  Botan::RandomNumberGenerator& rng,
                                                  TimePoint now) {
    // A start or renewal killed inside write_atomic left its temporary (half a key perhaps);
    // only this function writes server/, from the daemon's one event loop.
    files::remove_temporaries(paths.server_dir());
    if (still_good(paths, issuer, addresses, now))
        return Botan::X509_Certificate(paths.server_cert());
    files::make_dirs(paths.server_dir(), 0700);
    const Botan::ECDSA_PrivateKey key(rng, Botan::EC_Group("secp256r1"));
    const auto leaf = service.issue_router_certificate(key.subject_public_key(), addresses);
    // Key first, then the chain: a crash in between leaves a pair that still_good() rejects.
    write_private_key(paths.server_key(), key);
    files::write_atomic(paths.server_cert(), issuer.chain_pem(leaf), 0644);
    return leaf;
}

RouterCertificateKeeper::RouterCertificateKeeper(const DataPaths& paths, EnrolmentService& service,
                                                 const Issuer& issuer, std::vector<Ipv4> addresses,
                                                 Botan::RandomNumberGenerator& rng,
                                                 const TimeSource& clock)
    : paths_(paths),
      service_(service),
      issuer_(issuer),
      addresses_(std::move(addresses)),
      rng_(rng),
      clock_(clock),
      serial_(serial_hex(
          ensure_router_certificate(paths, service, issuer, addresses_, rng, clock.now()))),
      identity_(std::make_unique<TlsIdentity>(paths.server_cert(), paths.server_key())) {}

void RouterCertificateKeeper::keep() {
    const std::lock_guard<std::mutex> lock(mutex_);
    try {
        const auto serial = serial_hex(
            ensure_router_certificate(paths_, service_, issuer_, addresses_, rng_, clock_.now()));
        if (serial == serial_) return;
        identity_->reload();
        serial_ = serial;
        log_line("renewed the router's TLS certificate (serial " + serial + ")");
    } catch (const std::exception& e) {
        log_line(std::string("cannot renew the router's certificate, will retry: ") + e.what());
    }
}

}  // namespace rca
