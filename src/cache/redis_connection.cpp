#include "cache/redis_connection.hpp"

#include "cache/redis_cluster.hpp"
#include "cache/sentinel.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/write.hpp>

#include <hiredis/hiredis.h>

#include <algorithm>
#include <unistd.h>

namespace fruitpak::cache {
namespace {

using namespace boost::asio::experimental::awaitable_operators;
using tcp = net::ip::tcp;

// Large enough for a typical cached page in one read (fewer syscalls and resumptions).
constexpr std::size_t kReadChunkBytes = 64 * 1024;

// hiredis builds replies through these: each value is made as a RedisReply in place (a
// string is copied once, from the parser's buffer into its final std::string) instead of
// a redisReply tree that would then be copied again. A child lives in its parent's
// `elements`, sized once when the array starts, so the pointers handed back stay valid;
// only the root is allocated, and hiredis frees only the root. Nothing may throw into C:
// a failed allocation returns null, which hiredis reports as out of memory.
void* place(const redisReadTask* task, RedisReply::Type type) noexcept {
  try {
    if (task->parent) {
      auto& slot = static_cast<RedisReply*>(task->parent->obj)->elements[static_cast<std::size_t>(task->idx)];
      slot.type = type;
      return &slot;
    }
    auto* root = new RedisReply;
    root->type = type;
    return root;
  } catch (...) {
    return nullptr;
  }
}

void* create_string(const redisReadTask* task, char* text, std::size_t length) noexcept {
  const auto type = task->type == REDIS_REPLY_ERROR    ? RedisReply::Type::kError
                    : task->type == REDIS_REPLY_STATUS ? RedisReply::Type::kStatus
                                                       : RedisReply::Type::kString;
  auto* reply = static_cast<RedisReply*>(place(task, type));
  if (!reply) return nullptr;
  try {
    reply->text.assign(text, length);
  } catch (...) {
    if (!task->parent) delete reply;
    return nullptr;
  }
  return reply;
}

void* create_array(const redisReadTask* task, int elements) noexcept {
  auto* reply = static_cast<RedisReply*>(place(task, RedisReply::Type::kArray));
  if (!reply) return nullptr;
  try {
    reply->elements.resize(static_cast<std::size_t>(std::max(elements, 0)));
  } catch (...) {
    if (!task->parent) delete reply;
    return nullptr;
  }
  return reply;
}

void* create_integer(const redisReadTask* task, long long value) noexcept {
  auto* reply = static_cast<RedisReply*>(place(task, RedisReply::Type::kInteger));
  if (reply) reply->integer = value;
  return reply;
}

void* create_nil(const redisReadTask* task) noexcept { return place(task, RedisReply::Type::kNil); }

void free_reply(void* reply) noexcept { delete static_cast<RedisReply*>(reply); }

redisReplyObjectFunctions kReplyFunctions{create_string, create_array, create_integer, create_nil, free_reply};

// Appends the RESP encoding of `args` to `out`; false if `args` is empty (hiredis would
// encode nothing, and the caller would then wait for a reply that never comes).
bool append_formatted(std::string& out, const std::vector<std::string>& args) {
  if (args.empty()) return false;
  std::vector<const char*> argv;
  std::vector<std::size_t> lengths;
  argv.reserve(args.size());
  lengths.reserve(args.size());
  for (const auto& a : args) {
    argv.push_back(a.data());
    lengths.push_back(a.size());
  }
  char* raw = nullptr;
  const long long n = redisFormatCommandArgv(&raw, static_cast<int>(args.size()), argv.data(), lengths.data());
  if (n > 0) out.append(raw, static_cast<std::size_t>(n));
  redisFreeCommand(raw);
  return n > 0;
}

}  // namespace

void RedisConnection::ReaderFree::operator()(redisReader* r) const noexcept { redisReaderFree(r); }

RedisConnection::DetachedSocket& RedisConnection::DetachedSocket::operator=(DetachedSocket&& other) noexcept {
  if (this != &other) {
    reset();
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

void RedisConnection::DetachedSocket::reset() {
  if (fd_ >= 0) ::close(std::exchange(fd_, -1));
}

RedisConnection::RedisConnection(tcp::socket socket)
    : reader_(redisReaderCreateWithFunctions(&kReplyFunctions)), read_buffer_(kReadChunkBytes, '\0') {
  boost::system::error_code ec;
  if (auto local = socket.local_endpoint(ec); !ec) protocol_ = local.protocol();
  socket_.emplace(std::move(socket));
}
RedisConnection::RedisConnection(RedisConnection&&) noexcept = default;
RedisConnection& RedisConnection::operator=(RedisConnection&&) noexcept = default;
RedisConnection::~RedisConnection() = default;

net::awaitable<Result<RedisConnection>> RedisConnection::connect(const config::RedisUrl& url,
                                                                 std::chrono::milliseconds timeout) {
  if (!url.cluster_nodes.empty()) co_return co_await connect_any_node(url, timeout);
  if (url.sentinels.empty()) co_return co_await connect_direct(url, timeout);
  auto master = co_await resolve_sentinel_master(url, timeout);
  if (!master) co_return master.error();
  config::RedisUrl direct = url;
  direct.sentinels.clear();
  direct.host = master->host;
  direct.port = master->port;
  auto connection = co_await connect_direct(direct, timeout);
  if (!connection) co_return connection.error();
  // A sentinel may still name a master that has just been demoted (or one that came back
  // as a stale master before the sentinels reconfigured it): writes there would fail with
  // READONLY or be lost, so only a node that calls itself master is accepted.
  std::vector<std::string> role{"ROLE"};
  auto reply = co_await connection->command(std::move(role), timeout);
  if (!reply) co_return reply.error();
  if (const auto name = role_of(*reply); name != "master") {
    co_return make_error(Errc::kUnavailable, "redis: " + master->host + ":" + std::to_string(master->port) +
                                                 ", named master '" + url.sentinel_master + "' by a sentinel, has role '" +
                                                 (reply->is_error() ? reply->text : name) + "'");
  }
  co_return std::move(*connection);
}

// The first seed of a cluster URL that accepts a connection: what pub/sub, PUBLISH and
// PING need (a cluster delivers a PUBLISH to the subscribers of every node).
net::awaitable<Result<RedisConnection>> RedisConnection::connect_any_node(const config::RedisUrl& url,
                                                                          std::chrono::milliseconds timeout) {
  std::string problems;
  for (const auto& seed : url.cluster_nodes) {
    auto connection = co_await connect_direct(cluster_node_url(url, seed), timeout);
    if (connection) co_return std::move(*connection);
    if (!problems.empty()) problems += "; ";
    problems += connection.error().detail;
  }
  co_return make_error(Errc::kUnavailable, "redis cluster: no node reachable (" + problems + ")");
}

net::awaitable<Result<RedisConnection>> RedisConnection::connect_direct(const config::RedisUrl& url,
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

bool RedisConnection::is_open() const { return socket_ ? socket_->is_open() : detached_.is_open(); }

void RedisConnection::detach() {
  if (!socket_) return;
  boost::system::error_code ec;
  const int fd = socket_->release(ec);
  socket_.reset();
  if (!ec) detached_ = DetachedSocket(fd);
}

// Registers a detached descriptor with `executor`'s io_context. kUnavailable if the
// connection is closed (or the registration fails, which closes it).
Result<void> RedisConnection::attach(const net::any_io_executor& executor) {
  if (socket_) {
    if (socket_->is_open()) return {};
    return make_error(Errc::kUnavailable, "redis: connection closed");
  }
  if (!detached_.is_open()) return make_error(Errc::kUnavailable, "redis: connection closed");
  tcp::socket socket(executor);
  boost::system::error_code ec;
  socket.assign(protocol_, detached_.get(), ec);
  if (ec) {
    detached_.reset();
    return make_error(Errc::kUnavailable, "redis: cannot register the socket: " + ec.message());
  }
  detached_.release();
  socket_.emplace(std::move(socket));
  return {};
}

net::awaitable<Result<RedisReply>> RedisConnection::command(std::vector<std::string> args,
                                                            std::chrono::milliseconds timeout) {
  std::string payload;
  if (!append_formatted(payload, args)) co_return make_error(Errc::kInternal, "redis: empty command");
  auto executor = co_await net::this_coro::executor;
  if (auto attached = attach(executor); !attached) co_return attached.error();
  net::steady_timer timer(executor, timeout);
  auto outcome = co_await (round_trip(std::move(payload)) || timer.async_wait(use_tuple));
  if (outcome.index() == 1) {
    close();
    co_return make_error(Errc::kTimeout, "redis: command timed out");
  }
  auto reply = std::move(std::get<0>(outcome));
  if (!reply) close();  // e.g. cancelled while waiting for the reply
  co_return reply;
}

net::awaitable<Result<std::vector<RedisReply>>> RedisConnection::pipeline(
    std::vector<std::vector<std::string>> commands, std::chrono::milliseconds timeout) {
  std::string payload;
  for (const auto& args : commands) {
    if (!append_formatted(payload, args)) co_return make_error(Errc::kInternal, "redis: empty command in pipeline");
  }
  if (commands.empty()) co_return std::vector<RedisReply>();
  auto executor = co_await net::this_coro::executor;
  if (auto attached = attach(executor); !attached) co_return attached.error();
  net::steady_timer timer(executor, timeout);
  auto outcome = co_await (pipeline_round_trip(std::move(payload), commands.size()) || timer.async_wait(use_tuple));
  if (outcome.index() == 1) {
    close();
    co_return make_error(Errc::kTimeout, "redis: pipeline of " + std::to_string(commands.size()) + " timed out");
  }
  auto replies = std::move(std::get<0>(outcome));
  if (!replies) close();
  co_return replies;
}

net::awaitable<Result<RedisReply>> RedisConnection::receive(std::chrono::milliseconds timeout) {
  auto executor = co_await net::this_coro::executor;
  if (auto attached = attach(executor); !attached) co_return attached.error();
  net::steady_timer timer(executor, timeout);
  auto outcome = co_await (read_reply() || timer.async_wait(use_tuple));
  if (outcome.index() == 1) co_return make_error(Errc::kTimeout, "redis: no message within the timeout");
  co_return std::move(std::get<0>(outcome));
}

// Drops the socket object too, so that a closed connection is tied to no io_context.
// Only called when no operation is in progress.
void RedisConnection::close() {
  socket_.reset();
  detached_.reset();
}

net::awaitable<Result<RedisReply>> RedisConnection::round_trip(std::string payload) {
  auto [wec, written] = co_await net::async_write(*socket_, net::buffer(payload), use_tuple);
  if (wec) {
    close();
    co_return make_error(Errc::kUnavailable, "redis: write failed: " + wec.message());
  }
  co_return co_await read_reply();
}

net::awaitable<Result<std::vector<RedisReply>>> RedisConnection::pipeline_round_trip(std::string payload,
                                                                                     std::size_t replies) {
  auto [wec, written] = co_await net::async_write(*socket_, net::buffer(payload), use_tuple);
  if (wec) {
    close();
    co_return make_error(Errc::kUnavailable, "redis: write failed: " + wec.message());
  }
  std::vector<RedisReply> out;
  out.reserve(replies);
  while (out.size() < replies) {
    auto reply = co_await read_reply();
    if (!reply) co_return reply.error();
    out.push_back(std::move(*reply));
  }
  co_return out;
}

// Returns a reply already buffered in the reader, or reads until one is complete. A read
// cancelled by a timeout loses no data: bytes are fed to the reader only after they
// arrive, so a timed-out receive() leaves the connection usable.
net::awaitable<Result<RedisReply>> RedisConnection::read_reply() {
  for (;;) {
    void* raw = nullptr;
    if (redisReaderGetReply(reader_.get(), &raw) != REDIS_OK) {
      close();
      co_return make_error(Errc::kUnavailable, "redis: protocol error");
    }
    if (raw) {
      std::unique_ptr<RedisReply> reply(static_cast<RedisReply*>(raw));
      co_return std::move(*reply);
    }
    auto [rec, n] = co_await socket_->async_read_some(net::buffer(read_buffer_), use_tuple);
    if (rec) {
      if (rec != net::error::operation_aborted) close();
      co_return make_error(Errc::kUnavailable, "redis: read failed: " + rec.message());
    }
    redisReaderFeed(reader_.get(), read_buffer_.data(), n);
  }
}

net::awaitable<Result<void>> ping(const config::RedisUrl& url, std::chrono::milliseconds timeout) {
  auto connection = co_await RedisConnection::connect(url, timeout);
  if (!connection) co_return connection.error();
  std::vector<std::string> command{"PING"};
  auto reply = co_await connection->command(std::move(command), timeout);
  if (!reply) co_return reply.error();
  if (reply->is_error()) co_return make_error(Errc::kUnavailable, "PING answered " + reply->text);
  co_return Result<void>{};
}

}  // namespace fruitpak::cache
