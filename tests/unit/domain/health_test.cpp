// Readiness: which failing check makes the instance not ready, and the /health/ready body's
// dependency detail (issue 9 point 5).

#include "domain/health.hpp"
#include "json/health_json.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace fruitpak::domain {
namespace {

Readiness with_checks(const std::string& database, const std::string& redis) {
  Readiness r;
  r.checks = {{"service", "ok", true}, {"database", database, true}, {"redis", redis, false}};
  r.timestamp = "2026-11-26T08:00:00";
  return r;
}

TEST(Readiness, EveryCheckOkOrNotConfiguredIsHealthy) {
  EXPECT_EQ(with_checks("ok", "ok").status(), ReadinessStatus::kHealthy);
  EXPECT_EQ(with_checks("ok", "not configured").status(), ReadinessStatus::kHealthy);
  EXPECT_TRUE(with_checks("ok", "not configured").is_ready());
}

TEST(Readiness, RedisFailingDegradesButStaysReady) {
  const auto r = with_checks("ok", "error: unavailable");
  EXPECT_EQ(r.status(), ReadinessStatus::kDegraded);
  EXPECT_TRUE(r.is_ready());
}

TEST(Readiness, DatabaseFailingIsNotReadyWhateverRedisSays) {
  EXPECT_EQ(with_checks("error: timeout", "ok").status(), ReadinessStatus::kUnhealthy);
  EXPECT_EQ(with_checks("error: unavailable", "error: unavailable").status(), ReadinessStatus::kUnhealthy);
  EXPECT_FALSE(with_checks("error: timeout", "ok").is_ready());
}

TEST(ReadinessJson, KeepsTheContractFieldsAndAddsEachDependency) {
  auto r = with_checks("ok", "error: unavailable");
  r.database = {DependencyState::kOk, "", 0.25, "postgresql", {3, 2, 1, 0, 20}};
  r.redis.state = DependencyState::kError;
  r.redis.error = "unavailable";
  r.redis.circuit = CircuitState::kHalfOpen;
  r.redis.pool = RedisPoolFigures{1, 0, 1, 50};
  const auto body = boost::json::parse(json::to_json(r)).as_object();
  EXPECT_EQ(body.at("status").as_string(), "degraded");
  EXPECT_EQ(body.at("service").as_string(), "FruitPAK");
  EXPECT_EQ(body.at("timestamp").as_string(), "2026-11-26T08:00:00");
  EXPECT_EQ(body.at("checks").at("redis").as_string(), "error: unavailable");
  const auto& database = body.at("dependencies").at("database").as_object();
  EXPECT_EQ(database.at("state").as_string(), "ok");
  EXPECT_EQ(database.at("engine").as_string(), "postgresql");
  EXPECT_DOUBLE_EQ(database.at("latency_ms").to_number<double>(), 0.25);
  EXPECT_EQ(database.at("pool").at("open").to_number<int>(), 3);
  EXPECT_EQ(database.at("pool").at("idle").to_number<int>(), 2);
  EXPECT_EQ(database.at("pool").at("in_use").to_number<int>(), 1);
  EXPECT_EQ(database.at("pool").at("waiting").to_number<int>(), 0);
  EXPECT_EQ(database.at("pool").at("max").to_number<int>(), 20);
  const auto& redis = body.at("dependencies").at("redis").as_object();
  EXPECT_EQ(redis.at("state").as_string(), "error");
  EXPECT_EQ(redis.at("error").as_string(), "unavailable");
  EXPECT_EQ(redis.at("circuit").as_string(), "half_open");
  EXPECT_EQ(redis.at("pool").at("max").to_number<int>(), 50);
}

TEST(ReadinessJson, DatabaseDownIsUnhealthyAndNamesTheErrorKind) {
  auto r = with_checks("error: timeout", "not configured");
  r.database.state = DependencyState::kError;
  r.database.error = "timeout";
  const auto body = boost::json::parse(json::to_json(r)).as_object();
  EXPECT_EQ(body.at("status").as_string(), "unhealthy");
  EXPECT_EQ(body.at("dependencies").at("database").at("error").as_string(), "timeout");
  const auto& redis = body.at("dependencies").at("redis").as_object();
  EXPECT_EQ(redis.at("state").as_string(), "not_configured");
  EXPECT_FALSE(redis.contains("circuit"));
  EXPECT_FALSE(redis.contains("pool"));
}

}  // namespace
}  // namespace fruitpak::domain
