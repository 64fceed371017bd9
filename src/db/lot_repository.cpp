#include "db/lot_repository.hpp"

namespace fruitpak::db::lots {
namespace {

constexpr std::string_view kInsertHead =
    "INSERT INTO lots (id, enterprise_id, lot_code, batch_id, grower_id, packhouse_id, pack_line_id, fruit_type,"
    " variety, grade, size, product_config_id, pack_spec_id, box_size_id, target_market, carton_count, weight_kg,"
    " waste_kg, waste_reason, pack_date, intake_date, quality_data, status, notes, packed_by, created_at, updated_at,"
    " is_deleted) VALUES ";
constexpr std::size_t kInsertParams = 27;  // per row; is_deleted is written as FALSE

constexpr std::string_view kUpdate =
    "UPDATE lots SET grade = $3, size = $4, product_config_id = $5, pack_spec_id = $6, box_size_id = $7,"
    " target_market = $8, carton_count = $9, weight_kg = $10, waste_kg = $11, waste_reason = $12, pack_date = $13,"
    " quality_data = $14, status = $15, notes = $16, updated_at = $17"
    " WHERE enterprise_id = $1 AND id = $2 AND is_deleted = FALSE";

// Column order read by lot_from(): the lot's columns, then the joined ones. The joins
// stay within the tenant; the palletized boxes are summed per lot of the result only.
constexpr std::string_view kSelectLot =
    "SELECT l.id, l.lot_code, l.batch_id, l.grower_id, l.packhouse_id, l.pack_line_id, l.fruit_type, l.variety,"
    " l.grade, l.size, l.product_config_id, l.pack_spec_id, l.box_size_id, l.target_market, l.carton_count,"
    " l.weight_kg, l.waste_kg, l.waste_reason, l.pack_date, l.intake_date, l.quality_data, l.status, l.notes,"
    " l.packed_by, l.created_at, l.updated_at, bs.name, bs.weight_kg, b.batch_code, g.name, g.grower_code,"
    " COALESCE((SELECT SUM(pl.box_count) FROM pallet_lots pl WHERE pl.lot_id = l.id AND pl.is_deleted = FALSE), 0)"
    " FROM lots l"
    " LEFT JOIN box_sizes bs ON bs.enterprise_id = l.enterprise_id AND bs.id = l.box_size_id"
    " LEFT JOIN batches b ON b.enterprise_id = l.enterprise_id AND b.id = l.batch_id"
    " LEFT JOIN growers g ON g.enterprise_id = l.enterprise_id AND g.id = l.grower_id"
    " WHERE l.enterprise_id = $1 AND l.is_deleted = FALSE";

// Column order read by summary_from(), then the total of the filtered rows.
constexpr std::string_view kSummaryColumns =
    "SELECT l.id, l.lot_code, l.batch_id, l.fruit_type, l.variety, l.grade, l.size, l.box_size_id, l.carton_count,"
    " l.weight_kg, l.waste_kg, l.waste_reason, l.notes,"
    " COALESCE((SELECT SUM(pl.box_count) FROM pallet_lots pl WHERE pl.lot_id = l.id AND pl.is_deleted = FALSE), 0),"
    " l.status, l.pack_date, l.created_at, page.total";
constexpr std::size_t kTotalColumn = 17;

constexpr std::string_view kSoftDelete =
    "UPDATE lots SET is_deleted = TRUE, updated_at = $3 WHERE enterprise_id = $1 AND id = $2 AND is_deleted = FALSE"
    " AND NOT EXISTS (SELECT 1 FROM pallet_lots pl WHERE pl.lot_id = lots.id AND pl.is_deleted = FALSE)";
constexpr std::string_view kAllocations =
    "SELECT p.pallet_number, pl.box_count FROM pallet_lots pl JOIN pallets p ON p.id = pl.pallet_id"
    " WHERE pl.enterprise_id = $1 AND pl.lot_id = $2 AND pl.is_deleted = FALSE ORDER BY pl.created_at, p.pallet_number";
constexpr std::string_view kTotals =
    "SELECT COALESCE(SUM(weight_kg), 0), COALESCE(SUM(waste_kg), 0) FROM lots"
    " WHERE enterprise_id = $1 AND batch_id = $2 AND is_deleted = FALSE";
// Followed by "($2, $3, ...)", one placeholder per listed id.
constexpr std::string_view kBoxSizesIn = "SELECT id, name, weight_kg FROM box_sizes WHERE enterprise_id = $1 AND id IN ";
constexpr std::string_view kProductConfigExists = "SELECT 1 FROM product_configs WHERE enterprise_id = $1 AND id = $2";
constexpr std::string_view kPackSpecExists = "SELECT 1 FROM pack_specs WHERE enterprise_id = $1 AND id = $2";

// "($first, $first+1, ...)" for `count` placeholders.
std::string placeholders(std::size_t first, std::size_t count) {
  std::string out = "(";
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) out += ", ";
    out += "$" + std::to_string(first + i);
  }
  return out + ")";
}

