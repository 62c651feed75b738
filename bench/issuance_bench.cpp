// issuance_bench: how many device certificates router-ca issues per second on one thread, next to
// Botan's raw ECDSA P-256 sign and verify rates measured in the same run (the machine is shared
// and noisy, so the ratio is the figure to compare, not the absolute rate).
//
// One issuance is what EnrolmentService::issue_for does for a device, minus the pairing window:
//   accept_csr (parse + key policy + proof-of-possession verify), fresh serial (random + store
//   lookup), name check (store lookup), Issuer::issue_leaf (build profile + ECDSA sign),
//   SqliteStore::commit_enrolment (new device + certificate + audit event, one transaction).
// CSRs (P-256 keys) are made before timing starts, so key generation is not counted.
//
// The store runs twice: on a file in a temporary directory (WAL, synchronous=FULL as the store
// sets it, so every commit waits for fsync) and on ":memory:", so the cost of durability shows.
//
// Rounds are interleaved (sign, verify, memory, file, sign, ...) and each figure is the median of
// its rounds; ratios are taken round by round, then the median.
#include <botan/auto_rng.h>
#include <botan/ec_group.h>
#include <botan/ecdsa.h>
#include <botan/pkcs10.h>
#include <botan/pubkey.h>
#include <botan/system_rng.h>
#include <botan/version.h>
#include <botan/x509self.h>
#include <sqlite3.h>
#include <sys/statfs.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/ca_hierarchy.hpp"
#include "core/certificate_signer.hpp"
#include "core/csr_policy.hpp"
#include "core/home_policy.hpp"
#include "core/issuer.hpp"
#include "denrol/issued_cert.hpp"
#include "store/sqlite_store.hpp"

namespace {

using Steady = std::chrono::steady_clock;

struct Options {
    size_t count = 2000;         // operations per round (upper bound)
    int rounds = 3;              // interleaved rounds per measurement
    double round_seconds = 3.5;  // time bound per round: whichever of count/time comes first
    std::string dir;             // where the file database goes (default: $TMPDIR or /tmp)
};

[[noreturn]] void usage(const char* why) {
    std::fprintf(stderr,
                 "issuance_bench: %s\n"
                 "usage: issuance_bench [--count N] [--rounds R] [--round-seconds S] [--dir DIR]\n"
                 "  --count N          operations per round, at most (default 2000)\n"
                 "  --rounds R         interleaved rounds per figure (default 3)\n"
                 "  --round-seconds S  time bound per round (default 3.5)\n"
                 "  --dir DIR          parent of the temporary file database (default $TMPDIR or "
                 "/tmp)\n",
                 why);
    std::exit(2);
}

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) usage(("missing value for " + a).c_str());
            return argv[++i];
        };
        try {
            if (a == "--count")
                o.count = std::stoul(value());
            else if (a == "--rounds")
                o.rounds = std::stoi(value());
            else if (a == "--round-seconds")
                o.round_seconds = std::stod(value());
            else if (a == "--dir")
                o.dir = value();
            else if (a == "--help" || a == "-h")
                usage("help");
            else
                usage(("unknown option " + a).c_str());
        } catch (const std::logic_error&) {
            usage(("bad number for " + a).c_str());
        }
    }
    if (o.count < 1 || o.count > 100000) usage("--count must be 1..100000");
    if (o.rounds < 1 || o.rounds > 20) usage("--rounds must be 1..20");
    if (o.round_seconds <= 0 || o.round_seconds > 60) usage("--round-seconds must be (0, 60]");
    if (o.dir.empty()) {
        const char* t = std::getenv("TMPDIR");
        o.dir = (t && *t) ? t : "/tmp";
    }
    return o;
}

/// One round's result: operations done and the seconds they took.
struct Round {
    size_t ops = 0;
    double seconds = 0;
    double rate() const { return seconds > 0 ? ops / seconds : 0; }
};

