#pragma once
// Stored first responses of create requests sent with an Idempotency-Key (issue 5).

#include "db/runner.hpp"
#include "domain/account.hpp"

#include <optional>
#include <string>

namespace fruitpak::db::idempotency {

struct Stored {
  std::string request_hash;
  int status = 0;  // 0: the first request is still running
  std::string response_body;
  std::string created_at;
};

// Inserts a placeholder for (tenant, key); kConflict if the key is already there.
[[nodiscard]] net::awaitable<Result<void>> claim(Runner run, domain::TenantId tenant, std::string key,
                                                 std::string method, std::string path, std::string request_hash,
                                                 std::string now);
[[nodiscard]] net::awaitable<Result<std::optional<Stored>>> find(Runner run, domain::TenantId tenant, std::string key);
[[nodiscard]] net::awaitable<Result<void>> complete(Runner run, domain::TenantId tenant, std::string key, int status,
                                                    std::string body);
// Removes the key (a failed first request, or an expired entry).
[[nodiscard]] net::awaitable<Result<void>> release(Runner run, domain::TenantId tenant, std::string key);

}  // namespace fruitpak::db::idempotency
