#include "denrol/address_report.hpp"

namespace denrol {

std::optional<std::string> address_to_report(const std::optional<std::string>& detected,
                                             const AddressMemory& memory) {
    if (!detected || detected->empty()) return std::nullopt;
    if (*detected == memory.reported || *detected == memory.refused) return std::nullopt;
    return detected;
}

UpdateFailure classify_update_failure(const Error& e) {
    switch (e.code) {
        case Errc::local:
        case Errc::usage:
            return UpdateFailure::stop;
        case Errc::refused:
            if (e.http_status == 401 || e.http_status == 403) return UpdateFailure::stop;
            // 5xx is the router's passing trouble; 4xx is about this request and would only be
            // refused again.
            return e.http_status >= 500 ? UpdateFailure::retry_later : UpdateFailure::skip_address;
        default:
            return UpdateFailure::retry_later;
    }
}

}  // namespace denrol
