#include "net/neighbour_table.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

namespace rca {

std::optional<std::string> arp_table_mac(const std::string& proc_net_arp, const std::string& ipv4) {
    constexpr unsigned kCompleted = 0x2;  // ATF_COM, <linux/if_arp.h>
    std::istringstream lines(proc_net_arp);
    std::string line;
    std::getline(lines, line);  // the column titles
    while (std::getline(lines, line)) {
        std::istringstream fields(line);
        std::string address, type, flags, mac;
        if (!(fields >> address >> type >> flags >> mac) || address != ipv4) continue;
        unsigned value = 0;
        try {
            value = static_cast<unsigned>(std::stoul(flags, nullptr, 16));
        } catch (const std::exception&) {
            continue;
        }
        if (!(value & kCompleted)) continue;
        std::transform(mac.begin(), mac.end(), mac.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        return mac;
    }
    return std::nullopt;
}

std::optional<std::string> neighbour_mac(const std::string& ipv4) {
    std::ifstream file("/proc/net/arp");
    if (!file) return std::nullopt;
    std::ostringstream text;
    text << file.rdbuf();
    return arp_table_mac(text.str(), ipv4);
}

}  // namespace rca
