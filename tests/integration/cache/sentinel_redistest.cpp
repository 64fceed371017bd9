// redis+sentinel:// connections (cache/sentinel.hpp, RedisConnection::connect) and the
// pool's READONLY handling, with scripted sentinels and nodes on loopback (FakeRedis) and,
// as a real master, the private Redis of scripts/test (FRUITPAK_TEST_REDIS_URL). The real
// failover of real sentinels is the drill bench/drills/redis_sentinel.

#include "cache/redis_pool.hpp"
#include "cache/sentinel.hpp"
#include "support/test_env.hpp"
#include "util/run_sync.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

#include <hiredis/hiredis.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cctype>
#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace fruitpak::cache {
namespace {

using std::chrono::milliseconds;
using tcp = net::ip::tcp;

constexpr milliseconds kTimeout{2000};  // generous: an ASan build on a busy machine

std::string bulk(const std::string& s) { return "$" + std::to_string(s.size()) + "\r\n" + s + "\r\n"; }
std::string array_of(const std::vector<std::string>& items) {
  std::string out = "*" + std::to_string(items.size()) + "\r\n";
  for (const auto& item : items) out += bulk(item);
  return out;
}
const std::string kNil = "*-1\r\n";
const std::string kOk = "+OK\r\n";
const std::string kMasterRole = "*3\r\n$6\r\nmaster\r\n:0\r\n*0\r\n";
const std::string kReplicaRole = "*5\r\n$5\r\nslave\r\n$9\r\n127.0.0.1\r\n:6379\r\n$9\r\nconnected\r\n:0\r\n";

// Per connection: whether AUTH succeeded. The handler answers one command (args[0] is
// upper-cased) with raw RESP.
struct Session {
  bool authed = false;
};
using Handler = std::function<std::string(const std::vector<std::string>& args, Session& session)>;

// A scripted Redis or sentinel on 127.0.0.1 with its own thread. Records every command.
class FakeRedis {
 public:
  explicit FakeRedis(Handler handler) : handler_(std::move(handler)), acceptor_(context_) {
    acceptor_.open(tcp::v4());
    acceptor_.set_option(tcp::acceptor::reuse_address(true));
    acceptor_.bind(tcp::endpoint(net::ip::make_address("127.0.0.1"), 0));
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    net::co_spawn(context_, accept_loop(), net::detached);
    thread_ = std::thread([this] { context_.run(); });
  }
  ~FakeRedis() {
    context_.stop();
    thread_.join();
  }

  config::RedisEndpoint endpoint() const { return {"127.0.0.1", port_}; }
  std::uint16_t port() const { return port_; }
  int connections() const { return connections_.load(); }
  // Every command seen, as "NAME arg1 arg2".
  std::vector<std::string> commands() const {
    std::lock_guard lock(mutex_);
    return commands_;
  }
  bool saw(const std::string& command) const {
    for (const auto& c : commands()) {
      if (c == command) return true;
    }
    return false;
  }

 private:
  net::awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, socket] = co_await acceptor_.async_accept(use_tuple);
      if (ec) co_return;
      connections_.fetch_add(1);
      net::co_spawn(context_, serve(std::move(socket)), net::detached);
    }
  }

  net::awaitable<void> serve(tcp::socket socket) {
    std::unique_ptr<redisReader, void (*)(redisReader*)> reader(redisReaderCreate(), redisReaderFree);
    Session session;
    char buffer[4096];
    for (;;) {
      auto [ec, n] = co_await socket.async_read_some(net::buffer(buffer), use_tuple);
      if (ec) co_return;
      redisReaderFeed(reader.get(), buffer, n);
      for (;;) {
        void* raw = nullptr;
        if (redisReaderGetReply(reader.get(), &raw) != REDIS_OK) co_return;
        if (!raw) break;
        auto* reply = static_cast<redisReply*>(raw);
        std::vector<std::string> args;
        for (std::size_t i = 0; i < reply->elements; ++i) args.emplace_back(reply->element[i]->str, reply->element[i]->len);
        freeReplyObject(reply);
        if (args.empty()) co_return;
        for (char& c : args[0]) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        {
          std::string line = args[0];
          for (std::size_t i = 1; i < args.size(); ++i) line += " " + args[i];
          std::lock_guard lock(mutex_);
          commands_.push_back(line);
        }
        std::string answer = handler_(args, session);
        auto [wec, written] = co_await net::async_write(socket, net::buffer(answer), use_tuple);
        if (wec) co_return;
      }
    }
  }

  Handler handler_;
  net::io_context context_;
  tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  std::atomic<int> connections_{0};
  mutable std::mutex mutex_;
  std::vector<std::string> commands_;
  std::thread thread_;
};

// A sentinel that names `master()` for "mymaster" and knows no other master.
Handler sentinel_naming(std::function<config::RedisEndpoint()> master) {
  return [master = std::move(master)](const std::vector<std::string>& args, Session&) -> std::string {
    if (args[0] == "SENTINEL" && args.size() == 3 && args[1] == "get-master-addr-by-name") {
      if (args[2] != "mymaster") return kNil;
      const auto at = master();
      return array_of({at.host, std::to_string(at.port)});
    }
    return "-ERR unknown command\r\n";
  };
}

