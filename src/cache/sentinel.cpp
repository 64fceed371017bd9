#include "cache/sentinel.hpp"

#include <charconv>
#include <string>
#include <utility>
#include <vector>

namespace fruitpak::cache {
namespace {

// A sentinel is reached like any Redis, without credentials and without SELECT.
config::RedisUrl sentinel_url(const config::RedisEndpoint& sentinel) {
  config::RedisUrl url;
  url.host = sentinel.host;
  url.port = sentinel.port;
  url.redacted = "sentinel " + sentinel.host + ":" + std::to_string(sentinel.port);
  return url;
}

std::string describe(const config::RedisEndpoint& sentinel) {
  return sentinel.host + ":" + std::to_string(sentinel.port);
}

// One sentinel's answer: the master's address, or why there is none.
net::awaitable<Result<config::RedisEndpoint>> ask_one(const config::RedisUrl& url,
                                                      const config::RedisEndpoint& sentinel,
                                                      std::chrono::milliseconds timeout) {
  auto connection = co_await RedisConnection::connect(sentinel_url(sentinel), timeout);
  if (!connection) co_return connection.error();
  std::vector<std::string> question{"SENTINEL", "get-master-addr-by-name", url.sentinel_master};
  auto reply = co_await connection->command(question, timeout);
  if (!reply) co_return reply.error();
  if (reply->is_error() && reply->text.starts_with("NOAUTH") && !url.password.empty()) {
    std::vector<std::string> auth{"AUTH"};
    if (!url.username.empty()) auth.push_back(url.username);
    auth.push_back(url.password);
    auto authed = co_await connection->command(std::move(auth), timeout);
    if (!authed) co_return authed.error();
    if (authed->is_error()) co_return make_error(Errc::kUnavailable, "AUTH refused: " + authed->text);
    reply = co_await connection->command(std::move(question), timeout);
    if (!reply) co_return reply.error();
  }
  if (reply->is_error()) co_return make_error(Errc::kUnavailable, "answered " + reply->text);
  auto address = parse_master_addr_reply(*reply);
  if (!address) co_return make_error(Errc::kUnavailable, "does not know master '" + url.sentinel_master + "'");
  co_return std::move(*address);
}

}  // namespace

std::optional<config::RedisEndpoint> parse_master_addr_reply(const RedisReply& reply) {
  if (reply.type != RedisReply::Type::kArray || reply.elements.size() != 2) return std::nullopt;
  const auto& host = reply.elements[0];
  const auto& port_text = reply.elements[1];
  if (host.type != RedisReply::Type::kString || host.text.empty()) return std::nullopt;
  if (port_text.type != RedisReply::Type::kString) return std::nullopt;
  unsigned port = 0;
  const char* end = port_text.text.data() + port_text.text.size();
  const auto [ptr, ec] = std::from_chars(port_text.text.data(), end, port);
  if (ec != std::errc{} || ptr != end || port < 1 || port > 65535) return std::nullopt;
  return config::RedisEndpoint{host.text, static_cast<std::uint16_t>(port)};
}

std::string role_of(const RedisReply& reply) {
  if (reply.type != RedisReply::Type::kArray || reply.elements.empty()) return {};
  const auto& role = reply.elements.front();
  if (role.type != RedisReply::Type::kString && role.type != RedisReply::Type::kStatus) return {};
  return role.text;
}

net::awaitable<Result<config::RedisEndpoint>> resolve_sentinel_master(const config::RedisUrl& url,
                                                                      std::chrono::milliseconds timeout) {
  if (url.sentinels.empty()) co_return make_error(Errc::kInternal, "redis: no sentinels in the URL");
  std::string problems;
  for (const auto& sentinel : url.sentinels) {
    auto address = co_await ask_one(url, sentinel, timeout);
    if (address) co_return std::move(*address);
    if (!problems.empty()) problems += "; ";
    problems += describe(sentinel) + ": " + address.error().detail;
  }
  co_return make_error(Errc::kUnavailable,
                       "redis: no sentinel named the master '" + url.sentinel_master + "' (" + problems + ")");
}

}  // namespace fruitpak::cache
