// dns-serve-zone: serves a home zone given on the command line with router-ca's DNS responder, so
// end-to-end tests and benchmarks can point real peers at it without the daemon.
//
//   dns-serve-zone --listen 127.0.0.1:0 --domain home.arpa --subnet 192.168.0.0/16
//       --router 192.168.1.1 --host camera=192.168.1.20 [--hosts-file FILE] [--serial N]
//
// --cache-entries N sets the per-thread response cache (0 turns it off, for benchmarks of the
// uncached path). Prints "listening on HOST:PORT" once serving. SIGHUP re-reads --hosts-file (lines
// "label address", '#' comments) and publishes a new zone with the next serial; SIGTERM or
// SIGINT stops it and prints the counters.
#include <signal.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "core/home_policy.hpp"
#include "core/home_zone.hpp"
#include "dns/dns_server.hpp"

namespace {

struct Options {
    rca::HomeZoneInput zone;
    std::vector<std::pair<std::string, rca::Ipv4>> fixed_hosts;
    std::string hosts_file;
    std::string host = "127.0.0.1";
    int port = 5335;
    rca::dns::DnsServerOptions server;
};

[[noreturn]] void usage(const std::string& problem) {
    std::cerr << "dns-serve-zone: " << problem << "\n"
              << "usage: dns-serve-zone [--listen HOST:PORT] [--domain D] [--subnet CIDR]...\n"
              << "         [--router IP] [--host LABEL=IP]... [--hosts-file FILE] [--serial N]\n"
              << "         [--cache-entries N (0: no response cache)]\n";
    std::exit(2);
}

rca::Ipv4 parse_ip(const std::string& text) {
    const auto ip = rca::Ipv4::parse(text);
    if (!ip) usage("not an IPv4 address: " + text);
    return *ip;
}

void parse_listen(const std::string& v, Options& o) {
    const auto colon = v.rfind(':');
    if (colon == std::string::npos) usage("--listen wants HOST:PORT");
    o.host = v.substr(0, colon);
    if (o.host.size() > 2 && o.host.front() == '[' && o.host.back() == ']')
        o.host = o.host.substr(1, o.host.size() - 2);
    try {
        o.port = std::stoi(v.substr(colon + 1));
    } catch (const std::exception&) {
        usage("bad port in --listen " + v);
    }
}

std::vector<std::pair<std::string, rca::Ipv4>> read_hosts_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read hosts file " + path);
    std::vector<std::pair<std::string, rca::Ipv4>> hosts;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream words(line);
        std::string label, address;
        if (!(words >> label >> address)) continue;
        hosts.emplace_back(label, parse_ip(address));
    }
    return hosts;
}

Options parse(int argc, char** argv) {
    Options o;
    o.zone.domain = "home.arpa";
    bool subnets_given = false;
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        if (i + 1 >= argc) usage("missing value after " + flag);
        const std::string v = argv[++i];
        if (flag == "--listen") {
            parse_listen(v, o);
        } else if (flag == "--domain") {
            o.zone.domain = v;
        } else if (flag == "--subnet") {
            const auto s = rca::Ipv4Subnet::parse(v);
            if (!s) usage("not a subnet: " + v);
            o.zone.lan_subnets.push_back(*s);
            subnets_given = true;
        } else if (flag == "--router") {
            o.zone.router_address = parse_ip(v);
        } else if (flag == "--host") {
            const auto eq = v.find('=');
            if (eq == std::string::npos) usage("--host wants LABEL=IP");
            o.fixed_hosts.emplace_back(v.substr(0, eq), parse_ip(v.substr(eq + 1)));
        } else if (flag == "--hosts-file") {
            o.hosts_file = v;
        } else if (flag == "--cache-entries") {
            o.server.cache_entries = std::stoul(v);
        } else if (flag == "--serial") {
            o.zone.serial = static_cast<uint32_t>(std::stoul(v));
        } else {
            usage("unknown option " + flag);
        }
    }
    if (!subnets_given) o.zone.lan_subnets = rca::default_lan_subnets();
    return o;
}

// Builds the zone from the fixed hosts and the hosts file; host_count says how many went in.
// The input is dropped once built, as the daemon would, so RSS shows the zone alone.
std::shared_ptr<const rca::ZoneSet> build(Options& o, size_t& host_count) {
    rca::HomeZoneInput input = o.zone;
    input.hosts = o.fixed_hosts;
    if (!o.hosts_file.empty()) {
        const auto more = read_hosts_file(o.hosts_file);
        input.hosts.insert(input.hosts.end(), more.begin(), more.end());
    }
    host_count = input.hosts.size();
    return std::make_shared<const rca::ZoneSet>(rca::build_home_zone(input));
}

}  // namespace

int main(int argc, char** argv) {
    Options options = parse(argc, argv);
    // Signals are taken synchronously with sigwait, so block them before any thread starts.
    sigset_t signals;
    sigemptyset(&signals);
    for (const int s : {SIGHUP, SIGINT, SIGTERM}) sigaddset(&signals, s);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    rca::ZoneHolder zones;
    try {
        size_t hosts = 0;
        zones.publish(build(options, hosts));
        rca::dns::DnsServer server(options.host, options.port, zones, options.server);
        server.start();
        std::cout << "listening on " << options.host << ":" << server.port() << " (" << hosts
                  << " hosts)" << std::endl;
        for (;;) {
            int signal = 0;
            sigwait(&signals, &signal);
            if (signal != SIGHUP) break;
            try {
                ++options.zone.serial;
                zones.publish(build(options, hosts));
                std::cout << "reloaded: " << hosts << " hosts, serial " << options.zone.serial
                          << std::endl;
            } catch (const std::exception& e) {
                std::cerr << "dns-serve-zone: reload failed, keeping the old zone: " << e.what()
                          << std::endl;
            }
        }
        server.stop();
        const auto s = server.stats();
        std::cout << "queries " << s.queries << " noerror " << s.noerror << " nxdomain "
                  << s.nxdomain << " refused " << s.refused << " formerr " << s.formerr
                  << " notimp " << s.notimp << " dropped " << s.dropped << " truncated "
                  << s.truncated << " tcp_timeouts " << s.tcp_timeouts << std::endl;
    } catch (const std::exception& e) {
        std::cerr << "dns-serve-zone: " << e.what() << std::endl;
        return 1;
    }
    return 0;
}
