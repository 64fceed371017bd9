#pragma once
// A libpq connection driven without blocking: queries are sent with PQsendQueryParams and
// the socket is awaited through Asio on the calling coroutine's executor.

#include "db/connection.hpp"

#include <chrono>
#include <memory>
#include <string>

namespace fruitpak::db::pg {

struct PgOptions {
  std::string conninfo;                                // a libpq URI
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds statement_timeout{30000};  // server side; 0 = none
};

// Opens a connection. Returns kUnavailable (with libpq's message, for logs) on failure.
[[nodiscard]] net::awaitable<Result<std::unique_ptr<Connection>>> connect(PgOptions options);

// Maps a SQLSTATE to our error codes (exposed for tests).
Errc errc_from_sqlstate(std::string_view sqlstate);

}  // namespace fruitpak::db::pg
