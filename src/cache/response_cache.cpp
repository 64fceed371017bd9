#include "cache/response_cache.hpp"

#include "cache/l1_store.hpp"
#include "cache/redis_pool.hpp"
#include "util/etag.hpp"
#include "util/gzip.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <random>

namespace fruitpak::cache {
namespace {

using std::chrono::steady_clock;
using std::chrono::system_clock;

// Bodies smaller than this are sent as they are: gzip would not pay for its header.
constexpr std::size_t kGzipMinBytes = 1024;

// Raises a generation in Redis to max(stored + 1, ARGV[1]) and returns it; keeps the key
// for a day, longer than any entry it guards (ttl + fail-safe). Formatted with %d: Lua's
// own number-to-string would write 1.7641e+15 and lose digits (microsecond timestamps are
// below 2^53, so the double arithmetic itself is exact).
constexpr const char* kBumpScript =
    "local v = tonumber(redis.call('GET', KEYS[1]) or '0') "
    "local n = tonumber(ARGV[1]) "
    "if n <= v then n = v + 1 end "
    "local s = string.format('%d', n) "
    "redis.call('SET', KEYS[1], s, 'EX', 86400) "
    "return s";

std::uint64_t parse_u64(std::string_view text) {
  std::uint64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

std::int64_t millis(system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

// Wall-clock time (shared with other instances through Redis) as this process's steady time.
steady_clock::time_point to_steady(std::int64_t wall_millis) {
  const auto wall = system_clock::time_point(std::chrono::milliseconds(wall_millis));
  return steady_clock::now() + std::chrono::duration_cast<steady_clock::duration>(wall - system_clock::now());
}

std::chrono::milliseconds jittered(std::chrono::seconds ttl, double jitter) {
  thread_local std::mt19937_64 random{std::random_device{}()};
  std::uniform_real_distribution<double> factor(1.0 - jitter, 1.0 + jitter);
  return std::chrono::milliseconds(static_cast<std::int64_t>(static_cast<double>(ttl.count()) * 1000.0 * factor(random)));
}

// SCAN + UNLINK of one node's keys matching `match`, generation keys excepted; the count
// unlinked. Stops quietly at the first failure: an invalidation's generation bump has
// already made the entries unservable, the UNLINK only frees their memory sooner.
net::awaitable<std::size_t> unlink_matching(RedisNodePool& node, const std::string& match) {
  std::size_t removed = 0;
  std::string cursor = "0";
  do {
    std::vector<std::string> scan{"SCAN", cursor, "MATCH", match, "COUNT", "500"};
    auto page = co_await node.command(std::move(scan));
    if (!page || page->elements.size() != 2) break;
    cursor = page->elements[0].text;
    std::vector<std::string> unlink{"UNLINK"};
    for (const auto& k : page->elements[1].elements) {
      if (k.text.find(":gen:") == std::string::npos) unlink.push_back(k.text);
    }
    if (unlink.size() > 1) {
      auto gone = co_await node.command(std::move(unlink));
      if (gone && gone->type == RedisReply::Type::kInteger) removed += static_cast<std::size_t>(gone->integer);
    }
  } while (cursor != "0");
  co_return removed;
}

}  // namespace

struct ResponseCache::L2Lookup {
  std::uint64_t generation = 0;  // as Redis knows it (0: none stored)
  CachedResponsePtr entry;       // decoded, any age
};

std::string_view outcome_header(CacheOutcome outcome) {
  switch (outcome) {
    case CacheOutcome::kHitL1: return "HIT-L1";
    case CacheOutcome::kHitL2: return "HIT-L2";
    case CacheOutcome::kMiss: return "MISS";
    case CacheOutcome::kStale: return "STALE";
    case CacheOutcome::kBypass: return "BYPASS";
  }
  return "BYPASS";
}

// Layout: body, gzip body, etag, content type, then a one-line trailer
// "\nFP2 generation fresh_ms stale_ms body_len gzip_len etag_len type_len". The body comes
// first so that decoding can keep the value's own buffer as the body (no copy of the
// largest part); the trailer holds no newline, so the last one in the value starts it.
std::string encode_entry(const CachedResponse& e, system_clock::time_point fresh_until,
                         system_clock::time_point stale_until) {
  char trailer[160];
  const int n = std::snprintf(trailer, sizeof trailer, "\nFP2 %llu %lld %lld %zu %zu %zu %zu",
                              static_cast<unsigned long long>(e.generation), static_cast<long long>(millis(fresh_until)),
                              static_cast<long long>(millis(stale_until)), e.body.size(), e.gzip_body.size(),
                              e.etag.size(), e.content_type.size());
  std::string out;
  out.reserve(e.body.size() + e.gzip_body.size() + e.etag.size() + e.content_type.size() + static_cast<std::size_t>(n));
  out += e.body;
  out += e.gzip_body;
  out += e.etag;
  out += e.content_type;
  out.append(trailer, static_cast<std::size_t>(n));
  return out;
}

CachedResponsePtr decode_entry(std::string text) {
  const auto trailer = text.rfind('\n');
  if (trailer == std::string::npos || text.compare(trailer, 5, "\nFP2 ") != 0) return nullptr;
  unsigned long long generation = 0;
  long long fresh = 0, stale = 0;
  std::size_t body = 0, gzip = 0, etag = 0, type = 0;
  if (std::sscanf(text.c_str() + trailer + 1, "FP2 %llu %lld %lld %zu %zu %zu %zu", &generation, &fresh, &stale,
                  &body, &gzip, &etag, &type) != 7) {
    return nullptr;
  }
  // Each part no longer than the value, so the sum cannot wrap.
  if (body > trailer || gzip > trailer || etag > trailer || type > trailer || body + gzip + etag + type != trailer) {
    return nullptr;
  }
  auto entry = std::make_shared<CachedResponse>();
  entry->gzip_body.assign(text, body, gzip);
  entry->etag.assign(text, body + gzip, etag);
  entry->content_type.assign(text, body + gzip + etag, type);
  text.resize(body);
  entry->body = std::move(text);
  entry->generation = generation;
  entry->fresh_until = to_steady(fresh);
  entry->stale_until = to_steady(stale);
  return entry;
}

ResponseCache::ResponseCache(CacheOptions options, RedisPool* l2)
    : options_(std::move(options)), keys_(options_.version), l2_(l2) {
  if (options_.l1_bytes > 0) {
    l1_ = std::make_unique<L1Store>(L1Options{options_.l1_bytes, options_.l1_tenant_share});
  }
}

ResponseCache::~ResponseCache() = default;

void ResponseCache::declare(const CachePolicy& policy) {
  for (auto change : policy.invalidated_by) {
    auto& prefixes = prefixes_by_change_[std::string(domain::change_name(change))];
    if (std::find(prefixes.begin(), prefixes.end(), policy.prefix) == prefixes.end()) {
      prefixes.push_back(policy.prefix);
    }
  }
  counters_for(policy.prefix);
}

PrefixCounters& ResponseCache::counters_for(const std::string& prefix) {
  auto& slot = counters_[prefix];
  if (!slot) slot = std::make_unique<PrefixCounters>();
  return *slot;
}

CachedResponsePtr ResponseCache::make_entry(Loaded loaded, std::uint64_t generation, std::chrono::seconds ttl) const {
  auto entry = std::make_shared<CachedResponse>();
  entry->etag = util::etag_of(loaded.body);
  if (loaded.body.size() >= kGzipMinBytes) entry->gzip_body = util::gzip(loaded.body);
  entry->body = std::move(loaded.body);
  entry->content_type = std::move(loaded.content_type);
  entry->generation = generation;
  const auto now = steady_clock::now();
  entry->fresh_until = now + jittered(ttl, options_.ttl_jitter);
  entry->stale_until = entry->fresh_until + std::max(options_.failsafe, options_.stale_while_revalidate);
  return entry;
}

net::awaitable<ResponseCache::L2Lookup> ResponseCache::l2_lookup(const domain::TenantId& tenant,
                                                                 const std::string& prefix, const std::string& key,
                                                                 PrefixCounters& counters) {
  L2Lookup found;
  std::vector<std::vector<std::string>> commands{{"GET", keys_.generation_key(tenant, prefix)}, {"GET", key}};
  const auto started = steady_clock::now();
  auto replies = co_await l2_->pipeline(std::move(commands));
  counters.l2_latency.observe(steady_clock::now() - started);
  if (!replies || replies->size() != 2) {
    ++counters.l2_errors;
    co_return found;
  }
  if ((*replies)[0].type == RedisReply::Type::kString) found.generation = parse_u64((*replies)[0].text);
  if ((*replies)[1].type == RedisReply::Type::kString) found.entry = decode_entry(std::move((*replies)[1].text));
  co_return found;
}

net::awaitable<void> ResponseCache::l2_store(std::string key, CachedResponsePtr entry) {
  const auto now_steady = steady_clock::now();
  const auto now_wall = system_clock::now();
  const auto fresh = now_wall + std::chrono::duration_cast<system_clock::duration>(entry->fresh_until - now_steady);
  const auto stale = now_wall + std::chrono::duration_cast<system_clock::duration>(entry->stale_until - now_steady);
  const auto keep_ms = std::chrono::duration_cast<std::chrono::milliseconds>(entry->stale_until - now_steady).count();
  if (keep_ms <= 0) co_return;
  std::vector<std::string> command{"SET", std::move(key), encode_entry(*entry, fresh, stale), "PX",
                                   std::to_string(keep_ms)};
  (void)co_await l2_->command(std::move(command));
}

net::awaitable<CacheServed> ResponseCache::serve(const domain::TenantId& tenant, const CachePolicy& policy,
                                                 const CacheArgs& args, Loader load) {
  const std::string key = keys_.key(tenant, policy.prefix, policy.function, args);
  auto& counters = *counters_.at(policy.prefix);  // declared when the route was registered
  const auto lookup_started = steady_clock::now();
  auto now = lookup_started;
  std::uint64_t generation = generations_.current(tenant, policy.prefix);

  // L1: a hit is a pointer copy; an old-generation entry is invisible.
  CachedResponsePtr stale;
  if (l1_) {
    if (auto hit = l1_->get(key); hit && hit->generation >= generation) {
      if (now < hit->fresh_until) {
        ++counters.l1_hits;
        counters.l1_latency.observe(steady_clock::now() - lookup_started);
        co_return CacheServed{CacheOutcome::kHitL1, std::move(hit)};
      }
      if (now < hit->stale_until) stale = std::move(hit);
    }
  }

  // L2: the generation and the entry in one round trip.
  if (l2_) {
    auto found = co_await l2_lookup(tenant, policy.prefix, key, counters);
    generations_.observe(tenant, policy.prefix, found.generation);
    generation = std::max(generation, found.generation);
    if (found.entry && found.entry->generation >= generation) {
      now = steady_clock::now();
      if (now < found.entry->fresh_until) {
        if (l1_) l1_->put(key, tenant.value(), found.entry, policy.prefix);
        ++counters.l2_hits;
        co_return CacheServed{CacheOutcome::kHitL2, std::move(found.entry)};
      }
      if (!stale && now < found.entry->stale_until) stale = std::move(found.entry);
    }
  }
  if (stale && stale->generation < generation) stale = nullptr;

  // Miss. One load per key: while it runs, others get a recently expired entry
  // (stale-while-revalidate) or wait for the load's result.
  if (!flights_.try_lead(key)) {
    if (stale && steady_clock::now() < stale->fresh_until + options_.stale_while_revalidate) {
      ++counters.stale;
      co_return CacheServed{CacheOutcome::kStale, std::move(stale)};
    }
    if (auto shared = co_await flights_.follow(key)) {
      ++counters.misses;
      co_return CacheServed{CacheOutcome::kMiss, std::move(shared)};
    }
    ++counters.bypass;
    co_return CacheServed{};  // the leader had nothing to share: load for ourselves
  }

  // The leader ends the flight whatever happens, so followers are never stranded.
  struct FlightEnd {
    SingleFlight& flights;
    const std::string& key;
    bool done = false;
    void finish(const CachedResponsePtr& entry) {
      if (!done) flights.finish(key, entry);
      done = true;
    }
    ~FlightEnd() { finish(nullptr); }
  } flight_end{flights_, key};

  const auto started = steady_clock::now();
  Loaded loaded = co_await load();
  counters.load_latency.observe(steady_clock::now() - started);
  if (loaded.kind == Loaded::Kind::kCacheable) {
    // Stored under the generation read before the load: if a write committed meanwhile,
    // its bump is newer and this entry is never served (no stale write-back).
    auto entry = make_entry(std::move(loaded), generation, policy.ttl);
    if (l1_) l1_->put(key, tenant.value(), entry, policy.prefix);
    flight_end.finish(entry);
    if (l2_) co_await l2_store(key, entry);
    ++counters.misses;
    co_return CacheServed{CacheOutcome::kMiss, std::move(entry)};
  }
  if (loaded.kind == Loaded::Kind::kFailed && stale) {
    ++counters.stale;  // fail-safe: the database failed, a recent answer stands in
    co_return CacheServed{CacheOutcome::kStale, std::move(stale)};
  }
  ++counters.bypass;
  co_return CacheServed{};
}

net::awaitable<void> ResponseCache::bump(const domain::TenantId& tenant, const std::string& prefix) {
  const std::uint64_t local = generations_.bump(tenant, prefix);
  if (!l2_) co_return;
  std::vector<std::string> eval{"EVAL", kBumpScript, "1", keys_.generation_key(tenant, prefix), std::to_string(local)};
  auto stored = co_await l2_->command(std::move(eval));
  if (!stored || stored->type != RedisReply::Type::kString) co_return;  // Redis down: this instance knows
  const std::uint64_t agreed = parse_u64(stored->text);
  generations_.observe(tenant, prefix, agreed);
  std::vector<std::string> publish{"PUBLISH", channel(),
                                   tenant.value() + "\n" + prefix + "\n" + std::to_string(agreed)};
  (void)co_await l2_->command(std::move(publish));
}

net::awaitable<void> ResponseCache::changed(const domain::TenantId& tenant, std::vector<domain::Change> changes) {
  std::vector<std::string> prefixes;
  for (auto change : changes) {
    auto found = prefixes_by_change_.find(std::string(domain::change_name(change)));
    if (found == prefixes_by_change_.end()) continue;
    for (const auto& p : found->second) {
      if (std::find(prefixes.begin(), prefixes.end(), p) == prefixes.end()) prefixes.push_back(p);
    }
  }
  for (const auto& prefix : prefixes) co_await bump(tenant, prefix);
}

void ResponseCache::apply_published(const std::string& payload) {
  const auto first = payload.find('\n');
  const auto second = first == std::string::npos ? first : payload.find('\n', first + 1);
  if (second == std::string::npos) return;
  const domain::TenantId tenant(payload.substr(0, first));
  generations_.observe(tenant, std::string_view(payload).substr(first + 1, second - first - 1),
                       parse_u64(std::string_view(payload).substr(second + 1)));
}

void ResponseCache::forget_local() {
  if (l1_) l1_->clear();
  generations_.clear();
}

net::awaitable<std::size_t> ResponseCache::invalidate(const domain::TenantId& tenant, std::string prefix) {
  std::vector<std::string> prefixes;
  if (prefix.empty()) {
    for (const auto& [name, counters] : counters_) prefixes.push_back(name);
  } else {
    prefixes.push_back(prefix);
  }
  for (const auto& p : prefixes) co_await bump(tenant, p);
  std::size_t removed = 0;
  if (l1_) {
    removed += prefix.empty() ? l1_->erase_prefix(keys_.tenant_namespace(tenant))
                              : l1_->erase_prefix(keys_.prefix_namespace(tenant, prefix));
  }
  if (!l2_) co_return removed;
  // SCAN + UNLINK inside our namespace only; generation keys stay (they must never go back).
  // Every master of a cluster: the tenant's slot lives on one, but while it migrates its
  // keys are on two.
  const std::string match = (prefix.empty() ? keys_.tenant_namespace(tenant) : keys_.prefix_namespace(tenant, prefix)) + "*";
  auto masters = co_await l2_->masters();
  if (!masters) co_return removed;
  for (auto* node : *masters) {
    const std::size_t unlinked = co_await unlink_matching(*node, match);
    removed += unlinked;
  }
  co_return removed;
}

}  // namespace fruitpak::cache
