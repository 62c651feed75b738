#pragma once
// Deciding whether to trust the root the router hands out on first contact (architecture brief,
// Onboarding): check it against the fingerprint the user copied from the router's UI or QR code,
// or else trust it on first use and hold the router to it afterwards (the pin is DIR/root.pem).
// Pure: the caller fetches and reads the PEM texts.
#include <optional>
#include <string>

#include <botan/x509cert.h>

#include "denrol/errors.hpp"

namespace denrol {

/// Lower-case hex SHA-256 of `text` with colons, spaces and case ignored (the forms routers and
/// `openssl x509 -fingerprint` print); nullopt unless exactly 64 hex digits remain.
std::optional<std::string> normalise_fingerprint(const std::string& text);

/// Lower-case hex SHA-256 of the certificate's DER encoding.
std::string certificate_fingerprint(const Botan::X509_Certificate& cert);

/// The first certificate in a PEM text; Errc::protocol naming `what` when there is none.
Result<Botan::X509_Certificate> parse_pem_certificate(const std::string& pem,
                                                      const std::string& what);

/// Accepts the root fetched from the router if it is a self-signed CA certificate and either
/// matches `expected_fingerprint` (normalised; "" when the user gave none) or, with no fingerprint
/// given, equals `pinned_pem` when a pin exists. Errc::untrusted, naming both fingerprints,
/// otherwise.
Result<Botan::X509_Certificate> accept_root(const std::string& fetched_pem,
                                            const std::string& expected_fingerprint,
                                            const std::optional<std::string>& pinned_pem);

}  // namespace denrol
