// A small driver of the real publisher for tests/e2e/mdns_publisher_test.sh: it advertises a
// router, publishes the hosts listed in a file (re-read on SIGHUP), logs what the publisher says
// and writes its status as JSON every 200 ms, so the test can watch collisions and reconnects
// with avahi-daemon without the rest of the daemon.
//
//   mdns_publish_tool --status-file F --port N --fp HEX --domain D [--name NAME] [--hosts-file H]
//
// The hosts file holds one "label a.b.c.d" per line.
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "mdns/publisher_factory.hpp"

namespace {

std::vector<rca::MdnsHost> read_hosts(const std::string& path) {
    std::vector<rca::MdnsHost> hosts;
    std::ifstream in(path);
    std::string label;
    std::string address;
    while (in >> label >> address)
        if (const auto ip = rca::Ipv4::parse(address)) hosts.push_back({label, *ip});
    return hosts;
}

void write_status(const std::string& path, const rca::MdnsStatus& s) {
    const nlohmann::json j = {{"enabled", s.enabled},
                              {"daemon_running", s.daemon_running},
                              {"collisions", s.collisions},
                              {"detail", s.detail}};
    const std::string tmp = path + ".tmp";
    std::ofstream(tmp) << j.dump() << "\n";
    std::rename(tmp.c_str(), path.c_str());
}

}  // namespace

int main(int argc, char** argv) {
    std::map<std::string, std::string> opt;
    for (int i = 1; i + 1 < argc; i += 2) opt[argv[i]] = argv[i + 1];
    if (!opt.count("--status-file") || !opt.count("--port") || !opt.count("--fp") ||
        !opt.count("--domain")) {
        std::cerr << "usage: mdns_publish_tool --status-file F --port N --fp HEX --domain D "
                     "[--name NAME] [--hosts-file H]\n";
        return 2;
    }
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);  // before Avahi's thread starts

    std::mutex out;
    auto publisher = rca::make_mdns_publisher(true, [&out](const std::string& line) {
        std::lock_guard<std::mutex> lock(out);
        std::cout << line << std::endl;
    });
    rca::RouterAdvert advert;
    advert.https_port = std::stoi(opt["--port"]);
    advert.root_fingerprint_hex = opt["--fp"];
    advert.domain = opt["--domain"];
    advert.instance_name = opt.count("--name") ? opt["--name"] : "";
    publisher->advertise_router(advert);
    if (opt.count("--hosts-file")) publisher->publish_hosts(read_hosts(opt["--hosts-file"]));

    for (;;) {
        write_status(opt["--status-file"], publisher->status());
        const timespec wait{0, 200 * 1000 * 1000};
        const int sig = sigtimedwait(&set, nullptr, &wait);
        if (sig == SIGINT || sig == SIGTERM) break;
        if (sig == SIGHUP && opt.count("--hosts-file"))
            publisher->publish_hosts(read_hosts(opt["--hosts-file"]));
    }
    return 0;
}
