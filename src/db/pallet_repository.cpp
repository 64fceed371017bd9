#include "db/pallet_repository.hpp"

namespace fruitpak::db::pallets {
namespace {

constexpr std::string_view kInsertHead =
    "INSERT INTO pallets (id, enterprise_id, pallet_number, packhouse_id, pallet_type_name, capacity_boxes,"
    " current_boxes, fruit_type, variety, grade, size, box_size_id, box_size_name, target_market, notes, status,"
    " palletized_by, created_at, updated_at, is_deleted) VALUES ";
constexpr std::size_t kInsertParams = 19;  // per row; is_deleted is written as FALSE

constexpr std::string_view kInsertLinesHead =
    "INSERT INTO pallet_lots (id, enterprise_id, pallet_id, lot_id, box_count, size, created_at, is_deleted) VALUES ";
constexpr std::size_t kInsertLineParams = 7;  // per row; is_deleted is written as FALSE

constexpr std::string_view kUpdate =
    "UPDATE pallets SET pallet_type_name = $3, capacity_boxes = $4, current_boxes = $5, fruit_type = $6,"
    " variety = $7, grade = $8, size = $9, box_size_id = $10, box_size_name = $11, target_market = $12,"
    " net_weight_kg = $13, gross_weight_kg = $14, cold_store_room = $15, cold_store_position = $16, status = $17,"
    " notes = $18, updated_at = $19 WHERE enterprise_id = $1 AND id = $2 AND is_deleted = FALSE";

constexpr std::string_view kLock =
    "UPDATE pallets SET updated_at = $3 WHERE enterprise_id = $1 AND id = $2 AND is_deleted = FALSE";

// Column order read by pallet_from() (0..24) and line_from() (25..32). One row per active
// allocation, or one row with NULL line columns for an empty pallet. The joins stay
// within the tenant.
constexpr std::string_view kColumns =
    "SELECT p.id, p.pallet_number, p.packhouse_id, p.pallet_type_name, p.capacity_boxes, p.current_boxes,"
    " p.fruit_type, p.variety, p.grade, p.size, p.box_size_id, p.box_size_name, p.target_market, p.net_weight_kg,"
    " p.gross_weight_kg, p.cold_store_room, p.cold_store_position, p.container_id, p.qr_code_url, p.status,"
    " p.notes, p.palletized_by, p.created_at, p.updated_at, c.container_number,"
    " pl.id, pl.lot_id, pl.box_count, pl.size, l.lot_code, l.grade, bs.name, b.batch_code";
constexpr std::size_t kLineColumn = 25;
constexpr std::size_t kTotalColumn = 33;  // the list's page.total, after the columns above
constexpr std::string_view kJoins =
    " LEFT JOIN containers c ON c.enterprise_id = p.enterprise_id AND c.id = p.container_id"
    " LEFT JOIN pallet_lots pl ON pl.enterprise_id = p.enterprise_id AND pl.pallet_id = p.id AND pl.is_deleted = FALSE"
    " LEFT JOIN lots l ON l.enterprise_id = pl.enterprise_id AND l.id = pl.lot_id"
    " LEFT JOIN box_sizes bs ON bs.enterprise_id = l.enterprise_id AND bs.id = l.box_size_id"
    " LEFT JOIN batches b ON b.enterprise_id = l.enterprise_id AND b.id = l.batch_id";
// Allocations of one pallet, oldest first (those of one request by lot code).
constexpr std::string_view kLineOrder = "pl.created_at, l.lot_code, pl.id";

constexpr std::string_view kSoftDelete =
    "UPDATE pallets SET is_deleted = TRUE, updated_at = $3 WHERE enterprise_id = $1 AND id = $2"
    " AND is_deleted = FALSE AND current_boxes = 0 AND container_id IS NULL"
    " AND NOT EXISTS (SELECT 1 FROM pallet_lots pl WHERE pl.pallet_id = pallets.id AND pl.is_deleted = FALSE)";

// Followed by "($2, $3, ...)", one placeholder per listed id.
constexpr std::string_view kLockLotsIn =
    "UPDATE lots SET updated_at = updated_at WHERE enterprise_id = $1 AND is_deleted = FALSE AND id IN ";
constexpr std::string_view kPalletizingIn =
    "UPDATE lots SET status = 'palletizing', updated_at = $2 WHERE enterprise_id = $1 AND is_deleted = FALSE"
    " AND status = 'created' AND id IN ";

constexpr std::string_view kFindLine =
    "SELECT pl.id, pl.pallet_id, pl.lot_id, pl.box_count, pl.size FROM pallet_lots pl"
    " WHERE pl.enterprise_id = $1 AND pl.pallet_id = $2 AND pl.id = $3 AND pl.is_deleted = FALSE";
constexpr std::string_view kDeallocate =
    "UPDATE pallet_lots SET is_deleted = TRUE, deallocated_at = $3 WHERE enterprise_id = $1 AND id = $2"
    " AND is_deleted = FALSE";
constexpr std::string_view kRelease =
    "UPDATE lots SET status = 'created', updated_at = $3 WHERE enterprise_id = $1 AND id = $2"
    " AND status = 'palletizing' AND NOT EXISTS"
    " (SELECT 1 FROM pallet_lots pl WHERE pl.lot_id = lots.id AND pl.is_deleted = FALSE)";

constexpr std::string_view kBoxSizeOptions =
    "SELECT id, name, size_code, fruit_count, weight_kg, cost_per_unit FROM box_sizes WHERE enterprise_id = $1"
    " ORDER BY name, id LIMIT 1000";
constexpr std::string_view kPalletTypes =
    "SELECT id, name, capacity_boxes, notes FROM pallet_types WHERE enterprise_id = $1 ORDER BY name, id LIMIT 1000";

// "($first, $first+1, ...)" for `count` placeholders.
std::string placeholders(std::size_t first, std::size_t count) {
  std::string out = "(";
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) out += ", ";
    out += "$" + std::to_string(first + i);
  }
  return out + ")";
}

