#pragma once
// In-process request rate limiting (contract section 1.7, decision D3). Counting happens in
// memory only, so a Redis outage never fails or unlimits a request. No I/O; time is passed in.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

namespace fruitpak::util {

// Requires: limit >= 1 and 1 s <= window <= 24 h (the arithmetic is in milliseconds and
// stays far from overflow inside that range).
struct RateLimit {
  int limit;
  std::chrono::seconds window;
};

// What one request gets; maps onto 429, Retry-After and the X-RateLimit-* headers.
struct RateDecision {
  bool allowed;
  int limit;
  int remaining;             // slots left after this request; 0 when refused
  std::int64_t reset_epoch;  // epoch seconds (rounded up) when the count next drops by one
  std::int64_t retry_after;  // seconds (rounded up), >= 1 when refused, 0 when allowed
};

// Sliding-window rate limiter for one limit class (login, register, user, anonymous IP),
// keyed by identity ("ip:10.0.0.1", "user:<id>").
//
// Two algorithms, chosen by the limit:
// - limit <= 64: an exact sliding log, a per-key ring of the counted request times. A request
//   is refused when `limit` requests were counted in the last `window`, and Retry-After is the
//   time until the oldest of them leaves the window. Small limits (login 5/60 s) are where
//   users notice an off-by-one, and 64 timestamps per key is cheap.
// - limit > 64: a two-bucket sliding-window counter (two fixed windows anchored at the key's
//   first request; the previous one is weighted by how much of it still overlaps the sliding
//   window). Constant memory per key whatever the limit. It assumes the previous window's
//   requests were spread evenly, so after a burst capacity comes back gradually (one slot per
//   window/limit) instead of all at once; a fresh key gets exactly `limit`.
//
// Memory: keys are spread over 16 shards of at most max(1, max_keys / 16) keys each. A full
// shard first drops keys whose requests have all left the window, then the least recently
// used one.
//
// Safe for concurrent use from many threads; one instance per limit class. A call takes one
// shard mutex and does one hash lookup; checking a known key does not allocate.
class RateLimiter {
 public:
  explicit RateLimiter(RateLimit limit, std::size_t max_keys = 100'000);
  ~RateLimiter();
  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  // Decides on one request of `key` at `now` and counts it if allowed. Refused requests are
  // not counted (a client hammering a closed door does not extend its own lock-out).
  RateDecision check(std::string_view key, std::chrono::system_clock::time_point now);

  // The state of `key` at `now` without counting anything: `allowed` is what check() would
  // answer, `remaining` the slots free right now (`limit` for an unknown key).
  RateDecision peek(std::string_view key, std::chrono::system_clock::time_point now) const;

  // Number of keys currently tracked, at most max(max_keys, 16).
  std::size_t size() const;

  const RateLimit& limit() const { return limit_; }

 private:
  struct Entry;
  struct Shard;

  Shard& shard_for(std::string_view key) const;
  Entry& find_or_insert(Shard& shard, std::string_view key, std::int64_t now_ms);
  void make_room(Shard& shard, std::int64_t now_ms);
  RateDecision check_exact(Entry& entry, std::int64_t now_ms) const;
  RateDecision check_counter(Entry& entry, std::int64_t now_ms) const;
  RateDecision peek_exact(const Entry& entry, std::int64_t now_ms) const;
  RateDecision peek_counter(const Entry& entry, std::int64_t now_ms) const;
  RateDecision decision(bool allowed, std::int64_t remaining, std::int64_t free_at_ms,
                        std::int64_t now_ms) const;

  RateLimit limit_;
  std::int64_t window_ms_;
  std::int64_t retention_ms_;  // how long after its last request a key can still matter
  bool is_exact_;
  std::size_t shard_capacity_;
  std::unique_ptr<Shard[]> shards_;
};

}  // namespace fruitpak::util