// A data node with the given ROLE answer; SET answers `set_answer()`.
Handler node(std::string role, std::function<std::string()> set_answer = [] { return kOk; }) {
  return [role = std::move(role), set_answer = std::move(set_answer)](const std::vector<std::string>& args,
                                                                       Session&) -> std::string {
    if (args[0] == "ROLE") return role;
    if (args[0] == "PING") return "+PONG\r\n";
    if (args[0] == "SET") return set_answer();
    if (args[0] == "AUTH") return kOk;
    return "-ERR unknown command\r\n";
  };
}

config::RedisUrl sentinel_url(std::vector<config::RedisEndpoint> sentinels) {
  config::RedisUrl url;
  url.sentinels = std::move(sentinels);
  url.sentinel_master = "mymaster";
  url.host = url.sentinels.front().host;
  url.port = url.sentinels.front().port;
  url.redacted = "redis+sentinel://test/mymaster";
  return url;
}

// A loopback port with nothing listening (bound, then closed).
config::RedisEndpoint closed_port() {
  net::io_context context;
  tcp::acceptor acceptor(context, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0));
  const auto port = acceptor.local_endpoint().port();
  acceptor.close();
  return {"127.0.0.1", port};
}

// Connects to `url`, then sends each command in turn on that connection: the last reply
// (or the first failure). One coroutine, so that the connection never outlives the
// io_context of run_sync.
net::awaitable<Result<RedisReply>> connect_and_run_async(config::RedisUrl url,
                                                         std::vector<std::vector<std::string>> commands) {
  auto connection = co_await RedisConnection::connect(url, kTimeout);
  if (!connection) co_return connection.error();
  RedisReply last;
  for (auto& args : commands) {
    auto reply = co_await connection->command(std::move(args), kTimeout);
    if (!reply) co_return reply.error();
    last = std::move(*reply);
  }
  co_return last;
}

Result<RedisReply> connect_and_run(const config::RedisUrl& url, std::vector<std::vector<std::string>> commands) {
  return util::run_sync(connect_and_run_async(url, std::move(commands)));
}

Result<RedisReply> pool_command(RedisPool& pool, std::vector<std::string> args) {
  return util::run_sync(pool.command(std::move(args)));
}

RedisPoolOptions relaxed_options() {
  RedisPoolOptions options;
  options.command_timeout = kTimeout;
  options.connect_timeout = kTimeout;
  return options;
}

TEST(SentinelTest, ConnectsToTheRealMasterNamedByTheFirstSentinelThatKnowsIt) {
  const config::RedisUrl real = testing::test_redis_url();
  FakeRedis unaware([](const std::vector<std::string>&, Session&) { return kNil; });
  FakeRedis aware(sentinel_naming([&] { return config::RedisEndpoint{real.host, real.port}; }));
  auto url = sentinel_url({closed_port(), unaware.endpoint(), aware.endpoint()});
  url.db = real.db;

  // The connection is to the real Redis: a key written through it is there.
  std::random_device rd;
  const std::string key = "fp:test:sentinel:" + std::to_string(std::uniform_int_distribution<std::uint64_t>()(rd));
  auto set = connect_and_run(url, {{"SET", key, "v", "PX", "60000"}});
  ASSERT_TRUE(set) << set.error().detail;
  EXPECT_EQ(set->type, RedisReply::Type::kStatus);
  EXPECT_TRUE(unaware.saw("SENTINEL get-master-addr-by-name mymaster"));
  EXPECT_TRUE(aware.saw("SENTINEL get-master-addr-by-name mymaster"));

  auto got = connect_and_run(real, {{"GET", key}});
  ASSERT_TRUE(got) << got.error().detail;
  EXPECT_EQ(got->text, "v");
  auto deleted = connect_and_run(real, {{"DEL", key}});
  ASSERT_TRUE(deleted) << deleted.error().detail;
  EXPECT_EQ(deleted->integer, 1);
}

TEST(SentinelTest, RefusesANodeThatIsNotAMaster) {
  FakeRedis replica(node(kReplicaRole));
  FakeRedis sentinel(sentinel_naming([&] { return replica.endpoint(); }));
  auto connection = connect_and_run(sentinel_url({sentinel.endpoint()}), {{"PING"}});
  ASSERT_FALSE(connection);
  EXPECT_EQ(connection.error().code, Errc::kUnavailable);
  EXPECT_NE(connection.error().detail.find("has role 'slave'"), std::string::npos) << connection.error().detail;
  EXPECT_TRUE(replica.saw("ROLE"));
}

