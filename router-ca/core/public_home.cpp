#include "core/public_home.hpp"

namespace rca {

std::string public_name(const PublicHome& home, const std::string& label) {
    return label + "." + home.zone;
}

void PublicHomeHolder::set(std::optional<PublicHome> home) {
    const std::lock_guard<std::mutex> lock(mutex_);
    home_ = std::move(home);
}

std::optional<PublicHome> PublicHomeHolder::get() const {
    const std::lock_guard<std::mutex> lock(mutex_);
    return home_;
}

}  // namespace rca
