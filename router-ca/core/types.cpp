#include "core/types.hpp"

#include "common/enum_names.hpp"

namespace rca {
namespace {

// Indexed by the enum's value; the order must follow the enum declarations.
const char* const kRequestStatusNames[] = {"pending", "issued", "denied", "overlap", "expired"};
const char* const kDeviceSourceNames[] = {"native", "router", "acme"};
const char* const kIssueKindNames[] = {"enrolment", "renewal", "router"};

}  // namespace

const char* to_string(RequestStatus s) { return enum_name(kRequestStatusNames, s); }
std::optional<RequestStatus> request_status_from(const std::string& t) {
    return enum_from_name<RequestStatus>(kRequestStatusNames, t);
}
const char* to_string(DeviceSource s) { return enum_name(kDeviceSourceNames, s); }
std::optional<DeviceSource> device_source_from(const std::string& t) {
    return enum_from_name<DeviceSource>(kDeviceSourceNames, t);
}
const char* to_string(IssueKind k) { return enum_name(kIssueKindNames, k); }
std::optional<IssueKind> issue_kind_from(const std::string& t) {
    return enum_from_name<IssueKind>(kIssueKindNames, t);
}

}  // namespace rca
