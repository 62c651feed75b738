// hq_api_bench: HQ's registration and record-update throughput over its HTTP API, next to the
// floor of the same HTTP stack (GET /healthz on the same server, same client, same run): the
// ratio says how much of a request's cost is HQ's work (JSON, hashing, SQLite commit, zone
// rebuild) rather than cpp-httplib and the kernel. Run by bench/hq_bench.sh against a running hq.
//
// usage: hq_api_bench --port PORT [--threads N] [--seconds S] [--first-router K] MODE   (MODE:
// healthz|register|record) Registrations need a genuine router (docs/hq.md, "Router credentials"):
// thread T's registrations are routers bench-T-K's for K = FIRST, FIRST+1, ... (--first-router),
// with the secret bench_router_secret(T, K), since a router makes one new home a day:
// bench/hq_bench_routers.sh writes the list of them that the benches import beforehand, and gives
// each run of this client its own FIRST.
#include <botan/base64.h>
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

std::string random_hex(std::mt19937_64& gen, size_t bytes) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (size_t i = 0; i < bytes * 2; ++i) out.push_back(digits[gen() & 15]);
    return out;
}

// The credential member of a registration answer (a fixed shape: no JSON library needed here).
std::string member(const std::string& body, const std::string& name) {
    const std::string key = "\"" + name + "\":\"";
    const auto at = body.find(key);
    if (at == std::string::npos) return "";
    const auto end = body.find('"', at + key.size());
    return body.substr(at + key.size(), end - at - key.size());
}

// Thread t's factory secret; hq_bench.sh computes the same text to import its hash.
std::string bench_router_secret(int t, long k) {
    return "bench-router-secret-0123456789-" + std::to_string(t) + "-" + std::to_string(k);
}

// "Authorization: Basic ..." for router bench-T-K (RFC 7617).
httplib::Headers router_login(int t, long k) {
    const std::string user_pass =
        "bench-" + std::to_string(t) + "-" + std::to_string(k) + ":" + bench_router_secret(t, k);
    return {{"Authorization",
             "Basic " + Botan::base64_encode(reinterpret_cast<const uint8_t*>(user_pass.data()),
                                             user_pass.size())}};
}

}  // namespace

int main(int argc, char** argv) {
    int port = 0, threads = 4, seconds = 5;
    long first_router = 0;
    std::string mode;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--port" && i + 1 < argc)
            port = std::stoi(argv[++i]);
        else if (a == "--threads" && i + 1 < argc)
            threads = std::stoi(argv[++i]);
        else if (a == "--seconds" && i + 1 < argc)
            seconds = std::stoi(argv[++i]);
        else if (a == "--first-router" && i + 1 < argc)
            first_router = std::stol(argv[++i]);
        else
            mode = a;
    }
    if (!port || (mode != "healthz" && mode != "register" && mode != "record")) {
        std::fprintf(stderr,
                     "usage: hq_api_bench --port PORT [--threads N] [--seconds S] "
                     "[--first-router K] healthz|register|record\n");
        return 2;
    }
    std::atomic<long> done{0}, failed{0};
    std::vector<std::vector<double>> latencies(static_cast<size_t>(threads));
    const auto deadline = Clock::now() + std::chrono::seconds(seconds);
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            std::mt19937_64 gen(std::random_device{}());
            httplib::Client client("127.0.0.1", port);
            client.set_keep_alive(true);
            client.set_tcp_nodelay(true);  // as hq's server: no Nagle/delayed-ACK stalls
            std::string home, credential;
            long next = first_router;  // each registration a new router's: one new home a day
            const auto next_router = [&] { return router_login(t, next++); };
            if (mode == "record") {  // one home per thread, registered before the clock runs
                const auto r = client.Post(
                    "/v1/homes", next_router(),
                    "{\"token\":\"" + random_hex(gen, 16) + "\",\"address\":\"192.168.1.1\"}",
                    "application/json");
                if (!r || r->status != 201) {
                    ++failed;
                    return;
                }
                home = member(r->body, "home");
                credential = member(r->body, "credential");
            }
            const httplib::Headers auth{{"Authorization", "Bearer " + credential}};
            long n = 0;
            while (Clock::now() < deadline) {
                const auto start = Clock::now();
                const int want = mode == "register" ? 201 : 200;
                const httplib::Result r = [&] {
                    if (mode == "healthz") return client.Get("/healthz");
                    if (mode == "register")
                        return client.Post("/v1/homes", next_router(),
                                           "{\"token\":\"" + random_hex(gen, 16) +
                                               "\",\"address\":\"192.168." +
                                               std::to_string(gen() % 256) + ".1\"}",
                                           "application/json");
                    const std::string path =
                        "/v1/homes/" + home + "/records/dev" + std::to_string(n % 50);
                    return client.Put(path.c_str(), auth,
                                      "{\"address\":\"10.0." + std::to_string(gen() % 256) + "." +
                                          std::to_string(1 + gen() % 254) + "\"}",
                                      "application/json");
                }();
                ++n;
                if (!r || r->status != want) {
                    ++failed;
                    continue;
                }
                ++done;
                latencies[static_cast<size_t>(t)].push_back(
                    std::chrono::duration<double, std::milli>(Clock::now() - start).count());
            }
        });
    }
    for (auto& w : workers) w.join();
    std::vector<double> all;
    for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
    std::sort(all.begin(), all.end());
    const auto pct = [&](double p) {
        return all.empty() ? 0.0
                           : all[std::min(all.size() - 1, static_cast<size_t>(p * all.size()))];
    };
    std::printf(
        "%s: %ld ok, %ld failed in %d s with %d threads: %.0f/s, p50 %.2f ms, p99 %.2f ms\n",
        mode.c_str(), done.load(), failed.load(), seconds, threads,
        static_cast<double>(done.load()) / seconds, pct(0.5), pct(0.99));
    return failed.load() == 0 ? 0 : 1;
}
