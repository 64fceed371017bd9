#pragma once
// Schema migrations: numbered SQL files embedded in the binary, applied in order, each in
// its own transaction, recorded in `schema_migrations`. Applying them again changes nothing.

#include "db/database.hpp"
#include "db/migration_files.hpp"

#include <map>
#include <string>
#include <vector>

namespace fruitpak::db {

struct Migration {
  std::string version;  // the file name without engine suffix and ".sql": "0001_accounts"
  std::string_view sql;
};

// The migrations that apply to `engine`, in order. A file "N_x.pg.sql" applies only to
// PostgreSQL, "N_x.sqlite.sql" only to SQLite, "N_x.sql" to both.
std::vector<Migration> migrations_for(Engine engine, const std::vector<MigrationFile>& files);

// Applies the pending migrations; returns how many were applied. On PostgreSQL an advisory
// lock makes concurrent starts of several instances safe.
[[nodiscard]] net::awaitable<Result<int>> migrate(Database& db);

// The highest applied version, "" if none.
[[nodiscard]] net::awaitable<Result<std::string>> schema_version(Database& db);

// The logical schema: table -> its columns as "name nullable|not null", sorted by name.
// Used to prove both engines get the same schema from the same migration set.
using LogicalSchema = std::map<std::string, std::vector<std::string>>;
[[nodiscard]] net::awaitable<Result<LogicalSchema>> describe_schema(Database& db);

}  // namespace fruitpak::db
