#include "db/pg/pg_connection.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>

#include <libpq-fe.h>

#include <poll.h>

#include <charconv>
#include <cstdio>
#include <unordered_map>
#include <vector>

namespace fruitpak::db::pg {
namespace {

using namespace boost::asio::experimental::awaitable_operators;

struct PqFinish {
  void operator()(PGconn* c) const noexcept { PQfinish(c); }
};
struct PqClear {
  void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using PgConnPtr = std::unique_ptr<PGconn, PqFinish>;
using PgResultPtr = std::unique_ptr<PGresult, PqClear>;

enum class Wait { kRead, kWrite };

// Waits until libpq's socket is ready, or the deadline passes. The descriptor is created on
// the caller's executor and released (not closed) afterwards because libpq owns the fd.
net::awaitable<bool> wait_socket(PGconn* conn, Wait what,
                                 std::chrono::steady_clock::time_point deadline) {
  const int fd = PQsocket(conn);
  if (fd < 0) co_return false;
  auto executor = co_await net::this_coro::executor;
  net::posix::stream_descriptor socket(executor, fd);
  struct Releaser {
    net::posix::stream_descriptor& s;
    ~Releaser() { s.release(); }
  } releaser{socket};
  net::steady_timer timer(executor, deadline);
  const auto type = what == Wait::kRead ? net::posix::stream_descriptor::wait_read
                                        : net::posix::stream_descriptor::wait_write;
  auto outcome = co_await (socket.async_wait(type, use_tuple) || timer.async_wait(use_tuple));
  if (outcome.index() == 1) co_return false;  // deadline
  auto [ec] = std::get<0>(outcome);
  co_return !ec;
}

std::string format_param(const Param& p) {
  struct Visitor {
    std::string operator()(std::nullptr_t) const { return {}; }
    std::string operator()(std::int64_t v) const { return std::to_string(v); }
    std::string operator()(double v) const {
      char buf[64];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
      return std::string(buf, end);
    }
    std::string operator()(bool v) const { return v ? "true" : "false"; }
    std::string operator()(const std::string& v) const { return v; }
  };
  return std::visit(Visitor{}, p);
}

// Appends one value in COPY's text format: \N for NULL, backslash escapes for the
// characters that delimit columns and rows.
void append_copy_value(std::string& out, const Param& p) {
  if (std::holds_alternative<std::nullptr_t>(p)) {
    out += "\\N";
    return;
  }
  if (auto* b = std::get_if<bool>(&p)) {
    out += *b ? 't' : 'f';
    return;
  }
  const auto* text = std::get_if<std::string>(&p);
  if (!text) {
    out += format_param(p);
    return;
  }
  for (char c : *text) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      default: out += c;
    }
  }
}

Error error_from_result(PGconn* conn, const PGresult* result) {
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  std::string message = result ? PQresultErrorMessage(result) : PQerrorMessage(conn);
  if (PQstatus(conn) == CONNECTION_BAD) return make_error(Errc::kUnavailable, message);
  if (!state) return make_error(Errc::kInternal, message);
  return make_error(errc_from_sqlstate(state), std::string(state) + ": " + message);
}

Rows rows_from_result(const PGresult* result) {
  const int nfields = PQnfields(result);
  const int ntuples = PQntuples(result);
  std::vector<std::string> columns;
  columns.reserve(nfields);
  for (int c = 0; c < nfields; ++c) columns.emplace_back(PQfname(result, c));
  std::vector<std::optional<std::string>> cells;
  cells.reserve(static_cast<std::size_t>(nfields) * ntuples);
  for (int r = 0; r < ntuples; ++r) {
    for (int c = 0; c < nfields; ++c) {
      if (PQgetisnull(result, r, c)) {
        cells.emplace_back(std::nullopt);
      } else {
        cells.emplace_back(std::string(PQgetvalue(result, r, c), PQgetlength(result, r, c)));
      }
    }
  }
  std::int64_t affected = 0;
  const char* tuples = PQcmdTuples(const_cast<PGresult*>(result));
  if (tuples && *tuples) affected = std::atoll(tuples);
  return Rows(std::move(columns), std::move(cells), affected);
}

class PgConnection final : public Connection {
 public:
  PgConnection(PgConnPtr conn, PgOptions options)
      : conn_(std::move(conn)), options_(std::move(options)) {}