domain::Lot lot_from(const Row& r) {
  domain::Lot l;
  l.id = r.string(0);
  l.lot_code = r.string(1);
  l.batch_id = r.string(2);
  l.grower_id = r.string(3);
  l.packhouse_id = r.string(4);
  l.pack_line_id = r.optional_string(5);
  l.fruit_type = r.string(6);
  l.variety = r.optional_string(7);
  l.grade = r.optional_string(8);
  l.size = r.optional_string(9);
  l.product_config_id = r.optional_string(10);
  l.pack_spec_id = r.optional_string(11);
  l.box_size_id = r.optional_string(12);
  l.target_market = r.optional_string(13);
  l.carton_count = r.int64(14);
  l.weight_kg = r.optional_number(15);
  l.waste_kg = r.number(16);
  l.waste_reason = r.optional_string(17);
  l.pack_date = r.date(18);
  l.intake_date = r.timestamp(19).value_or("");
  l.quality_data_json = r.optional_string(20);
  l.status = r.string(21);
  l.notes = r.optional_string(22);
  l.packed_by = r.optional_string(23);
  l.created_at = r.timestamp(24).value_or("");
  l.updated_at = r.timestamp(25).value_or("");
  l.box_size_name = r.optional_string(26);
  l.box_weight_kg = r.optional_number(27);
  l.batch_code = r.optional_string(28);
  l.grower_name = r.optional_string(29);
  l.grower_code = r.optional_string(30);
  l.palletized_boxes = r.int64(31);
  return l;
}

domain::LotSummary summary_from(const Row& r) {
  domain::LotSummary l;
  l.id = r.string(0);
  l.lot_code = r.string(1);
  l.batch_id = r.string(2);
  l.fruit_type = r.string(3);
  l.variety = r.optional_string(4);
  l.grade = r.optional_string(5);
  l.size = r.optional_string(6);
  l.box_size_id = r.optional_string(7);
  l.carton_count = r.int64(8);
  l.weight_kg = r.optional_number(9);
  l.waste_kg = r.number(10);
  l.waste_reason = r.optional_string(11);
  l.notes = r.optional_string(12);
  l.palletized_boxes = r.int64(13);
  l.status = r.string(14);
  l.pack_date = r.date(15);
  l.created_at = r.timestamp(16).value_or("");
  return l;
}

void append_insert_params(Params& params, const domain::TenantId& tenant, const domain::Lot& l) {
  params.insert(params.end(),
                {l.id, tenant.value(), l.lot_code, l.batch_id, l.grower_id, l.packhouse_id, nullable(l.pack_line_id),
                 l.fruit_type, nullable(l.variety), nullable(l.grade), nullable(l.size), nullable(l.product_config_id),
                 nullable(l.pack_spec_id), nullable(l.box_size_id), nullable(l.target_market), l.carton_count, nullable(l.weight_kg),
                 l.waste_kg, nullable(l.waste_reason), nullable(l.pack_date), l.intake_date, nullable(l.quality_data_json), l.status,
                 nullable(l.notes), nullable(l.packed_by), l.created_at, l.updated_at});
}

