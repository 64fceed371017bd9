#include "db/grower_repository.hpp"

#include "db/paged_query.hpp"

namespace fruitpak::db::growers {
namespace {

// Column order of every SELECT below; from_row() reads them by position.
constexpr std::string_view kColumns =
    "id, name, grower_code, contact_person, email, phone, region, total_hectares, estimated_volume_tons,"
    " globalg_ap_certified, globalg_ap_number, fields, notes, packhouse_id, is_active, created_at";

std::string select(std::string_view tail) { return "SELECT " + std::string(kColumns) + " FROM growers " + std::string(tail); }

const std::string kFind = select("WHERE enterprise_id = $1 AND id = $2 AND is_deleted = FALSE");
const std::string kList = "SELECT " + std::string(kColumns) +
                          ", COUNT(*) OVER () FROM growers WHERE enterprise_id = $1 AND is_deleted = FALSE"
                          " ORDER BY name, id LIMIT $2 OFFSET $3";
constexpr std::string_view kCount = "SELECT COUNT(*) FROM growers WHERE enterprise_id = $1 AND is_deleted = FALSE";
constexpr std::string_view kInsert =
    "INSERT INTO growers (id, enterprise_id, name, grower_code, contact_person, email, phone, region, total_hectares,"
    " estimated_volume_tons, globalg_ap_certified, globalg_ap_number, fields, notes, packhouse_id, is_active,"
    " is_deleted, created_at, updated_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, FALSE, $17, $17)";
constexpr std::string_view kUpdate =
    "UPDATE growers SET name = $3, grower_code = $4, contact_person = $5, email = $6, phone = $7, region = $8,"
    " total_hectares = $9, estimated_volume_tons = $10, globalg_ap_certified = $11, globalg_ap_number = $12,"
    " fields = $13, notes = $14, updated_at = $15"
    " WHERE enterprise_id = $1 AND id = $2 AND is_deleted = FALSE";
constexpr std::string_view kSoftDelete =
    "UPDATE growers SET is_deleted = TRUE, updated_at = $3 WHERE enterprise_id = $1 AND id = $2 AND is_deleted = FALSE";
constexpr std::string_view kActiveBatches =
    "SELECT COUNT(*) FROM batches WHERE enterprise_id = $1 AND grower_id = $2 AND is_deleted = FALSE"
    " AND status <> 'rejected'";

domain::Grower from_row(const Row& r) {
  domain::Grower g;
  g.id = r.string(0);
  g.name = r.string(1);
  g.grower_code = r.optional_string(2);
  g.contact_person = r.optional_string(3);
  g.email = r.optional_string(4);
  g.phone = r.optional_string(5);
  g.region = r.optional_string(6);
  g.total_hectares = r.optional_number(7);
  g.estimated_volume_tons = r.optional_number(8);
  g.globalg_ap_certified = r.boolean(9);
  g.globalg_ap_number = r.optional_string(10);
  g.fields_json = r.optional_string(11);
  g.notes = r.optional_string(12);
  g.packhouse_id = r.optional_string(13);
  g.is_active = r.boolean(14);
  g.created_at = r.timestamp(15).value_or("");
  return g;
}

}  // namespace

net::awaitable<Result<void>> insert(Runner run, domain::TenantId tenant, domain::Grower g) {
  Params params{g.id, tenant.value(), g.name, nullable(g.grower_code), nullable(g.contact_person), nullable(g.email), nullable(g.phone),
                nullable(g.region), nullable(g.total_hectares), nullable(g.estimated_volume_tons), g.globalg_ap_certified,
                nullable(g.globalg_ap_number), nullable(g.fields_json), nullable(g.notes), nullable(g.packhouse_id), g.is_active,
                g.created_at};
  auto rows = co_await run.execute(kInsert, std::move(params));
  if (!rows) co_return rows.error();
  co_return Result<void>{};
}

net::awaitable<Result<std::optional<domain::Grower>>> find(Runner run, domain::TenantId tenant, std::string id) {
  Params params{tenant.value(), std::move(id)};
  auto rows = co_await run.execute(kFind, std::move(params));
  if (!rows) co_return rows.error();
  if (rows->empty()) co_return std::optional<domain::Grower>();
  co_return std::optional<domain::Grower>(from_row(rows->front()));
}

net::awaitable<Result<domain::Page<domain::Grower>>> list(Runner run, domain::TenantId tenant,
                                                          domain::PageRequest page) {
  return windowed_page(run, kList, kCount, std::move(tenant), page, &from_row, 16);
}

net::awaitable<Result<void>> update(Runner run, domain::TenantId tenant, domain::Grower g, std::string now) {
  Params params{tenant.value(), g.id, g.name, nullable(g.grower_code), nullable(g.contact_person), nullable(g.email), nullable(g.phone),
                nullable(g.region), nullable(g.total_hectares), nullable(g.estimated_volume_tons), g.globalg_ap_certified,
                nullable(g.globalg_ap_number), nullable(g.fields_json), nullable(g.notes), std::move(now)};
  auto rows = co_await run.execute(kUpdate, std::move(params));
  if (!rows) co_return rows.error();
  if (rows->affected() != 1) co_return make_error(Errc::kNotFound, "grower vanished during update");
  co_return Result<void>{};
}

net::awaitable<Result<bool>> soft_delete(Runner run, domain::TenantId tenant, std::string id, std::string now) {
  Params params{tenant.value(), std::move(id), std::move(now)};
  auto rows = co_await run.execute(kSoftDelete, std::move(params));
  if (!rows) co_return rows.error();
  co_return rows->affected() == 1;
}

net::awaitable<Result<std::int64_t>> active_batch_count(Runner run, domain::TenantId tenant, std::string id) {
  Params params{tenant.value(), std::move(id)};
  auto rows = co_await run.execute(kActiveBatches, std::move(params));
  if (!rows) co_return rows.error();
  co_return rows->front().int64(0);
}

}  // namespace fruitpak::db::growers