domain::Pallet pallet_from(const Row& r) {
  domain::Pallet p;
  p.id = r.string(0);
  p.pallet_number = r.string(1);
  p.packhouse_id = r.string(2);
  p.pallet_type_name = r.optional_string(3);
  p.capacity_boxes = r.int64(4);
  p.current_boxes = r.int64(5);
  p.fruit_type = r.optional_string(6);
  p.variety = r.optional_string(7);
  p.grade = r.optional_string(8);
  p.size = r.optional_string(9);
  p.box_size_id = r.optional_string(10);
  p.box_size_name = r.optional_string(11);
  p.target_market = r.optional_string(12);
  p.net_weight_kg = r.optional_number(13);
  p.gross_weight_kg = r.optional_number(14);
  p.cold_store_room = r.optional_string(15);
  p.cold_store_position = r.optional_string(16);
  p.container_id = r.optional_string(17);
  p.qr_code_url = r.optional_string(18);
  p.status = r.string(19);
  p.notes = r.optional_string(20);
  p.palletized_by = r.optional_string(21);
  p.created_at = r.timestamp(22).value_or("");
  p.updated_at = r.timestamp(23).value_or("");
  p.container_number = r.optional_string(24);
  return p;
}

std::optional<domain::PalletLine> line_from(const Row& r, const std::string& pallet_id) {
  constexpr std::size_t c = kLineColumn;
  if (r.is_null(c)) return std::nullopt;
  return domain::PalletLine{.id = r.string(c),
                            .pallet_id = pallet_id,
                            .lot_id = r.string(c + 1),
                            .box_count = r.int64(c + 2),
                            .size = r.optional_string(c + 3),
                            .lot_code = r.optional_string(c + 4),
                            .grade = r.optional_string(c + 5),
                            .box_size_name = r.optional_string(c + 6),
                            .batch_code = r.optional_string(c + 7)};
}

