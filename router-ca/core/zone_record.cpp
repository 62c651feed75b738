#include "core/zone_record.hpp"

#include <utility>

#include "core/zone_name.hpp"

namespace rca {

bool SoaData::operator==(const SoaData& o) const {
    return canonical_name(mname) == canonical_name(o.mname) &&
           canonical_name(rname) == canonical_name(o.rname) && serial == o.serial &&
           refresh == o.refresh && retry == o.retry && expire == o.expire && minimum == o.minimum;
}

ResourceRecord ResourceRecord::a(std::string name, uint32_t ttl, Ipv4 address) {
    return {std::move(name), RrType::a, ttl, address};
}

ResourceRecord ResourceRecord::ns(std::string name, uint32_t ttl, std::string host) {
    return {std::move(name), RrType::ns, ttl, NameData{std::move(host)}};
}

ResourceRecord ResourceRecord::ptr(std::string name, uint32_t ttl, std::string target) {
    return {std::move(name), RrType::ptr, ttl, NameData{std::move(target)}};
}

ResourceRecord ResourceRecord::txt(std::string name, uint32_t ttl,
                                   std::vector<std::string> strings) {
    return {std::move(name), RrType::txt, ttl, TxtData{std::move(strings)}};
}

ResourceRecord ResourceRecord::soa(std::string name, uint32_t ttl, SoaData soa) {
    return {std::move(name), RrType::soa, ttl, std::move(soa)};
}

bool ResourceRecord::same_data(const ResourceRecord& o) const {
    if (type != o.type || canonical_name(name) != canonical_name(o.name)) return false;
    if (const auto* n = std::get_if<NameData>(&data)) {
        const auto* m = std::get_if<NameData>(&o.data);
        return m && canonical_name(n->name) == canonical_name(m->name);
    }
    return data == o.data;
}

}  // namespace rca
