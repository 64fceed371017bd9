// The server's transport behaviour over real sockets: health, error bodies, CORS,
// keep-alive, limits, request ids and graceful shutdown.

#include "api/json_input.hpp"
#include "db/database.hpp"
#include "support/server_fixture.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include <future>

namespace fruitpak::testing {
namespace {

namespace bhttp = boost::beast::http;

class ServerHttpTest : public ServerFixture {};

void expect_error_shape(const HttpResponse& res, unsigned status, std::string_view message) {
  EXPECT_EQ(res.result_int(), status);
  EXPECT_EQ(res[bhttp::field::content_type], "application/json");
  auto body = parse_json(res.body()).as_object();
  EXPECT_EQ(body.at("detail").as_string(), message);
  EXPECT_EQ(body.at("error").at("code").as_string(), "HTTP_" + std::to_string(status));
  EXPECT_EQ(body.at("error").at("message").as_string(), message);
}

TEST_F(ServerHttpTest, RunsOnTheEngineItsTierNames) {
  start();
  EXPECT_EQ(app().database().engine(), is_pg() ? db::Engine::kPostgres : db::Engine::kSqlite);
}

TEST_F(ServerHttpTest, HealthAnswersContractShape) {
  config_.environment = "staging";
  start();
  auto res = client().get("/health");
  ASSERT_EQ(res.result_int(), 200);
  auto body = parse_json(res.body()).as_object();
  EXPECT_EQ(body.at("status").as_string(), "ok");
  EXPECT_EQ(body.at("service").as_string(), "FruitPAK");
  EXPECT_EQ(body.at("environment").as_string(), "staging");
  EXPECT_EQ(body.at("timestamp").as_string().size() >= 19, true);
  EXPECT_EQ(res["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(res["X-Frame-Options"], "DENY");
}

TEST_F(ServerHttpTest, ReadyChecksDatabaseAndRedis) {
  start();
  auto res = client().get("/health/ready");
  ASSERT_EQ(res.result_int(), 200) << res.body();
  auto body = parse_json(res.body()).as_object();
  EXPECT_EQ(body.at("status").as_string(), "healthy");
  EXPECT_EQ(body.at("checks").at("database").as_string(), "ok");
  EXPECT_EQ(body.at("checks").at("service").as_string(), "ok");
  const bool redis_configured = config_.redis.has_value();
  EXPECT_EQ(body.at("checks").at("redis").as_string(), redis_configured ? "ok" : "not configured");
}

// Redis down degrades the instance but leaves it ready (issue 9): the cache falls back to
// the database. Only the database makes readiness 503.
TEST_F(ServerHttpTest, ReadyIs200DegradedWithoutInternalTextWhenRedisIsUnreachable) {
  auto redis = config::parse_redis_url("redis://127.0.0.1:1/0");
  config_.redis = std::get<config::RedisUrl>(redis);
  start();
  auto res = client().get("/health/ready");
  ASSERT_EQ(res.result_int(), 200);
  auto body = parse_json(res.body()).as_object();
  EXPECT_EQ(body.at("status").as_string(), "degraded");
  EXPECT_EQ(body.at("checks").at("database").as_string(), "ok");
  EXPECT_EQ(body.at("checks").at("redis").as_string(), "error: unavailable");
  EXPECT_EQ(res.body().find("127.0.0.1"), std::string::npos);
}

TEST_F(ServerHttpTest, UnknownPathIs404InContractShape) {
  start();
  expect_error_shape(client().get("/api/nothing-here"), 404, "Not Found");
}

TEST_F(ServerHttpTest, WrongMethodIs405WithAllow) {
  start();
  auto res = client().post("/health", "{}");
  expect_error_shape(res, 405, "Method Not Allowed");
  EXPECT_EQ(res[bhttp::field::allow], "GET");
}

TEST_F(ServerHttpTest, OversizedBodyIs413) {
  config_.body_limit_bytes = 1024;
  start();
  auto res = client().post("/health", std::string(4096, 'x'));
  expect_error_shape(res, 413, "Request body too large");
}

TEST_F(ServerHttpTest, MalformedJsonIs400AndNonObjectIs422) {
  extra_routes = [](http::Router& router) {
    router.add(http::Method::post, "/test/echo", [](http::Request& req) -> net::awaitable<http::Response> {
      auto body = api::read_json_object(req);
      if (!body) co_return body.error();
      http::Response res{http::Status::ok, 11};
      res.body() = "ok";
      co_return res;
    });
  };
  start();
  auto c = client();
  auto malformed = c.post("/test/echo", "{\"name\": ");
  EXPECT_EQ(malformed.result_int(), 400);
  auto body = parse_json(malformed.body()).as_object();
  EXPECT_NE(std::string(body.at("detail").as_string()).find("Malformed JSON"), std::string::npos);
  EXPECT_EQ(body.at("error").at("code").as_string(), "HTTP_400");
  auto array = c.post("/test/echo", "[1, 2]");
  EXPECT_EQ(array.result_int(), 422);
  EXPECT_EQ(parse_json(array.body()).at("error").at("code").as_string(), "VALIDATION_ERROR");
  EXPECT_EQ(c.post("/test/echo", "{\"name\": \"x\"}").result_int(), 200);
}

TEST_F(ServerHttpTest, MalformedHttpIs400AndClosed) {
  start();
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket(io);
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), app().port()});
  const std::string garbage = "GET /health HTTP/1.1\r\nHost: x\r\nBad Header Without Colon\r\n\r\n";
  boost::asio::write(socket, boost::asio::buffer(garbage));
  boost::beast::flat_buffer buffer;
  HttpResponse res;
  bhttp::read(socket, buffer, res);
  expect_error_shape(res, 400, "Malformed HTTP request");
  EXPECT_FALSE(res.keep_alive());
}

TEST_F(ServerHttpTest, HandlerBugIs500WithoutInternalText) {
  extra_routes = [](http::Router& router) {
    router.add(http::Method::get, "/test/bug", [](http::Request&) -> net::awaitable<http::Response> {
      throw std::logic_error("secret internal detail");
      co_return http::Response{};
    });
  };
  start();
  auto c = client();
  auto res = c.get("/test/bug");
  EXPECT_EQ(res.result_int(), 500);
  auto body = parse_json(res.body()).as_object();
  EXPECT_EQ(body.at("error").at("code").as_string(), "INTERNAL_SERVER_ERROR");
  EXPECT_EQ(body.at("detail").as_string(), "An unexpected error occurred. Please try again later.");
  EXPECT_EQ(res.body().find("secret"), std::string::npos);
  EXPECT_EQ(c.get("/health").result_int(), 200);  // the connection and server carry on
}

TEST_F(ServerHttpTest, CorsPreflightIsAnsweredForAllowedOrigin) {
  config_.allowed_origins = {"http://localhost:3000"};
  start();
  auto c = client();
  auto res = c.request(bhttp::verb::options, "/api/growers/", {},
                       {{"Origin", "http://localhost:3000"}, {"Access-Control-Request-Method", "POST"},
                        {"Access-Control-Request-Headers", "authorization,content-type"}});
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res["Access-Control-Allow-Origin"], "http://localhost:3000");
  EXPECT_EQ(res["Access-Control-Allow-Credentials"], "true");
  EXPECT_EQ(res["Access-Control-Allow-Headers"], "authorization,content-type");
  // CORS headers are on error responses too (decision D7).
  auto missing = c.get("/api/nothing", {{"Origin", "http://localhost:3000"}});
  EXPECT_EQ(missing.result_int(), 404);
  EXPECT_EQ(missing["Access-Control-Allow-Origin"], "http://localhost:3000");
  auto refused = c.request(bhttp::verb::options, "/api/growers/", {},
                           {{"Origin", "http://evil.example"}, {"Access-Control-Request-Method", "GET"}});
  EXPECT_EQ(refused.result_int(), 400);
  EXPECT_EQ(refused.count("Access-Control-Allow-Origin"), 0u);
}

