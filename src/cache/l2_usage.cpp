#include "cache/l2_usage.hpp"

#include "cache/redis_pool.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <spdlog/spdlog.h>

#include <charconv>
#include <mutex>

namespace fruitpak::cache {

struct L2UsageSampler::State {
  State(RedisPool& r, KeyBuilder k, std::chrono::seconds i) : redis(r), keys(std::move(k)), interval(i) {}

  RedisPool& redis;
  const KeyBuilder keys;
  const std::chrono::seconds interval;

  std::mutex mutex;  // guards the three below
  std::shared_ptr<const L2Usage> latest;
  std::optional<std::chrono::steady_clock::time_point> last_started;
  bool refreshing = false;
};

namespace {

// Our namespace's entries and bytes by prefix, and Redis's own totals summed over the
// masters (one node, or every master of a cluster); eviction events count as enabled only
// if every master publishes them, and as unknown if one does not say.
net::awaitable<Result<L2Usage>> take_sample(RedisPool& redis, const KeyBuilder& keys) {
  auto usage = co_await scan_namespace(redis, keys, std::nullopt, true);
  if (!usage) co_return usage.error();
  auto masters = co_await redis.masters();
  if (!masters) co_return masters.error();
  L2Usage sample;
  sample.prefixes = std::move(usage->prefixes);
  bool flags_known = !masters->empty();  // CONFIG GET may be renamed or refused
  bool all_publish = true;
  for (auto* node : *masters) {
    std::vector<std::string> info{"INFO", "memory", "stats"};  // multi-section INFO: Redis 7
    auto reply = co_await node->command(std::move(info));
    if (!reply) co_return reply.error();
    sample.used_memory += info_field(reply->text, "used_memory").value_or(0);
    sample.maxmemory += info_field(reply->text, "maxmemory").value_or(0);
    sample.evicted_keys += info_field(reply->text, "evicted_keys").value_or(0);
    sample.expired_keys += info_field(reply->text, "expired_keys").value_or(0);
    std::vector<std::string> config{"CONFIG", "GET", "notify-keyspace-events"};
    auto flags = co_await node->command(std::move(config));
    if (flags && flags->type == RedisReply::Type::kArray && flags->elements.size() == 2) {
      all_publish = all_publish && publishes_evictions(flags->elements[1].text);
    } else {
      flags_known = false;
    }
  }
  if (flags_known) sample.eviction_events = all_publish;
  sample.taken = std::chrono::steady_clock::now();
  co_return sample;
}

}  // namespace

L2UsageSampler::L2UsageSampler(RedisPool& redis, KeyBuilder keys, std::chrono::seconds interval)
    : state_(std::make_shared<State>(redis, std::move(keys), interval)) {}

std::shared_ptr<const L2Usage> L2UsageSampler::latest(const net::any_io_executor& executor) {
  const auto now = std::chrono::steady_clock::now();
  std::shared_ptr<const L2Usage> current;
  bool start = false;
  {
    std::lock_guard lock(state_->mutex);
    current = state_->latest;
    start = !state_->refreshing && (!state_->last_started || now - *state_->last_started >= state_->interval);
    if (start) {
      state_->refreshing = true;
      state_->last_started = now;
    }
  }
  if (start) net::co_spawn(executor, refresh(state_), net::detached);
  return current;
}

net::awaitable<void> L2UsageSampler::refresh(std::shared_ptr<State> state) {
  Result<L2Usage> sample = make_error(Errc::kUnavailable, "not sampled");
  try {
    sample = co_await take_sample(state->redis, state->keys);
  } catch (const std::exception& e) {
    sample = make_error(Errc::kInternal, e.what());
  }
  if (!sample) spdlog::debug("redis usage sample failed: {}", sample.error().message);
  std::lock_guard lock(state->mutex);
  if (sample) state->latest = std::make_shared<const L2Usage>(std::move(*sample));
  state->refreshing = false;
}

void L2EvictionCounter::evicted(std::string_view key) {
  const auto parts = keys_.parse(key);
  if (!parts || parts->generation) return;
  std::lock_guard lock(mutex_);
  ++counts_[parts->prefix];
}

std::map<std::string, std::uint64_t> L2EvictionCounter::by_prefix() const {
  std::lock_guard lock(mutex_);
  return counts_;
}

bool publishes_evictions(std::string_view flags) {
  const bool keyevent = flags.find('E') != std::string_view::npos;
  const bool evicted = flags.find('e') != std::string_view::npos || flags.find('A') != std::string_view::npos;
  return keyevent && evicted;
}

std::optional<std::uint64_t> info_field(std::string_view info, std::string_view name) {
  std::size_t at = 0;
  while (at < info.size()) {
    auto end = info.find('\n', at);
    if (end == std::string_view::npos) end = info.size();
    std::string_view line = info.substr(at, end - at);
    at = end + 1;
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (line.size() <= name.size() || !line.starts_with(name) || line[name.size()] != ':') continue;
    const std::string_view value = line.substr(name.size() + 1);
    std::uint64_t parsed = 0;
    const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), parsed);
    if (ec != std::errc{} || ptr != value.data() + value.size()) return std::nullopt;
    return parsed;
  }
  return std::nullopt;
}

}  // namespace fruitpak::cache
