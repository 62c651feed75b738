#include "hq/daemon/routers_command.hpp"

#include <cstdio>
#include <fstream>
#include <sstream>

#include "daemon/system_time.hpp"
#include "hq/core/router_registry.hpp"
#include "hq/daemon/hq_serve.hpp"
#include "hq/daemon/store_opening.hpp"

namespace hq {
namespace {

// A factory list of ten million routers is under 1 GiB; a file larger than this is not one.
constexpr std::streamoff kMaxListBytes = 1LL << 30;

int usage_error(const std::string& problem) {
    std::fprintf(stderr, "hq routers: %s\n%s", problem.c_str(), routers_usage().c_str());
    return kHqExitUsage;
}

bool read_list(const std::string& path, std::string& text, std::string& problem) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) return problem = "cannot read " + path, false;
    if (in.tellg() > kMaxListBytes) return problem = path + " is larger than 1 GiB", false;
    in.seekg(0);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    text = buffer.str();
    return true;
}

int import_routers(HqStore& store, const std::string& path, const std::string& text) {
    rca::SystemTime clock;
    const auto imported = import_router_list(store, text, clock.now());
    if (!imported) {
        std::fprintf(stderr, "hq routers import: %s: %s\n", path.c_str(),
                     imported.error().detail.c_str());
        return kHqExitInput;
    }
    std::printf("imported %zu router(s); %zu already known with the same hash\n",
                imported.value().added, imported.value().unchanged);
    return kHqExitOk;
}

int revoke_router(HqStore& store, const std::string& id) {
    if (auto ok = check_router_id(id); !ok) return usage_error(ok.error().detail);
    rca::SystemTime clock;
    if (!store.revoke_router(id, clock.now())) {
        std::fprintf(stderr, "hq routers revoke: no router has the id %s\n", id.c_str());
        return kHqExitInput;
    }
    const auto router = store.router(id);
    std::printf("revoked router %s%s\n", id.c_str(),
                router && !router->home.empty()
                    ? ("; home " + router->home + " can order nothing more").c_str()
                    : "");
    return kHqExitOk;
}

}  // namespace

std::string routers_usage() {
    return "usage: hq routers import FILE [--data-dir DIR] [--db sqlite:PATH|postgresql://...]\n"
           "       hq routers revoke ROUTER_ID [--data-dir DIR] [--db ...]\n\n"
           "import adds the routers of a factory list, all or none: one \"ROUTER_ID SHA256_HEX\"\n"
           "per line (SHA-256 of the router's secret), '#' comments and blank lines allowed.\n"
           "revoke stops the router registering and its home ordering certificates or records.\n";
}

int run_routers_command(const std::vector<std::string>& args) {
    if (args.size() < 2 || (args[0] != "import" && args[0] != "revoke"))
        return usage_error("expected import FILE or revoke ROUTER_ID");
    auto parsed = parse_hq_store_options({args.begin() + 2, args.end()});
    if (auto* problem = std::get_if<std::string>(&parsed)) return usage_error(*problem);
    // The list is read before the store is opened: a wrong path creates no database.
    std::string text, problem;
    if (args[0] == "import" && !read_list(args[1], text, problem)) {
        std::fprintf(stderr, "hq routers import: %s\n", problem.c_str());
        return kHqExitInput;
    }
    std::unique_ptr<HqStore> store;
    try {
        store = open_store(std::get<HqConfig>(parsed), "hq-routers");
        return args[0] == "import" ? import_routers(*store, args[1], text)
                                   : revoke_router(*store, args[1]);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "hq routers %s: the store failed: %s\n", args[0].c_str(), e.what());
        return kHqExitStore;
    }
}

}  // namespace hq
