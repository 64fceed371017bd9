#include "util/rate_limiter.hpp"

#include <algorithm>
#include <cassert>
#include <functional>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

namespace fruitpak::util {
namespace {

constexpr std::size_t kShardCount = 16;
// Up to this limit the exact sliding log is used; see the class comment.
constexpr int kMaxExactLimit = 64;

std::int64_t to_millis(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

// Seconds, rounded up, so that "retry after N s" is never too early.
std::int64_t ceil_seconds(std::int64_t ms) { return ms >= 0 ? (ms + 999) / 1000 : -(-ms / 1000); }

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept {
    return std::hash<std::string_view>{}(s);
  }
};

// The two fixed windows of the counter algorithm as seen at one instant.
struct Buckets {
  std::int64_t start_ms;  // start of the current window
  std::int64_t previous;  // requests counted in [start - W, start)
  std::int64_t current;   // requests counted in [start, start + W)
};

// The estimated count at `now_ms`, multiplied by the window to stay in integers:
// previous * (W - elapsed) + current * W.
std::int64_t scaled_count(const Buckets& b, std::int64_t window_ms, std::int64_t now_ms) {
  const std::int64_t elapsed = std::clamp<std::int64_t>(now_ms - b.start_ms, 0, window_ms);
  return b.previous * (window_ms - elapsed) + b.current * window_ms;
}

// The earliest instant >= now_ms at which the estimated count is at most `target` (>= 0),
// assuming no further requests are counted.
std::int64_t counter_free_at(const Buckets& b, std::int64_t target, std::int64_t window_ms,
                             std::int64_t now_ms) {
  if (b.current <= target) {
    if (b.previous == 0) return now_ms;
    // previous * (W - e) <= (target - current) * W; flooring keeps the estimate <= target.
    const std::int64_t overlap = (target - b.current) * window_ms / b.previous;
    return std::max(now_ms, b.start_ms + window_ms - overlap);
  }
  // The current window alone is over target: it has to become the previous one and decay.
  const std::int64_t overlap = target * window_ms / b.current;
  return std::max(now_ms, b.start_ms + 2 * window_ms - overlap);
}

}  // namespace

struct RateLimiter::Entry {
  std::list<std::string_view>::iterator lru_position;
  std::int64_t last_seen_ms = 0;
  // Exact algorithm: ring of counted request times in ascending order, oldest at `head`.
  std::unique_ptr<std::int64_t[]> stamps;
  int head = 0;
  int count = 0;
  // Counter algorithm.
  Buckets buckets{0, 0, 0};
};

// alignas: shards are locked by different threads; keep their mutexes off one cache line.
struct alignas(64) RateLimiter::Shard {
  mutable std::mutex mutex;
  std::unordered_map<std::string, Entry, StringHash, std::equal_to<>> entries;
  // Most recently used first. The views point at the map's keys, which stay put when the
  // map rehashes (node-based container).
  std::list<std::string_view> lru;
};

RateLimiter::RateLimiter(RateLimit limit, std::size_t max_keys)
    : limit_(limit),
      window_ms_(std::chrono::duration_cast<std::chrono::milliseconds>(limit.window).count()),
      retention_ms_(0),
      is_exact_(limit.limit <= kMaxExactLimit),
      shard_capacity_(std::max<std::size_t>(1, max_keys / kShardCount)),
      shards_(std::make_unique<Shard[]>(kShardCount)) {
  assert(limit.limit >= 1);
  assert(limit.window >= std::chrono::seconds(1) && limit.window <= std::chrono::hours(24));
  // A counted request affects the exact log for one window, the counter for up to two.
  retention_ms_ = is_exact_ ? window_ms_ : 2 * window_ms_;
}

RateLimiter::~RateLimiter() = default;

RateLimiter::Shard& RateLimiter::shard_for(std::string_view key) const {
  return shards_[StringHash{}(key) % kShardCount];
}

RateDecision RateLimiter::check(std::string_view key, std::chrono::system_clock::time_point now) {
  const std::int64_t now_ms = to_millis(now);
  Shard& shard = shard_for(key);
  std::lock_guard lock(shard.mutex);
  Entry& entry = find_or_insert(shard, key, now_ms);
  entry.last_seen_ms = std::max(entry.last_seen_ms, now_ms);
  return is_exact_ ? check_exact(entry, now_ms) : check_counter(entry, now_ms);
}

RateDecision RateLimiter::peek(std::string_view key,
                               std::chrono::system_clock::time_point now) const {
  const std::int64_t now_ms = to_millis(now);
  const Shard& shard = shard_for(key);
  std::lock_guard lock(shard.mutex);
  auto it = shard.entries.find(key);
  if (it == shard.entries.end()) return decision(true, limit_.limit, now_ms, now_ms);
  return is_exact_ ? peek_exact(it->second, now_ms) : peek_counter(it->second, now_ms);
}

std::size_t RateLimiter::size() const {
  std::size_t total = 0;
  for (std::size_t i = 0; i < kShardCount; ++i) {
    std::lock_guard lock(shards_[i].mutex);
    total += shards_[i].entries.size();
  }
  return total;
}

RateLimiter::Entry& RateLimiter::find_or_insert(Shard& shard, std::string_view key,
                                                std::int64_t now_ms) {
  if (auto it = shard.entries.find(key); it != shard.entries.end()) {
    shard.lru.splice(shard.lru.begin(), shard.lru, it->second.lru_position);
    return it->second;
  }
  make_room(shard, now_ms);
  auto [it, inserted] = shard.entries.try_emplace(std::string(key));
  assert(inserted);
  Entry& entry = it->second;
  shard.lru.push_front(it->first);
  entry.lru_position = shard.lru.begin();
  entry.last_seen_ms = now_ms;
  if (is_exact_) entry.stamps = std::make_unique<std::int64_t[]>(limit_.limit);
  entry.buckets = {now_ms, 0, 0};
  return entry;
}

// Keys leave in LRU order. The LRU order is also the order of last use, so every key whose
// requests have all expired sits at the tail: dropping them is a walk from the tail, not a
// scan of the shard.
void RateLimiter::make_room(Shard& shard, std::int64_t now_ms) {
  if (shard.entries.size() < shard_capacity_) return;
  auto evict_tail = [&shard] {
    shard.entries.erase(shard.entries.find(shard.lru.back()));
    shard.lru.pop_back();
  };
  while (!shard.lru.empty()) {
    const Entry& oldest = shard.entries.find(shard.lru.back())->second;
    if (oldest.last_seen_ms + retention_ms_ > now_ms) break;
    evict_tail();
  }
  if (shard.entries.size() >= shard_capacity_) evict_tail();
}

RateDecision RateLimiter::check_exact(Entry& entry, std::int64_t now_ms) const {
  const int limit = limit_.limit;
  while (entry.count > 0 && entry.stamps[entry.head] + window_ms_ <= now_ms) {
    entry.head = (entry.head + 1) % limit;
    --entry.count;
  }
  if (entry.count >= limit) {
    return decision(false, 0, entry.stamps[entry.head] + window_ms_, now_ms);
  }
  // Keep the ring sorted even if callers' clocks disagree by a little.
  std::int64_t stamp = now_ms;
  if (entry.count > 0) {
    stamp = std::max(stamp, entry.stamps[(entry.head + entry.count - 1) % limit]);
  }
  entry.stamps[(entry.head + entry.count) % limit] = stamp;
  ++entry.count;
  return decision(true, limit - entry.count, entry.stamps[entry.head] + window_ms_, now_ms);
}

RateDecision RateLimiter::peek_exact(const Entry& entry, std::int64_t now_ms) const {
  const int limit = limit_.limit;
  int expired = 0;
  while (expired < entry.count &&
         entry.stamps[(entry.head + expired) % limit] + window_ms_ <= now_ms) {
    ++expired;
  }
  const int count = entry.count - expired;
  if (count == 0) return decision(true, limit, now_ms, now_ms);
  const std::int64_t free_at = entry.stamps[(entry.head + expired) % limit] + window_ms_;
  return decision(count < limit, limit - count, free_at, now_ms);
}

namespace {

// The buckets of `stored` moved forward to `now_ms`.
Buckets roll_buckets(const Buckets& stored, std::int64_t window_ms, std::int64_t now_ms) {
  // An idle key starts afresh, anchored at this request: a new burst then gets exactly
  // `limit`, not an amount that depends on where it falls in some fixed window.
  if (stored.previous == 0 && stored.current == 0) return {now_ms, 0, 0};
  if (now_ms < stored.start_ms + window_ms) return stored;
  if (now_ms < stored.start_ms + 2 * window_ms) {
    return {stored.start_ms + window_ms, stored.current, 0};
  }
  return {now_ms, 0, 0};
}

}  // namespace

RateDecision RateLimiter::check_counter(Entry& entry, std::int64_t now_ms) const {
  entry.buckets = roll_buckets(entry.buckets, window_ms_, now_ms);
  const std::int64_t capacity = limit_.limit * window_ms_;
  if (scaled_count(entry.buckets, window_ms_, now_ms) + window_ms_ > capacity) {
    return decision(false, 0, counter_free_at(entry.buckets, limit_.limit - 1, window_ms_, now_ms),
                    now_ms);
  }
  ++entry.buckets.current;
  // remaining = floor(limit - estimate), so limit - remaining = ceil(estimate) >= 1.
  const std::int64_t remaining =
      (capacity - scaled_count(entry.buckets, window_ms_, now_ms)) / window_ms_;
  const std::int64_t free_at =
      counter_free_at(entry.buckets, limit_.limit - remaining - 1, window_ms_, now_ms);
  return decision(true, remaining, free_at, now_ms);
}

RateDecision RateLimiter::peek_counter(const Entry& entry, std::int64_t now_ms) const {
  const Buckets buckets = roll_buckets(entry.buckets, window_ms_, now_ms);
  const std::int64_t capacity = limit_.limit * window_ms_;
  const std::int64_t scaled = scaled_count(buckets, window_ms_, now_ms);
  if (scaled == 0) return decision(true, limit_.limit, now_ms, now_ms);
  const std::int64_t remaining = (capacity - scaled) / window_ms_;
  const std::int64_t free_at =
      counter_free_at(buckets, limit_.limit - remaining - 1, window_ms_, now_ms);
  return decision(scaled + window_ms_ <= capacity, remaining, free_at, now_ms);
}

RateDecision RateLimiter::decision(bool allowed, std::int64_t remaining, std::int64_t free_at_ms,
                                   std::int64_t now_ms) const {
  RateDecision d{};
  d.allowed = allowed;
  d.limit = limit_.limit;
  d.remaining = allowed ? static_cast<int>(remaining) : 0;
  d.reset_epoch = ceil_seconds(free_at_ms);
  d.retry_after = allowed ? 0 : std::max<std::int64_t>(1, ceil_seconds(free_at_ms - now_ms));
  return d;
}

}  // namespace fruitpak::util
