#pragma once
// The issuing intermediate at work: signs leaves with the CA's own profile and signs the CRL.
#include <botan/bigint.h>
#include <botan/rng.h>
#include <botan/x509_crl.h>
#include <botan/x509cert.h>

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/ca_hierarchy.hpp"
#include "core/leaf_profile.hpp"
#include "core/types.hpp"

namespace rca {

/// Clock skew a leaf tolerates: devices without RTC often boot a few minutes off.
inline constexpr std::chrono::minutes kLeafBackdate{5};
/// How long a CRL stays current; it is re-signed on every revocation and at half this age.
inline constexpr std::chrono::hours kCrlLifetime{24 * 7};

/// Thread-safe: rotate() may run while other threads issue, sign CRLs or build chains.
class Issuer {
  public:
    /// An issuer that signs with `intermediate` under `root` for the home described by `policy`;
    /// `earlier` are intermediates it replaced (newest first), kept to sign their leaves' CRLs.
    Issuer(CaKey intermediate, Botan::X509_Certificate root, HomePolicy policy,
           std::vector<CaKey> earlier = {});

    /// Signs a leaf for subject with the given serial, valid from now (backdated by
    /// kLeafBackdate) for the policy's leaf lifetime, never past the intermediate's expiry.
    Botan::X509_Certificate issue_leaf(const LeafSubject& subject, const Botan::BigInt& serial,
                                       TimePoint now, Botan::RandomNumberGenerator& rng) const;

    /// A CRL signed by the intermediate with key id `intermediate_id` (ca_key_id), listing
    /// `revoked`, issued now, next update now + kCrlLifetime; nullopt for an unknown id.
    std::optional<Botan::X509_CRL> make_crl(const std::string& intermediate_id,
                                            const std::vector<Revocation>& revoked, TimePoint now,
                                            Botan::RandomNumberGenerator& rng) const;

    /// Makes `next` the intermediate new leaves come from; the current one joins the earlier.
    void rotate(CaKey next);

    /// The current intermediate's certificate.
    Botan::X509_Certificate intermediate() const;
    /// Every intermediate held, the current one first, then the earlier ones newest first.
    std::vector<Botan::X509_Certificate> intermediates() const;
    /// The root's certificate.
    const Botan::X509_Certificate& root() const { return root_; }
    /// The home policy leaves are made for.
    const HomePolicy& policy() const { return policy_; }
    /// PEM of leaf followed by the intermediate that signed it (found by its
    /// authorityKeyIdentifier): what a TLS server sends (RFC 8446 4.4.2).
    std::string chain_pem(const Botan::X509_Certificate& leaf) const;
    /// The same for a leaf as the store holds it (DER).
    std::string chain_pem(const Bytes& leaf_der) const;
    /// PEM of the intermediate that signed the leaf with DER `leaf_der` (the chain without its
    /// leaf); parses the leaf only when more than one intermediate is held (after a rotation),
    /// to find which one signed it.
    std::string signer_pem(const Bytes& leaf_der) const;

  private:
    template <typename AuthorityKeyId>
    std::string signer_pem_by(AuthorityKeyId authority_key_id) const;

    Botan::X509_Certificate root_;
    HomePolicy policy_;
    mutable std::mutex mutex_;
    std::vector<CaKey> intermediates_;            ///< current first; guarded by mutex_
    std::vector<std::string> intermediate_pems_;  ///< their PEM, in the same order; guarded too
};

}  // namespace rca