// Groups the rows of kColumns (ordered so that each pallet's rows are adjacent) into
// pallets with their lines, in the rows' order.
std::vector<domain::Pallet> pallets_from(const Rows& rows) {
  std::vector<domain::Pallet> out;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Row r = rows[i];
    const std::string id = r.string(0);
    if (out.empty() || out.back().id != id) out.push_back(pallet_from(r));
    if (auto line = line_from(r, id)) out.back().lines.push_back(std::move(*line));
  }
  return out;
}

void append_insert_params(Params& params, const domain::TenantId& tenant, const domain::Pallet& p) {
  params.insert(params.end(),
                {p.id, tenant.value(), p.pallet_number, p.packhouse_id, nullable(p.pallet_type_name), p.capacity_boxes,
                 p.current_boxes, nullable(p.fruit_type), nullable(p.variety), nullable(p.grade), nullable(p.size),
                 nullable(p.box_size_id), nullable(p.box_size_name), nullable(p.target_market), nullable(p.notes),
                 p.status, nullable(p.palletized_by), p.created_at, p.updated_at});
}

// "LIKE" patterns match literally: the wildcards a client sends are escaped.
std::string like_pattern(const std::string& search) {
  std::string out = "%";
  for (char ch : search) {
    if (ch == '%' || ch == '_' || ch == '\\') out += '\\';
    out += (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch;
  }
  return out + "%";
}

// The WHERE conditions of a filtered list after the tenant's, built from fixed fragments;
// values are appended to `params` and bound.
std::string filter_clause(const domain::PalletFilter& f, Params& params) {
  std::string where;
  auto add = [&](std::string_view fragment, const std::string& value) {
    params.emplace_back(value);
    where += std::string(fragment) + std::to_string(params.size());
  };
  if (f.status) add(" AND p.status = $", *f.status);
  if (f.pallet_type) add(" AND p.pallet_type_name = $", *f.pallet_type);
  if (f.search) {
    params.emplace_back(like_pattern(*f.search));
    const std::string n = "$" + std::to_string(params.size());
    where += " AND (LOWER(p.pallet_number) LIKE " + n + " ESCAPE '\\' OR EXISTS (SELECT 1 FROM pallet_lots sl"
             " JOIN lots s ON s.enterprise_id = sl.enterprise_id AND s.id = sl.lot_id"
             " LEFT JOIN batches sb ON sb.enterprise_id = s.enterprise_id AND sb.id = s.batch_id"
             " WHERE sl.pallet_id = p.id AND sl.is_deleted = FALSE AND (LOWER(s.lot_code) LIKE " + n +
             " ESCAPE '\\' OR LOWER(sb.batch_code) LIKE " + n + " ESCAPE '\\')))";
  }
  return where;
}

// Runs an UPDATE ... WHERE ... IN (ids) whose other parameters are `head` ($1.. in order).
net::awaitable<Result<void>> update_in(Runner run, std::string_view sql_head, Params head,
                                       std::vector<std::string> ids) {
  if (ids.empty()) co_return Result<void>{};
  const std::string sql = std::string(sql_head) + placeholders(head.size() + 1, ids.size());
  for (auto& id : ids) head.emplace_back(std::move(id));
  co_return co_await run_statement(run, sql, std::move(head));
}

}  // namespace

net::awaitable<Result<void>> insert(Runner run, domain::TenantId tenant, std::vector<domain::Pallet> pallets) {
  std::string sql(kInsertHead);
  Params params;
  params.reserve(pallets.size() * kInsertParams);
  for (std::size_t i = 0; i < pallets.size(); ++i) {
    if (i > 0) sql += ", ";
    sql += placeholders(params.size() + 1, kInsertParams);
    sql.insert(sql.size() - 1, ", FALSE");
    append_insert_params(params, tenant, pallets[i]);
  }
  co_return co_await run_statement(run, sql, std::move(params));
}

net::awaitable<Result<void>> insert_lines(Runner run, domain::TenantId tenant, std::vector<domain::PalletLine> lines,
                                          std::string now) {
  std::string sql(kInsertLinesHead);
  Params params;
  params.reserve(lines.size() * kInsertLineParams);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) sql += ", ";
    sql += placeholders(params.size() + 1, kInsertLineParams);
    sql.insert(sql.size() - 1, ", FALSE");
    const auto& l = lines[i];
    params.insert(params.end(), {l.id, tenant.value(), l.pallet_id, l.lot_id, l.box_count, nullable(l.size), now});
  }
  co_return co_await run_statement(run, sql, std::move(params));
}

