#include "core/crl_signer.hpp"

#include <botan/bigint.h>
#include <botan/der_enc.h>
#include <botan/pubkey.h>
#include <botan/x509_ca.h>
#include <botan/x509_ext.h>

#include <memory>

#include "common/x509_time.hpp"
#include "core/revocation_reason.hpp"

namespace rca {
namespace {

// Version ::= INTEGER { v1(0), v2(1) }; v2 because the CRL carries extensions (RFC 5280 5.1.2.1).
constexpr size_t kVersion2 = 1;

// revokedCertificates' element (RFC 5280 5.1):
//   SEQUENCE { userCertificate CertificateSerialNumber, revocationDate Time,
//              crlEntryExtensions Extensions OPTIONAL }
// with the time the revocation really happened, every time the CRL is signed again.
void encode_entry(Botan::DER_Encoder& der, const Revocation& revocation) {
    der.start_cons(Botan::SEQUENCE)
        .encode(Botan::BigInt("0x" + revocation.serial_hex))
        .encode(to_x509_time(revocation.revoked_at));
    if (revocation.reason != RevocationReason::unspecified) {
        Botan::Extensions extensions;
        extensions.add(new Botan::Cert_Extension::CRL_ReasonCode(
            static_cast<Botan::CRL_Code>(reason_code(revocation.reason))));
        der.start_cons(Botan::SEQUENCE).encode(extensions).end_cons();
    }
    der.end_cons();
}

}  // namespace

Botan::X509_CRL sign_crl(const CrlSpec& spec, const Botan::X509_Certificate& issuer,
                         const Botan::Private_Key& issuer_key, Botan::RandomNumberGenerator& rng) {
    Botan::AlgorithmIdentifier sig_algo;
    const std::unique_ptr<Botan::PK_Signer> signer(
        Botan::choose_sig_format(issuer_key, rng, "SHA-256", sig_algo));
    Botan::Extensions extensions;
    extensions.add(new Botan::Cert_Extension::Authority_Key_ID(issuer.subject_key_id()));
    extensions.add(new Botan::Cert_Extension::CRL_Number(spec.number));

    // TBSCertList (RFC 5280 5.1): version, signature, issuer, thisUpdate, nextUpdate,
    // revokedCertificates (absent when empty), crlExtensions [0] EXPLICIT.
    Botan::DER_Encoder tbs;
    tbs.start_cons(Botan::SEQUENCE)
        .encode(kVersion2)
        .encode(sig_algo)
        .encode(issuer.subject_dn())
        .encode(to_x509_time(spec.this_update))
        .encode(to_x509_time(spec.next_update));
    if (!spec.revoked.empty()) {
        tbs.start_cons(Botan::SEQUENCE);
        for (const auto& r : spec.revoked) encode_entry(tbs, r);
        tbs.end_cons();
    }
    tbs.start_explicit(0)
        .start_cons(Botan::SEQUENCE)
        .encode(extensions)
        .end_cons()
        .end_explicit()
        .end_cons();
    return Botan::X509_CRL(
        Botan::X509_Object::make_signed(signer.get(), rng, sig_algo, tbs.get_contents()));
}

}  // namespace rca
