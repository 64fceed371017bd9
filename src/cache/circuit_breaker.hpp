#pragma once
// A circuit breaker in front of a remote dependency (the L2 cache's Redis). When the
// dependency keeps failing, callers stop trying for a while instead of each paying a
// timeout: a cache must never make a request slower than the database would.
//
//   closed    every call is allowed; `failure_threshold` consecutive failures open it
//   open      every call is refused until the open period ends
//   half-open one caller (the probe) is let through, the others are still refused; the
//             probe's success closes the circuit, its failure reopens it for twice the
//             previous period (capped at `max_open_for`)

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string_view>

namespace fruitpak::cache {

struct CircuitBreakerOptions {
  int failure_threshold = 5;                      // Requires: >= 1
  std::chrono::milliseconds open_for{5000};       // first open period; Requires: > 0
  std::chrono::milliseconds max_open_for{60000};  // cap of the doubling; Requires: >= open_for
};

enum class BreakerState { kClosed, kOpen, kHalfOpen };

// "closed", "open", "half-open": for logs and the stats endpoints.
std::string_view to_string(BreakerState state);

struct CircuitBreakerStats {
  BreakerState state = BreakerState::kClosed;
  int consecutive_failures = 0;
  std::chrono::milliseconds open_for{0};  // the period the next (or current) opening lasts
  std::uint64_t opened_total = 0;         // openings, re-openings after a failed probe included
  std::uint64_t rejected_total = 0;       // calls refused by allow()
};

// Safe for concurrent use from any thread; one instance per dependency. In the closed
// state allow() and record_success() are one atomic load each (no lock), so the breaker
// costs nothing measurable while the dependency is healthy.
class CircuitBreaker {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  // `clock` is injectable for tests; it is called under the breaker's lock and only
  // outside the closed state.
  explicit CircuitBreaker(CircuitBreakerOptions options = {},
                          Clock clock = [] { return std::chrono::steady_clock::now(); });
  CircuitBreaker(const CircuitBreaker&) = delete;
  CircuitBreaker& operator=(const CircuitBreaker&) = delete;

  // Asks to make one call. True in the closed state; in the open state true only once the
  // open period has ended, and then for exactly one caller (the probe; the circuit turns
  // half-open). Every allowed call must be followed by record_success(), record_failure()
  // or record_abandoned(); otherwise a probe stays in flight and the circuit never closes.
  bool allow();

  // Returns true when this call closed the circuit (the probe succeeded): the caller logs
  // the recovery and resynchronises whatever it may have missed. A success while open
  // (a call admitted before the circuit opened) changes nothing.
  bool record_success();

  // Returns true when this call opened the circuit (threshold reached, or the probe
  // failed). A failure while open (a call admitted before) changes nothing.
  bool record_failure();

  // The allowed call never reached the dependency (pool exhausted, caller cancelled): it
  // is neither a success nor a failure. A probe's slot is freed for the next caller.
  void record_abandoned();

  // True at most once per open period, and never while closed: whoever records a
  // failure asks this to log one warning per back-off period instead of one per request.
  bool should_warn();

  BreakerState state() const { return state_.load(std::memory_order_acquire); }
  CircuitBreakerStats stats() const;

 private:
  void open_locked(std::chrono::milliseconds period);

  const CircuitBreakerOptions options_;
  const Clock clock_;
  mutable std::mutex mutex_;
  // Written under mutex_; read without it on the fast paths.
  std::atomic<BreakerState> state_{BreakerState::kClosed};
  std::atomic<int> consecutive_failures_{0};
  // Guarded by mutex_.
  std::chrono::milliseconds open_for_;
  std::chrono::steady_clock::time_point open_until_{};
  bool is_probe_in_flight_ = false;
  bool has_warned_ = false;
  std::atomic<std::uint64_t> opened_total_{0};
  std::atomic<std::uint64_t> rejected_total_{0};
};

}  // namespace fruitpak::cache
