// The server's log lines over a full authentication flow, captured from spdlog: no line
// carries a password, SECRET_KEY, METRICS_TOKEN, an issued token, an OTP code, a query
// string value or "Bearer "; with LOG_FORMAT=json every line is one JSON object and the access
// lines carry request_id, tenant, route (the template), method, path, status, duration_ms and
// bytes with the values of the request they describe.

#include "app/logging.hpp"
#include "support/server_fixture.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <mutex>
#include <string>
#include <vector>

namespace fruitpak::testing {
namespace {

namespace json = boost::json;

// Keeps every formatted line (the formatter's output, newline removed).
class CaptureSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  std::vector<std::string> lines() {
    std::lock_guard lock(mutex_);
    return lines_;
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t buffer;
    formatter_->format(msg, buffer);
    std::string line(buffer.data(), buffer.size());
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    lines_.push_back(std::move(line));
  }
  void flush_() override {}

 private:
  std::vector<std::string> lines_;
};

class LoggingHttpTest : public ServerFixture {
 protected:
  // Replaces the default logger by one writing only to the capture sink, at level info,
  // before the server starts; TearDown restores the previous logger after the server stopped.
  void capture(config::LogFormat format) {
    previous_ = spdlog::default_logger();
    sink_ = std::make_shared<CaptureSink>();
    sink_->set_formatter(app::make_log_formatter(format));
    auto logger = std::make_shared<spdlog::logger>("capture", sink_);
    logger->set_level(spdlog::level::info);
    spdlog::set_default_logger(logger);
  }

  // Stops the server (every access line is then written) and returns the captured lines.
  std::vector<std::string> stop_and_collect() {
    app().stop();
    return sink_->lines();
  }

  void TearDown() override {
    ServerFixture::TearDown();
    if (previous_) spdlog::set_default_logger(previous_);
  }

