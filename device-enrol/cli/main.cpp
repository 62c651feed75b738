// device-enrol: the thin CLI over the denrol library (house style #15). It parses arguments,
// wires the real clock, RNG and signals to the library, prints, and is the only place that
// exits. Options, commands and exit codes are tables that also produce --help (house style #9).
#include <algorithm>
#include <atomic>
#include <csignal>
#include <iostream>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "denrol/address_update.hpp"
#include "denrol/clock.hpp"
#include "denrol/demo_server.hpp"
#include "denrol/enrol_flow.hpp"
#include "denrol/own_revocation.hpp"
#include "denrol/router_discovery.hpp"
#include "denrol/status_report.hpp"
#include "entropy/kernel_rng.hpp"

namespace {

struct OptionSpec {
    const char* name;
    const char* value;  // nullptr for a flag
    const char* help;
};

const OptionSpec kOptions[] = {
    {"router", "URL",
     "the router, https://HOST[:PORT]; without it, pair finds the router over mDNS "
     "(_router-ca._tcp, through avahi-daemon) and checks the root fingerprint it announces"},
    {"out", "DIR",
     "directory for key.pem, cert.pem, chain.pem, root.pem, state.json (and public-key.pem, "
     "public-cert.pem, public-chain.pem when the router offers a public certificate)"},
    {"name", "HINT", "the name you would like; the router decides (default: none)"},
    {"ca-fingerprint", "HEX",
     "SHA-256 of the router's root from its web UI or QR code; without it the first root seen "
     "is trusted and pinned in DIR/root.pem"},
    {"timeout", "S", "seconds to wait for approval (default 300)"},
    {"key-type", "TYPE", "p256 (default), ed25519 (not accepted by browsers) or rsa2048"},
    {"ipv4", "A.B.C.D",
     "connect to the router from this address of the device's: the router takes a device's "
     "address (for its certificate and DNS) from the connection. For a device with several LAN "
     "addresses; default: the one the kernel picks towards the router"},
    {"force", nullptr, "renew even if renewal is not due yet"},
    {"hook", "CMD",
     "run via /bin/sh -c after each renewal of the local or the public certificate "
     "($DEVICE_ENROL_DIR is set)"},
    {"json", nullptr, "print JSON"},
    {"listen", "HOST:PORT", "address for the demo page"},
    {"public-wait", "S",
     "seconds to wait for the public certificate when the router offers one (default 120); "
     "past it the local certificate is installed all the same and `run` picks the public one up"},
};

struct CommandSpec {
    const char* name;
    const char* summary;
    std::vector<std::string> required;
    std::vector<std::string> optional;
};

const CommandSpec kCommands[] = {
    {"pair",
     "make a key, ask the router for a certificate, wait for approval, install it; then, when "
     "the router offers a public name, obtain its public certificate too",
     {"out"},
     {"router", "name", "ca-fingerprint", "timeout", "key-type", "ipv4", "public-wait"}},
    {"renew",
     "renew now if in the last third of the certificate's lifetime; obtain or renew the public "
     "certificate when it is missing or due",
     {"out"},
     {"force", "public-wait", "ipv4"}},
    {"run",
     "stay running; renew at a random moment in each renewal window (the public certificate at "
     "its own), and tell the router when this device's LAN address changes",
     {"out"},
     {"hook", "ipv4"}},
    {"address", "tell the router this device's LAN address now (for its DNS)", {"out"}, {"ipv4"}},
    {"status",
     "show the certificate, days left, whether renewal is due and whether the cached CRL lists it",
     {"out"},
     {"json"}},
    {"crl",
     "fetch the router's CRL now into DIR/crl.pem (checked up to the pinned root) and say whether "
     "this device's certificate is revoked",
     {"out"},
     {}},
    {"serve-demo",
     "serve an HTTPS page with the device's certificate; clients asking for the public name (SNI) "
     "get the public one",
     {"out", "listen"},
     {}},
};

struct ExitSpec {
    int code;
    const char* meaning;
};

constexpr int kExitUsage = 2;
const ExitSpec kExitCodes[] = {
    {0, "success (also: renewal not due yet)"},
    {1, "local problem: no or corrupt enrolment in DIR, files not writable"},
    {kExitUsage, "bad usage"},
    {3, "router unreachable, or not found over mDNS"},
    {4, "router not trusted: root fingerprint mismatch, pinned root differs, bad TLS certificate"},
    {5, "pairing denied"},
    {6, "pairing overlap: another device paired at the same time"},
    {7, "pairing request expired before approval"},
    {8, "timed out waiting for approval"},
    {9,
     "router refused the request, or this device's certificate is revoked or replaced (pair "
     "again); address outside the LAN"},
    {10, "router sent an invalid answer"},
};

int exit_code(denrol::Errc code) {
    switch (code) {
        case denrol::Errc::local:
            return 1;
        case denrol::Errc::usage:
            return kExitUsage;
        case denrol::Errc::unreachable:
            return 3;
        case denrol::Errc::untrusted:
            return 4;
        case denrol::Errc::denied:
            return 5;
        case denrol::Errc::overlap:
            return 6;
        case denrol::Errc::expired:
            return 7;
        case denrol::Errc::timeout:
            return 8;
        case denrol::Errc::refused:
            return 9;
        case denrol::Errc::protocol:
            return 10;
    }
    return 1;
}

const OptionSpec* find_option(const std::string& name) {
    for (const auto& o : kOptions)
        if (name == o.name) return &o;
    return nullptr;
}

// "--out DIR", "--force".
std::string option_usage(const std::string& name) {
    const OptionSpec* o = find_option(name);
    return "--" + name + (o && o->value ? std::string(" ") + o->value : "");
}

// Wraps `text` at 100 columns, indenting continuation lines by `indent`.
std::string wrapped(const std::string& text, size_t indent) {
    std::string out;
    size_t column = indent;
    size_t pos = 0;
    while (pos < text.size()) {
        const size_t space = text.find(' ', pos);
        const std::string word = text.substr(pos, space == std::string::npos ? space : space - pos);
        if (column > indent && column + 1 + word.size() > 100) {
            out += "\n" + std::string(indent, ' ');
            column = indent;
        } else if (column > indent) {
            out += ' ';
            ++column;
        }
        out += word;
        column += word.size();
        pos = space == std::string::npos ? text.size() : space + 1;
    }
    return out;
}

std::string usage_text() {
    constexpr size_t kHelpColumn = 26;
    std::string text =
        "usage: device-enrol COMMAND [OPTIONS]\n\n"
        "Enrols this device with a router-ca home router and keeps its TLS certificate renewed.\n"
        "The private key is made on the device and never leaves it.\n\ncommands:\n";
    for (const auto& c : kCommands) {
        std::string line = std::string("  ") + c.name;
        for (const auto& r : c.required) line += " " + option_usage(r);
        for (const auto& o : c.optional) line += " [" + option_usage(o) + "]";
        text += line + "\n      " + c.summary + "\n";
    }
    text += "\noptions:\n";
    const auto add_option = [&](std::string left, const std::string& help) {
        left.resize(std::max(left.size() + 2, kHelpColumn), ' ');
        text += left + wrapped(help, kHelpColumn) + "\n";
    };
    for (const auto& o : kOptions) add_option("  " + option_usage(o.name), o.help);
    add_option("  -h, --help", "this text");
    text += "\nexit codes:\n";
    for (const auto& e : kExitCodes)
        text += std::string(e.code < 10 ? "   " : "  ") + std::to_string(e.code) + "  " +
                e.meaning + "\n";
    return text;
}

struct Parsed {
    const CommandSpec* command = nullptr;
    std::map<std::string, std::string> values;  // flags map to ""
    bool help = false;
};

// Parses argv into a command and its options; the error sentence on bad usage.
std::optional<Parsed> parse(int argc, char** argv, std::string& error) {
    Parsed p;
    std::vector<std::string> args(argv + 1, argv + argc);
    for (const auto& a : args)
        if (a == "-h" || a == "--help" || a == "help") p.help = true;
    if (p.help) return p;
    if (args.empty()) {
        error = "no command given (try --help)";
        return std::nullopt;
    }
    for (const auto& c : kCommands)
        if (args[0] == c.name) p.command = &c;
    if (!p.command) {
        error = "unknown command \"" + args[0] + "\" (try --help)";
        return std::nullopt;
    }
    const auto allowed = [&](const std::string& name) {
        for (const auto& list : {p.command->required, p.command->optional})
            for (const auto& n : list)
                if (n == name) return true;
        return false;
    };
    for (size_t i = 1; i < args.size(); ++i) {
        std::string arg = args[i];
        if (arg.rfind("--", 0) != 0) {
            error = "unexpected argument \"" + arg + "\"";
            return std::nullopt;
        }
        std::optional<std::string> inline_value;
        if (const auto eq = arg.find('='); eq != std::string::npos) {
            inline_value = arg.substr(eq + 1);
            arg = arg.substr(0, eq);
        }
        const std::string name = arg.substr(2);
        const OptionSpec* spec = find_option(name);
        if (!spec || !allowed(name)) {
            error = "`" + std::string(p.command->name) + "` does not take --" + name;
            return std::nullopt;
        }
        if (!spec->value) {
            if (inline_value) {
                error = "--" + name + " takes no value";
                return std::nullopt;
            }
            p.values[name] = "";
        } else if (inline_value) {
            p.values[name] = *inline_value;
        } else if (i + 1 < args.size()) {
            p.values[name] = args[++i];
        } else {
            error = "--" + name + " needs a value (" + spec->value + ")";
            return std::nullopt;
        }
    }
    for (const auto& r : p.command->required)
        if (!p.values.count(r)) {
            error = "`" + std::string(p.command->name) + "` needs --" + r;
            return std::nullopt;
        }
    return p;
}

std::atomic<bool> g_stop{false};

extern "C" void on_stop_signal(int) { g_stop.store(true); }

void stop_on_signals() {
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
}

int report(const denrol::Error& e) {
    std::cerr << "device-enrol: " << e.detail << "\n";
    return exit_code(e.code);
}

int usage_error(const std::string& sentence) {
    std::cerr << "device-enrol: " << sentence << "\n";
    return kExitUsage;
}

std::string value_or(const Parsed& p, const char* name, const std::string& fallback = "") {
    const auto it = p.values.find(name);
    return it == p.values.end() ? fallback : it->second;
}

void print_line(const std::string& line) { std::cout << line << std::endl; }

// Reads option `name` as whole seconds into `out` when given; false when it is not a number.
bool seconds_option(const Parsed& p, const char* name, std::chrono::seconds& out) {
    if (!p.values.count(name)) return true;
    const std::string t = value_or(p, name);
    if (t.empty() || t.size() > 6 || t.find_first_not_of("0123456789") != std::string::npos)
        return false;
    out = std::chrono::seconds(std::stol(t));
    return true;
}

int cmd_pair(const Parsed& p, denrol::Clock& clock, Botan::RandomNumberGenerator& rng) {
    denrol::PairOptions o;
    o.router = value_or(p, "router");
    o.out_dir = value_or(p, "out");
    o.name_hint = value_or(p, "name");
    o.ca_fingerprint = value_or(p, "ca-fingerprint");
    o.http.source_ipv4 = value_or(p, "ipv4");
    const auto type = denrol::parse_key_type(value_or(p, "key-type", "p256"));
    if (!type) return usage_error("--key-type must be p256, ed25519 or rsa2048");
    o.key_type = *type;
    if (!seconds_option(p, "timeout", o.timeout))
        return usage_error("--timeout must be a whole number of seconds");
    if (!seconds_option(p, "public-wait", o.public_wait))
        return usage_error("--public-wait must be a whole number of seconds");
    if (o.router.empty()) {
        if (!denrol::router_discovery_built_in())
            return report(denrol::discover_router(denrol::kDiscoveryTimeout, print_line).error());
        print_line("looking for a router-ca on the LAN over mDNS (" +
                   std::string(denrol::kRouterServiceType) + ", up to " +
                   std::to_string(denrol::kDiscoveryTimeout.count()) + " s)");
        const auto found = denrol::discover_router(denrol::kDiscoveryTimeout, print_line);
        if (!found) return report(found.error());
        o.router = denrol::advertised_url(found.value());
        o.advertised_fingerprint = found.value().fingerprint;
        print_line("found \"" + found.value().instance + "\" at " + o.router +
                   " announcing root fingerprint " + o.advertised_fingerprint);
    }
    auto state = denrol::pair(o, clock, rng, print_line);
    if (!state) return report(state.error());
    const auto& s = state.value();
    std::cout << "paired as " << s.name << " (" << s.fqdn << "), certificate " << s.serial
              << " valid until " << denrol::format_utc(s.not_after) << "\n"
              << "files in " << o.out_dir << ": key.pem cert.pem chain.pem root.pem state.json"
              << (denrol::EnrolmentDir(o.out_dir).has(denrol::EnrolmentDir::kPublicCert)
                      ? " public-key.pem public-cert.pem public-chain.pem"
                      : "")
              << "\n";
    return 0;
}

int cmd_renew(const Parsed& p, denrol::Clock& clock, Botan::RandomNumberGenerator& rng) {
    const std::string dir = value_or(p, "out");
    std::chrono::seconds public_wait = denrol::kDefaultPublicWait;
    if (!seconds_option(p, "public-wait", public_wait))
        return usage_error("--public-wait must be a whole number of seconds");
    denrol::HttpOptions http;
    http.source_ipv4 = value_or(p, "ipv4");
    auto outcome =
        denrol::renew(dir, p.values.count("force") > 0, clock, rng, print_line, http, public_wait);
    if (!outcome) return report(outcome.error());
    const auto& o = outcome.value();
    if (o.renewed)
        std::cout << "renewed: certificate " << o.state.serial << " for " << o.state.fqdn
                  << " valid until " << denrol::format_utc(o.state.not_after) << ", files in "
                  << dir << "\n";
    else
        std::cout << "renewal not due yet: certificate " << o.state.serial << " is due from "
                  << denrol::format_utc(o.next_due) << " (use --force to renew now)\n";
    return 0;
}

int cmd_run(const Parsed& p, denrol::Clock& clock, Botan::RandomNumberGenerator& rng) {
    stop_on_signals();
    denrol::RunOptions o{value_or(p, "out"), value_or(p, "hook"), {}};
    o.http.source_ipv4 = value_or(p, "ipv4");
    const auto log = [&clock](const std::string& line) {
        std::cout << denrol::format_utc(clock.now()) << " " << line << std::endl;
    };
    auto done = denrol::run(o, clock, rng, log);
    if (!done) return report(done.error());
    log("stopped");
    return 0;
}

int cmd_address(const Parsed& p) {
    const std::string dir = value_or(p, "out");
    const denrol::KernelAddressProbe probe;
    const auto done = denrol::update_address(dir, value_or(p, "ipv4"), probe);
    if (!done) return report(done.error());
    const auto& o = done.value();
    std::cout << "the router now answers " << o.state.fqdn << " with "
              << (o.sent.empty() ? std::string("this device's connection address") : o.sent)
              << "\n";
    return 0;
}

int cmd_status(const Parsed& p, denrol::Clock& clock) {
    auto status = denrol::read_status(denrol::EnrolmentDir(value_or(p, "out")), clock.now());
    if (!status) return report(status.error());
    std::cout << (p.values.count("json") ? denrol::status_json(status.value())
                                         : denrol::status_text(status.value()));
    return 0;
}

int cmd_crl(const Parsed& p, denrol::Clock& clock) {
    const denrol::EnrolmentDir dir(value_or(p, "out"));
    if (auto recovered = dir.recover(); !recovered) return report(recovered.error());
    auto state = dir.load_state();
    if (!state) return report(state.error());
    auto check = denrol::refresh_own_revocation(dir, state.value(), clock.now());
    if (!check) return report(check.error());
    const std::string said = denrol::describe_revocation(check.value(), state.value().serial);
    if (check.value().status == denrol::RevocationCheck::Status::revoked)
        return report(denrol::fail(denrol::Errc::refused, said));
    std::cout << "CRL cached in " << dir.file(denrol::EnrolmentDir::kCrl) << ": " << said << "\n";
    return 0;
}

int cmd_serve_demo(const Parsed& p) {
    const auto listen = denrol::parse_host_port(value_or(p, "listen"));
    if (!listen) return report(listen.error());
    stop_on_signals();
    denrol::DemoOptions o;
    o.out_dir = value_or(p, "out");
    o.listen = listen.value();
    auto done = denrol::serve_demo(o, g_stop, print_line);
    if (!done) return report(done.error());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::string error;
    const auto parsed = parse(argc, argv, error);
    if (!parsed) return usage_error(error);
    if (parsed->help) {
        std::cout << usage_text();
        return 0;
    }
    // A router that drops a TLS connection mid-write must be an error value, not a SIGPIPE that
    // kills `run` (OpenSSL writes with write(2), which raises it).
    std::signal(SIGPIPE, SIG_IGN);
    // The kernel's getrandom(), never a time- or userspace-seeded generator: keys, CSR
    // signatures and the renewal jitter come from here (entropy/kernel_rng.hpp says why not
    // Botan::System_RNG). Commands that make keys first wait until the kernel's pool is ready.
    rca::entropy::KernelRng rng;
    denrol::SystemClock clock(g_stop);
    const std::string command = parsed->command->name;
    try {
        if (command == "pair" || command == "renew" || command == "run") {
            try {
                rng.wait_until_ready(print_line);
            } catch (const std::runtime_error& e) {
                return report(denrol::fail(denrol::Errc::local, e.what()));
            }
        }
        if (command == "pair") return cmd_pair(*parsed, clock, rng);
        if (command == "renew") return cmd_renew(*parsed, clock, rng);
        if (command == "run") return cmd_run(*parsed, clock, rng);
        if (command == "status") return cmd_status(*parsed, clock);
        if (command == "crl") return cmd_crl(*parsed, clock);
        if (command == "address") return cmd_address(*parsed);
        return cmd_serve_demo(*parsed);
    } catch (const std::exception& e) {
        // A bug or an unexpected system failure: still one line, never a core dump.
        std::cerr << "device-enrol: internal error: " << e.what() << "\n";
        return 1;
    }
}