  net::awaitable<Result<Rows>> execute(std::string_view sql,
                                       std::span<const Param> params) override {
    std::vector<std::string> texts;
    std::vector<const char*> values;
    texts.reserve(params.size());
    values.reserve(params.size());
    for (const auto& p : params) texts.push_back(format_param(p));
    for (std::size_t i = 0; i < params.size(); ++i) {
      values.push_back(std::holds_alternative<std::nullptr_t>(params[i]) ? nullptr
                                                                          : texts[i].c_str());
    }
    const std::string query(sql);
    const std::string* name = nullptr;
    if (!params.empty()) {
      auto prepared = co_await prepare(query, static_cast<int>(params.size()));
      if (!prepared) co_return prepared.error();
      name = *prepared;
    }
    const int sent = name ? PQsendQueryPrepared(conn_.get(), name->c_str(), static_cast<int>(values.size()),
                                                values.data(), nullptr, nullptr, 0)
                          : PQsendQueryParams(conn_.get(), query.c_str(), static_cast<int>(values.size()), nullptr,
                                              values.data(), nullptr, nullptr, 0);
    if (!sent) co_return error_from_result(conn_.get(), nullptr);
    co_return co_await collect();
  }

  net::awaitable<Result<void>> execute_script(std::string_view sql) override {
    const std::string script(sql);
    if (!PQsendQuery(conn_.get(), script.c_str())) co_return error_from_result(conn_.get(), nullptr);
    auto rows = co_await collect();
    if (!rows) co_return rows.error();
    co_return Result<void>{};
  }

  net::awaitable<Result<std::int64_t>> bulk_insert(const BulkRows& rows) override {
    std::string copy = "COPY " + rows.table + " (";
    for (std::size_t c = 0; c < rows.columns.size(); ++c) copy += (c ? ", " : "") + rows.columns[c];
    copy += ") FROM STDIN";
    PGconn* conn = conn_.get();
    if (!PQsendQuery(conn, copy.c_str())) co_return error_from_result(conn, nullptr);
    const auto until = deadline();
    // Wait for the server to accept the COPY (or refuse it: unknown table or column).
    if (!co_await flush(until)) co_return lost("copy start");
    for (;;) {
      while (PQisBusy(conn)) {
        if (!co_await wait_socket(conn, Wait::kRead, until)) co_return lost("copy start");
        if (!PQconsumeInput(conn)) co_return lost("copy start");
      }
      PgResultPtr started{PQgetResult(conn)};
      if (!started) co_return make_error(Errc::kInternal, "COPY produced no result");
      if (PQresultStatus(started.get()) == PGRES_COPY_IN) break;
      Error refused = error_from_result(conn, started.get());
      (void)co_await collect();  // read up to ReadyForQuery so the connection stays usable
      co_return refused;
    }
    constexpr std::size_t kChunk = 256 * 1024;
    const std::size_t width = rows.columns.size();
    std::string buffer;
    buffer.reserve(kChunk + 4096);
    for (std::size_t r = 0; r < rows.row_count(); ++r) {
      for (std::size_t c = 0; c < width; ++c) {
        if (c) buffer += '\t';
        append_copy_value(buffer, rows.values[r * width + c]);
      }
      buffer += '\n';
      if (buffer.size() >= kChunk || r + 1 == rows.row_count()) {
        if (!co_await put_copy_data(buffer, until)) co_return lost("copy data");
        buffer.clear();
      }
    }
    int ended;
    while ((ended = PQputCopyEnd(conn, nullptr)) == 0) {
      if (!co_await wait_socket(conn, Wait::kWrite, until)) co_return lost("copy end");
    }
    if (ended < 0) co_return lost("copy end");
    auto done = co_await collect();
    if (!done) co_return done.error();
    co_return static_cast<std::int64_t>(rows.row_count());
  }