/// Runs op(i) for i = 0.. until count is reached or the time bound passes.
Round timed_loop(size_t count, double bound_seconds, const std::function<void(size_t)>& op) {
    const auto start = Steady::now();
    const auto bound = start + std::chrono::duration_cast<Steady::duration>(
                                   std::chrono::duration<double>(bound_seconds));
    Round r;
    for (size_t i = 0; i < count; ++i) {
        op(i);
        ++r.ops;
        if (Steady::now() >= bound) break;
    }
    r.seconds = std::chrono::duration<double>(Steady::now() - start).count();
    return r;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::string fs_type(const std::string& dir) {
    struct statfs s {};
    if (statfs(dir.c_str(), &s) != 0) return "?";
    switch (static_cast<unsigned long>(s.f_type)) {
        case 0xEF53:
            return "ext4";
        case 0x01021994:
            return "tmpfs";
        case 0x9123683E:
            return "btrfs";
        case 0x58465342:
            return "xfs";
        case 0x794c7630:
            return "overlayfs";
        default: {
            char buf[32];
            std::snprintf(buf, sizeof buf, "0x%lx", static_cast<unsigned long>(s.f_type));
            return buf;
        }
    }
}

/// Time spent in each stage of an issuance, summed over a round.
struct Stages {
    double csr = 0, serial_name = 0, sign = 0, commit = 0;
};

double since(Steady::time_point& t) {
    const auto now = Steady::now();
    const double s = std::chrono::duration<double>(now - t).count();
    t = now;
    return s;
}

/// The issuance pipeline against one store.
Round issue_round(rca::Store& store, const rca::Issuer& issuer,
                  const std::vector<std::string>& csrs, const std::string& tag, const Options& opt,
                  Botan::RandomNumberGenerator& rng, Stages& stages) {
    const auto policy = issuer.policy();
    return timed_loop(opt.count, opt.round_seconds, [&](size_t i) {
        auto t = Steady::now();
        const auto accepted = rca::accept_csr(csrs[i % csrs.size()]);
        if (!accepted) throw std::runtime_error("CSR refused: " + accepted.error().detail);
        stages.csr += since(t);

        Botan::BigInt serial = rca::random_serial(rng);
        while (store.serial_exists(rca::serial_hex(serial))) serial = rca::random_serial(rng);
        const std::string name = tag + "-" + std::to_string(i);
        if (store.name_taken(name)) throw std::runtime_error("name taken: " + name);
        // One LAN address per device, as a device that states its address gets.
        const rca::Ipv4 address{0xC0A80000u | static_cast<uint32_t>(1 + i % 65000)};
        stages.serial_name += since(t);

        const auto now = rca::Clock::now();
        const auto leaf = issuer.issue_leaf(
            {name, {address}, accepted.value().public_key_info, accepted.value().rsa_key}, serial,
            now, rng);
        const rca::IssuedCert cert{rca::serial_hex(leaf),
                                   0,
                                   leaf.BER_encode(),
                                   rca::to_time_point(leaf.not_before()),
                                   rca::to_time_point(leaf.not_after()),
                                   now,
                                   rca::IssueKind::enrolment};
        stages.sign += since(t);

        store.commit_enrolment(
            {name, address, accepted.value().key_type, rca::DeviceSource::native, now}, cert, "",
            rca::AuditEvent{now, "cert.issued", name, "serial " + cert.serial_hex});
        stages.commit += since(t);
    });
}

/// Checks that the bench measured real work: the stored leaf is one a device accepts, checked as
/// device-enrol checks what it is issued (its chain to the root, name constraints included; with
/// OpenSSL, since Botan 2 cannot read the root's IPv6 constraints).
void check_leaf(rca::Store& store, const rca::Issuer& issuer, const std::string& name) {
    const auto device = store.find_device_by_name(name);
    if (!device) throw std::runtime_error("device " + name + " missing from the store");
    const auto certs = store.certificates_of(device->id);
    if (certs.empty()) throw std::runtime_error("no certificate stored for " + name);
    const Botan::X509_Certificate leaf(certs.front().der);
    const auto checked =
        denrol::check_issued(leaf.PEM_encode(), issuer.chain_pem(leaf), issuer.root(),
                             *leaf.load_subject_public_key(), issuer.policy().fqdn(name));
    if (!checked)
        throw std::runtime_error("issued leaf does not validate: " + checked.error().detail);
}

void print_row(const char* what, const std::vector<Round>& rounds, const char* unit) {
    std::vector<double> rates;
    size_t ops = 0;
    for (const auto& r : rounds) {
        rates.push_back(r.rate());
        ops += r.ops;
    }
    const auto [lo, hi] = std::minmax_element(rates.begin(), rates.end());
    std::printf("  %-44s %10.1f %s/s  (%.3f ms each; rounds %.1f..%.1f; %zu ops)\n", what,
                median(rates), unit, 1000.0 / median(rates), *lo, *hi, ops);
}

}  // namespace

