#include "cache/redis_cluster.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <utility>

namespace fruitpak::cache {
namespace {

// CRC16-CCITT (XMODEM: polynomial 0x1021, initial value 0), the checksum Redis Cluster
// hashes keys with, one table lookup per byte.
constexpr std::array<std::uint16_t, 256> make_crc16_table() {
  std::array<std::uint16_t, 256> table{};
  for (unsigned byte = 0; byte < 256; ++byte) {
    auto crc = static_cast<std::uint16_t>(byte << 8);
    for (int bit = 0; bit < 8; ++bit) {
      crc = static_cast<std::uint16_t>((crc & 0x8000) ? (crc << 1) ^ 0x1021 : crc << 1);
    }
    table[byte] = crc;
  }
  return table;
}
constexpr auto kCrc16Table = make_crc16_table();

std::uint16_t crc16(std::string_view data) {
  std::uint16_t crc = 0;
  for (const char c : data) {
    crc = static_cast<std::uint16_t>((crc << 8) ^ kCrc16Table[((crc >> 8) ^ static_cast<unsigned char>(c)) & 0xff]);
  }
  return crc;
}

bool equals_upper(std::string_view text, std::string_view upper) {
  return text.size() == upper.size() &&
         std::equal(text.begin(), text.end(), upper.begin(), [](char a, char b) {
           return (a >= 'a' && a <= 'z' ? static_cast<char>(a - 'a' + 'A') : a) == b;
         });
}

// Commands without a key: any master answers them (PUBLISH reaches every node's
// subscribers; SCAN, INFO and CONFIG are per node and go through masters()).
constexpr std::array<std::string_view, 12> kKeyless{"PING",  "PUBLISH", "SCAN",   "INFO",  "CONFIG", "CLUSTER",
                                                    "ROLE",  "ASKING",  "DBSIZE", "TIME",  "ECHO",   "COMMAND"};

template <typename Number>
std::optional<Number> to_number(std::string_view text) {
  Number value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<config::RedisEndpoint> parse_host_port(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  const auto port = to_number<unsigned>(text.substr(colon + 1));
  if (!port || *port < 1 || *port > 65535) return std::nullopt;
  std::string_view host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  return config::RedisEndpoint{std::string(host), static_cast<std::uint16_t>(*port)};
}

std::string describe(const config::RedisEndpoint& endpoint) {
  return endpoint.host + ":" + std::to_string(endpoint.port);
}

BreakerState worse(BreakerState a, BreakerState b) {
  const auto rank = [](BreakerState s) { return s == BreakerState::kOpen ? 2 : s == BreakerState::kHalfOpen ? 1 : 0; };
  return rank(a) >= rank(b) ? a : b;
}

}  // namespace

std::uint16_t key_slot(std::string_view key) {
  if (const auto open = key.find('{'); open != std::string_view::npos) {
    const auto close = key.find('}', open + 1);
    if (close != std::string_view::npos && close > open + 1) key = key.substr(open + 1, close - open - 1);
  }
  return static_cast<std::uint16_t>(crc16(key) % kClusterSlots);
}

std::optional<std::string_view> routing_key(const std::vector<std::string>& args) {
  if (args.size() < 2) return std::nullopt;
  const std::string_view name = args[0];
  for (const auto keyless : kKeyless) {
    if (equals_upper(name, keyless)) return std::nullopt;
  }
  if (equals_upper(name, "EVAL") || equals_upper(name, "EVALSHA")) {
    const auto keys = args.size() >= 4 ? to_number<int>(args[2]) : std::nullopt;
    if (!keys || *keys < 1) return std::nullopt;
    return std::string_view(args[3]);
  }
  return std::string_view(args[1]);
}

std::optional<Redirect> parse_redirect(const RedisReply& reply) {
  if (!reply.is_error()) return std::nullopt;
  std::string_view text = reply.text;
  Redirect redirect;
  if (text.starts_with("MOVED ")) {
    text.remove_prefix(6);
  } else if (text.starts_with("ASK ")) {
    redirect.ask = true;
    text.remove_prefix(4);
  } else {
    return std::nullopt;
  }
  const auto space = text.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  const auto slot = to_number<unsigned>(text.substr(0, space));
  auto to = parse_host_port(text.substr(space + 1));
  if (!slot || *slot >= kClusterSlots || !to) return std::nullopt;
  redirect.slot = static_cast<std::uint16_t>(*slot);
  redirect.to = std::move(*to);
  return redirect;
}

Result<std::vector<SlotRange>> parse_cluster_slots(const RedisReply& reply, const std::string& asked_host) {
  if (reply.is_error()) return make_error(Errc::kUnavailable, "CLUSTER SLOTS answered " + reply.text);
  const auto malformed = [] { return make_error(Errc::kUnavailable, "malformed CLUSTER SLOTS reply"); };
  if (reply.type != RedisReply::Type::kArray) return malformed();
  std::vector<SlotRange> ranges;
  ranges.reserve(reply.elements.size());
  for (const auto& range : reply.elements) {
    if (range.type != RedisReply::Type::kArray || range.elements.size() < 3) return malformed();
    const auto& first = range.elements[0];
    const auto& last = range.elements[1];
    const auto& master = range.elements[2];
    if (first.type != RedisReply::Type::kInteger || last.type != RedisReply::Type::kInteger ||
        first.integer < 0 || last.integer < first.integer || last.integer >= static_cast<long long>(kClusterSlots)) {
      return malformed();
    }
    if (master.type != RedisReply::Type::kArray || master.elements.size() < 2 ||
        master.elements[0].type != RedisReply::Type::kString || master.elements[1].type != RedisReply::Type::kInteger ||
        master.elements[1].integer < 1 || master.elements[1].integer > 65535) {
      return malformed();
    }
    SlotRange out;
    out.first = static_cast<std::uint16_t>(first.integer);
    out.last = static_cast<std::uint16_t>(last.integer);
    out.master.host = master.elements[0].text.empty() ? asked_host : master.elements[0].text;
    out.master.port = static_cast<std::uint16_t>(master.elements[1].integer);
    ranges.push_back(std::move(out));
  }
  if (ranges.empty()) return make_error(Errc::kUnavailable, "CLUSTER SLOTS: no slot is assigned yet");
  return ranges;
}

std::size_t served_slots(const std::vector<SlotRange>& ranges) {
  std::vector<bool> served(kClusterSlots, false);
  for (const auto& range : ranges) std::fill(served.begin() + range.first, served.begin() + range.last + 1, true);
  return static_cast<std::size_t>(std::count(served.begin(), served.end(), true));
}

net::awaitable<Result<std::vector<SlotRange>>> fetch_slot_map(const config::RedisUrl& cluster,
                                                              std::chrono::milliseconds timeout) {
  auto connection = co_await RedisConnection::connect(cluster, timeout);
  if (!connection) co_return connection.error();
  std::vector<std::string> question{"CLUSTER", "SLOTS"};
  auto reply = co_await connection->command(std::move(question), timeout);
  if (!reply) co_return reply.error();
  co_return parse_cluster_slots(*reply, cluster.host);
}

config::RedisUrl cluster_node_url(const config::RedisUrl& cluster, const config::RedisEndpoint& node) {
  config::RedisUrl url = cluster;
  url.cluster_nodes.clear();
  url.sentinels.clear();
  url.db = 0;
  url.host = node.host;
  url.port = node.port;
  url.redacted = "redis://" + (url.password.empty() ? std::string() : url.username + ":***@") +
                 (node.host.find(':') == std::string::npos ? node.host : "[" + node.host + "]") + ":" +
                 std::to_string(node.port);
  return url;
}

RedisCluster::RedisCluster(config::RedisUrl url, RedisPoolOptions options, CircuitBreaker::Clock clock)
    : url_(std::move(url)),
      options_(options),
      clock_(std::move(clock)),
      owners_(std::make_unique<std::array<std::atomic<Node*>, kClusterSlots>>()) {
  for (auto& owner : *owners_) owner.store(nullptr, std::memory_order_relaxed);
}

RedisCluster::~RedisCluster() = default;

RedisCluster::Node& RedisCluster::node(const config::RedisEndpoint& endpoint) {
  std::lock_guard lock(mutex_);
  auto& slot = nodes_[describe(endpoint)];
  if (!slot) {
    slot = std::make_unique<Node>(
        Node{endpoint, std::make_unique<RedisNodePool>(cluster_node_url(url_, endpoint), options_, clock_)});
    for (const auto& hook : reconnect_hooks_) slot->pool->on_reconnect(hook);
  }
  return *slot;
}

RedisCluster::Node* RedisCluster::route(const std::vector<std::string>& args) const {
  if (const auto key = routing_key(args)) return (*owners_)[key_slot(*key)].load(std::memory_order_acquire);
  std::lock_guard lock(mutex_);
  return masters_.empty() ? nullptr : masters_.front();
}

net::awaitable<bool> RedisCluster::ensure_slot_map() {
  if (!has_slot_map_.load(std::memory_order_acquire)) co_await refresh();
  co_return has_slot_map_.load(std::memory_order_acquire);
}

// Asks the known masters, then the seeds, for CLUSTER SLOTS; the first answer becomes the
// slot map. Skipped while another refresh runs or within kRefreshInterval of the last.
net::awaitable<void> RedisCluster::refresh() {
  std::vector<Node*> candidates;
  {
    std::lock_guard lock(mutex_);
    const auto now = clock_();
    if (refreshing_ || (last_refresh_ && now - *last_refresh_ < kRefreshInterval)) co_return;
    refreshing_ = true;
    last_refresh_ = now;
    candidates = masters_;
  }
  for (const auto& seed : url_.cluster_nodes) {
    Node* known = &node(seed);
    if (std::find(candidates.begin(), candidates.end(), known) == candidates.end()) candidates.push_back(known);
  }
  std::optional<std::vector<SlotRange>> ranges;
  std::string problems;
  for (Node* candidate : candidates) {
    std::vector<std::string> question{"CLUSTER", "SLOTS"};
    auto reply = co_await candidate->pool->command(std::move(question));
    auto parsed = reply ? parse_cluster_slots(*reply, candidate->endpoint.host) : Result<std::vector<SlotRange>>(reply.error());
    if (parsed) {
      ranges = std::move(*parsed);
      break;
    }
    if (!problems.empty()) problems += "; ";
    problems += describe(candidate->endpoint) + ": " + parsed.error().detail;
  }
  if (!ranges) {
    {
      std::lock_guard lock(mutex_);
      refreshing_ = false;
    }
    if (refresh_warnings_.allow()) {
      spdlog::warn("redis cluster {}: no node told the slot map ({}); L2 cache calls fail until one does",
                   url_.redacted, problems);
    }
    co_return;
  }
  std::vector<Node*> served(kClusterSlots, nullptr);
  std::vector<Node*> masters;
  for (const auto& range : *ranges) {
    Node* master = &node(range.master);
    std::fill(served.begin() + range.first, served.begin() + range.last + 1, master);
    if (std::find(masters.begin(), masters.end(), master) == masters.end()) masters.push_back(master);
  }
  for (std::size_t slot = 0; slot < kClusterSlots; ++slot) (*owners_)[slot].store(served[slot], std::memory_order_release);
  bool changed = false;
  {
    std::lock_guard lock(mutex_);
    changed = masters != masters_;
    masters_ = std::move(masters);
    refreshing_ = false;
  }
  has_slot_map_.store(true, std::memory_order_release);
  slot_maps_total_.fetch_add(1, std::memory_order_relaxed);
  if (changed) {
    std::string names;
    for (const auto& range : *ranges) {
      if (!names.empty()) names += ", ";
      names += std::to_string(range.first) + "-" + std::to_string(range.last) + " " + describe(range.master);
    }
    const auto count = std::count_if(served.begin(), served.end(), [](const Node* n) { return n != nullptr; });
    spdlog::info("redis cluster: {} of {} slots served ({})", count, kClusterSlots, names);
  }
}

// Sends commands[indices...] to one node as one pipeline (each after ASKING if the target
// says so) and puts the replies in their places.
net::awaitable<Result<void>> RedisCluster::send(const std::vector<std::vector<std::string>>& commands,
                                                const std::vector<std::size_t>& indices, Target target,
                                                std::vector<RedisReply>& replies) {
  std::vector<std::vector<std::string>> batch;
  batch.reserve(indices.size() * (target.asking ? 2 : 1));
  for (const auto index : indices) {
    if (target.asking) batch.push_back({"ASKING"});
    batch.push_back(commands[index]);
  }
  auto answered = co_await target.node->pool->pipeline(std::move(batch));
  if (!answered) co_return answered.error();
  const std::size_t step = target.asking ? 2 : 1;
  if (answered->size() != indices.size() * step) co_return make_error(Errc::kUnavailable, "redis cluster: short pipeline reply");
  for (std::size_t i = 0; i < indices.size(); ++i) replies[indices[i]] = std::move((*answered)[i * step + step - 1]);
  co_return Result<void>{};
}

net::awaitable<Result<std::vector<RedisReply>>> RedisCluster::execute(std::vector<std::vector<std::string>> commands) {
  if (commands.empty()) co_return std::vector<RedisReply>();
  if (!co_await ensure_slot_map()) {
    co_return make_error(Errc::kUnavailable, "redis cluster: slot map unknown (no node answered CLUSTER SLOTS)");
  }
  std::vector<RedisReply> replies(commands.size());
  std::vector<Target> targets(commands.size());
  std::vector<std::size_t> pending(commands.size());
  for (std::size_t i = 0; i < commands.size(); ++i) {
    if (commands[i].empty()) co_return make_error(Errc::kInternal, "redis: empty command");
    targets[i].node = route(commands[i]);
    if (!targets[i].node) {
      co_await refresh();
      co_return make_error(Errc::kUnavailable, "redis cluster: no master serves the slot of '" + commands[i][0] + "'");
    }
    pending[i] = i;
  }
  for (int hop = 0;; ++hop) {
    // One pipeline per distinct target, in the order the targets first appear.
    std::vector<Target> groups;
    for (const auto i : pending) {
      if (std::find(groups.begin(), groups.end(), targets[i]) == groups.end()) groups.push_back(targets[i]);
    }
    for (const auto& group : groups) {
      std::vector<std::size_t> indices;
      for (const auto i : pending) {
        if (targets[i] == group) indices.push_back(i);
      }
      auto sent = co_await send(commands, indices, group, replies);
      if (!sent) {
        if (sent.error().code != Errc::kInternal) co_await refresh();  // a failover may have moved its slots
        co_return sent.error();
      }
    }
    std::vector<std::size_t> redirected;
    bool moved = false;
    for (const auto i : pending) {
      const auto redirect = parse_redirect(replies[i]);
      if (!redirect) continue;
      redirected.push_back(i);
      Node& to = node(redirect->to);
      targets[i] = Target{&to, redirect->ask};
      (redirect->ask ? ask_total_ : moved_total_).fetch_add(1, std::memory_order_relaxed);
      if (!redirect->ask) {
        (*owners_)[redirect->slot].store(&to, std::memory_order_release);
        moved = true;
      }
    }
    if (redirected.empty()) co_return replies;
    if (hop + 1 >= kMaxRedirects) {
      co_return make_error(Errc::kUnavailable, "redis cluster: still redirected after " + std::to_string(kMaxRedirects) +
                                                   " hops (" + replies[redirected.front()].text + ")");
    }
    if (moved) co_await refresh();  // one slot moved: others probably did too
    pending = std::move(redirected);
  }
}

net::awaitable<Result<std::vector<RedisNodePool*>>> RedisCluster::masters() {
  if (!co_await ensure_slot_map()) {
    co_return make_error(Errc::kUnavailable, "redis cluster: slot map unknown (no node answered CLUSTER SLOTS)");
  }
  std::vector<RedisNodePool*> out;
  std::lock_guard lock(mutex_);
  out.reserve(masters_.size());
  for (const auto* master : masters_) out.push_back(master->pool.get());
  co_return out;
}

void RedisCluster::on_reconnect(std::function<void()> hook) {
  std::lock_guard lock(mutex_);
  for (const auto& [name, known] : nodes_) known->pool->on_reconnect(hook);
  reconnect_hooks_.push_back(std::move(hook));
}

RedisPoolStats RedisCluster::stats() const {
  RedisPoolStats total;
  std::lock_guard lock(mutex_);
  for (const auto& [name, known] : nodes_) {
    const auto s = known->pool->stats();
    total.open += s.open;
    total.idle += s.idle;
    total.in_use += s.in_use;
    total.max_open += s.max_open;
    total.breaker_state = worse(total.breaker_state, s.breaker_state);
    total.opened_total += s.opened_total;
    total.rejected_total += s.rejected_total;
    total.exhausted_total += s.exhausted_total;
    total.failures_total += s.failures_total;
    total.reconnects_total += s.reconnects_total;
  }
  total.moved_total = moved_total_.load(std::memory_order_relaxed);
  total.ask_total = ask_total_.load(std::memory_order_relaxed);
  total.slot_maps_total = slot_maps_total_.load(std::memory_order_relaxed);
  return total;
}

}  // namespace fruitpak::cache
