#pragma once
// An SQLite connection (WAL, foreign keys on, busy timeout). Every sqlite3 call runs on the
// blocking pool, never on an I/O thread.

#include "db/connection.hpp"
#include "util/blocking_pool.hpp"

#include <chrono>
#include <memory>
#include <string>

namespace fruitpak::db::sqlite {

struct SqliteOptions {
  std::string path;  // file path or ":memory:"
  std::chrono::milliseconds busy_timeout{5000};
};

[[nodiscard]] net::awaitable<Result<std::unique_ptr<Connection>>> connect(
    SqliteOptions options, util::BlockingPool& blocking);

// Maps an extended SQLite result code to our error codes (exposed for tests).
Errc errc_from_sqlite(int extended_code);

}  // namespace fruitpak::db::sqlite
