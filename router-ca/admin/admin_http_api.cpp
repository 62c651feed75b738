#include "admin/admin_http_api.hpp"

#include <botan/x509cert.h>

#include <nlohmann/json.hpp>

#include "admin/backup_format.hpp"
#include "admin/csrf.hpp"
#include "admin/mobileconfig.hpp"
#include "admin/qr_svg.hpp"
#include "admin/webui_assets.hpp"
#include "core/certificate_signer.hpp"
#include "jose/strict_json.hpp"
#include "wire/enrolment_wire.hpp"
#include "wire/fingerprint_text.hpp"

namespace rca {
namespace {

using nlohmann::json;
using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;

constexpr const char* kJson = "application/json";
constexpr const char* kAdmin = "/api/v1/admin";

// Pages may load only their own scripts and styles: no inline script, no framing (clickjacking),
// no referrer leaving the router (OWASP Secure Headers Project).
void security_headers(httplib::Response& res) {
    res.set_header("Content-Security-Policy",
                   "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
                   " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
                   "form-action 'self'");
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("X-Frame-Options", "DENY");
    res.set_header("Referrer-Policy", "no-referrer");
}

void send_json(httplib::Response& res, const json& body, int status = 200) {
    res.status = status;
    security_headers(res);
    res.set_header("Cache-Control", "no-store");  // admin data is never cached
    res.set_content(body.dump(), kJson);
}

// 413 and 429 have no Errc (they are the UI's concern only), so their problem documents are
// written here, in the same shape as daemon/problem.cpp's.
void send_status_problem(httplib::Response& res, int status, const char* slug, const char* title,
                         std::string detail) {
    wire::Problem p;
    p.type = std::string("urn:router-ca:problem:") + slug;
    p.status = status;
    p.title = title;
    p.detail = std::move(detail);
    res.status = status;
    res.set_content(wire::to_json(p), wire::kProblemJson);
}

void send_try_later(httplib::Response& res, const admin::TryLater& refusal) {
    send_status_problem(res, 429, "rate-limited", "Too many attempts", refusal.detail);
    res.set_header("Retry-After", std::to_string(refusal.retry_after.count()));  // RFC 6585 4
}

// The most a setup or login body needs: a password of kMaxPasswordLength bytes, each written as
// a 6-byte \uXXXX escape, plus the setup code, domain and subnets. The limit applies before the
// JSON is parsed, and the parse refuses nesting (jose/strict_json.hpp): a parsed JSON document
// can take many times its text's size, and these two routes answer anyone on the LAN.
constexpr size_t kMaxCredentialBody = 16 * 1024;

std::string cookie_value(const httplib::Request& req, const std::string& name) {
    const std::string header = req.get_header_value("Cookie");
    size_t at = 0;
    while (at < header.size()) {
        size_t end = header.find(';', at);
        if (end == std::string::npos) end = header.size();
        std::string pair = header.substr(at, end - at);
        const size_t first = pair.find_first_not_of(' ');
        pair = first == std::string::npos ? "" : pair.substr(first);
        if (pair.compare(0, name.size() + 1, name + "=") == 0) return pair.substr(name.size() + 1);
        at = end + 1;
    }
    return "";
}

// RFC 6265 4.1: Secure (only over HTTPS), HttpOnly (no script can read it), SameSite=Strict
// (RFC 6265bis: not sent on cross-site requests at all), Path=/ as __Host- requires.
std::string session_cookie(const std::string& id, std::chrono::seconds max_age) {
    return std::string(kSessionCookie) + "=" + id + "; Path=/; Secure; HttpOnly; SameSite=Strict" +
           "; Max-Age=" + std::to_string(max_age.count());
}

std::optional<json> json_body(const httplib::Request& req) {
    json body = json::parse(req.body.empty() ? "{}" : req.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) return std::nullopt;
    return body;
}

std::string string_field(const json& body, const char* key) {
    const auto it = body.find(key);
    return it != body.end() && it->is_string() ? it->get<std::string>() : "";
}

// The Host header as the browser sent it, when it looks like a host[:port]; used only to build
// the QR code's URL for the same browser.
std::string safe_host(const httplib::Request& req) {
    const std::string host = req.get_header_value("Host");
    if (host.empty() || host.size() > 255) return "";
    for (const char c : host)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != ':' &&
            c != '[' && c != ']')
            return "";
    return host;
}

class AdminRoutes {
  public:
    explicit AdminRoutes(AdminUi& ui) : ui_(ui), account_(*ui.context.account) {}

