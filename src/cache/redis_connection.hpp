#pragma once
// One Redis connection on an Asio socket. Commands are encoded and replies decoded by
// hiredis (redisFormatCommandArgv, redisReader); the socket I/O is Asio's, so nothing
// blocks an I/O thread. Used by one coroutine at a time; move-only.

#include "config/config.hpp"
#include "util/asio.hpp"
#include "util/result.hpp"

#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

struct redisReader;

namespace fruitpak::cache {

struct RedisReply {
  enum class Type { kString, kStatus, kInteger, kNil, kArray, kError };
  Type type = Type::kNil;
  std::string text;        // kString, kStatus, kError
  long long integer = 0;   // kInteger
  std::vector<RedisReply> elements;

  bool is_error() const { return type == Type::kError; }
};

class RedisConnection {
 public:
  // Connects, then AUTH and SELECT as the URL says. kUnavailable on any failure (message
  // for logs only, never containing the password). rediss:// is refused with a clear
  // message until TLS support lands. With sentinels (redis+sentinel://), first asks them
  // where the master is now (cache/sentinel.hpp), then connects there and checks with ROLE
  // that the node is a master: so a reconnect after a failover reaches the new master.
  // With cluster seeds (redis+cluster://), connects to the first seed that answers: a
  // connection to one node, for pub/sub and PING (RedisPool routes the cache's commands).
  // Each step gets `timeout`.
  [[nodiscard]] static net::awaitable<Result<RedisConnection>> connect(
      const config::RedisUrl& url, std::chrono::milliseconds timeout);

  RedisConnection(RedisConnection&&) noexcept;
  RedisConnection& operator=(RedisConnection&&) noexcept;
  ~RedisConnection();

  // Sends one command and reads its reply. A Redis error reply is a value (type kError);
  // an I/O failure, a timeout or a cancellation is kUnavailable/kTimeout and leaves the
  // connection closed (a request without its reply would put the next reply out of step).
  // An empty `args` is kInternal and leaves the connection as it was.
  [[nodiscard]] net::awaitable<Result<RedisReply>> command(std::vector<std::string> args,
                                                           std::chrono::milliseconds timeout);

  // Sends every command in one write and reads one reply per command, in order; the
  // timeout covers the whole exchange. Error replies are values in their command's slot.
  // Failures as for command(): the connection is closed and the replies read so far are
  // discarded. No commands: no I/O, no replies. An empty command is kInternal.
  [[nodiscard]] net::awaitable<Result<std::vector<RedisReply>>> pipeline(
      std::vector<std::vector<std::string>> commands, std::chrono::milliseconds timeout);

  // Waits for the next reply without sending anything: the messages of a SUBSCRIBE.
  // kTimeout leaves the connection open (nothing was lost); I/O failures close it.
  [[nodiscard]] net::awaitable<Result<RedisReply>> receive(std::chrono::milliseconds timeout);

  // Unregisters the socket from its io_context and keeps the open descriptor; the next
  // operation registers it with the io_context of the coroutine that runs it. This lets a
  // pool keep idle connections that belong to no io_context: they can be handed to any
  // thread and outlive the io_contexts that used them (a socket must never outlive its
  // own). Requires: no operation in progress. On failure the connection is closed.
  void detach();

  bool is_open() const;

 private:
  struct ReaderFree {
    void operator()(redisReader* r) const noexcept;
  };
  // An open descriptor that no io_context knows about; closed on destruction.
  class DetachedSocket {
   public:
    DetachedSocket() = default;
    explicit DetachedSocket(int fd) : fd_(fd) {}
    DetachedSocket(DetachedSocket&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    DetachedSocket& operator=(DetachedSocket&& other) noexcept;
    ~DetachedSocket() { reset(); }
    bool is_open() const { return fd_ >= 0; }
    int get() const { return fd_; }
    int release() { return std::exchange(fd_, -1); }
    void reset();

   private:
    int fd_ = -1;
  };

  static net::awaitable<Result<RedisConnection>> connect_direct(const config::RedisUrl& url,
                                                                 std::chrono::milliseconds timeout);
  static net::awaitable<Result<RedisConnection>> connect_any_node(const config::RedisUrl& url,
                                                                   std::chrono::milliseconds timeout);
  explicit RedisConnection(net::ip::tcp::socket socket);
  Result<void> attach(const net::any_io_executor& executor);
  net::awaitable<Result<RedisReply>> round_trip(std::string payload);
  net::awaitable<Result<std::vector<RedisReply>>> pipeline_round_trip(std::string payload,
                                                                      std::size_t replies);
  net::awaitable<Result<RedisReply>> read_reply();
  void close();

  // Exactly one of the two holds the descriptor while the connection is open.
  std::optional<net::ip::tcp::socket> socket_;
  DetachedSocket detached_;
  net::ip::tcp protocol_ = net::ip::tcp::v4();
  std::unique_ptr<redisReader, ReaderFree> reader_;
  std::string read_buffer_;  // one per connection: a read no longer allocates and zeroes 16 KiB
};

// PING on a fresh connection, closed afterwards: for readiness probes and
// `serve --check-config`, which must neither wait behind a pool nor count for its circuit
// breaker. A Redis error reply is kUnavailable "PING answered <text>".
[[nodiscard]] net::awaitable<Result<void>> ping(const config::RedisUrl& url, std::chrono::milliseconds timeout);

}  // namespace fruitpak::cache
