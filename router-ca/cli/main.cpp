// router-ca: the daemon (`serve`) and the admin commands that talk to it over the control socket.
// main() only parses words and wires pieces together (house style #1).

#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "admin/backup_format.hpp"
#include "admin/data_backup.hpp"
#include "admin/password_hash.hpp"
#include "cli/acme_commands.hpp"
#include "cli/ca_key_commands.hpp"
#include "cli/cli_common.hpp"
#include "daemon/control_socket.hpp"
#include "daemon/serve.hpp"
#include "entropy/kernel_rng.hpp"
#include "files/atomic_file.hpp"
#include "files/data_paths.hpp"
#include "store/sqlite_store.hpp"

namespace {

using namespace rca::cli;

using nlohmann::json;

const char* const kUsage = R"(usage: router-ca COMMAND [options]

  serve [options]              run the CA daemon (see: router-ca serve --help)
  pair [--seconds N]           open the pairing window (the button press)
  approve REQUEST-ID           approve a pending or overlapping enrolment request
  deny REQUEST-ID              deny a pending or overlapping enrolment request
  block ADDRESS                deny ADDRESS's waiting requests and refuse its new ones (a source
                               that keeps asking to pair; see status's suspicious sources)
  unblock ADDRESS              lift that
  devices [--json]             list devices and their certificates
  revoke NAME [--reason R]     revoke every certificate of device NAME; R, which the CRL
                               entries carry, is one of unspecified (the default),
                               keyCompromise, affiliationChanged, superseded,
                               cessationOfOperation, privilegeWithdrawn (RFC 5280 5.3.1)
  status [--json]              CA fingerprints, pairing state, pending requests
  setup-code                   the one-time code the web UI's first-run setup asks for
  passwd                       set the web UI's admin password (read from stdin)
  restore --in FILE [--force]  restore a backup from the web UI (passphrase from stdin) into
                               --data-dir while the daemon is stopped; --force replaces a CA
  acme accounts [--json]       list ACME accounts and whether they may order certificates
  acme approve ACCOUNT-ID      let an ACME account order certificates
  acme eab-create              make an External Account Binding key: an account created with
                               it may order at once (for headless clients)
  acme release NAME            forget which ACME account owns NAME and revoke its certificates
  root export --out FILE [--passphrase-file P]
                               write the root key encrypted with a passphrase to FILE and
                               remove it from the router (see docs/ca-keys.md)
  intermediate rotate [--root-key FILE [--passphrase-file P]]
                               issue a new intermediate with the root key (online, or FILE)

Every command takes --data-dir DIR (default: router-ca-data) to find the daemon.
)";

// STATE is the source of a device whose current certificate is good, else "revoked (REASON)".
void print_devices(const json& devices) {
    std::printf("%-24s %-36s %-15s %-8s %-20s %s\n", "NAME", "FQDN", "ADDRESS", "KEY", "EXPIRES",
                "STATE");
    for (const auto& d : devices) {
        std::string state = d.value("revoked", false)
                                ? "revoked (" + d.value("revocation_reason", "") + ")"
                                : d.value("source", "");
        if (d.contains("possibly_cloned_at")) state += ", possibly cloned";
        std::printf("%-24s %-36s %-15s %-8s %-20s %s\n", d.value("name", "").c_str(),
                    d.value("fqdn", "").c_str(), d.value("ipv4", "").c_str(),
                    d.value("key_type", "").c_str(), d.value("not_after", "").c_str(),
                    state.c_str());
    }
}

