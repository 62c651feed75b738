#include "denrol/revocation_list.hpp"

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <ctime>

#include "common/utc_calendar.hpp"
#include "denrol/openssl_handles.hpp"

namespace denrol {
namespace {

// A device without a battery-backed clock may run a little behind the router; a CRL signed a few
// minutes "in the future" is still the router's latest, not a forgery.
constexpr std::chrono::minutes kClockSkew{5};

TimePoint time_of(const ASN1_TIME* t) {
    std::tm tm{};
    if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return TimePoint{};
    // Not timegm: a 32-bit time_t (glibc on armhf, mipsel) wraps after 2038.
    return rca::utc_time_point({tm.tm_year + 1900LL, static_cast<unsigned>(tm.tm_mon + 1),
                                static_cast<unsigned>(tm.tm_mday),
                                static_cast<unsigned>(tm.tm_hour), static_cast<unsigned>(tm.tm_min),
                                static_cast<unsigned>(tm.tm_sec)})
        .value_or(TimePoint{});
}

std::string name_text(const X509_NAME* name) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<size_t>(n));
}

// The authority key identifier of a CRL, as bytes; "" when it has none.
std::string key_id_of(const X509_CRL* crl) {
    auto* akid = static_cast<AUTHORITY_KEYID*>(
        X509_CRL_get_ext_d2i(crl, NID_authority_key_identifier, nullptr, nullptr));
    if (!akid) return "";
    std::string id;
    if (akid->keyid)
        id.assign(reinterpret_cast<const char*>(akid->keyid->data),
                  static_cast<size_t>(akid->keyid->length));
    AUTHORITY_KEYID_free(akid);
    return id;
}

std::string key_id_of(X509* cert) {
    const ASN1_OCTET_STRING* id = X509_get0_authority_key_id(cert);
    return id ? std::string(reinterpret_cast<const char*>(id->data),
                            static_cast<size_t>(id->length))
              : "";
}

// Key identifiers tell two CAs of the same name apart (an intermediate and its successor after a
// rotation); an object without one (RFC 5280 makes AKI a SHOULD for CRLs) matches by name alone.
bool key_ids_agree(const std::string& a, const std::string& b) {
    return a.empty() || b.empty() || a == b;
}

bool same_issuer(const X509_CRL* a, const X509_CRL* b) {
    return X509_NAME_cmp(X509_CRL_get_issuer(a), X509_CRL_get_issuer(b)) == 0 &&
           key_ids_agree(key_id_of(a), key_id_of(b));
}

X509CrlPtr parse_crl(const std::string& bytes) {
    if (bytes.find("-----BEGIN X509 CRL-----") != std::string::npos) {
        auto crls = read_pem_crls(bytes);
        return crls.empty() ? nullptr : std::move(crls.front());
    }
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    X509CrlPtr crl(d2i_X509_CRL(nullptr, &p, static_cast<long>(bytes.size())));
    ERR_clear_error();
    // Trailing bytes mean this is not one DER CRL.
    if (crl && p != reinterpret_cast<const unsigned char*>(bytes.data()) + bytes.size())
        return nullptr;
    return crl;
}

// True when `ca` chains to the root (among `untrusted`) at `now` and may sign CRLs.
bool chains_to_root(X509* ca, X509_STORE* roots, STACK_OF(X509) * untrusted, TimePoint now) {
    // RFC 5280 4.2.1.3: a CRL issuer needs cRLSign when key usage is present.
    if (X509_check_ca(ca) < 1) return false;
    if ((X509_get_extension_flags(ca) & EXFLAG_KUSAGE) && !(X509_get_key_usage(ca) & KU_CRL_SIGN))
        return false;
    X509StoreCtxPtr ctx(X509_STORE_CTX_new());
    if (!ctx || X509_STORE_CTX_init(ctx.get(), roots, ca, untrusted) != 1) return false;
    X509_STORE_CTX_set_time(ctx.get(), 0, std::chrono::system_clock::to_time_t(now));
    const bool ok = X509_verify_cert(ctx.get()) == 1;
    ERR_clear_error();
    return ok;
}

}  // namespace

std::string distribution_point(X509* cert) {
    auto* points = static_cast<STACK_OF(DIST_POINT)*>(
        X509_get_ext_d2i(cert, NID_crl_distribution_points, nullptr, nullptr));
    std::string url;
    for (int i = 0; points && url.empty() && i < sk_DIST_POINT_num(points); ++i) {
        const DIST_POINT* dp = sk_DIST_POINT_value(points, i);
        if (!dp->distpoint || dp->distpoint->type != 0) continue;  // 0: fullName
        const GENERAL_NAMES* names = dp->distpoint->name.fullname;
        for (int j = 0; url.empty() && j < sk_GENERAL_NAME_num(names); ++j) {
            const GENERAL_NAME* n = sk_GENERAL_NAME_value(names, j);
            if (n->type != GEN_URI) continue;
            const ASN1_IA5STRING* uri = n->d.uniformResourceIdentifier;
            url.assign(reinterpret_cast<const char*>(uri->data), static_cast<size_t>(uri->length));
        }
    }
    sk_DIST_POINT_pop_free(points, DIST_POINT_free);
    return url;
}

