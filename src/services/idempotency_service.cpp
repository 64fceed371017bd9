#include "services/idempotency_service.hpp"

#include "db/database.hpp"
#include "db/idempotency_repository.hpp"
#include "util/clock.hpp"

namespace fruitpak::services {

net::awaitable<Result<IdempotencyClaim>> IdempotencyService::claim(domain::TenantId tenant, std::string key,
                                                                   std::string method, std::string path,
                                                                   std::string request_hash) {
  db::Runner run(db_, nullptr);
  for (int attempt = 0; attempt < 2; ++attempt) {
    const auto now = std::chrono::system_clock::now();
    auto claimed = co_await db::idempotency::claim(run, tenant, key, method, path, request_hash, util::iso_utc(now));
    if (claimed) co_return IdempotencyClaim{};
    if (claimed.error().code != Errc::kConflict) co_return claimed.error();
    auto stored = co_await db::idempotency::find(run, tenant, key);
    if (!stored) co_return stored.error();
    if (!*stored) continue;  // released meanwhile: claim again
    auto created = util::parse_iso_utc((*stored)->created_at);
    if (!created || now - *created > lifetime_) {
      if (auto released = co_await db::idempotency::release(run, tenant, key); !released) co_return released.error();
      continue;  // expired: this request is a new one
    }
    if ((*stored)->request_hash != request_hash) co_return IdempotencyClaim{IdempotencyClaim::Kind::kMismatch, 0, {}};
    if ((*stored)->status == 0) co_return IdempotencyClaim{IdempotencyClaim::Kind::kInProgress, 0, {}};
    co_return IdempotencyClaim{IdempotencyClaim::Kind::kReplay, (*stored)->status, std::move((*stored)->response_body)};
  }
  co_return make_error(Errc::kConflict, "idempotency key churned during claim");
}

net::awaitable<Result<void>> IdempotencyService::complete(domain::TenantId tenant, std::string key, int status,
                                                          std::string body) {
  co_return co_await db::idempotency::complete(db::Runner(db_, nullptr), std::move(tenant), std::move(key), status,
                                               std::move(body));
}

net::awaitable<Result<void>> IdempotencyService::release(domain::TenantId tenant, std::string key) {
  co_return co_await db::idempotency::release(db::Runner(db_, nullptr), std::move(tenant), std::move(key));
}

}  // namespace fruitpak::services