// The HQ link's part (docs/admin-api.md "public").
void print_public_status(const json& h) {
    const std::string state = h.value("state", "off");
    if (state == "off") {
        std::printf("public (HQ):         off (no --hq-url)\n");
        return;
    }
    std::printf("public (HQ):         %s, HQ %s\n", state.c_str(), h.value("hq", "").c_str());
    if (h.contains("zone"))
        std::printf("public zone:         %s (registered %s)\n", h.value("zone", "").c_str(),
                    h.value("registered_at", "").c_str());
    if (h.contains("router_certificate")) {
        const auto& c = h["router_certificate"];
        std::printf("public certificate:  %s %s\n", c.value("state", "").c_str(),
                    c.value("not_after", c.value("detail", "")).c_str());
    }
    if (h.contains("error"))
        std::printf("HQ unreachable:      since %s: %s (next attempt %s)\n",
                    h.value("unreachable_since", "").c_str(), h.value("error", "").c_str(),
                    h.value("next_attempt", "").c_str());
}

void print_status(const json& s) {
    std::printf("url:                 %s\n", s.value("url", "").c_str());
    std::printf("domain:              %s\n", s.value("domain", "").c_str());
    std::printf("root SHA-256:        %s\n", s.value("root_fingerprint", "").c_str());
    std::printf("root expires:        %s\n", s.value("root_not_after", "").c_str());
    std::printf("intermediate expires: %s\n", s.value("intermediate_not_after", "").c_str());
    if (s.contains("ca_keys")) {
        const auto& k = s["ca_keys"];
        std::printf("root key:            %s\n", k.value("root_key", "").c_str());
        std::printf("intermediates held:  %zu (rotation due %s)\n", k["intermediates"].size(),
                    k.value("rotation_due_at", "").c_str());
        if (k.contains("rotation_warning"))
            std::printf("WARNING:             %s\n", k.value("rotation_warning", "").c_str());
        if (k.contains("root_warning"))
            std::printf("WARNING:             %s\n", k.value("root_warning", "").c_str());
    }
    std::printf("devices:             %zu\n", s.value("devices", size_t{0}));
    for (const auto& d : s.value("possibly_cloned", json::array()))
        std::printf(
            "WARNING:             device %s may be cloned: a replaced certificate of it "
            "asked for more than a lost renewal at %s (audit log: "
            "device.possibly-cloned); revoke it and pair it again\n",
            d.value("name", "").c_str(), d.value("at", "").c_str());
    std::printf("DNS:                 %s\n", s.value("dns", "").c_str());
    const auto& m = s["mdns"];
    std::printf("mDNS:                %s\n", m.value("detail", "").c_str());
    for (const auto& c : m["collisions"])
        std::printf("  collision: %s\n", c.get<std::string>().c_str());
    print_public_status(s.value("public", json::object()));
    const auto& p = s["pairing"];
    if (p.value("open", false))
        std::printf("pairing:             open, closes in %ld s\n",
                    p.value("closes_in_seconds", 0L));
    else
        std::printf("pairing:             closed (last: %s)\n", p.value("outcome", "").c_str());
    if (p.value("outcome", "") == "overlap")
        for (const auto& who : p.value("participants", json::array()))
            std::printf("  OVERLAP: %s %s from %s%s%s, key %s%s\n", who.value("kind", "").c_str(),
                        who.value("id", "").c_str(), who.value("source", "?").c_str(),
                        who.value("mac", "").empty() ? "" : " MAC ", who.value("mac", "").c_str(),
                        who.value("key_fingerprint", "?").c_str(),
                        who.value("name_hint", "").empty()
                            ? ""
                            : (", asked for " + who.value("name_hint", "")).c_str());
    for (const auto& r : s["requests"])
        std::printf("request %s  %-8s %-8s key %s hint=%s from %s%s%s\n", r.value("id", "").c_str(),
                    r.value("status", "").c_str(), r.value("key_type", "").c_str(),
                    r.value("key_fingerprint", "").c_str(), r.value("name_hint", "").c_str(),
                    r.value("source", "?").c_str(),
                    r.value("mac", "").empty() ? "" : (" MAC " + r.value("mac", "")).c_str(),
                    r.value("suspicious", false) ? "  SUSPICIOUS" : "");
    for (const auto& q : s.value("suspicious_sources", json::array()))
        std::printf(
            "suspicious source %s: %zu requests since %s, %zu overlaps, never approved "
            "(router-ca block %s)\n",
            q.value("source", "").c_str(), q.value("requests", size_t{0}),
            q.value("first_seen", "").c_str(), q.value("overlaps", size_t{0}),
            q.value("source", "").c_str());
    for (const auto& b : s.value("blocked_sources", json::array()))
        std::printf("blocked source %s since %s\n", b.value("source", "").c_str(),
                    b.value("blocked_at", "").c_str());
}

