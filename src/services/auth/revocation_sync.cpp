#include "services/auth/revocation_sync.hpp"

#include "cache/redis_connection.hpp"
#include "cache/redis_subscriber.hpp"
#include "db/database.hpp"
#include "db/session_repository.hpp"
#include "util/clock.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <spdlog/spdlog.h>

#include <charconv>

namespace fruitpak::services::auth {
namespace {

using std::chrono::system_clock;

void log_failure(std::exception_ptr e) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    spdlog::error("revocation sync stopped by exception: {}", ex.what());
  }
}

net::awaitable<void> pause(std::chrono::milliseconds how_long) {
  net::steady_timer timer(co_await net::this_coro::executor, how_long);
  co_await timer.async_wait(use_tuple);
}

// "<session id> <expiry epoch>"
std::optional<std::pair<std::string, std::int64_t>> parse_message(std::string_view text) {
  const auto space = text.find(' ');
  if (space == std::string_view::npos || space == 0) return std::nullopt;
  std::int64_t expires = 0;
  const auto number = text.substr(space + 1);
  if (std::from_chars(number.data(), number.data() + number.size(), expires).ec != std::errc{}) return std::nullopt;
  return std::make_pair(std::string(text.substr(0, space)), expires);
}

}  // namespace

RevocationSync::RevocationSync(db::Database& db, RevocationRegistry& registry, std::optional<config::RedisUrl> redis,
                               std::chrono::milliseconds poll_interval)
    : db_(db), registry_(registry), redis_(std::move(redis)), poll_interval_(poll_interval) {}

net::awaitable<Result<std::size_t>> RevocationSync::load() {
  const auto now = util::iso_utc_now();
  auto revoked = co_await db::sessions::revoked_since(db::Runner(db_, nullptr), "1970-01-01T00:00:00", now);
  if (!revoked) co_return revoked.error();
  for (const auto& s : *revoked) {
    auto expires = util::parse_iso_utc(s.expires_at);
    registry_.add(s.session_id, expires ? util::epoch_seconds(*expires) : 0);
  }
  co_return revoked->size();
}

void RevocationSync::start(net::any_io_executor executor) {
  executor_ = executor;
  net::co_spawn(executor, poll_loop(), log_failure);
  if (redis_) net::co_spawn(executor, listen_loop(), log_failure);
}

void RevocationSync::revoked(const std::string& session_id, std::int64_t expires_epoch) {
  registry_.add(session_id, expires_epoch);
  if (redis_ && executor_) {
    net::co_spawn(*executor_, publish(session_id + " " + std::to_string(expires_epoch)), log_failure);
  }
}

void RevocationSync::warn_redis(const std::string& what) {
  if (redis_warnings_.allow()) {
    spdlog::warn("revocation broadcast: {} (the database poll every {} ms still applies)", what,
                 poll_interval_.count());
  }
}

net::awaitable<void> RevocationSync::publish(std::string message) {
  auto connection = co_await cache::RedisConnection::connect(*redis_, std::chrono::milliseconds(1000));
  if (!connection) {
    warn_redis(connection.error().detail);
    co_return;
  }
  std::vector<std::string> command{"PUBLISH", kChannel, std::move(message)};
  auto reply = co_await connection->command(std::move(command), std::chrono::milliseconds(1000));
  if (!reply || reply->is_error()) warn_redis(reply ? reply->text : reply.error().detail);
}

net::awaitable<void> RevocationSync::listen_loop() {
  cache::Subscription subscription{
      std::string(kChannel),
      [this](const std::string& payload) {
        if (auto parsed = parse_message(payload)) registry_.add(parsed->first, parsed->second);
      },
      nullptr,  // the database poll covers what was published while we were away
      [this](const std::string& problem) { warn_redis(problem); }};
  co_await cache::listen_forever(*redis_, std::move(subscription));
}

net::awaitable<void> RevocationSync::poll_loop() {
  auto since = system_clock::now();
  for (;;) {
    co_await pause(poll_interval_);
    const auto now = system_clock::now();
    // Overlap the windows a little: a revocation committed while the last poll ran must not
    // fall between two polls.
    auto revoked = co_await db::sessions::revoked_since(db::Runner(db_, nullptr),
                                                        util::iso_utc(since - std::chrono::seconds(5)),
                                                        util::iso_utc(now));
    if (!revoked) {
      spdlog::debug("revocation poll failed: {}", revoked.error().detail);
      continue;
    }
    for (const auto& s : *revoked) {
      auto expires = util::parse_iso_utc(s.expires_at);
      registry_.add(s.session_id, expires ? util::epoch_seconds(*expires) : 0);
    }
    registry_.purge(util::epoch_seconds(now));
    since = now;
  }
}

}  // namespace fruitpak::services::auth
