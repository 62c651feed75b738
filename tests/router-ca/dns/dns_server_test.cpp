// The UDP and TCP servers on loopback: real sockets, a free port, short timeouts.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <system_error>
#include <thread>

#include "dns/dns_server.hpp"
#include "dns_test_support.hpp"

using namespace rca;
using namespace rca::dns;
using namespace rca::dns::test;
using namespace std::chrono_literals;

namespace {

using Bytes = std::vector<uint8_t>;

sockaddr_in loopback(int port) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

// Waits up to timeout for fd to become readable.
bool readable(int fd, std::chrono::milliseconds timeout) {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, static_cast<int>(timeout.count())) == 1;
}

Bytes udp_exchange(int port, const Bytes& query, std::chrono::milliseconds wait = 2000ms) {
    SocketFd fd(::socket(AF_INET, SOCK_DGRAM, 0));
    const sockaddr_in to = loopback(port);
    ::sendto(fd.get(), query.data(), query.size(), 0, reinterpret_cast<const sockaddr*>(&to),
             sizeof to);
    if (!readable(fd.get(), wait)) return {};
    Bytes buf(65536);
    const ssize_t n = ::recv(fd.get(), buf.data(), buf.size(), 0);
    buf.resize(n > 0 ? static_cast<size_t>(n) : 0);
    return buf;
}

SocketFd tcp_connect(int port) {
    SocketFd fd(::socket(AF_INET, SOCK_STREAM, 0));
    const sockaddr_in to = loopback(port);
    REQUIRE(::connect(fd.get(), reinterpret_cast<const sockaddr*>(&to), sizeof to) == 0);
    return fd;
}

Bytes framed(const Bytes& message) {
    Bytes out{static_cast<uint8_t>(message.size() >> 8), static_cast<uint8_t>(message.size())};
    out.insert(out.end(), message.begin(), message.end());
    return out;
}

void send_all(int fd, const Bytes& b) {
    REQUIRE(::send(fd, b.data(), b.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(b.size()));
}

// Reads one framed message; empty when the connection closes or times out first.
Bytes tcp_read_message(int fd, std::chrono::milliseconds timeout = 2000ms) {
    Bytes buf;
    size_t want = 2;
    while (buf.size() < want) {
        if (!readable(fd, timeout)) return {};
        uint8_t chunk[4096];
        const ssize_t n = ::recv(fd, chunk, std::min(sizeof chunk, want - buf.size()), 0);
        if (n <= 0) return {};
        buf.insert(buf.end(), chunk, chunk + n);
        if (buf.size() == 2 && want == 2) want = 2 + (static_cast<size_t>(buf[0]) << 8 | buf[1]);
    }
    return Bytes(buf.begin() + 2, buf.end());
}

// True when the server closed the connection within timeout.
bool closed_by_peer(int fd, std::chrono::milliseconds timeout) {
    if (!readable(fd, timeout)) return false;
    uint8_t b;
    return ::recv(fd, &b, 1, 0) <= 0;
}

uint8_t rcode_of(const Bytes& response) { return response.size() >= 4 ? response[3] & 0x0f : 0xff; }

struct Fixture {
    ZoneHolder zones;
    Fixture() {
        zones.publish(std::make_shared<const ZoneSet>(build_home_zone(test_home_input())));
    }
};

}  // namespace

TEST_CASE("server: answers over UDP on the port it chose") {
    Fixture f;
    DnsServer server("127.0.0.1", 0, f.zones);
    server.start();
    REQUIRE(server.port() > 0);
    const Bytes answer =
        udp_exchange(server.port(), make_query("camera.home.arpa", LDNS_RR_TYPE_A));
    const LdnsPkt p = parse_response(answer);
    REQUIRE(p);
    CHECK(ldns_pkt_ancount(p.get()) == 1);
    CHECK(udp_exchange(server.port(), Bytes{0x12}, 200ms).empty());  // runt: dropped
    const DnsStats stats = server.stats();
    CHECK(stats.queries == 2);
    CHECK(stats.noerror == 1);
    CHECK(stats.dropped == 1);
}