int run_admin(const std::string& command, const Args& args) {
    json request = {{"cmd", command}};
    const bool needs_id = command == "approve" || command == "deny";
    const bool needs_source = command == "block" || command == "unblock";
    if (needs_id || needs_source || command == "revoke") {
        if (args.positional.size() != 1) {
            std::cerr << "router-ca " << command << ": needs exactly one "
                      << (needs_id       ? "REQUEST-ID"
                          : needs_source ? "ADDRESS"
                                         : "NAME")
                      << "\n";
            return kExitUsage;
        }
        request[needs_id ? "id" : needs_source ? "source" : "name"] = args.positional[0];
    } else if (!args.positional.empty()) {
        std::cerr << "router-ca " << command << ": unexpected argument " << args.positional[0]
                  << "\n";
        return kExitUsage;
    }
    if (command == "pair" && args.seconds != 0) request["seconds"] = args.seconds;
    if (!args.reason.empty()) {
        if (command != "revoke") {
            std::cerr << "router-ca " << command << ": --reason is for revoke only\n";
            return kExitUsage;
        }
        request["reason"] = args.reason;
    }

    const auto reply = call(args, request);
    if (!reply) return kExitFailed;
    if (args.json_output) {
        std::cout << reply->dump(2) << "\n";
        return 0;
    }
    if (command == "pair") {
        const auto& p = (*reply)["pairing"];
        if (p.value("open", false))
            std::printf("pairing window open for %ld s: press the pairing button on the device\n",
                        p.value("closes_in_seconds", 0L));
        else
            std::printf("pairing window closed at once: %s\n", p.value("outcome", "").c_str());
    } else if (command == "approve") {
        std::printf("approved: %s\n", reply->value("fqdn", "").c_str());
    } else if (command == "deny") {
        std::printf("denied\n");
    } else if (command == "block") {
        std::printf("blocked %s; denied %zu waiting request(s)\n", args.positional[0].c_str(),
                    (*reply)["denied"].size());
    } else if (command == "unblock") {
        std::printf("unblocked %s\n", args.positional[0].c_str());
    } else if (command == "revoke") {
        std::printf("revoked %zu certificate(s); they are listed in the CRL now\n",
                    (*reply)["serials"].size());
    } else if (command == "devices") {
        print_devices((*reply)["devices"]);
    } else if (command == "status") {
        print_status(*reply);
    }
    return 0;
}

int run_setup_code(const Args& args) {
    const auto reply = call(args, {{"cmd", "setup-code"}});
    if (!reply) return kExitFailed;
    std::printf("%s\n", reply->value("setup_code", "").c_str());
    return 0;
}

// Writes the hash straight into the database, so that it works from a root shell whether or not
// the daemon runs (SQLite serialises the two processes); a running daemon then drops every
// session, so a stolen session dies with the old password.
int run_passwd(const Args& args) {
    const rca::DataPaths paths{args.data_dir};
    if (!rca::files::exists(paths.database())) {
        std::cerr << "router-ca passwd: no router-ca database in " << args.data_dir << "\n";
        return kExitFailed;
    }
    const std::string password = read_secret("new admin password: ");
    if (const auto problem = rca::admin::password_problem(password)) {
        std::cerr << "router-ca passwd: " << *problem << "\n";
        return kExitFailed;
    }
    rca::entropy::KernelRng rng;
    const std::string hash = rca::admin::hash_password(password, rng);
    rca::SqliteStore store(paths.database());
    const auto now = rca::Clock::now();
    store.set_admin_password(hash, now, {now, "admin.password-reset", "admin", "router-ca passwd"});
    const auto answer = rca::control_request(paths.control_socket(), R"({"cmd":"logout-all"})");
    std::printf("admin password set%s\n", answer ? "; every web UI session was logged out" : "");
    return 0;
}