// The WHERE conditions of a filtered list after the tenant's, built from fixed fragments;
// values are appended to `params` and bound.
std::string filter_clause(const domain::LotFilter& f, Params& params) {
  std::string where;
  auto add = [&](std::string_view fragment, const std::string& value) {
    params.emplace_back(value);
    where += std::string(fragment) + std::to_string(params.size());
  };
  if (f.batch_id) add(" AND l.batch_id = $", *f.batch_id);
  if (f.status) add(" AND l.status = $", *f.status);
  if (f.grade) add(" AND l.grade = $", *f.grade);
  return where;
}

}  // namespace

net::awaitable<Result<void>> insert(Runner run, domain::TenantId tenant, std::vector<domain::Lot> lots) {
  std::string sql(kInsertHead);
  Params params;
  params.reserve(lots.size() * kInsertParams);
  for (std::size_t i = 0; i < lots.size(); ++i) {
    if (i > 0) sql += ", ";
    sql += placeholders(params.size() + 1, kInsertParams);
    sql.insert(sql.size() - 1, ", FALSE");
    append_insert_params(params, tenant, lots[i]);
  }
  co_return co_await run_statement(run, sql, std::move(params));
}

net::awaitable<Result<void>> update(Runner run, domain::TenantId tenant, domain::Lot l) {
  Params params{tenant.value(), l.id, nullable(l.grade), nullable(l.size), nullable(l.product_config_id), nullable(l.pack_spec_id),
                nullable(l.box_size_id), nullable(l.target_market), l.carton_count, nullable(l.weight_kg), l.waste_kg,
                nullable(l.waste_reason), nullable(l.pack_date), nullable(l.quality_data_json), l.status, nullable(l.notes),
                l.updated_at};
  auto rows = co_await run.execute(kUpdate, std::move(params));
  if (!rows) co_return rows.error();
  if (rows->affected() != 1) co_return make_error(Errc::kNotFound, "lot vanished during update");
  co_return Result<void>{};
}

net::awaitable<Result<std::optional<domain::Lot>>> find(Runner run, domain::TenantId tenant, std::string id) {
  const std::string sql = std::string(kSelectLot) + " AND l.id = $2";
  Params params{tenant.value(), std::move(id)};
  auto rows = co_await run.execute(sql, std::move(params));
  if (!rows) co_return rows.error();
  if (rows->empty()) co_return std::optional<domain::Lot>();
  co_return std::optional<domain::Lot>(lot_from(rows->front()));
}

net::awaitable<Result<std::vector<domain::Lot>>> find_many(Runner run, domain::TenantId tenant,
                                                           std::vector<std::string> ids) {
  std::vector<domain::Lot> out;
  if (ids.empty()) co_return out;
  // The statement differs only in the number of placeholders; every value is bound.
  const std::string sql = std::string(kSelectLot) + " AND l.id IN " + placeholders(2, ids.size()) + " ORDER BY l.lot_code";
  Params params{tenant.value()};
  for (auto& id : ids) params.emplace_back(std::move(id));
  auto rows = co_await run.execute(sql, std::move(params));
  if (!rows) co_return rows.error();
  out.reserve(rows->size());
  for (std::size_t i = 0; i < rows->size(); ++i) out.push_back(lot_from((*rows)[i]));
  co_return out;
}

