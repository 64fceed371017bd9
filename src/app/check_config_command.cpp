#include "app/check_config_command.hpp"

#include "cache/redis_cluster.hpp"
#include "cache/redis_connection.hpp"
#include "db/database.hpp"
#include "db/migration_files.hpp"
#include "db/migrations.hpp"
#include "util/blocking_pool.hpp"
#include "util/run_sync.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <ostream>

namespace fruitpak::app {
namespace {

// How long the Redis check waits for each step (connect, PING); the database's own
// connect timeout (5 s) bounds its check.
constexpr std::chrono::milliseconds kRedisTimeout{2000};

enum class Outcome { kOk, kFail, kSkipped };

// "database ok    postgresql://fruitpak:***@db:5432/fruitpak: SELECT 1 in 1.2 ms"
void print_check(std::ostream& out, std::string_view name, Outcome outcome, const std::string& text) {
  const char* word = outcome == Outcome::kOk ? "ok" : outcome == Outcome::kFail ? "FAIL" : "skip";
  out << fmt::format("{:<9}{:<6}{}\n", name, word, text) << std::flush;
}

// An error on one line: libpq's messages span several.
std::string one_line(const Error& e) {
  std::string text = std::string(to_string(e.code)) + ": " + e.detail;
  std::replace_if(text.begin(), text.end(), [](char c) { return c == '\n' || c == '\t' || c == '\r'; }, ' ');
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

double milliseconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

// The schema line: up to date, migrations pending (which `serve` applies unless
// --no-migrate), or not migrated at all. Reads only.
bool check_schema(const config::Config& config, db::Database& db, std::ostream& out) {
  const auto known = db::migrations_for(db.engine(), db::embedded_migration_files());
  const std::string latest = known.empty() ? "" : known.back().version;
  auto version = util::run_sync(db::schema_version(db));
  // A database never migrated has no schema_migrations table: reading it fails.
  const std::string current = version ? *version : "";
  const auto pending = std::count_if(known.begin(), known.end(), [&](const db::Migration& m) { return m.version > current; });
  std::string text = current.empty() ? "not migrated" : "version " + current;
  if (!version) text += " (cannot read schema_migrations: " + std::string(to_string(version.error().code)) + ")";
  if (pending == 0) {
    print_check(out, "schema", Outcome::kOk, text + ", up to date");
    return true;
  }
  text += fmt::format(", {} migration(s) pending up to {}", pending, latest);
  if (config.migrate_on_start) {
    print_check(out, "schema", Outcome::kOk, text + ": serve applies them at start");
    return true;
  }
  print_check(out, "schema", Outcome::kFail, text + " and --no-migrate: run `fruitpak migrate` first");
  return false;
}

bool check_database(const config::Config& config, std::ostream& out) {
  const auto& url = config.database;
  if (url.engine == config::DatabaseEngine::kSqlite && url.sqlite_path != ":memory:" &&
      !std::filesystem::exists(url.sqlite_path)) {
    // Opening it would create it; a check must leave the disk as it found it.
    print_check(out, "database", Outcome::kFail,
                url.redacted + ": missing: " + url.sqlite_path +
                    " does not exist (serve creates it; `fruitpak migrate` creates and migrates it)");
    return false;
  }
  util::BlockingPool blocking(1);
  auto db = db::open_database(config, blocking);
  const auto started = std::chrono::steady_clock::now();
  auto selected = util::run_sync(db->execute("SELECT 1"));
  if (!selected) {
    print_check(out, "database", Outcome::kFail, url.redacted + ": " + one_line(selected.error()));
    return false;
  }
  print_check(out, "database", Outcome::kOk,
              fmt::format("{}: SELECT 1 in {:.1f} ms", url.redacted, milliseconds_since(started)));
  return check_schema(config, *db, out);
}

bool check_redis(const config::Config& config, std::ostream& out) {
  if (!config.redis) {
    print_check(out, "redis", Outcome::kSkipped, "not configured (REDIS_URL is empty)");
    return true;
  }
  const auto started = std::chrono::steady_clock::now();
  auto pinged = util::run_sync(cache::ping(*config.redis, kRedisTimeout));
  if (!pinged) {
    print_check(out, "redis", Outcome::kFail, config.redis->redacted + ": " + one_line(pinged.error()));
    return false;
  }
  print_check(out, "redis", Outcome::kOk,
              fmt::format("{}: PING in {:.1f} ms", config.redis->redacted, milliseconds_since(started)));
  if (config.redis->cluster_nodes.empty()) return true;
  // A cluster must serve every slot: keys of an unserved slot are never cached.
  auto slots = util::run_sync(cache::fetch_slot_map(*config.redis, kRedisTimeout));
  if (!slots) {
    print_check(out, "cluster", Outcome::kFail, one_line(slots.error()));
    return false;
  }
  std::vector<std::string> masters;
  for (const auto& range : *slots) {
    auto name = range.master.host + ":" + std::to_string(range.master.port);
    if (std::find(masters.begin(), masters.end(), name) == masters.end()) masters.push_back(std::move(name));
  }
  const auto served = cache::served_slots(*slots);
  const auto summary = fmt::format("{} of {} slots served by {} master(s): {}", served, cache::kClusterSlots,
                                   masters.size(), fmt::join(masters, ", "));
  print_check(out, "cluster", served == cache::kClusterSlots ? Outcome::kOk : Outcome::kFail, summary);
  return served == cache::kClusterSlots;
}

}  // namespace

int run_check_config(const config::LoadResult& loaded, std::ostream& out) {
  if (const auto* problems = std::get_if<std::vector<std::string>>(&loaded)) {
    for (const auto& problem : *problems) print_check(out, "config", Outcome::kFail, problem);
    out << "configuration invalid: nothing was checked further\n";
    return 2;
  }
  const auto& config = std::get<config::Config>(loaded);
  out << "settings: " << config::describe(config) << "\n";
  print_check(out, "config", Outcome::kOk, "every setting valid");
  // Every check runs, even after a failure, so one run names every problem.
  const bool database_ok = check_database(config, out);
  const bool redis_ok = check_redis(config, out);
  if (database_ok && redis_ok) {
    out << "all checks passed\n";
    return 0;
  }
  out << "a check failed\n";
  return 1;
}

}  // namespace fruitpak::app