int run_restore(const Args& args) {
    const rca::DataPaths paths{args.data_dir};
    if (args.in_file.empty()) {
        std::cerr << "router-ca restore: needs --in FILE (a backup from the web UI)\n";
        return kExitUsage;
    }
    if (rca::control_request(paths.control_socket(), R"({"cmd":"status"})")) {
        std::cerr << "router-ca restore: router-ca is running on " << args.data_dir
                  << "; stop it first\n";
        return kExitFailed;
    }
    std::ifstream in(args.in_file, std::ios::binary);
    if (!in) {
        std::cerr << "router-ca restore: cannot read " << args.in_file << "\n";
        return kExitFailed;
    }
    const rca::Bytes sealed((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string passphrase = read_secret("backup passphrase: ");
    const auto plain = rca::admin::open_backup(sealed, passphrase);
    if (!plain) {
        std::cerr << "router-ca restore: " << plain.error().detail << "\n";
        return kExitFailed;
    }
    const auto entries = rca::admin::read_tar(plain.value());
    if (!entries) {
        std::cerr << "router-ca restore: " << entries.error().detail << "\n";
        return kExitFailed;
    }
    try {
        const auto replaced = rca::admin::restore_data_dir(paths, entries.value(), args.force);
        if (!replaced) {
            std::cerr << "router-ca restore: " << replaced.error().detail << "\n";
            return kExitFailed;
        }
        std::printf(
            "restored %zu entries into %s%s\n", entries.value().size(), args.data_dir.c_str(),
            replaced.value().empty() ? ""
                                     : ("; the replaced folder is " + replaced.value()).c_str());
    } catch (const std::exception& e) {
        std::cerr << "router-ca restore: " << e.what() << "\n";
        return kExitFailed;
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const std::vector<std::string> words(argv + 1, argv + argc);
    if (words.empty() || words[0] == "help" || words[0] == "--help" || words[0] == "-h") {
        std::cout << kUsage;
        return words.empty() ? kExitUsage : 0;
    }
    const std::string command = words[0];
    const std::vector<std::string> rest(words.begin() + 1, words.end());

    if (command == "serve") {
        for (const auto& w : rest)
            if (w == "--help" || w == "-h") {
                std::cout << "usage: router-ca serve [options]\n\n" << rca::serve_options_help();
                return 0;
            }
        const auto config = rca::parse_serve_options(rest);
        if (!config) {
            std::cerr << "router-ca serve: " << config.error().detail << "\n";
            return rca::kExitUsage;
        }
        return rca::run_serve(config.value());
    }
    static const std::vector<std::string> admin = {
        "pair",   "approve",    "deny",   "block",   "unblock", "devices", "revoke",
        "status", "setup-code", "passwd", "restore", "acme",    "root",    "intermediate"};
    if (std::find(admin.begin(), admin.end(), command) == admin.end()) {
        std::cerr << "router-ca: unknown command '" << command << "'\n" << kUsage;
        return kExitUsage;
    }
    Args args;
    std::string error;
    if (!parse_common(rest, args, error)) {
        std::cerr << "router-ca " << command << ": " << error << "\n";
        return kExitUsage;
    }
    if (command == "setup-code") return run_setup_code(args);
    if (command == "passwd") return run_passwd(args);
    if (command == "restore") return run_restore(args);
    if (command == "acme") return run_acme(args);
    if (command == "root") return run_root(args);
    if (command == "intermediate") return run_intermediate(args);
    return run_admin(command, args);
}
