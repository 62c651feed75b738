#pragma once
// Host and port as the CLI spells them: the router as an https URL, the demo server's listening
// address as HOST:PORT.
#include <string>

#include "denrol/errors.hpp"

namespace denrol {

/// A host (name or IPv4 literal) and a TCP port.
struct Endpoint {
    std::string host;  ///< name or IPv4 literal
    int port = 0;      ///< 1..65535
};

/// An https URL with a path, such as a CRL distribution point.
struct HttpsUrl {
    Endpoint endpoint;  ///< host and port (443 by default)
    std::string path;   ///< "/" when the URL has none
};

/// Parses "https://HOST[:PORT][/PATH]" (no query or fragment); Errc::usage otherwise.
Result<HttpsUrl> parse_https_url(const std::string& url);

/// Parses "https://HOST[:PORT][/]"; the port defaults to 443. Plain http is refused: the root
/// fetched on first contact must at least come over the connection that is later verified.
Result<Endpoint> parse_router_url(const std::string& url);

/// The canonical URL text of a router endpoint, as stored in state.json.
std::string router_url_text(const Endpoint& e);

/// Parses "HOST:PORT" (port 1..65535).
Result<Endpoint> parse_host_port(const std::string& text);

}  // namespace denrol
