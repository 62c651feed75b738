#include "net/neighbour_table.hpp"

#include <catch2/catch.hpp>

namespace rca {

TEST_CASE("the ARP table gives a complete entry's address, nothing for others") {
    const std::string table =
        "IP address       HW type     Flags       HW address            Mask     Device\n"
        "192.168.1.20     0x1         0x2         AA:bb:cc:dd:ee:01     *        br-lan\n"
        "192.168.1.2      0x1         0x0         00:00:00:00:00:00     *        br-lan\n"
        "192.168.1.200    0x1         0x6         aa:bb:cc:dd:ee:02     *        br-lan\n";
    CHECK(arp_table_mac(table, "192.168.1.20") == std::optional<std::string>("aa:bb:cc:dd:ee:01"));
    CHECK_FALSE(arp_table_mac(table, "192.168.1.2"));   // incomplete: no answer yet
    CHECK_FALSE(arp_table_mac(table, "192.168.1.3"));   // not there
    CHECK_FALSE(arp_table_mac(table, "192.168.1.2 "));  // whole fields only
    CHECK(arp_table_mac(table, "192.168.1.200") == std::optional<std::string>("aa:bb:cc:dd:ee:02"));
    CHECK_FALSE(arp_table_mac("", "192.168.1.20"));
    CHECK_FALSE(arp_table_mac("IP address HW type\n192.168.1.20 0x1 zz aa:bb\n", "192.168.1.20"));
}

}  // namespace rca
