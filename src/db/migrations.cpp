#include "db/migrations.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

namespace fruitpak::db {
namespace {

constexpr std::string_view kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version VARCHAR(100) PRIMARY KEY,"
    " applied_at VARCHAR(40) NOT NULL)";
constexpr std::string_view kSelectApplied = "SELECT version FROM schema_migrations WHERE version = $1";
constexpr std::string_view kInsertApplied =
    "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, CURRENT_TIMESTAMP)";
// Any constant will do; it only has to be the same in every instance.
constexpr std::string_view kLock = "SELECT pg_advisory_xact_lock(7350001)";

bool ends_with(std::string_view s, std::string_view suffix) { return s.ends_with(suffix); }

net::awaitable<Result<bool>> apply_one(Database& db, const Migration& m) {
  return db.transaction([&db, &m](Lease& tx) -> net::awaitable<Result<bool>> {
    if (db.engine() == Engine::kPostgres) {
      if (auto locked = co_await tx.execute(kLock); !locked) co_return locked.error();
    }
    // GCC 12 cannot keep a braced list inside a co_await expression ("array used as
    // initializer"), so parameters are built first throughout the project.
    db::Params version{m.version};
    auto applied = co_await tx.execute(kSelectApplied, version);
    if (!applied) co_return applied.error();
    if (!applied->empty()) co_return false;
    if (auto done = co_await tx.execute_script(m.sql); !done) {
      Error e = done.error();
      e.detail = "migration " + m.version + " failed: " + e.detail;
      co_return e;
    }
    if (auto recorded = co_await tx.execute(kInsertApplied, version); !recorded) {
      co_return recorded.error();
    }
    co_return true;
  });
}

}  // namespace

std::vector<Migration> migrations_for(Engine engine, const std::vector<MigrationFile>& files) {
  std::vector<Migration> out;
  const std::string_view mine = engine == Engine::kPostgres ? ".pg.sql" : ".sqlite.sql";
  const std::string_view other = engine == Engine::kPostgres ? ".sqlite.sql" : ".pg.sql";
  for (const auto& f : files) {
    if (ends_with(f.name, other)) continue;
    std::string_view stem = f.name;
    if (ends_with(stem, mine)) stem.remove_suffix(mine.size());
    else if (ends_with(stem, ".sql")) stem.remove_suffix(4);
    out.push_back(Migration{std::string(stem), f.sql});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.version < b.version; });
  return out;
}

static net::awaitable<Result<int>> create_migrations_table(Database& db) {
  // Under the same lock as the migrations: PostgreSQL's CREATE TABLE IF NOT EXISTS is not
  // safe against two instances starting at once on a new database.
  auto work = [&db](Lease& tx) -> net::awaitable<Result<int>> {
    if (db.engine() == Engine::kPostgres) {
      if (auto locked = co_await tx.execute(kLock); !locked) co_return locked.error();
    }
    if (auto created = co_await tx.execute(kCreateTable); !created) co_return created.error();
    co_return 0;
  };
  co_return co_await db.transaction(work);
}

net::awaitable<Result<int>> migrate(Database& db) {
  if (auto created = co_await create_migrations_table(db); !created) co_return created.error();
  int applied = 0;
  for (const auto& m : migrations_for(db.engine(), embedded_migration_files())) {
    auto done = co_await apply_one(db, m);
    if (!done) co_return done.error();
    if (*done) {
      spdlog::info("applied migration {}", m.version);
      ++applied;
    }
  }
  co_return applied;
}

net::awaitable<Result<std::string>> schema_version(Database& db) {
  auto rows = co_await db.execute("SELECT MAX(version) FROM schema_migrations");
  if (!rows) co_return rows.error();
  co_return rows->empty() ? std::string() : rows->front().string(0);
}

net::awaitable<Result<LogicalSchema>> describe_schema(Database& db) {
  LogicalSchema schema;
  if (db.engine() == Engine::kPostgres) {
    auto rows = co_await db.execute(
        "SELECT table_name, column_name, is_nullable FROM information_schema.columns"
        " WHERE table_schema = current_schema() ORDER BY table_name, column_name");
    if (!rows) co_return rows.error();
    for (std::size_t i = 0; i < rows->size(); ++i) {
      auto r = (*rows)[i];
      schema[r.string(0)].push_back(r.string(1) + (r.string(2) == "YES" ? " nullable" : " not null"));
    }
    co_return schema;
  }
  auto rows = co_await db.execute(
      "SELECT m.name, p.name, p.\"notnull\", p.pk FROM sqlite_schema m"
      " JOIN pragma_table_info(m.name) p"
      " WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.name");
  if (!rows) co_return rows.error();
  for (std::size_t i = 0; i < rows->size(); ++i) {
    auto r = (*rows)[i];
    // SQLite reports a PRIMARY KEY column as nullable unless declared NOT NULL; PostgreSQL
    // makes it NOT NULL implicitly. Treat both the same.
    const bool not_null = r.int64(2) != 0 || r.int64(3) != 0;
    schema[r.string(0)].push_back(r.string(1) + (not_null ? " not null" : " nullable"));
  }
  co_return schema;
}

}  // namespace fruitpak::db