  bool is_reusable() override {
    if (broken_) return false;
    // An idle connection has nothing to read. If the socket is readable, the server spoke
    // while we were not asking: in practice the FATAL of a restart or an admin kill,
    // followed by EOF. Discard such a connection rather than fail the next query on it.
    pollfd pfd{PQsocket(conn_.get()), POLLIN, 0};
    if (pfd.fd < 0 || ::poll(&pfd, 1, 0) != 0) return false;
    return PQstatus(conn_.get()) == CONNECTION_OK &&
           PQtransactionStatus(conn_.get()) == PQTRANS_IDLE;
  }

 private:
  std::chrono::steady_clock::time_point deadline() const {
    // The server enforces statement_timeout; this client deadline only guards against a
    // server or network that stops answering altogether.
    auto budget = options_.statement_timeout.count() > 0 ? options_.statement_timeout
                                                         : std::chrono::milliseconds(3'600'000);
    return std::chrono::steady_clock::now() + budget + std::chrono::seconds(5);
  }

  // Flushes the outgoing query, then reads every result; the last error (if any) wins.
  net::awaitable<Result<Rows>> collect() {
    PGconn* conn = conn_.get();
    const auto until = deadline();
    if (!co_await flush(until)) co_return lost("flush");
    Rows rows;
    std::optional<Error> failure;
    for (;;) {
      while (PQisBusy(conn)) {
        if (!co_await wait_socket(conn, Wait::kRead, until)) co_return lost("read");
        if (!PQconsumeInput(conn)) co_return lost("read");
      }
      PgResultPtr result{PQgetResult(conn)};
      if (!result) break;
      switch (PQresultStatus(result.get())) {
        case PGRES_TUPLES_OK:
        case PGRES_COMMAND_OK:
          rows = rows_from_result(result.get());
          break;
        case PGRES_EMPTY_QUERY:
          break;
        default:
          if (!failure) failure = error_from_result(conn, result.get());
      }
    }
    if (failure) co_return *failure;
    co_return rows;
  }

  // The server-side prepared statement for `sql` on this connection, prepared on first use
  // so a repeated statement is parsed and planned once (PostgreSQL may still re-plan it
  // per call when its parameters change the best plan). Statements without parameters
  // (BEGIN, COMMIT, ...) are not prepared. Past kMaxPrepared distinct texts, returns
  // nullptr and the caller sends the text as before.
  net::awaitable<Result<const std::string*>> prepare(const std::string& sql, int param_count) {
    if (auto found = prepared_.find(sql); found != prepared_.end()) co_return &found->second;
    if (prepared_.size() >= kMaxPrepared) co_return nullptr;
    std::string name = "fp_" + std::to_string(prepared_.size() + 1);
    if (!PQsendPrepare(conn_.get(), name.c_str(), sql.c_str(), param_count, nullptr)) {
      co_return error_from_result(conn_.get(), nullptr);
    }
    auto done = co_await collect();
    if (!done) co_return done.error();
    co_return &prepared_.emplace(sql, std::move(name)).first->second;
  }

  // Hands one chunk of COPY data to libpq, waiting while its buffer is full.
  net::awaitable<bool> put_copy_data(const std::string& data, std::chrono::steady_clock::time_point until) {
    PGconn* conn = conn_.get();
    for (;;) {
      const int put = PQputCopyData(conn, data.data(), static_cast<int>(data.size()));
      if (put < 0) co_return false;
      if (put == 1) break;
      if (!co_await wait_socket(conn, Wait::kWrite, until)) co_return false;
    }
    // Keep the socket moving so libpq's buffer does not grow without bound.
    co_return co_await flush(until);
  }

  // Sends everything libpq has buffered; false if the socket failed or the deadline passed.
  net::awaitable<bool> flush(std::chrono::steady_clock::time_point until) {
    for (;;) {
      const int flushed = PQflush(conn_.get());
      if (flushed == 0) co_return true;
      if (flushed < 0 || !co_await wait_socket(conn_.get(), Wait::kWrite, until)) co_return false;
    }
  }

