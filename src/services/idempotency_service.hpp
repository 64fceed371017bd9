#pragma once
// Idempotency-Key on creates (issue 5): the same key and body within 24 h get the first
// response again and create nothing; the same key with another body is refused. The first
// request claims the key before it runs, so two concurrent retries cannot both create.
// Safe for concurrent use.

#include "domain/account.hpp"
#include "util/asio.hpp"
#include "util/result.hpp"

#include <chrono>
#include <optional>
#include <string>

namespace fruitpak::db {
class Database;
}

namespace fruitpak::services {

struct IdempotencyClaim {
  enum class Kind { kNew, kReplay, kMismatch, kInProgress };
  Kind kind = Kind::kNew;
  int status = 0;            // kReplay: the stored response
  std::string body;
};

class IdempotencyService {
 public:
  explicit IdempotencyService(db::Database& db, std::chrono::hours lifetime = std::chrono::hours(24))
      : db_(db), lifetime_(lifetime) {}

  [[nodiscard]] net::awaitable<Result<IdempotencyClaim>> claim(domain::TenantId tenant, std::string key,
                                                               std::string method, std::string path,
                                                               std::string request_hash);
  // Stores the answer of a successful first request.
  [[nodiscard]] net::awaitable<Result<void>> complete(domain::TenantId tenant, std::string key, int status,
                                                      std::string body);
  // Frees the key after a failed first request, so the client may retry it.
  [[nodiscard]] net::awaitable<Result<void>> release(domain::TenantId tenant, std::string key);

 private:
  db::Database& db_;
  std::chrono::hours lifetime_;
};

}  // namespace fruitpak::services
