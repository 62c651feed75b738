#pragma once
// Checking what the router hands back before it replaces anything on disk: the leaf must carry
// our new key and chain to the root we trust, or a confused (or hostile) router could leave the
// device with a certificate it cannot use.
#include <string>
#include <vector>

#include <botan/pk_keys.h>
#include <botan/x509cert.h>

#include "denrol/errors.hpp"
#include "denrol/renewal_schedule.hpp"

namespace denrol {

/// What the CLI and state.json record about a leaf.
struct CertFacts {
    std::string serial;  ///< lower-case hex
    Validity validity;   ///< not_before and not_after
};

/// Facts of one certificate.
CertFacts facts_of(const Botan::X509_Certificate& cert);

/// Every certificate in a PEM text, in order; Errc::protocol naming `what` if any block is bad
/// or there is none.
Result<std::vector<Botan::X509_Certificate>> parse_pem_chain(const std::string& pem,
                                                             const std::string& what);

/// A checked issuance: the leaf's facts and the chain file's text (leaf first).
struct CheckedIssue {
    CertFacts facts;        ///< of the leaf
    std::string cert_pem;   ///< the leaf, PEM
    std::string chain_pem;  ///< leaf + intermediate, PEM
};

/// Checks that `cert_pem` holds `key`'s public key, names `fqdn` (when given) and chains through
/// `chain_pem` to `root`. A chain without the leaf in front gets it prepended. Errc::protocol on
/// any failure.
Result<CheckedIssue> check_issued(const std::string& cert_pem, const std::string& chain_pem,
                                  const Botan::X509_Certificate& root, const Botan::Public_Key& key,
                                  const std::string& fqdn);

}  // namespace denrol
