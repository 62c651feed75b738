#include "daemon/device_orders.hpp"

namespace rca {

std::optional<std::string> DeviceOrders::claim(const std::string& device) {
    const std::lock_guard<std::mutex> lock(mutex_);
    const auto [it, inserted] = held_.emplace(device, "");
    if (inserted) return std::nullopt;
    return it->second;
}

void DeviceOrders::remember(const std::string& device, const std::string& id) {
    const std::lock_guard<std::mutex> lock(mutex_);
    held_[device] = id;
}

void DeviceOrders::forget(const std::string& device) {
    const std::lock_guard<std::mutex> lock(mutex_);
    held_.erase(device);
}

void DeviceOrders::finished(const std::string& device, const std::string& id) {
    const std::lock_guard<std::mutex> lock(mutex_);
    const auto it = held_.find(device);
    if (it != held_.end() && it->second == id) held_.erase(it);
}

}  // namespace rca
