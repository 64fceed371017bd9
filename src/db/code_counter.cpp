#include "db/code_counter.hpp"

#include <fmt/format.h>

namespace fruitpak::db::codes {
namespace {

// One statement on both engines: the upsert takes the row lock (PostgreSQL) or the write
// lock (SQLite) and returns the new value.
constexpr std::string_view kNext =
    "INSERT INTO code_counters (enterprise_id, prefix, day, value) VALUES ($1, $2, $3, 1)"
    " ON CONFLICT (enterprise_id, prefix, day) DO UPDATE SET value = code_counters.value + 1"
    " RETURNING value";

constexpr std::string_view kReserve =
    "INSERT INTO code_counters (enterprise_id, prefix, day, value) VALUES ($1, $2, $3, $4)"
    " ON CONFLICT (enterprise_id, prefix, day) DO UPDATE SET value = code_counters.value + $4"
    " RETURNING value";

}  // namespace

net::awaitable<Result<std::int64_t>> next(Runner run, domain::TenantId tenant, std::string prefix, std::string day) {
  Params params{tenant.value(), std::move(prefix), std::move(day)};
  auto rows = co_await run.execute(kNext, std::move(params));
  if (!rows) co_return rows.error();
  if (rows->empty()) co_return make_error(Errc::kInternal, "code counter returned no row");
  co_return rows->front().int64(0);
}

net::awaitable<Result<std::int64_t>> reserve(Runner run, domain::TenantId tenant, std::string prefix, std::string day,
                                             std::int64_t count) {
  Params params{tenant.value(), std::move(prefix), std::move(day), count};
  auto rows = co_await run.execute(kReserve, std::move(params));
  if (!rows) co_return rows.error();
  if (rows->empty()) co_return make_error(Errc::kInternal, "code counter returned no row");
  co_return rows->front().int64(0) - count + 1;
}

std::string format_code(std::string_view prefix, std::string_view day, std::int64_t number) {
  return fmt::format("{}-{}-{:03}", prefix, day, number);
}

}  // namespace fruitpak::db::codes
