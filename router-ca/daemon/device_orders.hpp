#pragma once
// At most one pending public-certificate order per device (docs/hq.md "Router side"): HQ lets a
// home have 5 pending orders and 40 a week, so a device that posts again and again must not use
// up its home's quota. Kept in memory only: a restart forgets, and HQ's per-home limits still
// hold then.
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace rca {

class DeviceOrders {
  public:
    /// Claims device's slot for a new order: nullopt when granted (then end it with remember()
    /// or forget()); else the order id the device holds ("" while its submission is under way).
    std::optional<std::string> claim(const std::string& device);
    /// device's submission was accepted as order `id`.
    void remember(const std::string& device, const std::string& id);
    /// device's submission failed: its slot is free again.
    void forget(const std::string& device);
    /// Order `id` is no longer pending: device's slot is free again, unless it holds another.
    void finished(const std::string& device, const std::string& id);

  private:
    std::mutex mutex_;
    std::map<std::string, std::string> held_;  ///< device name -> order id ("" while submitting)
};

}  // namespace rca
