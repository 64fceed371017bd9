#include "services/packhouse_service.hpp"

#include "db/database.hpp"
#include "db/packhouse_repository.hpp"
#include "util/clock.hpp"
#include "util/crypto.hpp"

namespace fruitpak::services {

net::awaitable<Result<domain::Packhouse>> PackhouseService::create(domain::TenantId tenant, NewPackhouse input,
                                                                   util::QueryCounter* counter) {
  domain::Packhouse packhouse{util::uuid4(), std::move(input.name), std::move(input.location),
                              input.capacity_tons_per_day, input.cold_rooms, util::iso_utc_now()};
  auto inserted = co_await db::packhouses::insert(db::Runner(db_, counter), std::move(tenant), packhouse);
  if (!inserted) co_return inserted.error();
  co_return packhouse;
}

net::awaitable<Result<domain::Page<domain::Packhouse>>> PackhouseService::list(domain::TenantId tenant,
                                                                               domain::PageRequest page,
                                                                               util::QueryCounter* counter) {
  co_return co_await db::packhouses::list(db::Runner(db_, counter), std::move(tenant), page);
}

net::awaitable<Result<domain::Packhouse>> PackhouseService::get(domain::TenantId tenant, std::string id,
                                                                util::QueryCounter* counter) {
  auto found = co_await db::packhouses::find(db::Runner(db_, counter), std::move(tenant), std::move(id));
  if (!found) co_return found.error();
  if (!*found) co_return client_error(Errc::kNotFound, "Packhouse not found");
  co_return std::move(**found);
}

}  // namespace fruitpak::services