    void problem(httplib::Response& res, const Error& e) {
        ui_.send_problem(res, e);
        security_headers(res);
        res.set_header("Cache-Control", "no-store");
    }

    // Every state change passes: Origin (403), session (401), CSRF token (403), in this order so
    // that a cross-site request learns nothing about sessions.
    Handler guarded(
        std::function<void(const httplib::Request&, httplib::Response&, const admin::Session&)>
            handler,
        bool state_change) {
        return [this, handler, state_change](const httplib::Request& req, httplib::Response& res) {
            if (state_change && !origin_ok(req, res)) return;
            const auto session = account_.session(cookie_value(req, kSessionCookie));
            if (!session)
                return problem(res, fail(Errc::unauthorized, "log in first (no live session)"));
            if (state_change && !admin::csrf_token_matches(
                                    session->csrf_token, req.get_header_value(admin::kCsrfHeader)))
                return problem(res, fail(Errc::forbidden,
                                         std::string("missing or wrong ") + admin::kCsrfHeader +
                                             " header; send the token from the login answer"));
            handler(req, res, *session);
        };
    }

    bool origin_ok(const httplib::Request& req, httplib::Response& res) {
        if (admin::origin_allowed(req.get_header_value("Origin"), req.get_header_value("Host")))
            return true;
        problem(res, fail(Errc::forbidden, "cross-origin request refused"));
        return false;
    }

    // Runs an admin command and answers with its result or problem.
    void command(httplib::Response& res, const json& cmd, int ok_status = 200) {
        const auto result = run_admin_command(cmd, ui_.context);
        if (!result) return problem(res, result.error());
        send_json(res, result.value(), ok_status);
    }

    void logged_in(httplib::Response& res, const admin::Session& s, int status) {
        const auto max_age =
            std::chrono::duration_cast<std::chrono::seconds>(admin::SessionLimits{}.absolute);
        res.set_header("Set-Cookie", session_cookie(s.id, max_age));
        send_json(res, {{"csrf_token", s.csrf_token}}, status);
    }

    // The body of /setup or /login, bounded and strictly parsed; nullopt after answering 413 or
    // 400.
    std::optional<json> credential_body(const httplib::Request& req, httplib::Response& res) {
        if (req.body.size() > kMaxCredentialBody) {
            send_status_problem(
                res, 413, "too-large", "Request too large",
                "the body must be at most " + std::to_string(kMaxCredentialBody) + " bytes");
            return std::nullopt;
        }
        auto body = jose::parse_strict_json(req.body.empty() ? "{}" : req.body, "the body");
        if (!body || !body.value().is_object()) {
            problem(res, fail(Errc::malformed,
                              body ? "the body must be a JSON object" : body.error().detail));
            return std::nullopt;
        }
        return std::move(body).value();
    }

    // Answers a setup or login attempt: the session's cookie, 429 with Retry-After, or the error.
    void answer(httplib::Response& res, const admin::Attempt& attempt, int ok_status) {
        if (attempt) return logged_in(res, attempt.value(), ok_status);
        if (const auto* refusal = std::get_if<admin::TryLater>(&attempt.error()))
            return send_try_later(res, *refusal);
        problem(res, std::get<Error>(attempt.error()));
    }

    void register_all(httplib::Server& server);

