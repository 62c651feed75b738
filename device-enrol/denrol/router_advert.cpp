#include "denrol/router_advert.hpp"

#include <arpa/inet.h>

#include <cctype>

#include "denrol/root_pinning.hpp"

namespace denrol {
namespace {

bool same_key(const std::string& a, const std::string& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

}  // namespace

std::string txt_value(const std::vector<std::string>& txt, const std::string& key) {
    for (const std::string& s : txt) {
        const auto eq = s.find('=');
        if (!same_key(s.substr(0, eq), key)) continue;
        // The first occurrence wins, even when it has no value (RFC 6763 section 6.4).
        return eq == std::string::npos ? std::string() : s.substr(eq + 1);
    }
    return "";
}

Result<AdvertisedRouter> read_advert(const std::string& instance, const std::string& address,
                                     int port, const std::vector<std::string>& txt) {
    in_addr parsed{};
    if (::inet_pton(AF_INET, address.c_str(), &parsed) != 1)
        return fail(Errc::protocol,
                    "\"" + instance + "\" resolved to " + address + ", not an IPv4 address");
    if (port < 1 || port > 65535)
        return fail(Errc::protocol, "\"" + instance + "\" announces no usable port");
    const auto fp = normalise_fingerprint(txt_value(txt, rca::wire::kTxtFingerprint));
    if (!fp)
        return fail(Errc::protocol, "\"" + instance +
                                        "\" announces no root fingerprint (TXT fp= with 64 hex "
                                        "digits), so it cannot be checked");
    return AdvertisedRouter{instance,
                            address,
                            port,
                            *fp,
                            txt_value(txt, rca::wire::kTxtDomain),
                            txt_value(txt, rca::wire::kTxtPath)};
}

std::string advertised_url(const AdvertisedRouter& r) {
    return "https://" + r.address + ":" + std::to_string(r.port);
}

Result<Done> check_advertised_fingerprint(const AdvertisedRouter& r, const std::string& expected) {
    if (expected.empty() || r.fingerprint == expected) return Done{};
    return fail(Errc::untrusted, "the router found over mDNS (\"" + r.instance + "\" at " +
                                     advertised_url(r) + ") announces root fingerprint " +
                                     r.fingerprint + ", not the expected " + expected +
                                     "; refusing to pair (is it the right router?)");
}

}  // namespace denrol