TEST_CASE("server: a burst of UDP queries is answered whole, an oversize datagram dropped") {
    Fixture f;
    DnsServer server("127.0.0.1", 0, f.zones);
    server.start();
    SocketFd fd(::socket(AF_INET, SOCK_DGRAM, 0));
    const sockaddr_in to = loopback(server.port());
    const auto send = [&](const Bytes& b) {
        ::sendto(fd.get(), b.data(), b.size(), 0, reinterpret_cast<const sockaddr*>(&to),
                 sizeof to);
    };
    Bytes oversize = make_query("camera.home.arpa", LDNS_RR_TYPE_A, QueryOptions().with_id(999));
    oversize.resize(5000, 0);
    send(oversize);
    for (uint16_t id = 1; id <= 100; ++id)
        send(make_query("camera.home.arpa", LDNS_RR_TYPE_A, QueryOptions().with_id(id)));
    std::vector<bool> seen(101, false);
    size_t answers = 0;
    Bytes buf(2048);
    while (answers < 100 && readable(fd.get(), 2000ms)) {
        const ssize_t n = ::recv(fd.get(), buf.data(), buf.size(), 0);
        REQUIRE(n > 12);
        const size_t id = static_cast<size_t>(buf[0] << 8 | buf[1]);
        REQUIRE(id >= 1);
        REQUIRE(id <= 100);
        CHECK_FALSE(seen[id]);
        seen[id] = true;
        ++answers;
    }
    CHECK(answers == 100);
    CHECK_FALSE(readable(fd.get(), 200ms));  // nothing for the oversize datagram
    CHECK(server.stats().dropped == 1);
}

TEST_CASE("server: several queries on one TCP connection, answered in order") {
    Fixture f;
    DnsServer server("127.0.0.1", 0, f.zones);
    server.start();
    const SocketFd c = tcp_connect(server.port());
    // Two queries in one write, then a third split across writes.
    Bytes both = framed(make_query("camera.home.arpa", LDNS_RR_TYPE_A, QueryOptions().with_id(1)));
    const Bytes second =
        framed(make_query("ghost.home.arpa", LDNS_RR_TYPE_A, QueryOptions().with_id(2)));
    both.insert(both.end(), second.begin(), second.end());
    send_all(c.get(), both);
    const Bytes third =
        framed(make_query("example.com", LDNS_RR_TYPE_A, QueryOptions().with_id(3)));
    send_all(c.get(), Bytes(third.begin(), third.begin() + 5));
    std::this_thread::sleep_for(50ms);
    send_all(c.get(), Bytes(third.begin() + 5, third.end()));

    const Bytes r1 = tcp_read_message(c.get()), r2 = tcp_read_message(c.get()),
                r3 = tcp_read_message(c.get());
    REQUIRE(r1.size() > 12);
    CHECK(r1[1] == 1);
    CHECK(rcode_of(r1) == LDNS_RCODE_NOERROR);
    CHECK(r2[1] == 2);
    CHECK(rcode_of(r2) == LDNS_RCODE_NXDOMAIN);
    CHECK(r3[1] == 3);
    CHECK(rcode_of(r3) == LDNS_RCODE_REFUSED);
}

TEST_CASE("server: a large answer truncates over UDP and comes whole over TCP") {
    Fixture f;
    HomeZoneInput in = test_home_input();
    for (int i = 0; i < 40; ++i)
        in.hosts.push_back({"alias-" + std::to_string(i), *Ipv4::parse("192.168.1.99")});
    f.zones.publish(std::make_shared<const ZoneSet>(build_home_zone(in)));
    DnsServer server("127.0.0.1", 0, f.zones);
    server.start();
    const Bytes query = make_query("99.1.168.192.in-addr.arpa", LDNS_RR_TYPE_PTR);
    const LdnsPkt udp = parse_response(udp_exchange(server.port(), query));
    REQUIRE(udp);
    CHECK(ldns_pkt_tc(udp.get()));
    const SocketFd c = tcp_connect(server.port());
    send_all(c.get(), framed(query));
    const LdnsPkt tcp = parse_response(tcp_read_message(c.get()));
    REQUIRE(tcp);
    CHECK_FALSE(ldns_pkt_tc(tcp.get()));
    CHECK(ldns_pkt_ancount(tcp.get()) == 40);
    CHECK(server.stats().truncated == 1);
}