net::awaitable<Result<domain::Page<domain::LotSummary>>> list(Runner run, domain::TenantId tenant,
                                                             domain::LotFilter filter, domain::PageRequest page) {
  Params params{tenant.value()};
  const std::string where = " WHERE l.enterprise_id = $1 AND l.is_deleted = FALSE" + filter_clause(filter, params);
  Params count_params = params;
  params.emplace_back(page.offset);
  // The inner query walks the index for the page's ids (and counts the filtered rows); the
  // outer one reads only those rows. LIMIT is written into the text (a validated 1..100),
  // as the batch list does: a generic plan for "LIMIT $n" assumes a large share of the table.
  const std::string sql = std::string(kSummaryColumns) + " FROM (SELECT l.id, COUNT(*) OVER () AS total FROM lots l" +
                          where + " ORDER BY l.created_at DESC, l.id DESC LIMIT " + std::to_string(page.limit) +
                          " OFFSET $" + std::to_string(params.size()) +
                          ") page JOIN lots l ON l.id = page.id ORDER BY l.created_at DESC, l.id DESC";
  auto rows = co_await run.execute(sql, std::move(params));
  if (!rows) co_return rows.error();
  domain::Page<domain::LotSummary> out{{}, 0, page.limit, page.offset};
  out.items.reserve(rows->size());
  for (std::size_t i = 0; i < rows->size(); ++i) out.items.push_back(summary_from((*rows)[i]));
  if (!rows->empty()) {
    out.total = rows->front().int64(kTotalColumn);
  } else if (page.offset > 0) {
    const std::string count_sql = "SELECT COUNT(*) FROM lots l" + where;
    auto counted = co_await run.execute(count_sql, std::move(count_params));
    if (!counted) co_return counted.error();
    out.total = counted->front().int64(0);
  }
  co_return out;
}

net::awaitable<Result<bool>> soft_delete(Runner run, domain::TenantId tenant, std::string id, std::string now) {
  Params params{tenant.value(), std::move(id), std::move(now)};
  auto rows = co_await run.execute(kSoftDelete, std::move(params));
  if (!rows) co_return rows.error();
  co_return rows->affected() == 1;
}

net::awaitable<Result<std::vector<domain::PalletAllocation>>> allocations(Runner run, domain::TenantId tenant,
                                                                          std::string lot_id) {
  Params params{tenant.value(), std::move(lot_id)};
  auto rows = co_await run.execute(kAllocations, std::move(params));
  if (!rows) co_return rows.error();
  std::vector<domain::PalletAllocation> out;
  out.reserve(rows->size());
  for (std::size_t i = 0; i < rows->size(); ++i) {
    const Row r = (*rows)[i];
    out.push_back(domain::PalletAllocation{.pallet_number = r.string(0), .box_count = r.int64(1)});
  }
  co_return out;
}

net::awaitable<Result<domain::LotTotals>> totals(Runner run, domain::TenantId tenant, std::string batch_id) {
  Params params{tenant.value(), std::move(batch_id)};
  auto rows = co_await run.execute(kTotals, std::move(params));
  if (!rows) co_return rows.error();
  if (rows->empty()) co_return domain::LotTotals{};
  co_return domain::LotTotals{.weight_kg = rows->front().number(0), .waste_kg = rows->front().number(1)};
}

net::awaitable<Result<std::vector<domain::BoxSize>>> box_sizes(Runner run, domain::TenantId tenant,
                                                              std::vector<std::string> ids) {
  std::vector<domain::BoxSize> out;
  if (ids.empty()) co_return out;
  const std::string sql = std::string(kBoxSizesIn) + placeholders(2, ids.size());
  Params params{tenant.value()};
  for (auto& id : ids) params.emplace_back(std::move(id));
  auto rows = co_await run.execute(sql, std::move(params));
  if (!rows) co_return rows.error();
  out.reserve(rows->size());
  for (std::size_t i = 0; i < rows->size(); ++i) {
    const Row r = (*rows)[i];
    out.push_back(domain::BoxSize{.id = r.string(0), .name = r.string(1), .weight_kg = r.number(2)});
  }
  co_return out;
}

net::awaitable<Result<bool>> reference_exists(Runner run, domain::TenantId tenant, Reference table, std::string id) {
  const std::string_view sql = table == Reference::kProductConfig ? kProductConfigExists : kPackSpecExists;
  Params params{tenant.value(), std::move(id)};
  auto rows = co_await run.execute(sql, std::move(params));
  if (!rows) co_return rows.error();
  co_return !rows->empty();
}

}  // namespace fruitpak::db::lots