TEST_F(ServerHttpTest, KeepAliveServesThousandRequestsOnOneConnection) {
  start();
  auto c = client();
  for (int i = 0; i < 1000; ++i) {
    auto res = c.get("/health", {{"X-Request-ID", "req-" + std::to_string(i)}});
    ASSERT_EQ(res.result_int(), 200) << "request " << i;
    ASSERT_TRUE(res.keep_alive()) << "request " << i;
    ASSERT_EQ(res["X-Request-ID"], "req-" + std::to_string(i));
  }
}

TEST_F(ServerHttpTest, RequestIdIsGeneratedWhenAbsent) {
  start();
  auto res = client().get("/health");
  EXPECT_EQ(res["X-Request-ID"].size(), 32u);
}

TEST_F(ServerHttpTest, TestModeReportsQueryCount) {
  start();
  auto res = client().get("/health");
  EXPECT_EQ(res["X-Query-Count"], "0");
}

TEST_F(ServerHttpTest, GracefulShutdownFinishesInFlightRequest) {
  auto handler_started = std::make_shared<std::promise<void>>();
  extra_routes = [handler_started](http::Router& router) {
    router.add(http::Method::get, "/test/slow", [handler_started](http::Request&) -> net::awaitable<http::Response> {
      handler_started->set_value();
      // The request's own work takes a while; shutdown begins meanwhile.
      boost::asio::steady_timer work(co_await net::this_coro::executor, std::chrono::milliseconds(300));
      co_await work.async_wait(use_tuple);
      http::Response res{http::Status::ok, 11};
      res.body() = "finished";
      res.prepare_payload();
      co_return res;
    });
  };
  config_.shutdown_grace = std::chrono::milliseconds(5000);
  start();

  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket(io);
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), app().port()});
  const std::string request = "GET /test/slow HTTP/1.1\r\nHost: x\r\n\r\n";
  boost::asio::write(socket, boost::asio::buffer(request));
  handler_started->get_future().wait();

  auto stopped = std::async(std::launch::async, [this] { app().stop(); });
  boost::beast::flat_buffer buffer;
  HttpResponse res;
  bhttp::read(socket, buffer, res);
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res.body(), "finished");
  EXPECT_FALSE(res.keep_alive());  // draining: the server closes after this response
  stopped.get();

  boost::asio::ip::tcp::socket late(io);
  boost::system::error_code ec;
  late.connect({boost::asio::ip::make_address("127.0.0.1"), app().port()}, ec);
  EXPECT_TRUE(ec) << "a new connection was accepted after shutdown";
}

}  // namespace
}  // namespace fruitpak::testing
