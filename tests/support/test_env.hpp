#pragma once
// What scripts/test provides to the integration and HTTP tiers, and per-test databases.
//   FRUITPAK_TEST_PG_URL      libpq URI of a private PostgreSQL (a superuser role)
//   FRUITPAK_TEST_REDIS_URL   redis://127.0.0.1:port/0 of a private Redis
//   FRUITPAK_TEST_PG_RESTART / _PG_STOP / _PG_START, FRUITPAK_TEST_REDIS_STOP / _START
//                             shell commands that block until done
//   FRUITPAK_TEST_ENGINE      sqlite|pg: which engine the HTTP tier runs against

#include "config/config.hpp"

#include <optional>
#include <string>

namespace fruitpak::testing {

std::optional<std::string> env(const char* name);

// The parsed FRUITPAK_TEST_REDIS_URL; throws (failing the test) if unset or invalid.
config::RedisUrl test_redis_url();

// Runs the shell command held in the variable `name`; fails the test if unset or non-zero.
void run_env_command(const char* name);

// A PostgreSQL database created for one test and dropped (WITH FORCE) afterwards.
class TempPgDatabase {
 public:
  TempPgDatabase();   // skips nothing: fails the test if FRUITPAK_TEST_PG_URL is unset
  ~TempPgDatabase();
  TempPgDatabase(const TempPgDatabase&) = delete;
  TempPgDatabase& operator=(const TempPgDatabase&) = delete;
  const std::string& url() const { return url_; }

 private:
  std::string admin_url_;
  std::string name_;
  std::string url_;
};

// An SQLite file in a fresh temporary directory, removed afterwards.
class TempSqliteFile {
 public:
  TempSqliteFile();
  ~TempSqliteFile();
  TempSqliteFile(const TempSqliteFile&) = delete;
  TempSqliteFile& operator=(const TempSqliteFile&) = delete;
  const std::string& path() const { return path_; }
  std::string url() const { return "sqlite://" + path_; }

 private:
  std::string dir_;
  std::string path_;
};

// A Config for tests: loopback, port 0, 2 threads, test mode on, the given database URL.
config::Config test_config(const std::string& database_url);

}  // namespace fruitpak::testing
