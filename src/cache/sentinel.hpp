#pragma once
// Redis Sentinel: where is the master now? A redis+sentinel:// URL names sentinels and a
// master; RedisConnection::connect asks here on every new connection, so the pool, the
// pub/sub subscribers and the health probe all follow a failover by reconnecting (their
// existing reaction to a lost connection). Nothing is cached between calls: a pool opens
// connections rarely (at start and after failures), and a cached address would be exactly
// the stale one after a failover.

#include "cache/redis_connection.hpp"
#include "config/config.hpp"
#include "util/asio.hpp"
#include "util/result.hpp"

#include <chrono>
#include <optional>

namespace fruitpak::cache {

// Asks `url.sentinels`, in the order given, `SENTINEL get-master-addr-by-name
// <url.sentinel_master>`; the first that answers with an address wins. A sentinel that
// cannot be reached, times out, does not know the master (nil) or answers an error is
// skipped. A sentinel that answers NOAUTH gets AUTH with the URL's credentials, then the
// question again. Each sentinel gets `timeout` for connect + AUTH + question, so the whole
// call takes at most sentinels x (2 x timeout). kUnavailable when none answers, with every
// sentinel's problem in the detail (no password in it).
[[nodiscard]] net::awaitable<Result<config::RedisEndpoint>> resolve_sentinel_master(
    const config::RedisUrl& url, std::chrono::milliseconds timeout);

// The address in a reply to SENTINEL get-master-addr-by-name: ["host", "port"]. nullopt
// for nil (unknown master), an error reply or anything malformed.
std::optional<config::RedisEndpoint> parse_master_addr_reply(const RedisReply& reply);

// The role in a reply to ROLE: ["master", offset, replicas] -> "master". "" if malformed.
std::string role_of(const RedisReply& reply);

}  // namespace fruitpak::cache