  std::shared_ptr<CaptureSink> sink_;
  std::shared_ptr<spdlog::logger> previous_;
};

std::string text_of(const json::value& v, std::string_view key) {
  const auto* found = v.as_object().if_contains(key);
  return found && found->is_string() ? std::string(found->as_string()) : std::string();
}

std::string all_lines(const std::vector<std::string>& lines) {
  std::string joined;
  for (const auto& line : lines) joined += line + "\n";
  return joined;
}

TEST_F(LoggingHttpTest, FullAuthFlowLeaksNoSecretAndJsonAccessLinesCarryTheRequest) {
  const std::string password = "Pa55word-kept-out-of-logs";
  const std::string phone = "+27115550123";
  config_.secret_key = "logging-test-secret-key-0123456789abcdef";
  config_.metrics_token = "logging-test-metrics-token-42";
  capture(config::LogFormat::kJson);
  start();
  auto c = client();
  std::size_t requests = 0;
  std::vector<std::string> tokens;
  const auto take_tokens = [&](const HttpResponse& res) {
    auto o = json_object(res);
    tokens.emplace_back(o.at("access_token").as_string().c_str());
    tokens.emplace_back(o.at("refresh_token").as_string().c_str());
  };

  json::object registration{{"email", "log-flow@example.com"}, {"password", password}, {"full_name", "Log Flow"}, {"phone", phone}};
  auto registered = c.post("/api/auth/register", json::serialize(registration));
  ++requests;
  ASSERT_EQ(registered.result_int(), 201) << registered.body();
  take_tokens(registered);

  json::object credentials{{"email", "log-flow@example.com"}, {"password", password}};
  auto login = c.post("/api/auth/login", json::serialize(credentials));
  ++requests;
  ASSERT_EQ(login.result_int(), 200) << login.body();
  take_tokens(login);

  json::object refresh{{"refresh_token", tokens.back()}};
  auto refreshed = c.post("/api/auth/refresh", json::serialize(refresh));
  ++requests;
  ASSERT_EQ(refreshed.result_int(), 200) << refreshed.body();
  take_tokens(refreshed);

  Account account;
  account.access_token = tokens[tokens.size() - 2];
  create_enterprise(c, account, "Log Flow Co");  // two requests; the account gets a tenant token
  requests += 2;
  tokens.push_back(account.access_token);
  tokens.push_back(account.refresh_token);
  onboard(account.enterprise_id);

  // A query value never reaches the log: the access line has the path without the query.
  auto growers = c.get("/api/growers/?limit=2&api_key=query-secret-value", account.auth());
  ++requests;
  ASSERT_EQ(growers.result_int(), 200) << growers.body();
  const std::string growers_request_id(growers["X-Request-ID"]);

  json::object otp{{"phone", phone}};
  auto otp_sent = c.post("/api/auth/otp-request", json::serialize(otp));
  ++requests;
  ASSERT_EQ(otp_sent.result_int(), 200) << otp_sent.body();
  const std::string code(json_object(otp_sent).at("dev_code").as_string());

  auto metrics = c.get("/metrics", {{"Authorization", "Bearer " + config_.metrics_token}});
  ++requests;
  ASSERT_EQ(metrics.result_int(), 200);

  auto logout = c.post("/api/auth/logout", "", account.auth());
  ++requests;
  ASSERT_EQ(logout.result_int(), 204) << logout.body();

  const auto lines = stop_and_collect();
  ASSERT_FALSE(lines.empty());

  std::vector<std::string> secrets{password, config_.secret_key, config_.metrics_token, "Bearer ", "query-secret-value"};
  secrets.insert(secrets.end(), tokens.begin(), tokens.end());
  bool sms_logged = false;
  for (const auto& line : lines) {
    for (const auto& secret : secrets) EXPECT_EQ(line.find(secret), std::string::npos) << "secret in: " << line;
    if (line.find("SMS (not sent") != std::string::npos) {
      sms_logged = true;
      EXPECT_EQ(line.find(code), std::string::npos) << "OTP code in: " << line;
    }
  }
  EXPECT_TRUE(sms_logged) << all_lines(lines);

  // Every line is one JSON object with time, level and message; access lines add the request.
  std::vector<json::value> access;
  for (const auto& line : lines) {
    boost::system::error_code ec;
    auto parsed = json::parse(line, ec);
    ASSERT_FALSE(ec) << "not JSON: " << line;
    ASSERT_TRUE(parsed.is_object()) << line;
    EXPECT_FALSE(text_of(parsed, "time").empty()) << line;
    EXPECT_FALSE(text_of(parsed, "level").empty()) << line;
    EXPECT_TRUE(parsed.as_object().contains("message")) << line;
    if (parsed.as_object().contains("request_id")) access.push_back(parsed);
  }
  ASSERT_EQ(access.size(), requests) << all_lines(lines);

  const auto find_access = [&](std::string_view route, std::string_view method) -> const json::object* {
    for (const auto& a : access) {
      if (text_of(a, "route") == route && text_of(a, "method") == method) return &a.as_object();
    }
    ADD_FAILURE() << "no access line for " << method << " " << route << "\n" << all_lines(lines);
    return nullptr;
  };
  for (const auto& a : access) {
    const auto& o = a.as_object();
    EXPECT_EQ(text_of(a, "level"), "info");
    EXPECT_FALSE(text_of(a, "request_id").empty());
    EXPECT_TRUE(o.contains("status") && o.at("status").is_number()) << json::serialize(a);
    EXPECT_TRUE(o.contains("duration_ms") && o.at("duration_ms").is_number()) << json::serialize(a);
    EXPECT_TRUE(o.contains("bytes") && o.at("bytes").is_number()) << json::serialize(a);
    EXPECT_EQ(text_of(a, "path").find('?'), std::string::npos) << json::serialize(a);
  }

  if (const auto* line = find_access("/api/growers/", "GET")) {
    EXPECT_EQ(line->at("status").to_number<int>(), 200);
    EXPECT_EQ(line->at("tenant").as_string(), account.enterprise_id);
    EXPECT_EQ(line->at("path").as_string(), "/api/growers/");
    EXPECT_EQ(line->at("request_id").as_string(), growers_request_id);
    EXPECT_EQ(line->at("bytes").to_number<std::size_t>(), growers.body().size());
    EXPECT_GE(line->at("duration_ms").to_number<double>(), 0.0);
  }
  if (const auto* line = find_access("/api/auth/login", "POST")) {
    EXPECT_EQ(line->at("status").to_number<int>(), 200);
    EXPECT_FALSE(line->contains("tenant"));  // a user without an enterprise
  }
  if (const auto* line = find_access("/api/auth/register", "POST")) {
    EXPECT_EQ(line->at("status").to_number<int>(), 201);
  }
  if (const auto* line = find_access("/api/auth/logout", "POST")) {
    EXPECT_EQ(line->at("status").to_number<int>(), 204);
    EXPECT_EQ(line->at("tenant").as_string(), account.enterprise_id);
  }
  if (const auto* line = find_access("/metrics", "GET")) {
    EXPECT_EQ(line->at("status").to_number<int>(), 200);
  }
}

TEST_F(LoggingHttpTest, TextAccessLineNamesRouteAndTenantWithoutTheQuery) {
  capture(config::LogFormat::kText);
  const auto admin = start_with_admin("log-text@example.com", "Log Text Co");
  auto c = client();
  ASSERT_EQ(c.get("/api/growers/?limit=1&password=query-secret-value", admin.auth()).result_int(), 200);
  ASSERT_EQ(c.get("/no/such/route?token=query-secret-value").result_int(), 404);
  const auto lines = stop_and_collect();

  int growers = 0;
  int unmatched = 0;
  for (const auto& line : lines) {
    EXPECT_EQ(line.find("query-secret-value"), std::string::npos) << line;
    EXPECT_TRUE(!line.empty() && line.front() != '{') << line;  // human-readable, not JSON
    if (line.find(" GET /api/growers/ 200 ") != std::string::npos) {
      ++growers;
      EXPECT_NE(line.find("route=/api/growers/ tenant=" + admin.enterprise_id + " rid="), std::string::npos) << line;
    }
    if (line.find(" GET /no/such/route 404 ") != std::string::npos) {
      ++unmatched;
      EXPECT_NE(line.find("route=unmatched tenant=- rid="), std::string::npos) << line;
    }
  }
  EXPECT_EQ(growers, 1) << all_lines(lines);
  EXPECT_EQ(unmatched, 1) << all_lines(lines);
}

}  // namespace
}  // namespace fruitpak::testing
