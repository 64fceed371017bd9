#include "db/idempotency_repository.hpp"

namespace fruitpak::db::idempotency {
namespace {

constexpr std::string_view kClaim =
    "INSERT INTO idempotency_keys (enterprise_id, key, method, path, request_hash, status, response_body, created_at)"
    " VALUES ($1, $2, $3, $4, $5, 0, '', $6)";
constexpr std::string_view kFind =
    "SELECT request_hash, status, response_body, created_at FROM idempotency_keys WHERE enterprise_id = $1 AND key = $2";
constexpr std::string_view kComplete =
    "UPDATE idempotency_keys SET status = $3, response_body = $4 WHERE enterprise_id = $1 AND key = $2";
constexpr std::string_view kRelease = "DELETE FROM idempotency_keys WHERE enterprise_id = $1 AND key = $2";

}  // namespace

net::awaitable<Result<void>> claim(Runner run, domain::TenantId tenant, std::string key, std::string method,
                                   std::string path, std::string request_hash, std::string now) {
  Params params{tenant.value(), std::move(key), std::move(method), std::move(path), std::move(request_hash),
                std::move(now)};
  return run_statement(run, kClaim, std::move(params));
}

net::awaitable<Result<std::optional<Stored>>> find(Runner run, domain::TenantId tenant, std::string key) {
  Params params{tenant.value(), std::move(key)};
  auto rows = co_await run.execute(kFind, std::move(params));
  if (!rows) co_return rows.error();
  if (rows->empty()) co_return std::optional<Stored>();
  auto r = rows->front();
  co_return std::optional<Stored>(
      Stored{r.string(0), static_cast<int>(r.int64(1)), r.string(2), r.timestamp(3).value_or("")});
}

net::awaitable<Result<void>> complete(Runner run, domain::TenantId tenant, std::string key, int status,
                                      std::string body) {
  Params params{tenant.value(), std::move(key), std::int64_t{status}, std::move(body)};
  return run_statement(run, kComplete, std::move(params));
}

net::awaitable<Result<void>> release(Runner run, domain::TenantId tenant, std::string key) {
  Params params{tenant.value(), std::move(key)};
  return run_statement(run, kRelease, std::move(params));
}

}  // namespace fruitpak::db::idempotency