int main(int argc, char** argv) {
    const Options opt = parse(argc, argv);
    try {
        Botan::System_RNG rng;

        utsname u{};
        uname(&u);
        std::printf("issuance_bench: one thread; %ld online CPUs; %s %s\n",
                    sysconf(_SC_NPROCESSORS_ONLN), u.sysname, u.release);
        std::printf("  Botan %s; SQLite %s; compiler %s\n", Botan::version_cstr(),
                    sqlite3_libversion(), __VERSION__);
        std::printf("  count %zu per round (bounded by %.1f s), %d interleaved rounds\n", opt.count,
                    opt.round_seconds, opt.rounds);

        // The CA, as `router-ca serve` makes it: P-256 root and intermediate, home.arpa with the
        // default RFC 1918 subnets.
        rca::HomePolicy policy;
        policy.domain = rca::kDefaultDomain;
        policy.lan_subnets = rca::default_lan_subnets();
        policy.crl_url = "https://router.home.arpa:8443/crl";
        const auto now = rca::Clock::now();
        const auto root = rca::make_root(policy, rng, now);
        const auto intermediate = rca::make_intermediate(root, policy, rng, now);
        const rca::Issuer issuer(intermediate, root.cert, policy);

        // CSRs made up front: key generation is the device's cost, not the CA's.
        const size_t n_csrs = std::min<size_t>(opt.count, 2000);
        std::vector<std::string> csrs;
        csrs.reserve(n_csrs);
        const Botan::EC_Group p256("secp256r1");
        for (size_t i = 0; i < n_csrs; ++i) {
            const Botan::ECDSA_PrivateKey key(rng, p256);
            Botan::X509_Cert_Options options("device-" + std::to_string(i));
            csrs.push_back(Botan::X509::create_cert_req(options, key, "SHA-256", rng).PEM_encode());
        }
        std::printf("  %zu P-256 CSRs made before timing\n\n", csrs.size());

        // The peer: Botan's raw ECDSA P-256 over SHA-256, signer/verifier built once, on a
        // message the size of a leaf's TBSCertificate.
        const Botan::ECDSA_PrivateKey sign_key(rng, p256);
        Botan::PK_Signer signer(sign_key, rng, "EMSA1(SHA-256)", Botan::DER_SEQUENCE);
        Botan::PK_Verifier verifier(sign_key, "EMSA1(SHA-256)", Botan::DER_SEQUENCE);
        const auto message = rng.random_vec(512);
        const auto signature = signer.sign_message(message, rng);

        const std::filesystem::path base(opt.dir);
        char tmpl_buf[4096];
        std::snprintf(tmpl_buf, sizeof tmpl_buf, "%s/issuance_bench.XXXXXX", base.string().c_str());
        if (!mkdtemp(tmpl_buf))
            throw std::runtime_error(std::string("mkdtemp in ") + opt.dir + ": " +
                                     std::strerror(errno));
        const std::filesystem::path tmpdir(tmpl_buf);
        struct Cleanup {
            std::filesystem::path p;
            ~Cleanup() {
                std::error_code ec;
                std::filesystem::remove_all(p, ec);
            }
        } cleanup{tmpdir};

        std::vector<Round> sign_rounds, verify_rounds, mem_rounds, file_rounds;
        Stages mem_stages, file_stages;
        for (int r = 0; r < opt.rounds; ++r) {
            sign_rounds.push_back(timed_loop(opt.count, opt.round_seconds, [&](size_t) {
                const auto s = signer.sign_message(message, rng);
                if (s.empty()) throw std::runtime_error("empty signature");
            }));
            verify_rounds.push_back(timed_loop(opt.count, opt.round_seconds, [&](size_t) {
                if (!verifier.verify_message(message, signature))
                    throw std::runtime_error("signature did not verify");
            }));
            {
                rca::SqliteStore store(":memory:");
                mem_rounds.push_back(issue_round(store, issuer, csrs, "mem" + std::to_string(r),
                                                 opt, rng, mem_stages));
                check_leaf(store, issuer, "mem" + std::to_string(r) + "-0");
                if (store.devices().size() != mem_rounds.back().ops)
                    throw std::runtime_error("memory store lost devices");
            }
            {
                const auto db = (tmpdir / ("round" + std::to_string(r) + ".db")).string();
                rca::SqliteStore store(db);
                file_rounds.push_back(issue_round(store, issuer, csrs, "file" + std::to_string(r),
                                                  opt, rng, file_stages));
                check_leaf(store, issuer, "file" + std::to_string(r) + "-0");
                if (store.devices().size() != file_rounds.back().ops)
                    throw std::runtime_error("file store lost devices");
            }
        }

        std::printf("results (median of %d rounds):\n", opt.rounds);
        print_row("peer: Botan ECDSA P-256 sign (SHA-256)", sign_rounds, "sig");
        print_row("peer: Botan ECDSA P-256 verify (SHA-256)", verify_rounds, "ver");
        print_row("router-ca issuance, store :memory:", mem_rounds, "cert");
        const std::string fs = fs_type(tmpdir.string());
        const std::string file_label = "router-ca issuance, store file (" + fs + ")";
        print_row(file_label.c_str(), file_rounds, "cert");

        auto ratio = [&](const std::vector<Round>& a, const std::vector<Round>& b) {
            std::vector<double> v;
            for (size_t i = 0; i < a.size(); ++i) v.push_back(a[i].rate() / b[i].rate());
            return median(v);
        };
        std::printf("\nratios (per round, median):\n");
        std::printf("  issuance(:memory:) / raw sign   = %.3f\n", ratio(mem_rounds, sign_rounds));
        std::printf("  issuance(file)     / raw sign   = %.3f\n", ratio(file_rounds, sign_rounds));
        std::printf("  issuance(file)     / issuance(:memory:) = %.3f\n",
                    ratio(file_rounds, mem_rounds));

        auto stage_line = [](const char* what, const Stages& s, const std::vector<Round>& rounds) {
            size_t ops = 0;
            for (const auto& r : rounds) ops += r.ops;
            const double k = 1000.0 / static_cast<double>(ops);
            std::printf(
                "  %-10s csr %.3f ms | serial+name %.3f ms | sign %.3f ms | commit %.3f ms\n", what,
                s.csr * k, s.serial_name * k, s.sign * k, s.commit * k);
        };
        std::printf("\nwhere an issuance goes (mean per certificate):\n");
        stage_line(":memory:", mem_stages, mem_rounds);
        stage_line("file", file_stages, file_rounds);
        std::printf(
            "\nfile database under %s (%s, WAL, synchronous=FULL)%s\n", opt.dir.c_str(), fs.c_str(),
            fs == "tmpfs" ? "\n  WARNING: fsync is free on tmpfs; pass --dir on a real disk" : "");
        std::printf(
            "checked: each round's first leaf validates under the root; every round's "
            "devices are all in its store\n");
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "issuance_bench: FAILED: %s\n", e.what());
        return 1;
    }
}
