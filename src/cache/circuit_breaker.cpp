#include "cache/circuit_breaker.hpp"

#include <algorithm>

namespace fruitpak::cache {

std::string_view to_string(BreakerState state) {
  switch (state) {
    case BreakerState::kClosed: return "closed";
    case BreakerState::kOpen: return "open";
    case BreakerState::kHalfOpen: return "half-open";
  }
  return "unknown";
}

CircuitBreaker::CircuitBreaker(CircuitBreakerOptions options, Clock clock)
    : options_(options), clock_(std::move(clock)), open_for_(options.open_for) {}

bool CircuitBreaker::allow() {
  if (state_.load(std::memory_order_acquire) == BreakerState::kClosed) return true;
  std::lock_guard lock(mutex_);
  switch (state_.load(std::memory_order_relaxed)) {
    case BreakerState::kClosed:
      return true;
    case BreakerState::kOpen:
      if (clock_() >= open_until_) {
        state_.store(BreakerState::kHalfOpen, std::memory_order_release);
        is_probe_in_flight_ = true;
        return true;
      }
      break;
    case BreakerState::kHalfOpen:
      if (!is_probe_in_flight_) {  // the previous probe was abandoned
        is_probe_in_flight_ = true;
        return true;
      }
      break;
  }
  rejected_total_.fetch_add(1, std::memory_order_relaxed);
  return false;
}

bool CircuitBreaker::record_success() {
  // The healthy path: nothing to reset, so no lock. A failure recorded concurrently may
  // be kept or lost; either order of the two calls would have been as valid.
  if (state_.load(std::memory_order_acquire) == BreakerState::kClosed &&
      consecutive_failures_.load(std::memory_order_relaxed) == 0) {
    return false;
  }
  std::lock_guard lock(mutex_);
  switch (state_.load(std::memory_order_relaxed)) {
    case BreakerState::kClosed:
      consecutive_failures_.store(0, std::memory_order_relaxed);
      return false;
    case BreakerState::kOpen:
      return false;
    case BreakerState::kHalfOpen:
      consecutive_failures_.store(0, std::memory_order_relaxed);
      open_for_ = options_.open_for;
      is_probe_in_flight_ = false;
      state_.store(BreakerState::kClosed, std::memory_order_release);
      return true;
  }
  return false;
}

bool CircuitBreaker::record_failure() {
  std::lock_guard lock(mutex_);
  switch (state_.load(std::memory_order_relaxed)) {
    case BreakerState::kClosed: {
      const int failures = consecutive_failures_.load(std::memory_order_relaxed) + 1;
      consecutive_failures_.store(failures, std::memory_order_relaxed);
      if (failures < options_.failure_threshold) return false;
      open_locked(open_for_);
      return true;
    }
    case BreakerState::kOpen:
      return false;
    case BreakerState::kHalfOpen:
      open_for_ = std::min(open_for_ * 2, options_.max_open_for);
      open_locked(open_for_);
      return true;
  }
  return false;
}

void CircuitBreaker::record_abandoned() {
  if (state_.load(std::memory_order_acquire) == BreakerState::kClosed) return;
  std::lock_guard lock(mutex_);
  if (state_.load(std::memory_order_relaxed) == BreakerState::kHalfOpen) is_probe_in_flight_ = false;
}

bool CircuitBreaker::should_warn() {
  if (state_.load(std::memory_order_acquire) == BreakerState::kClosed) return false;
  std::lock_guard lock(mutex_);
  if (state_.load(std::memory_order_relaxed) == BreakerState::kClosed || has_warned_) return false;
  has_warned_ = true;
  return true;
}

CircuitBreakerStats CircuitBreaker::stats() const {
  std::lock_guard lock(mutex_);
  return CircuitBreakerStats{state_.load(std::memory_order_relaxed),
                             consecutive_failures_.load(std::memory_order_relaxed), open_for_,
                             opened_total_.load(std::memory_order_relaxed),
                             rejected_total_.load(std::memory_order_relaxed)};
}

void CircuitBreaker::open_locked(std::chrono::milliseconds period) {
  open_until_ = clock_() + period;
  is_probe_in_flight_ = false;
  has_warned_ = false;  // a new period: one more warning allowed
  opened_total_.fetch_add(1, std::memory_order_relaxed);
  state_.store(BreakerState::kOpen, std::memory_order_release);
}

}  // namespace fruitpak::cache
