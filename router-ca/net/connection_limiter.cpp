#include "net/connection_limiter.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <utility>

namespace rca {

ConnectionLimiter::Slot::~Slot() {
    if (owner_) owner_->release(address_);
}

ConnectionLimiter::Slot& ConnectionLimiter::Slot::operator=(Slot&& o) noexcept {
    if (this != &o) {
        if (owner_) owner_->release(address_);
        owner_ = std::exchange(o.owner_, nullptr);
        address_ = std::move(o.address_);
    }
    return *this;
}

ConnectionLimiter::Verdict ConnectionLimiter::admit(const std::string& address,
                                                    std::optional<Slot>& slot) {
    std::lock_guard<std::mutex> lock(mutex_);
    // An address appears in the map only while it holds a connection, so the map is bounded by
    // `total` entries whatever the number of addresses that ever connected.
    const auto found = per_address_.find(address);
    const size_t held = found == per_address_.end() ? 0 : found->second;
    Verdict verdict = Verdict::admitted;
    if (held >= limits_.per_address)
        verdict = Verdict::per_address_full;
    else if (open_ >= limits_.total)
        verdict = Verdict::total_full;
    if (verdict != Verdict::admitted) {
        ++refused_;
        return verdict;
    }
    ++per_address_[address];
    ++open_;
    slot.emplace(Slot(this, address));
    return verdict;
}

void ConnectionLimiter::release(const std::string& address) {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto found = per_address_.find(address);
    if (found == per_address_.end()) return;
    if (--found->second == 0) per_address_.erase(found);
    --open_;
}

uint64_t ConnectionLimiter::refused() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return refused_;
}

size_t ConnectionLimiter::open() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return open_;
}

std::string ip_text(const sockaddr_storage& address, int* port) {
    char text[INET6_ADDRSTRLEN] = "";
    if (address.ss_family == AF_INET6) {
        const auto& a = reinterpret_cast<const sockaddr_in6&>(address);
        ::inet_ntop(AF_INET6, &a.sin6_addr, text, sizeof text);
        if (port) *port = ntohs(a.sin6_port);
    } else if (address.ss_family == AF_INET) {
        const auto& a = reinterpret_cast<const sockaddr_in&>(address);
        ::inet_ntop(AF_INET, &a.sin_addr, text, sizeof text);
        if (port) *port = ntohs(a.sin_port);
    }
    return text;
}

}  // namespace rca
