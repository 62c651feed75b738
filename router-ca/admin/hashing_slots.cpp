#include "admin/hashing_slots.hpp"

namespace rca::admin {

HashingSlots::HashingSlots(size_t count) : count_(count) {}

HashingSlots::Slot::~Slot() {
    if (!owner_) return;
    const std::lock_guard<std::mutex> lock(owner_->mutex_);
    --owner_->taken_;
}

std::optional<HashingSlots::Slot> HashingSlots::try_take() {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (taken_ >= count_) return std::nullopt;
    ++taken_;
    return Slot(this);
}

}  // namespace rca::admin
