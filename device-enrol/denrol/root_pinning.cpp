#include "denrol/root_pinning.hpp"

#include <cctype>

#include <botan/data_src.h>
#include <botan/hash.h>
#include <botan/hex.h>
#include <botan/pk_keys.h>

namespace denrol {

std::optional<std::string> normalise_fingerprint(const std::string& text) {
    std::string hex;
    for (const char c : text) {
        if (c == ':' || std::isspace(static_cast<unsigned char>(c))) continue;
        if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
        hex.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    if (hex.size() != 64) return std::nullopt;
    return hex;
}

std::string certificate_fingerprint(const Botan::X509_Certificate& cert) {
    const auto sha256 = Botan::HashFunction::create_or_throw("SHA-256");
    return Botan::hex_encode(sha256->process(cert.BER_encode()), /*uppercase=*/false);
}

Result<Botan::X509_Certificate> parse_pem_certificate(const std::string& pem,
                                                      const std::string& what) {
    try {
        Botan::DataSource_Memory src(pem);
        return Botan::X509_Certificate(src);
    } catch (const std::exception& e) {
        return fail(Errc::protocol, what + " is not a PEM certificate: " + e.what());
    }
}

Result<Botan::X509_Certificate> accept_root(const std::string& fetched_pem,
                                            const std::string& expected_fingerprint,
                                            const std::optional<std::string>& pinned_pem) {
    auto parsed = parse_pem_certificate(fetched_pem, "the router's root");
    if (!parsed) return parsed.error();
    const Botan::X509_Certificate& root = parsed.value();
    const std::string got = certificate_fingerprint(root);

    // Checked before any policy on the content: a wrong fingerprint is the clearest message.
    if (!expected_fingerprint.empty()) {
        if (got != expected_fingerprint)
            return fail(Errc::untrusted, "the router's root has fingerprint " + got +
                                             ", not the expected " + expected_fingerprint +
                                             "; refusing to pair (is this the right router?)");
    } else if (pinned_pem) {
        auto pinned = parse_pem_certificate(*pinned_pem, "the pinned root");
        if (!pinned) return fail(Errc::local, pinned.error().detail);
        const std::string want = certificate_fingerprint(pinned.value());
        if (got != want)
            return fail(Errc::untrusted,
                        "the router's root (" + got + ") differs from the pinned root (" + want +
                            "); if the router was reset, pass --ca-fingerprint with its new "
                            "fingerprint");
    }

    // A leaf or an intermediate handed out as "the root" would make every later check
    // meaningless: require CA:TRUE with keyCertSign (RFC 5280 4.2.1.9) and a valid self-signature.
    if (!root.is_CA_cert())
        return fail(Errc::untrusted,
                    "the router's root is not a CA certificate (basic "
                    "constraints CA:TRUE with keyCertSign missing)");
    const auto key = root.load_subject_public_key();
    if (!root.is_self_signed() || !root.check_signature(*key))
        return fail(Errc::untrusted, "the router's root is not a self-signed certificate");
    return root;
}

}  // namespace denrol