TEST_CASE("server: a stalled TCP client is cut off and does not delay UDP") {
    Fixture f;
    DnsServerOptions limits;
    limits.tcp.idle_timeout = 1500ms;
    DnsServer server("127.0.0.1", 0, f.zones, limits);
    server.start();
    const SocketFd idle = tcp_connect(server.port());
    const SocketFd partial = tcp_connect(server.port());
    send_all(partial.get(), Bytes{0xff, 0xff, 1, 2, 3});  // declares 65,535, sends 3

    const auto start = std::chrono::steady_clock::now();
    CHECK_FALSE(
        udp_exchange(server.port(), make_query("camera.home.arpa", LDNS_RR_TYPE_A)).empty());
    CHECK(std::chrono::steady_clock::now() - start < 1000ms);

    CHECK(closed_by_peer(idle.get(), 5000ms));
    CHECK(closed_by_peer(partial.get(), 5000ms));
    CHECK(server.stats().tcp_timeouts == 2);
}

TEST_CASE("server: a trickling client does not extend its deadline") {
    Fixture f;
    DnsServerOptions limits;
    limits.tcp.idle_timeout = 400ms;
    DnsServer server("127.0.0.1", 0, f.zones, limits);
    server.start();
    const SocketFd c = tcp_connect(server.port());
    const Bytes q = framed(make_query("camera.home.arpa", LDNS_RR_TYPE_A));
    const auto start = std::chrono::steady_clock::now();
    for (size_t i = 0; i + 1 < q.size() && !closed_by_peer(c.get(), 100ms); ++i)
        ::send(c.get(), &q[i], 1, MSG_NOSIGNAL);
    CHECK(std::chrono::steady_clock::now() - start < 2500ms);
}

TEST_CASE("server: a 64 KiB message of garbage gets FORMERR, a response closes the stream") {
    Fixture f;
    DnsServer server("127.0.0.1", 0, f.zones);
    server.start();
    const SocketFd c = tcp_connect(server.port());
    Bytes garbage(65535, 0x41);
    garbage[0] = 0xab;
    garbage[2] = 0x01;
    garbage[5] = 1;  // QDCOUNT 1
    send_all(c.get(), framed(garbage));
    const Bytes r = tcp_read_message(c.get());
    REQUIRE(r.size() == 12);
    CHECK(rcode_of(r) == LDNS_RCODE_FORMERR);
    // The same connection still answers, until it sends a response (QR set).
    send_all(c.get(), framed(make_query("camera.home.arpa", LDNS_RR_TYPE_A)));
    CHECK(rcode_of(tcp_read_message(c.get())) == LDNS_RCODE_NOERROR);
    Bytes response = make_query("camera.home.arpa", LDNS_RR_TYPE_A);
    response[2] |= 0x80;
    send_all(c.get(), framed(response));
    CHECK(closed_by_peer(c.get(), 2000ms));
    // A zero length is not DNS either.
    const SocketFd z = tcp_connect(server.port());
    send_all(z.get(), Bytes{0, 0});
    CHECK(closed_by_peer(z.get(), 2000ms));
}

TEST_CASE("server: connections beyond the limit are closed at once") {
    Fixture f;
    DnsServerOptions limits;
    limits.tcp.max_connections = 2;
    DnsServer server("127.0.0.1", 0, f.zones, limits);
    server.start();
    const SocketFd a = tcp_connect(server.port());
    const SocketFd b = tcp_connect(server.port());
    std::this_thread::sleep_for(100ms);
    const SocketFd extra = tcp_connect(server.port());
    CHECK(closed_by_peer(extra.get(), 2000ms));
    send_all(a.get(), framed(make_query("camera.home.arpa", LDNS_RR_TYPE_A)));
    CHECK(rcode_of(tcp_read_message(a.get())) == LDNS_RCODE_NOERROR);
    CHECK(server.stats().tcp_rejected == 1);
}

