#include "admin/mobileconfig.hpp"

#include "common/markup_escape.hpp"

#include <botan/base64.h>
#include <botan/hex.h>

namespace rca::admin {
namespace {

std::string key_string(const std::string& indent, const std::string& key,
                       const std::string& value) {
    return indent + "<key>" + key + "</key>\n" + indent + "<string>" + markup_escape(value) +
           "</string>\n";
}

// Base64 in lines of 52 characters, as Apple's own profiles are laid out; plist readers ignore
// whitespace inside <data>.
std::string data_lines(const Bytes& der, const std::string& indent) {
    const std::string b64 = Botan::base64_encode(der);
    std::string out;
    for (size_t i = 0; i < b64.size(); i += 52) out += indent + b64.substr(i, 52) + "\n";
    return out;
}

}  // namespace

std::string build_mobileconfig(const MobileconfigInput& in) {
    const std::string i2 = "\t\t\t";
    std::string payload = "\t\t<dict>\n";
    payload += key_string(i2, "PayloadCertificateFileName", in.certificate_file_name);
    payload += i2 + "<key>PayloadContent</key>\n" + i2 + "<data>\n" + data_lines(in.root_der, i2) +
               i2 + "</data>\n";
    payload += key_string(i2, "PayloadDescription", "Adds a CA root certificate");
    payload += key_string(i2, "PayloadDisplayName", in.display_name);
    payload += key_string(i2, "PayloadIdentifier", in.identifier + ".root");
    payload += key_string(i2, "PayloadType", "com.apple.security.root");
    payload += key_string(i2, "PayloadUUID", in.payload_uuid);
    payload += i2 + "<key>PayloadVersion</key>\n" + i2 + "<integer>1</integer>\n";
    payload += "\t\t</dict>\n";

    const std::string i1 = "\t";
    std::string out =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
        "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
        "<plist version=\"1.0\">\n<dict>\n";
    out += i1 + "<key>PayloadContent</key>\n" + i1 + "<array>\n" + payload + i1 + "</array>\n";
    out += key_string(i1, "PayloadDescription", in.description);
    out += key_string(i1, "PayloadDisplayName", in.display_name);
    out += key_string(i1, "PayloadIdentifier", in.identifier);
    out += key_string(i1, "PayloadOrganization", in.organization);
    // The user can remove the profile (and so the root) in Settings at any time.
    out += i1 + "<key>PayloadRemovalDisallowed</key>\n" + i1 + "<false/>\n";
    out += key_string(i1, "PayloadType", "Configuration");
    out += key_string(i1, "PayloadUUID", in.profile_uuid);
    out += i1 + "<key>PayloadVersion</key>\n" + i1 + "<integer>1</integer>\n";
    out += "</dict>\n</plist>\n";
    return out;
}

std::string random_uuid(Botan::RandomNumberGenerator& rng) {
    uint8_t b[16];
    rng.randomize(b, sizeof b);
    b[6] = static_cast<uint8_t>((b[6] & 0x0f) | 0x40);  // version 4
    b[8] = static_cast<uint8_t>((b[8] & 0x3f) | 0x80);  // RFC 9562 variant
    const std::string hex = Botan::hex_encode(b, sizeof b, true);
    return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
           hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

}  // namespace rca::admin
