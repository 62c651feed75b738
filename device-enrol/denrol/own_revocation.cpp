#include "denrol/own_revocation.hpp"

#include "denrol/device_identity.hpp"

namespace denrol {

Result<RevocationCheck> refresh_own_revocation(const EnrolmentDir& dir, const DeviceState& state,
                                               TimePoint now, const HttpOptions& http) {
    auto identity = load_identity(dir, state);
    if (!identity) return identity.error();
    const std::string& chain = identity.value().client.chain_pem;
    RouterClient client(identity.value().router, identity.value().root_pem, dir, http);
    auto refreshed = client.refresh_crl(distribution_point(chain), chain);
    if (!refreshed) return refreshed.error();
    return cached_own_revocation(dir, now);
}

RevocationCheck cached_own_revocation(const EnrolmentDir& dir, TimePoint now) {
    if (!dir.has(EnrolmentDir::kCrl)) return {};
    auto cert = dir.read(EnrolmentDir::kCert);
    auto crls = dir.read(EnrolmentDir::kCrl);
    if (!cert || !crls) return {};
    return check_certificate(cert.value(), crls.value(), now);
}

std::string describe_revocation(const RevocationCheck& check, const std::string& serial) {
    switch (check.status) {
        case RevocationCheck::Status::good:
            return "certificate " + serial + " is not revoked (router's CRL of " +
                   format_utc(check.crl_signed) + ", current until " +
                   format_utc(check.crl_expires) + ")";
        case RevocationCheck::Status::revoked:
            return "certificate " + serial + " was REVOKED by the router at " +
                   format_utc(check.revoked_at) +
                   ": it can no longer renew or update its address, and peers that check the CRL "
                   "refuse it. Press the router's pairing button and run `device-enrol pair` "
                   "again (the router's admin revoked it, or removed this device)";
        case RevocationCheck::Status::unknown:
            break;
    }
    return "revocation of certificate " + serial +
           " unknown: no current CRL cached (run `device-enrol crl` to fetch it)";
}

}  // namespace denrol