std::string distribution_point(const std::string& cert_pem) {
    const auto certs = read_pem_certs(cert_pem);
    return certs.empty() ? "" : distribution_point(certs.front().get());
}

Result<CheckedCrl> check_crl(const std::string& bytes, const std::string& issuers_pem,
                             const std::string& root_pem, TimePoint now) {
    const X509CrlPtr crl = parse_crl(bytes);
    if (!crl) return fail(Errc::protocol, "the router's CRL is not a DER or PEM X.509 CRL");
    auto roots = read_pem_certs(root_pem);
    if (roots.empty()) return fail(Errc::local, "the pinned root does not parse");

    X509StorePtr store(X509_STORE_new());
    X509StackPtr untrusted(sk_X509_new_null());
    X509_STORE_add_cert(store.get(), roots.front().get());
    auto candidates = read_pem_certs(issuers_pem);
    for (const auto& c : candidates) {
        X509_up_ref(c.get());
        sk_X509_push(untrusted.get(), c.get());
    }
    candidates.push_back(std::move(roots.front()));

    const X509_NAME* issuer = X509_CRL_get_issuer(crl.get());
    bool signed_by_known_ca = false;
    for (const auto& ca : candidates) {
        if (X509_NAME_cmp(X509_get_subject_name(ca.get()), issuer) != 0) continue;
        if (!chains_to_root(ca.get(), store.get(), untrusted.get(), now)) continue;
        if (X509_CRL_verify(crl.get(), X509_get0_pubkey(ca.get())) == 1) {
            signed_by_known_ca = true;
            break;
        }
    }
    ERR_clear_error();
    const std::string issuer_text = name_text(issuer);
    if (!signed_by_known_ca)
        return fail(Errc::untrusted, "the CRL (issuer " + issuer_text +
                                         ") is not signed by a CA of the pinned root");

    const TimePoint this_update = time_of(X509_CRL_get0_lastUpdate(crl.get()));
    const ASN1_TIME* next = X509_CRL_get0_nextUpdate(crl.get());
    if (!next) return fail(Errc::untrusted, "the CRL has no nextUpdate, so it never goes stale");
    const TimePoint next_update = time_of(next);
    if (this_update > now + kClockSkew)
        return fail(Errc::untrusted, "the CRL was signed at " + format_utc(this_update) +
                                         ", after this device's time " + format_utc(now) +
                                         " (is the device's clock right?)");
    if (next_update <= now)
        return fail(Errc::untrusted, "the router's CRL is stale: its nextUpdate " +
                                         format_utc(next_update) + " has passed (" +
                                         format_utc(now) + " now); the router should re-sign it");
    const STACK_OF(X509_REVOKED)* listed = X509_CRL_get_REVOKED(crl.get());
    return CheckedCrl{pem_of(crl.get()), issuer_text, this_update, next_update,
                      listed ? static_cast<size_t>(sk_X509_REVOKED_num(listed)) : 0};
}

Result<std::string> merge_crl(const std::string& cached_pem, const CheckedCrl& checked) {
    const X509CrlPtr fresh = parse_crl(checked.pem);
    if (!fresh) return fail(Errc::protocol, "the checked CRL does not parse");
    std::string merged;
    for (const auto& old : read_pem_crls(cached_pem)) {
        if (!same_issuer(old.get(), fresh.get())) {
            merged += pem_of(old.get());
            continue;
        }
        const TimePoint old_signed = time_of(X509_CRL_get0_lastUpdate(old.get()));
        if (old_signed > checked.this_update)
            return fail(Errc::untrusted, "the router served a CRL signed at " +
                                             format_utc(checked.this_update) +
                                             ", older than the cached one of " +
                                             format_utc(old_signed) + "; keeping the cached one");
    }
    return merged + checked.pem;
}

RevocationCheck check_certificate(const std::string& cert_pem, const std::string& crls_pem,
                                  TimePoint now) {
    RevocationCheck result;
    const auto certs = read_pem_certs(cert_pem);
    if (certs.empty()) return result;
    X509* cert = certs.front().get();
    const std::string cert_key_id = key_id_of(cert);
    for (const auto& crl : read_pem_crls(crls_pem)) {
        if (X509_NAME_cmp(X509_CRL_get_issuer(crl.get()), X509_get_issuer_name(cert)) != 0 ||
            !key_ids_agree(key_id_of(crl.get()), cert_key_id))
            continue;
        const TimePoint signed_at = time_of(X509_CRL_get0_lastUpdate(crl.get()));
        const TimePoint expires = time_of(X509_CRL_get0_nextUpdate(crl.get()));
        X509_REVOKED* entry = nullptr;
        if (X509_CRL_get0_by_cert(crl.get(), &entry, cert) == 1) {
            return RevocationCheck{RevocationCheck::Status::revoked,
                                   time_of(X509_REVOKED_get0_revocationDate(entry)), signed_at,
                                   expires};
        }
        if (expires > now) result = {RevocationCheck::Status::good, {}, signed_at, expires};
    }
    return result;
}

}  // namespace denrol