  // The connection cannot be trusted any more: close it so is_reusable() is false.
  Error lost(const char* step) {
    broken_ = true;
    std::string message = PQerrorMessage(conn_.get());
    return make_error(Errc::kUnavailable, std::string("postgres connection lost during ") +
                                              step + ": " + message);
  }

  static constexpr std::size_t kMaxPrepared = 256;

  PgConnPtr conn_;
  PgOptions options_;
  std::unordered_map<std::string, std::string> prepared_;  // SQL text -> statement name
  bool broken_ = false;  // a wait failed mid-statement: the protocol state is unknown
};

}  // namespace

Errc errc_from_sqlstate(std::string_view state) {
  if (state == "23505") return Errc::kConflict;             // unique_violation
  if (state.starts_with("23")) return Errc::kInvalidInput;  // other integrity violations
  if (state.starts_with("22")) return Errc::kInvalidInput;  // data exception
  if (state == "57014") return Errc::kTimeout;              // query_canceled (statement_timeout)
  if (state == "55P03") return Errc::kTimeout;              // lock_not_available
  if (state == "40001" || state == "40P01") return Errc::kConflict;  // serialization, deadlock
  if (state.starts_with("08")) return Errc::kUnavailable;   // connection exceptions
  if (state.starts_with("57P")) return Errc::kUnavailable;  // admin/crash shutdown, cannot connect
  if (state.starts_with("53")) return Errc::kUnavailable;   // insufficient resources
  return Errc::kInternal;
}

net::awaitable<Result<std::unique_ptr<Connection>>> connect(PgOptions options) {
  // plan_cache_mode: our prepared statements are index lookups whose plan does not depend on
  // the parameter values, but PostgreSQL's estimate for "LIMIT $n" makes it re-plan them on
  // every execution (custom plans; 0.6-1 ms per batches list call, measured with
  // log_min_duration_statement at 1M batches). A generic plan is made once per connection.
  // jit: compiling a statement costs more than it saves for our queries; for the
  // reconciliation's lot check at 1M batches JIT took 4.9 s of a 9.4 s statement.
  const std::string session_options =
      "-c statement_timeout=" + std::to_string(options.statement_timeout.count()) +
      " -c TimeZone=UTC -c plan_cache_mode=force_generic_plan -c jit=off";
  const char* keys[] = {"dbname", "options", "application_name", nullptr};
  const char* values[] = {options.conninfo.c_str(), session_options.c_str(), "fruitpak", nullptr};
  PgConnPtr conn{PQconnectStartParams(keys, values, /*expand_dbname=*/1)};
  if (!conn) co_return make_error(Errc::kUnavailable, "libpq could not allocate a connection");
  if (PQstatus(conn.get()) == CONNECTION_BAD) {
    co_return make_error(Errc::kUnavailable, PQerrorMessage(conn.get()));
  }
  const auto until = std::chrono::steady_clock::now() + options.connect_timeout;
  PostgresPollingStatusType poll = PGRES_POLLING_WRITING;
  while (poll != PGRES_POLLING_OK) {
    if (poll == PGRES_POLLING_FAILED) {
      co_return make_error(Errc::kUnavailable, PQerrorMessage(conn.get()));
    }
    const Wait what = poll == PGRES_POLLING_READING ? Wait::kRead : Wait::kWrite;
    if (!co_await wait_socket(conn.get(), what, until)) {
      co_return make_error(Errc::kUnavailable, "postgres connect timed out");
    }
    poll = PQconnectPoll(conn.get());
  }
  if (PQsetnonblocking(conn.get(), 1) != 0) {
    co_return make_error(Errc::kUnavailable, PQerrorMessage(conn.get()));
  }
  co_return std::unique_ptr<Connection>(
      std::make_unique<PgConnection>(std::move(conn), std::move(options)));
}

}  // namespace fruitpak::db::pg