net::awaitable<Result<void>> update(Runner run, domain::TenantId tenant, domain::Pallet p) {
  Params params{tenant.value(),         p.id,
                nullable(p.pallet_type_name), p.capacity_boxes,
                p.current_boxes,        nullable(p.fruit_type),
                nullable(p.variety),    nullable(p.grade),
                nullable(p.size),       nullable(p.box_size_id),
                nullable(p.box_size_name), nullable(p.target_market),
                nullable(p.net_weight_kg), nullable(p.gross_weight_kg),
                nullable(p.cold_store_room), nullable(p.cold_store_position),
                p.status,               nullable(p.notes),
                p.updated_at};
  auto rows = co_await run.execute(kUpdate, std::move(params));
  if (!rows) co_return rows.error();
  if (rows->affected() != 1) co_return make_error(Errc::kNotFound, "pallet vanished during update");
  co_return Result<void>{};
}

net::awaitable<Result<bool>> lock(Runner run, domain::TenantId tenant, std::string id, std::string now) {
  Params params{tenant.value(), std::move(id), std::move(now)};
  auto rows = co_await run.execute(kLock, std::move(params));
  if (!rows) co_return rows.error();
  co_return rows->affected() == 1;
}

net::awaitable<Result<std::optional<domain::Pallet>>> find(Runner run, domain::TenantId tenant, std::string id) {
  const std::string sql = std::string(kColumns) + " FROM pallets p" + std::string(kJoins) +
                          " WHERE p.enterprise_id = $1 AND p.id = $2 AND p.is_deleted = FALSE ORDER BY " +
                          std::string(kLineOrder);
  Params params{tenant.value(), std::move(id)};
  auto rows = co_await run.execute(sql, std::move(params));
  if (!rows) co_return rows.error();
  auto found = pallets_from(*rows);
  if (found.empty()) co_return std::optional<domain::Pallet>();
  co_return std::optional<domain::Pallet>(std::move(found.front()));
}

net::awaitable<Result<std::vector<domain::Pallet>>> find_many(Runner run, domain::TenantId tenant,
                                                              std::vector<std::string> ids) {
  if (ids.empty()) co_return std::vector<domain::Pallet>{};
  // The statement differs only in the number of placeholders; every value is bound.
  const std::string sql = std::string(kColumns) + " FROM pallets p" + std::string(kJoins) +
                          " WHERE p.enterprise_id = $1 AND p.is_deleted = FALSE AND p.id IN " +
                          placeholders(2, ids.size()) + " ORDER BY p.pallet_number, " + std::string(kLineOrder);
  Params params{tenant.value()};
  for (auto& id : ids) params.emplace_back(std::move(id));
  auto rows = co_await run.execute(sql, std::move(params));
  if (!rows) co_return rows.error();
  co_return pallets_from(*rows);
}

