#include "daemon/challenge_fetcher.hpp"

#include <httplib.h>

#include <vector>

namespace rca {
namespace {

constexpr const char* kChallengeDir = "/.well-known/acme-challenge/";

acme::ProbeOutcome failure(const char* type, std::string detail) {
    return acme::ProbeOutcome{{type, std::move(detail)}};
}

// The path a redirect leads to, when it stays on the same host and port: a relative reference,
// or an absolute http URL naming exactly the probed host (and port). "" when it leaves.
std::string same_origin_path(const std::string& location, const acme::Http01Probe& probe) {
    if (!location.empty() && location[0] == '/' && (location.size() < 2 || location[1] != '/'))
        return location;
    std::vector<std::string> origins{"http://" + probe.host + ":" + std::to_string(probe.port)};
    if (probe.port == 80) origins.push_back("http://" + probe.host);
    for (const auto& origin : origins) {
        if (location.compare(0, origin.size(), origin) != 0) continue;
        const std::string rest = location.substr(origin.size());
        if (!rest.empty() && rest[0] == '/') return rest;
    }
    return "";
}

// The body with trailing whitespace removed (section 8.3: the server SHOULD ignore it).
std::string trimmed(std::string body) {
    const auto end = body.find_last_not_of(" \t\r\n");
    body.erase(end == std::string::npos ? 0 : end + 1);
    return body;
}

}  // namespace

acme::ProbeOutcome ChallengeFetcher::check_http01(const acme::Http01Probe& probe) {
    httplib::Client client(probe.address.to_string(), probe.port);
    client.set_connection_timeout(kChallengeTimeoutSeconds, 0);
    client.set_read_timeout(kChallengeTimeoutSeconds, 0);
    client.set_write_timeout(kChallengeTimeoutSeconds, 0);
    client.set_follow_location(false);
    client.set_keep_alive(false);
    // The Host header names the identifier, not the address connected to (section 8.3).
    const httplib::Headers headers{
        {"Host", probe.port == 80 ? probe.host : probe.host + ":" + std::to_string(probe.port)}};
    const std::string where = "http://" + probe.host + ":" + std::to_string(probe.port) + " at " +
                              probe.address.to_string();
    std::string path = kChallengeDir + probe.token;
    for (int hop = 0; hop <= kMaxHttp01Redirects; ++hop) {
        std::string body;
        bool too_big = false;
        const auto result = client.Get(path, headers, [&](const char* data, size_t size) {
            if (body.size() + size > kMaxHttp01Body) {
                too_big = true;
                return false;
            }
            body.append(data, size);
            return true;
        });
        if (too_big)
            return failure("incorrectResponse", where + " answered " + path + " with more than " +
                                                    std::to_string(kMaxHttp01Body) +
                                                    " bytes; the answer is the key authorization");
        if (!result)
            return failure("connection", "cannot fetch " + path + " from " + where + ": " +
                                             httplib::to_string(result.error()) +
                                             "; is the ACME client's http-01 server listening "
                                             "on port " +
                                             std::to_string(probe.port) + "?");
        const int status = result->status;
        if (status >= 300 && status < 400) {
            path = same_origin_path(result->get_header_value("Location"), probe);
            if (path.empty())
                return failure("connection", where + " redirected to \"" +
                                                 result->get_header_value("Location") +
                                                 "\"; the router follows redirects only to the "
                                                 "same host and port on the LAN");
            continue;
        }
        if (status != 200)
            return failure("incorrectResponse", where + " answered " + path + " with HTTP " +
                                                    std::to_string(status) + ", not 200");
        if (trimmed(body) != probe.expected)
            return failure(
                "incorrectResponse",
                where + " answered " + path + " with something other than the key authorization");
        return {};
    }
    return failure("connection", where + " redirected more than " +
                                     std::to_string(kMaxHttp01Redirects) + " times");
}

}  // namespace rca