TEST(SentinelTest, NoSentinelAnsweringIsUnavailableAndNamesEachSentinel) {
  const auto dead = closed_port();
  FakeRedis unaware([](const std::vector<std::string>&, Session&) { return kNil; });
  FakeRedis failing([](const std::vector<std::string>&, Session&) { return std::string("-ERR no such master\r\n"); });
  auto url = sentinel_url({dead, unaware.endpoint(), failing.endpoint()});
  url.password = "hunter2";
  auto connection = connect_and_run(url, {{"PING"}});
  ASSERT_FALSE(connection);
  EXPECT_EQ(connection.error().code, Errc::kUnavailable);
  const std::string& detail = connection.error().detail;
  EXPECT_NE(detail.find("127.0.0.1:" + std::to_string(dead.port)), std::string::npos) << detail;
  EXPECT_NE(detail.find("127.0.0.1:" + std::to_string(unaware.port()) + ": does not know master 'mymaster'"),
            std::string::npos)
      << detail;
  EXPECT_NE(detail.find("answered ERR no such master"), std::string::npos) << detail;
  EXPECT_EQ(detail.find("hunter2"), std::string::npos);
}

TEST(SentinelTest, ASentinelAskingForAuthGetsTheUrlCredentials) {
  FakeRedis master(node(kMasterRole));
  FakeRedis sentinel([&](const std::vector<std::string>& args, Session& session) -> std::string {
    if (args[0] == "AUTH") {
      session.authed = args.size() == 2 && args[1] == "s3cret";
      return session.authed ? kOk : "-WRONGPASS invalid password\r\n";
    }
    if (!session.authed) return "-NOAUTH Authentication required.\r\n";
    return sentinel_naming([&] { return master.endpoint(); })(args, session);
  });
  auto url = sentinel_url({sentinel.endpoint()});
  url.password = "s3cret";
  auto connection = connect_and_run(url, {{"PING"}});
  ASSERT_TRUE(connection) << connection.error().detail;
  EXPECT_TRUE(sentinel.saw("AUTH s3cret"));
  EXPECT_TRUE(master.saw("AUTH s3cret"));  // the master gets the same credentials
}

// A demoted master answers writes with READONLY: the pool must drop that connection
// rather than keep failing writes on it, and report kUnavailable (a miss for the cache).
TEST(SentinelTest, PoolDropsAConnectionAnsweredReadonly) {
  FakeRedis demoted(node(kReplicaRole, [] { return std::string("-READONLY You can't write against a read only replica.\r\n"); }));
  config::RedisUrl url;
  url.host = "127.0.0.1";
  url.port = demoted.port();
  RedisPool pool(url, relaxed_options());

  auto set = pool_command(pool, {"SET", "k", "v"});
  ASSERT_FALSE(set);
  EXPECT_EQ(set.error().code, Errc::kUnavailable);
  EXPECT_EQ(pool.stats().open, 0u);
  EXPECT_EQ(pool.stats().failures_total, 1u);

  auto ping = pool_command(pool, {"PING"});
  ASSERT_TRUE(ping) << ping.error().detail;
  EXPECT_EQ(demoted.connections(), 2);  // a new connection, not the dropped one
}

// Failover as the pool sees it: the master it uses is demoted (READONLY) and the sentinel
// now names another node; the next write reaches the new master through a new connection.
TEST(SentinelTest, PoolFollowsTheMasterTheSentinelNamesAfterAFailover) {
  std::atomic<bool> failed_over{false};
  FakeRedis first(node(kMasterRole, [&] {
    return failed_over ? std::string("-READONLY You can't write against a read only replica.\r\n") : kOk;
  }));
  FakeRedis second(node(kMasterRole));
  FakeRedis sentinel(sentinel_naming([&] { return failed_over ? second.endpoint() : first.endpoint(); }));
  RedisPool pool(sentinel_url({sentinel.endpoint()}), relaxed_options());

  auto before = pool_command(pool, {"SET", "k", "1"});
  ASSERT_TRUE(before) << before.error().detail;
  EXPECT_TRUE(first.saw("SET k 1"));

  failed_over = true;
  auto during = pool_command(pool, {"SET", "k", "2"});  // the pooled connection to `first`
  ASSERT_FALSE(during);
  EXPECT_EQ(during.error().code, Errc::kUnavailable);

  auto after = pool_command(pool, {"SET", "k", "3"});
  ASSERT_TRUE(after) << after.error().detail;
  EXPECT_EQ(after->type, RedisReply::Type::kStatus);
  EXPECT_TRUE(second.saw("SET k 3"));
  EXPECT_FALSE(first.saw("SET k 3"));
}

TEST(SentinelTest, MasterAddressReplyParsing) {
  RedisReply reply;
  reply.type = RedisReply::Type::kArray;
  reply.elements.resize(2);
  reply.elements[0] = RedisReply{RedisReply::Type::kString, "::1", 0, {}};
  reply.elements[1] = RedisReply{RedisReply::Type::kString, "6380", 0, {}};
  auto parsed = parse_master_addr_reply(reply);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->host, "::1");
  EXPECT_EQ(parsed->port, 6380);

  reply.elements[1].text = "70000";
  EXPECT_FALSE(parse_master_addr_reply(reply));
  reply.elements[1].text = "63x";
  EXPECT_FALSE(parse_master_addr_reply(reply));
  EXPECT_FALSE(parse_master_addr_reply(RedisReply{}));  // nil: unknown master
  EXPECT_FALSE(parse_master_addr_reply(RedisReply{RedisReply::Type::kError, "ERR", 0, {}}));
}

}  // namespace
}  // namespace fruitpak::cache
