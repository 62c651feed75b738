#include "core/types.hpp"

namespace rca {
namespace {

template <class E, size_t N>
std::optional<E> lookup(const char* const (&names)[N], const std::string& text) {
    for (size_t i = 0; i < N; ++i)
        if (text == names[i]) return static_cast<E>(i);
    return std::nullopt;
}

// Indexed by the enum's value; the order must follow the enum declarations.
const char* const kRequestStatusNames[] = {"pending", "issued", "denied", "overlap", "expired"};
const char* const kDeviceSourceNames[] = {"native", "router"};
const char* const kIssueKindNames[] = {"enrolment", "renewal", "router"};

}  // namespace

const char* to_string(RequestStatus s) { return kRequestStatusNames[static_cast<int>(s)]; }
std::optional<RequestStatus> request_status_from(const std::string& t) {
    return lookup<RequestStatus>(kRequestStatusNames, t);
}
const char* to_string(DeviceSource s) { return kDeviceSourceNames[static_cast<int>(s)]; }
std::optional<DeviceSource> device_source_from(const std::string& t) {
    return lookup<DeviceSource>(kDeviceSourceNames, t);
}
const char* to_string(IssueKind k) { return kIssueKindNames[static_cast<int>(k)]; }
std::optional<IssueKind> issue_kind_from(const std::string& t) {
    return lookup<IssueKind>(kIssueKindNames, t);
}

}  // namespace rca
