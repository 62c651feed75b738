#pragma once
// Works pending certificate orders against the public CA, one step at a time (RFC 8555 §7.1:
// newOrder, authorization, DNS-01 challenge, finalize, certificate), persisting each step so that
// an order survives a restart and resumes where it stopped; and revokes the certificates of names
// their homes withdrew (§7.6), as one more step. One thread; it sleeps until an order is due or
// wake() is called.
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "core/time_source.hpp"
#include "hq/acme/acme_client.hpp"
#include "hq/core/hq_store.hpp"

namespace hq {

class OrderWorker {
  public:
    /// Works the orders of store with client; zone_changed is called with the order's home
    /// after its challenge records are added or removed. Everything must outlive the worker.
    OrderWorker(HqStore& store, AcmeClient& client, const rca::TimeSource& time,
                std::function<void(const std::string& home)> zone_changed);
    /// Stops and joins the thread.
    ~OrderWorker();
    OrderWorker(const OrderWorker&) = delete;
    OrderWorker& operator=(const OrderWorker&) = delete;

    /// Starts the thread.
    void start();
    /// Asks the thread to look for due orders now (a new order was accepted, a name withdrawn).
    void wake();
    /// Stops the thread and waits for it; idempotent. An order in the middle of a step is left
    /// at its last persisted step and resumed by the next start.
    void stop();

  private:
    void run();
    void work(CertificateOrder& order);
    // One step; returns normally having updated order (advanced, waiting or failed), or with
    // order unchanged and a transient failure in `failure`.
    void step(CertificateOrder& order, std::optional<AcmeFailure>& failure);
    void finish_failed(CertificateOrder& order, const std::string& problem_json);
    // The CA refused to revoke the order's certificate for good: it stays issued, with the
    // problem, until the home withdraws the name again.
    void revocation_refused(CertificateOrder& order, const std::string& problem_json);
    // The order's step is over for good: the order fails, or its revocation is refused.
    void give_up(CertificateOrder& order, const std::string& problem_json);
    // Asks the CA to revoke the issued certificate (RFC 8555 §7.6).
    void revoke(CertificateOrder& order, std::optional<AcmeFailure>& failure);

    HqStore& store_;
    AcmeClient& client_;
    const rca::TimeSource& time_;
    std::function<void(const std::string& home)> zone_changed_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool woken_ = false;
    // The account's own backoff while the CA cannot be reached (worker thread only).
    int account_failures_ = 0;
    rca::TimePoint account_retry_at_{};
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace hq