TEST_CASE("server: one address gets its share of connections, not all of them") {
    Fixture f;
    DnsServerOptions limits;
    limits.tcp.max_connections = 4;
    limits.tcp.per_address = 1;
    DnsServer server("127.0.0.1", 0, f.zones, limits);
    server.start();
    const SocketFd a = tcp_connect(server.port());
    std::this_thread::sleep_for(100ms);
    const SocketFd same_address = tcp_connect(server.port());
    CHECK(closed_by_peer(same_address.get(), 2000ms));
    send_all(a.get(), framed(make_query("camera.home.arpa", LDNS_RR_TYPE_A)));
    CHECK(rcode_of(tcp_read_message(a.get())) == LDNS_RCODE_NOERROR);
    CHECK(server.stats().tcp_rejected == 1);
}

TEST_CASE("server: a published zone is what the next query sees") {
    Fixture f;
    DnsServer server("127.0.0.1", 0, f.zones);
    server.start();
    const Bytes q = make_query("camera.home.arpa", LDNS_RR_TYPE_A);
    CHECK(rcode_of(udp_exchange(server.port(), q)) == LDNS_RCODE_NOERROR);
    HomeZoneInput gone = test_home_input();
    gone.hosts.clear();
    f.zones.publish(std::make_shared<const ZoneSet>(build_home_zone(gone)));
    CHECK(rcode_of(udp_exchange(server.port(), q)) == LDNS_RCODE_NXDOMAIN);
}

TEST_CASE("server: start fails with the address when the port is taken") {
    Fixture f;
    DnsServer first("127.0.0.1", 0, f.zones);
    first.start();
    DnsServer second("127.0.0.1", first.port(), f.zones);
    try {
        second.start();
        FAIL("second server bound a taken port");
    } catch (const std::system_error& e) {
        CHECK(std::string(e.what()).find("127.0.0.1:" + std::to_string(first.port())) !=
              std::string::npos);
        CHECK(e.code().value() == EADDRINUSE);
    }
    DnsServer bad("not-an-address", 0, f.zones);
    CHECK_THROWS_AS(bad.start(), std::system_error);
    CHECK_THROWS_AS(first.start(), std::logic_error);
}

TEST_CASE("server: stop is prompt and idempotent") {
    Fixture f;
    DnsServer server("127.0.0.1", 0, f.zones);
    server.start();
    const SocketFd c = tcp_connect(server.port());
    const auto start = std::chrono::steady_clock::now();
    server.stop();
    server.stop();
    CHECK(std::chrono::steady_clock::now() - start < 2000ms);
    CHECK(closed_by_peer(c.get(), 1000ms));
}

TEST_CASE("server: IPv6 loopback works when the host has it") {
    Fixture f;
    DnsServer server("::1", 0, f.zones);
    try {
        server.start();
    } catch (const std::system_error& e) {
        WARN("no IPv6 loopback here: " << e.what());
        return;
    }
    SocketFd fd(::socket(AF_INET6, SOCK_DGRAM, 0));
    sockaddr_in6 to{};
    to.sin6_family = AF_INET6;
    to.sin6_port = htons(static_cast<uint16_t>(server.port()));
    to.sin6_addr = in6addr_loopback;
    const Bytes q = make_query("camera.home.arpa", LDNS_RR_TYPE_A);
    ::sendto(fd.get(), q.data(), q.size(), 0, reinterpret_cast<const sockaddr*>(&to), sizeof to);
    REQUIRE(readable(fd.get(), 2000ms));
    uint8_t buf[512];
    CHECK(::recv(fd.get(), buf, sizeof buf, 0) > 12);
}
