#include "cache/redis_connection.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/write.hpp>

#include <hiredis/hiredis.h>

namespace fruitpak::cache {
namespace {

using namespace boost::asio::experimental::awaitable_operators;
using tcp = net::ip::tcp;

struct ReplyFree {
  void operator()(void* r) const noexcept { freeReplyObject(r); }
};

RedisReply convert(const redisReply* r) {
  RedisReply out;
  switch (r->type) {
    case REDIS_REPLY_STRING: out.type = RedisReply::Type::kString; break;
    case REDIS_REPLY_STATUS: out.type = RedisReply::Type::kStatus; break;
    case REDIS_REPLY_ERROR: out.type = RedisReply::Type::kError; break;
    case REDIS_REPLY_INTEGER: out.type = RedisReply::Type::kInteger; break;
    case REDIS_REPLY_ARRAY: out.type = RedisReply::Type::kArray; break;
    default: out.type = RedisReply::Type::kNil; break;
  }
  if (r->str) out.text.assign(r->str, r->len);
  out.integer = r->integer;
  for (std::size_t i = 0; i < r->elements; ++i) out.elements.push_back(convert(r->element[i]));
  return out;
}

std::string format(const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<std::size_t> lengths;
  for (const auto& a : args) {
    argv.push_back(a.data());
    lengths.push_back(a.size());
  }
  char* raw = nullptr;
  const long long n = redisFormatCommandArgv(&raw, static_cast<int>(args.size()), argv.data(), lengths.data());
  std::string out = n > 0 ? std::string(raw, static_cast<std::size_t>(n)) : std::string();
  redisFreeCommand(raw);
  return out;
}

}  // namespace

void RedisConnection::ReaderFree::operator()(redisReader* r) const noexcept { redisReaderFree(r); }

RedisConnection::RedisConnection(tcp::socket socket)
    : socket_(std::move(socket)), reader_(redisReaderCreate()) {}
RedisConnection::RedisConnection(RedisConnection&&) noexcept = default;
RedisConnection& RedisConnection::operator=(RedisConnection&&) noexcept = default;
RedisConnection::~RedisConnection() = default;

net::awaitable<Result<RedisConnection>> RedisConnection::connect(const config::RedisUrl& url,
                                                                 std::chrono::milliseconds timeout) {
  if (url.tls) {
    co_return make_error(Errc::kUnavailable,
                         "rediss:// (TLS) is not supported yet; use redis:// on a trusted network");
  }
  auto executor = co_await net::this_coro::executor;
  tcp::resolver resolver(executor);
  net::steady_timer timer(executor, timeout);
  auto resolved = co_await (resolver.async_resolve(url.host, std::to_string(url.port), use_tuple) ||
                            timer.async_wait(use_tuple));
  if (resolved.index() == 1) co_return make_error(Errc::kUnavailable, "redis: resolving " + url.host + " timed out");
  auto [rec, endpoints] = std::get<0>(resolved);
  if (rec) co_return make_error(Errc::kUnavailable, "redis: cannot resolve " + url.host + ": " + rec.message());

  tcp::socket socket(executor);
  auto connected = co_await (net::async_connect(socket, endpoints, use_tuple) || timer.async_wait(use_tuple));
  if (connected.index() == 1) co_return make_error(Errc::kUnavailable, "redis: connect timed out");
  if (auto [cec, ep] = std::get<0>(connected); cec) {
    co_return make_error(Errc::kUnavailable, "redis: connect to " + url.host + ":" +
                                                 std::to_string(url.port) + " failed: " + cec.message());
  }
  boost::system::error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);
  RedisConnection connection(std::move(socket));
  if (!url.password.empty()) {
    std::vector<std::string> auth{"AUTH"};
    if (!url.username.empty()) auth.push_back(url.username);
    auth.push_back(url.password);
    auto reply = co_await connection.command(std::move(auth), timeout);
    if (!reply) co_return reply.error();
    if (reply->is_error()) co_return make_error(Errc::kUnavailable, "redis: AUTH refused: " + reply->text);
  }
  if (url.db != 0) {
    std::vector<std::string> select{"SELECT", std::to_string(url.db)};
    auto reply = co_await connection.command(std::move(select), timeout);
    if (!reply) co_return reply.error();
    if (reply->is_error()) co_return make_error(Errc::kUnavailable, "redis: SELECT refused: " + reply->text);
  }
  co_return connection;
}

net::awaitable<Result<RedisReply>> RedisConnection::command(std::vector<std::string> args,
                                                            std::chrono::milliseconds timeout) {
  if (!socket_.is_open()) co_return make_error(Errc::kUnavailable, "redis: connection closed");
  net::steady_timer timer(co_await net::this_coro::executor, timeout);
  auto outcome = co_await (round_trip(format(args)) || timer.async_wait(use_tuple));
  if (outcome.index() == 1) {
    boost::system::error_code ignored;
    socket_.close(ignored);
    co_return make_error(Errc::kTimeout, "redis: command timed out");
  }
  co_return std::move(std::get<0>(outcome));
}

net::awaitable<Result<RedisReply>> RedisConnection::receive(std::chrono::milliseconds timeout) {
  if (!socket_.is_open()) co_return make_error(Errc::kUnavailable, "redis: connection closed");
  net::steady_timer timer(co_await net::this_coro::executor, timeout);
  auto outcome = co_await (read_reply() || timer.async_wait(use_tuple));
  if (outcome.index() == 1) co_return make_error(Errc::kTimeout, "redis: no message within the timeout");
  co_return std::move(std::get<0>(outcome));
}

void RedisConnection::close() {
  boost::system::error_code ignored;
  socket_.close(ignored);
}

net::awaitable<Result<RedisReply>> RedisConnection::round_trip(std::string payload) {
  auto [wec, written] = co_await net::async_write(socket_, net::buffer(payload), use_tuple);
  if (wec) {
    close();
    co_return make_error(Errc::kUnavailable, "redis: write failed: " + wec.message());
  }
  co_return co_await read_reply();
}

// Returns a reply already buffered in the reader, or reads until one is complete. A read
// cancelled by a timeout loses no data: bytes are fed to the reader only after they arrive.
net::awaitable<Result<RedisReply>> RedisConnection::read_reply() {
  std::string buffer(16 * 1024, '\0');  // not an array: GCC 12 coroutine frames reject them
  for (;;) {
    void* raw = nullptr;
    if (redisReaderGetReply(reader_.get(), &raw) != REDIS_OK) {
      close();
      co_return make_error(Errc::kUnavailable, "redis: protocol error");
    }
    if (raw) {
      std::unique_ptr<void, ReplyFree> reply(raw);
      co_return convert(static_cast<redisReply*>(raw));
    }
    auto [rec, n] = co_await socket_.async_read_some(net::buffer(buffer), use_tuple);
    if (rec) {
      if (rec != net::error::operation_aborted) close();
      co_return make_error(Errc::kUnavailable, "redis: read failed: " + rec.message());
    }
    redisReaderFeed(reader_.get(), buffer.data(), n);
  }
}

}  // namespace fruitpak::cache
