#pragma once
// An Apple configuration profile (.mobileconfig) that installs the home root on iOS, iPadOS and
// macOS: one payload of type com.apple.security.root carrying the root's DER (Apple's
// "Configuration Profile Reference", Certificate payloads). Pure: the UUIDs are parameters.
#include <botan/rng.h>

#include <string>

#include "core/types.hpp"

namespace rca::admin {

/// What goes into the profile.
struct MobileconfigInput {
    Bytes root_der;                     ///< the root certificate, DER
    std::string display_name;           ///< shown in Settings, e.g. "home.arpa root (router-ca)"
    std::string identifier;             ///< reverse-DNS PayloadIdentifier of the profile
    std::string profile_uuid;           ///< PayloadUUID of the profile
    std::string payload_uuid;           ///< PayloadUUID of the certificate payload (must differ)
    std::string organization;           ///< PayloadOrganization
    std::string description;            ///< PayloadDescription: what installing it does
    std::string certificate_file_name;  ///< PayloadCertificateFileName, e.g. "home-root.cer"
};

/// The profile as an XML property list (unsigned; iOS shows it as "Not Verified", which is
/// honest: the user checks the fingerprint instead).
std::string build_mobileconfig(const MobileconfigInput& input);

/// A random (version 4, RFC 9562 5.4) UUID in upper-case text form, as Apple's tools write them.
std::string random_uuid(Botan::RandomNumberGenerator& rng);

}  // namespace rca::admin
