#include "support/test_env.hpp"

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <cstdlib>
#include <filesystem>
#include <random>
#include <stdexcept>

namespace fruitpak::testing {
namespace {

std::string random_suffix() {
  std::random_device rd;
  std::mt19937_64 gen(rd());
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string s;
  for (int i = 0; i < 12; ++i) s += kAlphabet[gen() % 36];
  return s;
}

// Blocking libpq is fine here: this is test set-up on the test's own thread.
void admin_exec(const std::string& url, const std::string& sql) {
  PGconn* conn = PQconnectdb(url.c_str());
  std::unique_ptr<PGconn, decltype(&PQfinish)> guard(conn, &PQfinish);
  if (PQstatus(conn) != CONNECTION_OK) {
    throw std::runtime_error(std::string("test PostgreSQL unreachable: ") + PQerrorMessage(conn));
  }
  PGresult* res = PQexec(conn, sql.c_str());
  std::unique_ptr<PGresult, decltype(&PQclear)> rguard(res, &PQclear);
  if (PQresultStatus(res) != PGRES_COMMAND_OK) {
    throw std::runtime_error(sql + ": " + PQresultErrorMessage(res));
  }
}

// Replaces the database name (the path) of a postgresql:// URI.
std::string with_database(const std::string& url, const std::string& name) {
  const auto scheme_end = url.find("://");
  const auto slash = url.find('/', scheme_end + 3);
  const auto query = url.find('?', scheme_end + 3);
  std::string base = url.substr(0, slash == std::string::npos ? query : slash);
  std::string rest = query == std::string::npos ? "" : url.substr(query);
  return base + "/" + name + rest;
}

}  // namespace

std::optional<std::string> env(const char* name) {
  const char* v = std::getenv(name);
  if (!v || !*v) return std::nullopt;
  return std::string(v);
}

config::RedisUrl test_redis_url() {
  auto url = env("FRUITPAK_TEST_REDIS_URL");
  if (!url) throw std::runtime_error("FRUITPAK_TEST_REDIS_URL is not set; run the suite through scripts/test");
  auto parsed = config::parse_redis_url(*url);
  if (auto* problem = std::get_if<std::string>(&parsed)) {
    throw std::runtime_error("FRUITPAK_TEST_REDIS_URL: " + *problem);
  }
  return std::get<config::RedisUrl>(parsed);
}

void run_env_command(const char* name) {
  auto command = env(name);
  ASSERT_TRUE(command) << name << " is not set; run the suite through scripts/test";
  ASSERT_EQ(std::system(command->c_str()), 0) << "command failed: " << *command;
}

TempPgDatabase::TempPgDatabase() {
  auto url = env("FRUITPAK_TEST_PG_URL");
  if (!url) throw std::runtime_error("FRUITPAK_TEST_PG_URL is not set; run the suite through scripts/test");
  admin_url_ = *url;
  name_ = "fp_test_" + random_suffix();
  admin_exec(admin_url_, "CREATE DATABASE " + name_);
  url_ = with_database(admin_url_, name_);
}

TempPgDatabase::~TempPgDatabase() {
  try {
    admin_exec(admin_url_, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (const std::exception& e) {
    ADD_FAILURE() << "could not drop " << name_ << ": " << e.what();
  }
}

TempSqliteFile::TempSqliteFile() {
  auto base = std::filesystem::temp_directory_path() / ("fruitpak-test-" + random_suffix());
  std::filesystem::create_directories(base);
  dir_ = base.string();
  path_ = (base / "test.db").string();
}

TempSqliteFile::~TempSqliteFile() {
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

config::Config test_config(const std::string& database_url) {
  config::Sources sources;
  sources.flags = {{"DATABASE_URL", database_url}, {"HOST", "127.0.0.1"},
                   {"THREADS", "2"}, {"FRUITPAK_TEST_MODE", "1"}, {"LOG_LEVEL", "warn"},
                   {"BCRYPT_COST", "4"},  // cost 4: hashing at cost 12 under ASan takes seconds
                   // Tests register several accounts from one address; the rate-limit tests
                   // set the limits they exercise.
                   {"RATE_LIMIT_REGISTER_PER_5_MINUTES", "1000"}, {"RATE_LIMIT_LOGIN_PER_MINUTE", "1000"},
                   // A loaded CI machine running ASan builds must not turn a queue into a 503.
                   {"DB_ACQUIRE_TIMEOUT_MS", "30000"},
                   // Tests run reconciliation themselves; a daily run must not join in.
                   {"RECONCILIATION_SCHEDULE", "0"}};
  if (auto redis = env("FRUITPAK_TEST_REDIS_URL")) sources.flags["REDIS_URL"] = *redis;
  auto loaded = config::load(sources);
  if (auto* problems = std::get_if<std::vector<std::string>>(&loaded)) {
    throw std::runtime_error("test config invalid: " + problems->front());
  }
  auto config = std::get<config::Config>(loaded);
  config.port = 0;  // an ephemeral port; PORT itself must be 1..65535
  return config;
}

}  // namespace fruitpak::testing
