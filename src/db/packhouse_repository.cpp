#include "db/packhouse_repository.hpp"

#include "db/paged_query.hpp"

namespace fruitpak::db::packhouses {
namespace {

constexpr std::string_view kInsert =
    "INSERT INTO packhouses (id, enterprise_id, name, location, capacity_tons_per_day, cold_rooms, created_at, updated_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $7)";
constexpr std::string_view kFind =
    "SELECT id, name, location, capacity_tons_per_day, cold_rooms, created_at FROM packhouses"
    " WHERE enterprise_id = $1 AND id = $2";
// The window count gives the total in the same statement: one query per page.
constexpr std::string_view kList =
    "SELECT id, name, location, capacity_tons_per_day, cold_rooms, created_at, COUNT(*) OVER () AS total"
    " FROM packhouses WHERE enterprise_id = $1 ORDER BY name, id LIMIT $2 OFFSET $3";
constexpr std::string_view kCount = "SELECT COUNT(*) FROM packhouses WHERE enterprise_id = $1";

domain::Packhouse from_row(const Row& r) {
  return domain::Packhouse{r.string(0), r.string(1), r.optional_string(2), r.optional_int64(3), r.optional_int64(4),
                           r.timestamp(5).value_or("")};
}

}  // namespace

net::awaitable<Result<void>> insert(Runner run, domain::TenantId tenant, domain::Packhouse p) {
  Params params{p.id, tenant.value(), p.name, nullable(p.location), nullable(p.capacity_tons_per_day),
                nullable(p.cold_rooms), p.created_at};
  auto rows = co_await run.execute(kInsert, std::move(params));
  if (!rows) co_return rows.error();
  co_return Result<void>{};
}

net::awaitable<Result<std::optional<domain::Packhouse>>> find(Runner run, domain::TenantId tenant, std::string id) {
  Params params{tenant.value(), std::move(id)};
  auto rows = co_await run.execute(kFind, std::move(params));
  if (!rows) co_return rows.error();
  if (rows->empty()) co_return std::optional<domain::Packhouse>();
  co_return std::optional<domain::Packhouse>(from_row(rows->front()));
}

net::awaitable<Result<domain::Page<domain::Packhouse>>> list(Runner run, domain::TenantId tenant,
                                                          domain::PageRequest page) {
  return windowed_page(run, kList, kCount, std::move(tenant), page, &from_row, 6);
}

}  // namespace fruitpak::db::packhouses
