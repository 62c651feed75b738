#pragma once
// Deciding what a CRL from the router is worth, without any I/O: whether it is signed by a CA
// that chains to the pinned root and is current (RFC 5280 section 6.3.3), how it replaces the
// cached one, and whether it lists a given certificate. The caller fetches and stores the texts.
#include <string>

#include <openssl/types.h>

#include "denrol/errors.hpp"
#include "denrol/time_text.hpp"

namespace denrol {

/// A CRL that verified up to the pinned root.
struct CheckedCrl {
    std::string pem;        ///< the CRL, PEM ("X509 CRL")
    std::string issuer;     ///< the issuer's name, one line, for messages
    TimePoint this_update;  ///< when the router signed it
    TimePoint next_update;  ///< when it stops being current
    size_t revoked = 0;     ///< how many certificates it lists
};

/// The first URI of the certificate's CRL distribution point (RFC 5280 section 4.2.1.13); ""
/// when it names none.
std::string distribution_point(X509* cert);

/// The same for the first certificate of a PEM text.
std::string distribution_point(const std::string& cert_pem);

/// Accepts `crl` (DER as served at /crl, or PEM) only if it is signed by one of the CA
/// certificates in `issuers_pem` (or by the root itself), that CA chains to `root_pem` with the
/// cRLSign key usage, and the CRL is current at `now`: thisUpdate not in the future (a few minutes
/// of clock skew allowed) and nextUpdate present and later. Errc::untrusted saying which failed.
Result<CheckedCrl> check_crl(const std::string& crl, const std::string& issuers_pem,
                             const std::string& root_pem, TimePoint now);

/// The cached CRL text after adding `crl`: it replaces the cached CRL of the same issuer (name and
/// key identifier), whose place it takes; CRLs of other issuers (an intermediate before a
/// rotation) stay. Errc::untrusted when the cached CRL of that issuer is newer: an older one
/// served now could hide a later revocation, so the cache keeps the newer.
Result<std::string> merge_crl(const std::string& cached_pem, const CheckedCrl& crl);

/// What the cached CRLs say about one certificate.
struct RevocationCheck {
    enum class Status {
        good,     ///< a current CRL of its issuer does not list it
        revoked,  ///< a CRL of its issuer lists it (even a stale one: revocation is final)
        unknown,  ///< no current CRL of its issuer is cached
    };
    Status status = Status::unknown;
    TimePoint revoked_at{};   ///< for `revoked`: the revocation date in the CRL
    TimePoint crl_signed{};   ///< thisUpdate of the CRL consulted (not for `unknown`)
    TimePoint crl_expires{};  ///< its nextUpdate
};

/// Looks up the first certificate of `cert_pem` in the CRLs of `crls_pem` at `now`.
RevocationCheck check_certificate(const std::string& cert_pem, const std::string& crls_pem,
                                  TimePoint now);

}  // namespace denrol
