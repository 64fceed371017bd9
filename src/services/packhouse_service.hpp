#pragma once
// Packhouses of a tenant: create, list, get (contract 2.4). Safe for concurrent use.

#include "domain/account.hpp"
#include "domain/packhouse.hpp"
#include "domain/page.hpp"
#include "util/asio.hpp"
#include "util/query_counter.hpp"
#include "util/result.hpp"

namespace fruitpak::db {
class Database;
}

namespace fruitpak::services {

struct NewPackhouse {
  std::string name;
  std::optional<std::string> location;
  std::optional<std::int64_t> capacity_tons_per_day;
  std::optional<std::int64_t> cold_rooms;
};

class PackhouseService {
 public:
  explicit PackhouseService(db::Database& db) : db_(db) {}

  [[nodiscard]] net::awaitable<Result<domain::Packhouse>> create(domain::TenantId tenant, NewPackhouse input,
                                                                 util::QueryCounter* counter);
  [[nodiscard]] net::awaitable<Result<domain::Page<domain::Packhouse>>> list(domain::TenantId tenant,
                                                                             domain::PageRequest page,
                                                                             util::QueryCounter* counter);
  // kNotFound "Packhouse not found" for unknown ids and other tenants' ids alike.
  [[nodiscard]] net::awaitable<Result<domain::Packhouse>> get(domain::TenantId tenant, std::string id,
                                                              util::QueryCounter* counter);

 private:
  db::Database& db_;
};

}  // namespace fruitpak::services
