#pragma once
// Growers of a tenant: list, get, create, update, soft delete (contract 2.5, 11.9, D14).
// Safe for concurrent use.

#include "domain/account.hpp"
#include "domain/packhouse.hpp"
#include "domain/page.hpp"
#include "util/asio.hpp"
#include "util/query_counter.hpp"
#include "util/result.hpp"

#include <functional>

namespace fruitpak::db {
class Database;
}

namespace fruitpak::services {

// A change to a grower: applied to the stored grower by the api layer's reader, which knows
// which keys the client sent (absent = unchanged, null = cleared).
using GrowerPatch = std::function<void(domain::Grower&)>;

class GrowerService {
 public:
  explicit GrowerService(db::Database& db) : db_(db) {}

  [[nodiscard]] net::awaitable<Result<domain::Page<domain::Grower>>> list(domain::TenantId tenant,
                                                                         domain::PageRequest page,
                                                                         util::QueryCounter* counter);
  // kNotFound "Grower not found" for unknown, deleted and other tenants' ids alike.
  [[nodiscard]] net::awaitable<Result<domain::Grower>> get(domain::TenantId tenant, std::string id,
                                                           util::QueryCounter* counter);
  // `grower.id` and timestamps are assigned here. kConflict on a taken grower_code.
  [[nodiscard]] net::awaitable<Result<domain::Grower>> create(domain::TenantId tenant, domain::Grower grower,
                                                              util::QueryCounter* counter);
  // Applies `patch`; if it set `fields` with hectares, total_hectares becomes their sum.
  [[nodiscard]] net::awaitable<Result<domain::Grower>> update(domain::TenantId tenant, std::string id,
                                                              GrowerPatch patch, bool fields_sent,
                                                              util::QueryCounter* counter);
  // Refuses (kInvalidInput) while the grower has live batches.
  [[nodiscard]] net::awaitable<Result<void>> remove(domain::TenantId tenant, std::string id,
                                                    util::QueryCounter* counter);

 private:
  db::Database& db_;
};

// Σ hectares of a grower's `fields` JSON array, rounded to 2 decimals; nullopt if none > 0.
std::optional<double> total_hectares_of(const std::optional<std::string>& fields_json);

}  // namespace fruitpak::services
