#include "denrol/endpoint.hpp"

#include <cctype>

namespace denrol {
namespace {

bool parse_port(const std::string& text, int& port) {
    if (text.empty() || text.size() > 5) return false;
    for (const char c : text)
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    port = std::stoi(text);
    return port >= 1 && port <= 65535;
}

bool valid_host(const std::string& host) {
    if (host.empty() || host.size() > 253) return false;
    for (const char c : host)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-') return false;
    return true;
}

}  // namespace

Result<HttpsUrl> parse_https_url(const std::string& url) {
    const std::string scheme = "https://";
    if (url.compare(0, scheme.size(), scheme) != 0)
        return fail(Errc::usage, "the URL must start with https:// (got \"" + url + "\")");
    std::string rest = url.substr(scheme.size());
    HttpsUrl parsed{{}, "/"};
    if (const auto slash = rest.find('/'); slash != std::string::npos) {
        parsed.path = rest.substr(slash);
        rest.resize(slash);
    }
    Endpoint& e = parsed.endpoint;
    e = Endpoint{rest, 443};
    const auto colon = rest.rfind(':');
    if (colon != std::string::npos) {
        e.host = rest.substr(0, colon);
        if (!parse_port(rest.substr(colon + 1), e.port))
            return fail(Errc::usage, "the URL has a bad port: \"" + url + "\"");
    }
    // IPv6 literals are not accepted: the router's root constrains names to IPv4 subtrees, so an
    // IPv6 address could never be in its server certificate anyway.
    if (!valid_host(e.host))
        return fail(Errc::usage, "the URL needs a host name or IPv4 address: \"" + url + "\"");
    for (const char c : parsed.path)
        if (static_cast<unsigned char>(c) <= ' ' || c == '?' || c == '#')
            return fail(Errc::usage, "the URL has a bad path: \"" + url + "\"");
    return parsed;
}

Result<Endpoint> parse_router_url(const std::string& url) {
    auto parsed = parse_https_url(url);
    if (!parsed) {
        if (url.compare(0, 8, "https://") != 0)
            return fail(Errc::usage,
                        "the router URL must start with https:// (got \"" + url + "\")");
        return fail(Errc::usage, "the router URL has a bad host or port: \"" + url + "\"");
    }
    if (parsed.value().path != "/")
        return fail(
            Errc::usage,
            "the router URL needs a host name or IPv4 address and no path: \"" + url + "\"");
    return parsed.value().endpoint;
}

std::string router_url_text(const Endpoint& e) {
    return "https://" + e.host + (e.port == 443 ? "" : ":" + std::to_string(e.port));
}

Result<Endpoint> parse_host_port(const std::string& text) {
    const auto colon = text.rfind(':');
    Endpoint e;
    if (colon == std::string::npos || !parse_port(text.substr(colon + 1), e.port))
        return fail(Errc::usage, "expected HOST:PORT, got \"" + text + "\"");
    e.host = text.substr(0, colon);
    if (!valid_host(e.host)) return fail(Errc::usage, "bad host in \"" + text + "\"");
    return e;
}

}  // namespace denrol
