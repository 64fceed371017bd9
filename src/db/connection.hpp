#pragma once
// One open database connection of either engine. Used by one coroutine at a time (a pool
// lease guarantees that); not safe for concurrent use.

#include "db/rows.hpp"
#include "util/asio.hpp"
#include "util/result.hpp"

#include <span>
#include <string>
#include <vector>
#include <string_view>

namespace fruitpak::db {

// Rows to append to one table in bulk (data generators, imports): the column names and the
// values, row after row, columns.size() values per row. Table and column names are ours,
// never user input.
struct BulkRows {
  std::string table;
  std::vector<std::string> columns;
  std::vector<Param> values;

  std::size_t row_count() const { return columns.empty() ? 0 : values.size() / columns.size(); }
};

class Connection {
 public:
  virtual ~Connection() = default;

  // Runs one statement with $n parameters. Errors are mapped once at the source:
  // unique violation -> kConflict, other constraint -> kInvalidInput, timeout -> kTimeout,
  // lost connection -> kUnavailable.
  [[nodiscard]] virtual net::awaitable<Result<Rows>> execute(std::string_view sql,
                                                             std::span<const Param> params) = 0;

  // Appends `rows` as fast as the engine allows: COPY FROM STDIN on PostgreSQL, one prepared
  // INSERT stepped per row on SQLite. Runs inside the caller's transaction if one is open.
  // Returns the number of rows written.
  [[nodiscard]] virtual net::awaitable<Result<std::int64_t>> bulk_insert(const BulkRows& rows) = 0;

  // Runs a parameterless script of several statements (migrations).
  [[nodiscard]] virtual net::awaitable<Result<void>> execute_script(std::string_view sql) = 0;

  // True if the connection can go back to the pool: open, and not inside a transaction.
  // Does no I/O beyond reading what the server already sent (a restarted server's goodbye).
  virtual bool is_reusable() = 0;
};

}  // namespace fruitpak::db