  private:
    AdminUi& ui_;
    admin::AdminAccount& account_;
};

void AdminRoutes::register_all(httplib::Server& server) {
    const std::string a = kAdmin;
    const Issuer& issuer = ui_.context.issuer;

    // --- the static pages ---
    for (const auto& asset : admin::webui_assets()) {
        const Handler serve = [&asset](const httplib::Request&, httplib::Response& res) {
            security_headers(res);
            res.set_header("Cache-Control", "no-cache");
            res.set_content(asset.body.data(), asset.body.size(), asset.content_type);
        };
        server.Get(asset.path, serve);
        if (std::string(asset.path) == "/index.html") server.Get("/", serve);
        if (std::string(asset.path) == "/install.html") server.Get("/install", serve);
    }

    // --- public: installing the root ---
    const std::string fingerprint = sha256_fingerprint(issuer.root());
    server.Get(a + "/root", [this, fingerprint](const httplib::Request&, httplib::Response& res) {
        const auto& policy = ui_.context.issuer.policy();
        json subnets = json::array();
        for (const auto& s : policy.lan_subnets) subnets.push_back(s.to_string());
        send_json(res,
                  {{"fingerprint", fingerprint},
                   {"fingerprint_grouped", wire::group_fingerprint(fingerprint)},
                   {"subject", ui_.context.issuer.root().subject_dn().to_string()},
                   {"not_after", iso8601(to_time_point(ui_.context.issuer.root().not_after()))},
                   {"domain", policy.domain},
                   {"local_names", policy.local_names},
                   {"lan_subnets", subnets}});
    });
    server.Get("/ca/root.mobileconfig", [this](const httplib::Request&, httplib::Response& res) {
        const auto& policy = ui_.context.issuer.policy();
        admin::MobileconfigInput in;
        const auto der = ui_.context.issuer.root().BER_encode();
        in.root_der.assign(der.begin(), der.end());
        in.display_name = policy.domain + " root (router-ca)";
        // Reverse-DNS of the home domain, as Apple asks PayloadIdentifier to be.
        std::string reversed;
        for (size_t end = policy.domain.size(); end != std::string::npos;) {
            const size_t dot = policy.domain.rfind('.', end == 0 ? 0 : end - 1);
            const size_t start = dot == std::string::npos ? 0 : dot + 1;
            if (!reversed.empty()) reversed += '.';
            reversed += policy.domain.substr(start, end - start);
            end = dot == std::string::npos ? std::string::npos : dot;
        }
        in.identifier = reversed + ".router-ca";
        in.profile_uuid = admin::random_uuid(ui_.rng);
        in.payload_uuid = admin::random_uuid(ui_.rng);
        in.organization = "router-ca";
        in.description = "Trusts certificates your home router issues for " + policy.domain +
                         " and your LAN addresses only (name-constrained root).";
        in.certificate_file_name = "home-root.cer";
        res.set_header("Content-Disposition", "attachment; filename=\"home-root.mobileconfig\"");
        res.set_content(admin::build_mobileconfig(in), "application/x-apple-aspen-config");
    });
    server.Get("/ca/install-qr.svg", [this](const httplib::Request& req, httplib::Response& res) {
        const std::string host = safe_host(req);
        const std::string url = (host.empty() ? ui_.context.url : "https://" + host) + "/install";
        res.set_header("Cache-Control", "no-cache");
        res.set_content(admin::qr_svg(url), "image/svg+xml");
    });

    // --- first run, login, logout ---
    server.Get(a + "/setup", [this](const httplib::Request&, httplib::Response& res) {
        const auto& policy = ui_.context.issuer.policy();
        json subnets = json::array();
        for (const auto& s : policy.lan_subnets) subnets.push_back(s.to_string());
        send_json(res, {{"setup_needed", account_.setup_needed()},
                        {"domain", policy.domain},
                        {"lan_subnets", subnets}});
    });
    server.Post(a + "/setup", [this](const httplib::Request& req, httplib::Response& res) {
        if (!origin_ok(req, res)) return;
        const auto body = credential_body(req, res);
        if (!body) return;
        // The admin confirms the domain and subnets the CA was made with; they are fixed by the
        // root's name constraints, so a mismatch means the admin expected another router.
        const auto& policy = ui_.context.issuer.policy();
        if (body->contains("domain") && string_field(*body, "domain") != policy.domain)
            return problem(
                res, fail(Errc::conflict, "this router's CA is constrained to " + policy.domain +
                                              "; restart router-ca with --domain to change it"));
        if (body->contains("lan_subnets")) {
            json subnets = json::array();
            for (const auto& s : policy.lan_subnets) subnets.push_back(s.to_string());
            if ((*body)["lan_subnets"] != subnets)
                return problem(res, fail(Errc::conflict,
                                         "this router's CA is constrained to "
                                         "other LAN subnets: " +
                                             subnets.dump()));
        }
        answer(res,
               account_.set_up(string_field(*body, "code"), string_field(*body, "password"),
                               req.remote_addr),
               201);
    });
    server.Post(a + "/login", [this](const httplib::Request& req, httplib::Response& res) {
        if (!origin_ok(req, res)) return;
        const auto body = credential_body(req, res);
        if (!body) return;
        answer(res, account_.log_in(string_field(*body, "password"), req.remote_addr), 200);
    });
    server.Get(a + "/session",
               guarded(
                   [](const httplib::Request&, httplib::Response& res, const admin::Session& s) {
                       send_json(res, {{"csrf_token", s.csrf_token}});
                   },
                   false));
    server.Post(
        a + "/logout",
        guarded(
            [this](const httplib::Request&, httplib::Response& res, const admin::Session& s) {
                account_.log_out(s.id);
                res.set_header("Set-Cookie", session_cookie("", std::chrono::seconds(0)));
                res.status = 204;
            },
            true));

    // --- reading ---
    for (const char* what : {"status", "devices"})
        server.Get(a + "/" + what, guarded(
                                       [this, what](const httplib::Request&, httplib::Response& res,
                                                    const admin::Session&) {
                                           command(res, {{"cmd", what}});
                                       },
                                       false));
    server.Get(a + "/audit", guarded(
                                 [this](const httplib::Request& req, httplib::Response& res,
                                        const admin::Session&) {
                                     json cmd = {{"cmd", "audit"}};
                                     if (req.has_param("limit")) {
                                         try {
                                             cmd["limit"] = std::stol(req.get_param_value("limit"));
                                         } catch (const std::exception&) {
                                             cmd["limit"] = "not a number";
                                         }
                                     }
                                     command(res, cmd);
                                 },
                                 false));

    // --- state changes ---
    server.Post(a + "/pairing", guarded(
                                    [this](const httplib::Request& req, httplib::Response& res,
                                           const admin::Session&) {
                                        const auto body = json_body(req);
                                        if (!body)
                                            return problem(res, fail(Errc::malformed,
                                                                     "the body must be a JSON "
                                                                     "object"));
                                        json cmd = {{"cmd", "pair"}};
                                        if (body->contains("seconds"))
                                            cmd["seconds"] = (*body)["seconds"];
                                        command(res, cmd);
                                    },
                                    true));
    for (const char* verb : {"approve", "deny"})
        server.Post(a + "/requests/([0-9a-f]{1,64})/" + verb,
                    guarded(
                        [this, verb](const httplib::Request& req, httplib::Response& res,
                                     const admin::Session&) {
                            command(res, {{"cmd", verb}, {"id", req.matches[1].str()}});
                        },
                        true));
    for (const char* verb : {"block", "unblock"})
        server.Post(
            a + "/sources/" + verb,
            guarded(
                [this, verb](const httplib::Request& req, httplib::Response& res,
                             const admin::Session&) {
                    const auto body = json_body(req);
                    if (!body)
                        return problem(res,
                                       fail(Errc::malformed, "the body must be a JSON object"));
                    command(res, {{"cmd", verb}, {"source", string_field(*body, "source")}});
                },
                true));
    const std::string device = a + "/devices/([A-Za-z0-9-]{1,63})";
    server.Post(
        device + "/revoke",
        guarded(
            [this](const httplib::Request& req, httplib::Response& res, const admin::Session&) {
                command(res, {{"cmd", "revoke"}, {"name", req.matches[1].str()}});
            },
            true));
    server.Post(
        device + "/rename",
        guarded(
            [this](const httplib::Request& req, httplib::Response& res, const admin::Session&) {
                const auto body = json_body(req);
                if (!body)
                    return problem(res, fail(Errc::malformed,
                                             "the body must be a "
                                             "JSON object"));
                command(res, {{"cmd", "rename"},
                              {"name", req.matches[1].str()},
                              {"new_name", string_field(*body, "name")}});
            },
            true));
    server.Delete(device, guarded(
                              [this](const httplib::Request& req, httplib::Response& res,
                                     const admin::Session&) {
                                  command(res, {{"cmd", "delete"}, {"name", req.matches[1].str()}});
                              },
                              true));

    // --- ACME clients (docs/acme.md): the commands of `router-ca acme ...` ---
    server.Get(a + "/acme/accounts",
               guarded(
                   [this](const httplib::Request&, httplib::Response& res, const admin::Session&) {
                       command(res, {{"cmd", "acme-accounts"}});
                   },
                   false));
    // Account ids are 16 random bytes in lowercase hex (acme_service.cpp random_id).
    server.Post(
        a + "/acme/accounts/([0-9a-f]{32})/approve",
        guarded(
            [this](const httplib::Request& req, httplib::Response& res, const admin::Session&) {
                command(res, {{"cmd", "acme-approve"}, {"id", req.matches[1].str()}});
            },
            true));
    // 201: a new key exists. This answer is the only place its HMAC key appears: the daemon
    // logs no request or answer bodies, and the audit event names only the key id.
    server.Post(a + "/acme/eab",
                guarded(
                    [this](const httplib::Request&, httplib::Response& res, const admin::Session&) {
                        command(res, {{"cmd", "acme-eab-create"}}, 201);
                    },
                    true));
    server.Post(
        a + "/acme/names/([A-Za-z0-9-]{1,63})/release",
        guarded(
            [this](const httplib::Request& req, httplib::Response& res, const admin::Session&) {
                command(res, {{"cmd", "acme-release"}, {"name", req.matches[1].str()}});
            },
            true));

    server.Post(
        a + "/backup",
        guarded(
            [this](const httplib::Request& req, httplib::Response& res, const admin::Session&) {
                const auto body = json_body(req);
                if (!body)
                    return problem(res, fail(Errc::malformed, "the body must be a JSON object"));
                const std::string passphrase = string_field(*body, "passphrase");
                if (passphrase.size() < admin::kMinPassphraseLength)
                    return problem(
                        res, fail(Errc::policy_denied,
                                  "the backup passphrase must have at least " +
                                      std::to_string(admin::kMinPassphraseLength) + " characters"));
                const Bytes tar = admin::archive_data_dir(ui_.paths, ui_.snapshot);
                const Bytes sealed = admin::seal_backup(tar, passphrase, ui_.rng);
                const auto now = ui_.context.clock.now();
                ui_.context.store.append_audit(
                    {now, "admin.backup", "", std::to_string(sealed.size()) + " bytes"});
                const std::string day = iso8601(now).substr(0, 10);
                res.set_header("Content-Disposition",
                               "attachment; filename=\"router-ca-backup-" + day + ".rcabak\"");
                res.set_header("Cache-Control", "no-store");
                res.set_content(std::string(sealed.begin(), sealed.end()),
                                "application/octet-stream");
            },
            true));
}

}  // namespace

void register_admin_ui(httplib::Server& server, AdminUi& ui) {
    // The handlers capture the routes object; `ui` owns it, and outlives the server.
    auto routes = std::make_shared<AdminRoutes>(ui);
    routes->register_all(server);
    ui.routes = routes;
}

}  // namespace rca
