// Readiness detail (issue 9 point 5): /health/ready states each dependency, the database
// pool and the cache's Redis circuit breaker, and stays ready (200, "degraded") while Redis
// is down; `fruitpak serve --check-config` checks the configuration and connectivity and
// exits 0, 1 or 2. Both on each engine.

#include "app/check_config_command.hpp"
#include "support/api_client.hpp"
#include "support/server_fixture.hpp"

#include <boost/json/serialize.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace fruitpak::testing {
namespace {

namespace json = boost::json;

class HealthHttpTest : public ServerFixture {
 protected:
  json::object ready(int expected_status = 200) {
    auto res = client().get("/health/ready");
    EXPECT_EQ(res.result_int(), expected_status) << res.body();
    return json_object(res);
  }

  // The fixture's database as a DATABASE_URL.
  std::string database_url() const {
    return is_pg() ? config_.database.pg_conninfo : "sqlite://" + config_.database.sqlite_path;
  }

  // run_check_config on the configuration these variables give (as flags would).
  int check_config(std::map<std::string, std::string> flags, std::string& output) {
    config::Sources sources;
    sources.flags = std::move(flags);
    std::ostringstream out;
    const int code = app::run_check_config(config::load(sources), out);
    output = out.str();
    return code;
  }
};

std::int64_t count(const json::object& o, const char* key) { return o.at(key).to_number<std::int64_t>(); }

TEST_F(HealthHttpTest, ReadyReportsTheDatabaseWithItsPoolAndKeepsTheContractFields) {
  start();
  const auto body = ready();
  EXPECT_EQ(body.at("service").as_string(), "FruitPAK");
  EXPECT_GE(body.at("timestamp").as_string().size(), 19u);
  EXPECT_EQ(body.at("checks").at("service").as_string(), "ok");
  EXPECT_EQ(body.at("checks").at("database").as_string(), "ok");
  const auto& database = body.at("dependencies").at("database").as_object();
  EXPECT_EQ(database.at("state").as_string(), "ok");
  EXPECT_EQ(database.at("engine").as_string(), is_pg() ? "postgresql" : "sqlite");
  EXPECT_GE(database.at("latency_ms").to_number<double>(), 0.0);
  EXPECT_FALSE(database.contains("error"));
  const auto& pool = database.at("pool").as_object();
  // SQLite always gets one connection, whatever DB_POOL_SIZE says.
  EXPECT_EQ(count(pool, "max"), is_pg() ? config_.db_pool_size : 1);
  EXPECT_GE(count(pool, "open"), 1);  // the check's own connection, back in the pool
  EXPECT_LE(count(pool, "open"), count(pool, "max"));
  EXPECT_EQ(count(pool, "idle") + count(pool, "in_use"), count(pool, "open"));
  EXPECT_GE(count(pool, "waiting"), 0);
}

TEST_F(HealthHttpTest, ReadyReportsRedisWithAClosedCircuitAndThePoolFigures) {
  ASSERT_TRUE(config_.redis) << "needs FRUITPAK_TEST_REDIS_URL; run the suite through scripts/test";
  config_.redis_pool_size = 7;
  start();
  const auto body = ready();
  EXPECT_EQ(body.at("status").as_string(), "healthy");
  EXPECT_EQ(body.at("checks").at("redis").as_string(), "ok");
  const auto& redis = body.at("dependencies").at("redis").as_object();
  EXPECT_EQ(redis.at("state").as_string(), "ok");
  EXPECT_EQ(redis.at("circuit").as_string(), "closed");
  const auto& pool = redis.at("pool").as_object();
  EXPECT_EQ(count(pool, "max"), 7);
  EXPECT_EQ(count(pool, "idle") + count(pool, "in_use"), count(pool, "open"));
}

TEST_F(HealthHttpTest, WithoutRedisReadyIsHealthyAndSaysNotConfigured) {
  config_.redis.reset();
  start();
  const auto body = ready();
  EXPECT_EQ(body.at("status").as_string(), "healthy");
  EXPECT_EQ(body.at("checks").at("redis").as_string(), "not configured");
  const auto& redis = body.at("dependencies").at("redis").as_object();
  EXPECT_EQ(redis.at("state").as_string(), "not_configured");
  EXPECT_FALSE(redis.contains("circuit"));  // no pool, no breaker
  EXPECT_FALSE(redis.contains("pool"));
}

// Cached reads against a Redis nobody listens on fail in the cache's pool until its
// circuit opens; readiness says so, and the instance stays ready because every read is
// still answered from the database.
TEST_F(HealthHttpTest, RedisUnreachableOpensTheCircuitAndReadinessStaysReadyButDegraded) {
  config_.redis = std::get<config::RedisUrl>(config::parse_redis_url("redis://:n0tInTheBody@127.0.0.1:1/0"));
  const Account admin = start_with_admin("ready@example.com", "Ready Packhouse");
  auto before = ready();
  EXPECT_EQ(before.at("status").as_string(), "degraded");
  EXPECT_EQ(before.at("dependencies").at("redis").at("state").as_string(), "error");
  EXPECT_EQ(before.at("dependencies").at("redis").at("error").as_string(), "unavailable");

  auto c = client();
  json::object body;
  for (int limit = 1; limit <= 30; ++limit) {
    // A new cache key each time, so every read reaches for L2.
    ASSERT_EQ(c.get("/api/growers/?limit=" + std::to_string(limit), admin.auth()).result_int(), 200);
    body = ready();
    if (body.at("dependencies").at("redis").at("circuit").as_string() == "open") break;
  }
  EXPECT_EQ(body.at("dependencies").at("redis").at("circuit").as_string(), "open")
      << "30 failed cache reads did not open the circuit";
  EXPECT_EQ(body.at("status").as_string(), "degraded");
  EXPECT_EQ(body.at("checks").at("database").as_string(), "ok");
  EXPECT_EQ(body.at("checks").at("redis").as_string(), "error: unavailable");
  EXPECT_EQ(body.at("dependencies").at("database").at("state").as_string(), "ok");
  const auto text = json::serialize(body);
  EXPECT_EQ(text.find("127.0.0.1"), std::string::npos) << text;
  EXPECT_EQ(text.find("n0tInTheBody"), std::string::npos) << text;
}

TEST_F(HealthHttpTest, CheckConfigPassesOnAMigratedDatabaseAndMasksSecrets) {
  start();  // migrates the fixture's database
  std::map<std::string, std::string> flags{{"DATABASE_URL", database_url()},
                                           {"SECRET_KEY", "s3cret-key-that-must-not-be-printed"}};
  if (config_.redis) flags["REDIS_URL"] = *env("FRUITPAK_TEST_REDIS_URL");
  std::string out;
  EXPECT_EQ(check_config(flags, out), 0) << out;
  EXPECT_NE(out.find("settings: "), std::string::npos) << out;
  EXPECT_NE(out.find("config   ok"), std::string::npos) << out;
  EXPECT_NE(out.find("database ok    "), std::string::npos) << out;
  EXPECT_NE(out.find("schema   ok    version "), std::string::npos) << out;
  EXPECT_NE(out.find("up to date"), std::string::npos) << out;
  EXPECT_NE(out.find(config_.redis ? "redis    ok    " : "redis    skip  not configured"), std::string::npos) << out;
  EXPECT_NE(out.find("all checks passed"), std::string::npos) << out;
  EXPECT_EQ(out.find("s3cret-key-that-must-not-be-printed"), std::string::npos) << out;
}

TEST_F(HealthHttpTest, CheckConfigNamesEachUnreachableDependencyAndExits1WithoutPasswords) {
  std::string out;
  const int code = check_config({{"DATABASE_URL", "postgresql://fruitpak:PgPassw0rdX@127.0.0.1:1/fruitpak"},
                                 {"REDIS_URL", "redis://:RedisPassw0rdX@127.0.0.1:1/0"}},
                                out);
  EXPECT_EQ(code, 1) << out;
  // Every check runs after the first failure, so one run names every problem.
  EXPECT_NE(out.find("database FAIL  postgresql://fruitpak:***@127.0.0.1:1/fruitpak: unavailable"), std::string::npos)
      << out;
  EXPECT_NE(out.find("redis    FAIL  "), std::string::npos) << out;
  EXPECT_EQ(out.find("schema"), std::string::npos) << out;  // nothing to read it from
  EXPECT_EQ(out.find("PgPassw0rdX"), std::string::npos) << out;
  EXPECT_EQ(out.find("RedisPassw0rdX"), std::string::npos) << out;
  EXPECT_EQ(out.find("all checks passed"), std::string::npos) << out;
}

TEST_F(HealthHttpTest, CheckConfigReportsAMissingSqliteFileWithoutCreatingIt) {
  TempSqliteFile file;  // its directory exists, the file does not
  std::string out;
  EXPECT_EQ(check_config({{"DATABASE_URL", file.url()}}, out), 1) << out;
  EXPECT_NE(out.find("database FAIL"), std::string::npos) << out;
  EXPECT_NE(out.find("missing"), std::string::npos) << out;
  EXPECT_FALSE(std::filesystem::exists(file.path())) << "the check created the database file";
}

TEST_F(HealthHttpTest, CheckConfigOnAnUnmigratedDatabaseFailsOnlyWithNoMigrate) {
  // Not started: the fixture's database exists (PostgreSQL) or is an empty file (SQLite)
  // and has no schema yet.
  if (!is_pg()) std::ofstream(config_.database.sqlite_path).flush();
  std::string out;
  EXPECT_EQ(check_config({{"DATABASE_URL", database_url()}}, out), 0) << out;
  EXPECT_NE(out.find("schema   ok    not migrated"), std::string::npos) << out;
  EXPECT_NE(out.find("serve applies them at start"), std::string::npos) << out;

  EXPECT_EQ(check_config({{"DATABASE_URL", database_url()}, {"MIGRATE_ON_START", "false"}}, out), 1) << out;
  // Still "not migrated": the first check applied nothing.
  EXPECT_NE(out.find("schema   FAIL  not migrated"), std::string::npos) << out;
  EXPECT_NE(out.find("fruitpak migrate"), std::string::npos) << out;
}

TEST_F(HealthHttpTest, CheckConfigExits2OnAnInvalidSettingAndChecksNothing) {
  std::string out;
  EXPECT_EQ(check_config({{"DATABASE_URL", database_url()}, {"PORT", "not-a-port"}}, out), 2) << out;
  EXPECT_NE(out.find("config   FAIL  PORT"), std::string::npos) << out;
  EXPECT_EQ(out.find("database"), std::string::npos) << out;
  EXPECT_EQ(out.find("settings: "), std::string::npos) << out;
}

}  // namespace
}  // namespace fruitpak::testing