net::awaitable<Result<domain::Page<domain::Pallet>>> list(Runner run, domain::TenantId tenant,
                                                          domain::PalletFilter filter, domain::PageRequest page) {
  Params params{tenant.value()};
  const std::string where = " WHERE p.enterprise_id = $1 AND p.is_deleted = FALSE" + filter_clause(filter, params);
  Params count_params = params;
  params.emplace_back(page.offset);
  // The inner query walks the index for the page's ids (and counts the filtered rows); the
  // outer one reads those pallets with their allocations. LIMIT is written into the text
  // (a validated 1..100), as the lot list does.
  const std::string sql = std::string(kColumns) + ", page.total FROM (SELECT p.id, COUNT(*) OVER () AS total" +
                          " FROM pallets p" + where + " ORDER BY p.created_at DESC, p.id DESC LIMIT " +
                          std::to_string(page.limit) + " OFFSET $" + std::to_string(params.size()) +
                          ") page JOIN pallets p ON p.id = page.id" + std::string(kJoins) +
                          " ORDER BY p.created_at DESC, p.id DESC, " + std::string(kLineOrder);
  auto rows = co_await run.execute(sql, std::move(params));
  if (!rows) co_return rows.error();
  domain::Page<domain::Pallet> out{pallets_from(*rows), 0, page.limit, page.offset};
  if (!rows->empty()) {
    out.total = rows->front().int64(kTotalColumn);
  } else if (page.offset > 0) {
    const std::string count_sql = "SELECT COUNT(*) FROM pallets p" + where;
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

net::awaitable<Result<void>> lock_lots(Runner run, domain::TenantId tenant, std::vector<std::string> lot_ids) {
  Params head{tenant.value()};
  co_return co_await update_in(run, kLockLotsIn, std::move(head), std::move(lot_ids));
}

net::awaitable<Result<void>> mark_lots_palletizing(Runner run, domain::TenantId tenant,
                                                   std::vector<std::string> lot_ids, std::string now) {
  Params head{tenant.value(), std::move(now)};
  co_return co_await update_in(run, kPalletizingIn, std::move(head), std::move(lot_ids));
}

net::awaitable<Result<std::optional<domain::PalletLine>>> find_line(Runner run, domain::TenantId tenant,
                                                                    std::string pallet_id, std::string line_id) {
  Params params{tenant.value(), std::move(pallet_id), std::move(line_id)};
  auto rows = co_await run.execute(kFindLine, std::move(params));
  if (!rows) co_return rows.error();
  if (rows->empty()) co_return std::optional<domain::PalletLine>();
  const Row r = rows->front();
  co_return std::optional<domain::PalletLine>(domain::PalletLine{.id = r.string(0),
                                                                 .pallet_id = r.string(1),
                                                                 .lot_id = r.string(2),
                                                                 .box_count = r.int64(3),
                                                                 .size = r.optional_string(4)});
}

net::awaitable<Result<bool>> deallocate_line(Runner run, domain::TenantId tenant, std::string line_id,
                                             std::string now) {
  Params params{tenant.value(), std::move(line_id), std::move(now)};
  auto rows = co_await run.execute(kDeallocate, std::move(params));
  if (!rows) co_return rows.error();
  co_return rows->affected() == 1;
}

net::awaitable<Result<void>> release_lot(Runner run, domain::TenantId tenant, std::string lot_id, std::string now) {
  Params params{tenant.value(), std::move(lot_id), std::move(now)};
  co_return co_await run_statement(run, kRelease, std::move(params));
}

net::awaitable<Result<std::vector<domain::BoxSizeOption>>> box_size_options(Runner run, domain::TenantId tenant) {
  Params params{tenant.value()};
  auto rows = co_await run.execute(kBoxSizeOptions, std::move(params));
  if (!rows) co_return rows.error();
  std::vector<domain::BoxSizeOption> out;
  out.reserve(rows->size());
  for (std::size_t i = 0; i < rows->size(); ++i) {
    const Row r = (*rows)[i];
    out.push_back(domain::BoxSizeOption{.id = r.string(0),
                                        .name = r.string(1),
                                        .size_code = r.optional_string(2),
                                        .fruit_count = r.optional_int64(3),
                                        .weight_kg = r.number(4),
                                        .cost_per_unit = r.optional_number(5)});
  }
  co_return out;
}

net::awaitable<Result<std::vector<domain::PalletType>>> pallet_types(Runner run, domain::TenantId tenant) {
  Params params{tenant.value()};
  auto rows = co_await run.execute(kPalletTypes, std::move(params));
  if (!rows) co_return rows.error();
  std::vector<domain::PalletType> out;
  out.reserve(rows->size());
  for (std::size_t i = 0; i < rows->size(); ++i) {
    const Row r = (*rows)[i];
    out.push_back(domain::PalletType{
        .id = r.string(0), .name = r.string(1), .capacity_boxes = r.int64(2), .notes = r.optional_string(3)});
  }
  co_return out;
}

}  // namespace fruitpak::db::pallets
