// hq: the vendor's HQ service (docs/hq.md). main() only wires the pieces (house style #1).
#include <cstdio>
#include <string>
#include <vector>

#include "daemon/log.hpp"
#include "hq/daemon/hq_serve.hpp"
#include "hq/daemon/routers_command.hpp"

namespace {

void usage(FILE* out) {
    std::fprintf(out,
                 "usage: hq serve --zone ZONE --acme-directory URL [options]\n\n"
                 "Registers homes under ZONE, serves ZONE's DNS, and orders public certificates\n"
                 "for homes' names with ACME DNS-01. Options:\n%s\n%s",
                 hq::hq_options_help().c_str(), hq::routers_usage().c_str());
}

}  // namespace

int main(int argc, char** argv) {
    rca::set_log_program("hq");
    const std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h") {
        usage(args.empty() ? stderr : stdout);
        return args.empty() ? hq::kHqExitUsage : hq::kHqExitOk;
    }
    if (args[0] == "routers") return hq::run_routers_command({args.begin() + 1, args.end()});
    if (args[0] != "serve") {
        std::fprintf(stderr, "hq: unknown command %s (serve or routers)\n", args[0].c_str());
        return hq::kHqExitUsage;
    }
    const std::vector<std::string> options(args.begin() + 1, args.end());
    for (const auto& o : options)
        if (o == "--help" || o == "-h") return usage(stdout), hq::kHqExitOk;
    auto parsed = hq::parse_hq_options(options);
    if (auto* problem = std::get_if<std::string>(&parsed)) {
        std::fprintf(stderr, "hq serve: %s\n", problem->c_str());
        return hq::kHqExitUsage;
    }
    return hq::run_hq_serve(std::get<hq::HqConfig>(parsed));
}
