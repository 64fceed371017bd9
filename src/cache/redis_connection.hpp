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
#include <string>
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
  // message until TLS support lands.
  [[nodiscard]] static net::awaitable<Result<RedisConnection>> connect(
      const config::RedisUrl& url, std::chrono::milliseconds timeout);

  RedisConnection(RedisConnection&&) noexcept;
  RedisConnection& operator=(RedisConnection&&) noexcept;
  ~RedisConnection();

  // Sends one command and reads its reply. A Redis error reply is a value (type kError);
  // an I/O failure or timeout is kUnavailable/kTimeout and leaves the connection closed.
  [[nodiscard]] net::awaitable<Result<RedisReply>> command(std::vector<std::string> args,
                                                           std::chrono::milliseconds timeout);

  // Waits for the next reply without sending anything: the messages of a SUBSCRIBE.
  // kTimeout leaves the connection open (nothing was lost); I/O failures close it.
  [[nodiscard]] net::awaitable<Result<RedisReply>> receive(std::chrono::milliseconds timeout);

  bool is_open() const { return socket_.is_open(); }

 private:
  struct ReaderFree {
    void operator()(redisReader* r) const noexcept;
  };
  explicit RedisConnection(net::ip::tcp::socket socket);
  net::awaitable<Result<RedisReply>> round_trip(std::string payload);
  net::awaitable<Result<RedisReply>> read_reply();
  void close();

  net::ip::tcp::socket socket_;
  std::unique_ptr<redisReader, ReaderFree> reader_;
};

}  // namespace fruitpak::cache
