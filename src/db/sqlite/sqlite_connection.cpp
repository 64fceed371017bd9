#include "db/sqlite/sqlite_connection.hpp"

#include <sqlite3.h>

#include <charconv>
#include <cstdlib>
#include <unordered_map>

namespace fruitpak::db::sqlite {
namespace {

struct SqliteClose {
  void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
struct SqliteFinalize {
  void operator()(sqlite3_stmt* s) const noexcept { sqlite3_finalize(s); }
};
using SqlitePtr = std::unique_ptr<sqlite3, SqliteClose>;
using StatementPtr = std::unique_ptr<sqlite3_stmt, SqliteFinalize>;

Error error_from(sqlite3* db, int rc) {
  const int extended = db ? sqlite3_extended_errcode(db) : rc;
  std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  return make_error(errc_from_sqlite(extended), "sqlite " + std::to_string(extended) + ": " + message);
}

int bind_one(sqlite3_stmt* stmt, int index, const Param& p) {
  if (std::holds_alternative<std::nullptr_t>(p)) return sqlite3_bind_null(stmt, index);
  if (auto* v = std::get_if<std::int64_t>(&p)) return sqlite3_bind_int64(stmt, index, *v);
  if (auto* d = std::get_if<double>(&p)) return sqlite3_bind_double(stmt, index, *d);
  if (auto* b = std::get_if<bool>(&p)) return sqlite3_bind_int(stmt, index, *b ? 1 : 0);
  const auto& s = std::get<std::string>(p);
  return sqlite3_bind_text(stmt, index, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
}

// SQLite names "$1" parameters by text and numbers them in order of first appearance, so
// "$2 ... $1" must be bound by name, not position.
Result<void> bind_params(sqlite3* db, sqlite3_stmt* stmt, std::span<const Param> params) {
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  const int count = sqlite3_bind_parameter_count(stmt);
  for (int i = 1; i <= count; ++i) {
    const char* name = sqlite3_bind_parameter_name(stmt, i);
    std::size_t n = 0;
    if (!name || name[0] != '$' ||
        std::from_chars(name + 1, name + std::char_traits<char>::length(name), n).ec != std::errc{} ||
        n == 0 || n > params.size()) {
      return make_error(Errc::kInternal, std::string("unbound sqlite parameter ") + (name ? name : "?"));
    }
    if (const int rc = bind_one(stmt, i, params[n - 1]); rc != SQLITE_OK) return error_from(db, rc);
  }
  return {};
}

std::optional<std::string> column_text(sqlite3_stmt* stmt, int c) {
  switch (sqlite3_column_type(stmt, c)) {
    case SQLITE_NULL:
      return std::nullopt;
    case SQLITE_INTEGER:
      return std::to_string(sqlite3_column_int64(stmt, c));
    case SQLITE_FLOAT: {
      char buf[64];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, sqlite3_column_double(stmt, c));
      return std::string(buf, end);
    }
    default: {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
      return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt, c)));
    }
  }
}

class SqliteConnection final : public Connection {
 public:
  SqliteConnection(SqlitePtr db, util::BlockingPool& blocking)
      : db_(std::move(db)), blocking_(blocking) {}

  net::awaitable<Result<Rows>> execute(std::string_view sql,
                                       std::span<const Param> params) override {
    auto work = [this, sql, params] { return run(sql, params); };
    co_return co_await blocking_.run(work);
  }

  net::awaitable<Result<void>> execute_script(std::string_view sql) override {
    auto work = [this, script = std::string(sql)]() -> Result<void> {
      char* message = nullptr;
      const int rc = sqlite3_exec(db_.get(), script.c_str(), nullptr, nullptr, &message);
      std::unique_ptr<char, decltype(&sqlite3_free)> owned(message, &sqlite3_free);
      if (rc != SQLITE_OK) return error_from(db_.get(), rc);
      return {};
    };
    co_return co_await blocking_.run(work);
  }

  net::awaitable<Result<std::int64_t>> bulk_insert(const BulkRows& rows) override {
    auto work = [this, &rows] { return insert_each(rows); };
    co_return co_await blocking_.run(work);
  }

  bool is_reusable() override { return sqlite3_get_autocommit(db_.get()) != 0; }

 private:
  // Runs on a blocking-pool thread. Prepared statements are cached per SQL text.
  Result<Rows> run(std::string_view sql, std::span<const Param> params) {
    auto stmt = prepare(sql);
    if (!stmt) return stmt.error();
    if (auto bound = bind_params(db_.get(), *stmt, params); !bound) return bound.error();
    const int ncols = sqlite3_column_count(*stmt);
    std::vector<std::string> columns;
    for (int c = 0; c < ncols; ++c) columns.emplace_back(sqlite3_column_name(*stmt, c));
    std::vector<std::optional<std::string>> cells;
    int rc;
    while ((rc = sqlite3_step(*stmt)) == SQLITE_ROW) {
      for (int c = 0; c < ncols; ++c) cells.push_back(column_text(*stmt, c));
    }
    if (rc != SQLITE_DONE) {
      Error e = error_from(db_.get(), rc);
      sqlite3_reset(*stmt);
      return e;
    }
    const std::int64_t affected = sqlite3_changes64(db_.get());
    sqlite3_reset(*stmt);
    return Rows(std::move(columns), std::move(cells), ncols == 0 ? affected : 0);
  }

  // Runs on a blocking-pool thread: one prepared INSERT, bound and stepped per row.
  Result<std::int64_t> insert_each(const BulkRows& rows) {
    std::string sql = "INSERT INTO " + rows.table + " (";
    std::string marks;
    for (std::size_t c = 0; c < rows.columns.size(); ++c) {
      sql += (c ? ", " : "") + rows.columns[c];
      marks += c ? ", ?" : "?";
    }
    sql += ") VALUES (" + marks + ")";
    sqlite3_stmt* raw = nullptr;
    if (const int rc = sqlite3_prepare_v2(db_.get(), sql.c_str(), -1, &raw, nullptr); rc != SQLITE_OK) {
      return error_from(db_.get(), rc);
    }
    StatementPtr stmt{raw};
    const std::size_t width = rows.columns.size();
    for (std::size_t r = 0; r < rows.row_count(); ++r) {
      for (std::size_t c = 0; c < width; ++c) {
        const int rc = bind_one(raw, static_cast<int>(c + 1), rows.values[r * width + c]);
        if (rc != SQLITE_OK) return error_from(db_.get(), rc);
      }
      if (const int rc = sqlite3_step(raw); rc != SQLITE_DONE) return error_from(db_.get(), rc);
      sqlite3_reset(raw);
    }
    return static_cast<std::int64_t>(rows.row_count());
  }

  Result<sqlite3_stmt*> prepare(std::string_view sql) {
    auto found = statements_.find(std::string(sql));
    if (found != statements_.end()) return found->second.get();
    sqlite3_stmt* raw = nullptr;
    const int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
    StatementPtr stmt{raw};
    if (rc != SQLITE_OK) return error_from(db_.get(), rc);
    auto* result = stmt.get();
    statements_.emplace(std::string(sql), std::move(stmt));
    return result;
  }

  // Declared before db_'s users: statements are finalized before the database closes.
  SqlitePtr db_;
  std::unordered_map<std::string, StatementPtr> statements_;
  util::BlockingPool& blocking_;
};

Result<SqlitePtr> open(const SqliteOptions& options) {
  sqlite3* raw = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(options.path.c_str(), &raw, flags, nullptr);
  SqlitePtr db{raw};
  if (rc != SQLITE_OK) {
    return make_error(Errc::kUnavailable, "cannot open sqlite database " + options.path + ": " +
                                              (db ? sqlite3_errmsg(db.get()) : sqlite3_errstr(rc)));
  }
  sqlite3_extended_result_codes(db.get(), 1);
  sqlite3_busy_timeout(db.get(), static_cast<int>(options.busy_timeout.count()));
  const char* pragmas =
      "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;";
  if (sqlite3_exec(db.get(), pragmas, nullptr, nullptr, nullptr) != SQLITE_OK) {
    return make_error(Errc::kUnavailable, std::string("sqlite pragmas failed: ") + sqlite3_errmsg(db.get()));
  }
  return db;
}

}  // namespace

Errc errc_from_sqlite(int extended) {
  switch (extended) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return Errc::kConflict;
    case SQLITE_BUSY:
    case SQLITE_BUSY_SNAPSHOT:
    case SQLITE_LOCKED:
      return Errc::kTimeout;
    default:
      break;
  }
  switch (extended & 0xff) {
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_TOOBIG:
      return Errc::kInvalidInput;
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_READONLY:
      return Errc::kUnavailable;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Errc::kTimeout;
    default:
      return Errc::kInternal;
  }
}

net::awaitable<Result<std::unique_ptr<Connection>>> connect(SqliteOptions options,
                                                            util::BlockingPool& blocking) {
  auto work = [options] { return open(options); };
  auto db = co_await blocking.run(work);
  if (!db) co_return db.error();
  co_return std::unique_ptr<Connection>(
      std::make_unique<SqliteConnection>(std::move(*db), blocking));
}

}  // namespace fruitpak::db::sqlite
