#include "db/container_repository.hpp"

#include <algorithm>

namespace fruitpak::db::containers {
namespace {

constexpr std::string_view kInsert =
    "INSERT INTO containers (id, enterprise_id, container_number, transport_config_id, container_type,"
    " capacity_pallets, packhouse_id, pallet_count, total_cartons, gross_weight_kg, client_id, customer_name,"
    " destination, shipping_container_number, export_date, transporter_id, shipping_agent_id, shipping_line_id,"
    " vessel_name, voyage_number, etd, eta, seal_number, sealed_at, sealed_by, temp_setpoint_c, temp_readings,"
    " status, dispatched_at, arrived_at, delivered_at, notes, counts_manual, created_at, updated_at, is_deleted)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22,"
    " $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34, $35, FALSE)";

constexpr std::string_view kSave =
    "UPDATE containers SET transport_config_id = $3, container_type = $4, capacity_pallets = $5, pallet_count = $6,"
    " total_cartons = $7, gross_weight_kg = $8, client_id = $9, customer_name = $10, destination = $11,"
    " shipping_container_number = $12, export_date = $13, transporter_id = $14, shipping_agent_id = $15,"
    " shipping_line_id = $16, vessel_name = $17, voyage_number = $18, etd = $19, eta = $20, seal_number = $21,"
    " sealed_at = $22, sealed_by = $23, temp_setpoint_c = $24, temp_readings = $25, status = $26,"
    " dispatched_at = $27, arrived_at = $28, delivered_at = $29, notes = $30, counts_manual = $31, updated_at = $32"
    " WHERE enterprise_id = $1 AND id = $2 AND is_deleted = FALSE";

constexpr std::string_view kLock =
    "UPDATE containers SET updated_at = $3 WHERE enterprise_id = $1 AND id = $2 AND is_deleted = FALSE";

// Column order read by container_from(): the container's columns, then the joined names.
constexpr std::string_view kColumns =
    "c.id, c.container_number, c.transport_config_id, c.container_type, c.capacity_pallets, c.packhouse_id,"
    " c.pallet_count, c.total_cartons, c.gross_weight_kg, c.client_id, c.customer_name, c.destination,"
    " c.shipping_container_number, c.export_date, c.transporter_id, c.shipping_agent_id, c.shipping_line_id,"
    " c.vessel_name, c.voyage_number, c.etd, c.eta, c.seal_number, c.sealed_at, c.sealed_by, c.temp_setpoint_c,"
    " c.temp_readings, c.export_id, c.status, c.dispatched_at, c.arrived_at, c.delivered_at, c.qr_code_url, c.notes,"
    " c.counts_manual, c.created_at, c.updated_at, t.name, sa.name, sl.name";
constexpr std::size_t kColumnCount = 39;
// The joins stay within the tenant.
constexpr std::string_view kNameJoins =
    " LEFT JOIN transporters t ON t.enterprise_id = c.enterprise_id AND t.id = c.transporter_id"
    " LEFT JOIN shipping_agents sa ON sa.enterprise_id = c.enterprise_id AND sa.id = c.shipping_agent_id"
    " LEFT JOIN shipping_lines sl ON sl.enterprise_id = c.enterprise_id AND sl.id = c.shipping_line_id";

// Pallets in loading order: positions are "1", "2", ... so shorter ones come first.
constexpr std::string_view kLoadingOrder = "LENGTH(p.position_in_container), p.position_in_container, p.pallet_number";

// A pallet's active allocations with their lots, batches and growers, all in the tenant.
constexpr std::string_view kLotJoins =
    " LEFT JOIN pallet_lots pl ON pl.enterprise_id = p.enterprise_id AND pl.pallet_id = p.id AND pl.is_deleted = FALSE"
    " LEFT JOIN lots l ON l.enterprise_id = p.enterprise_id AND l.id = pl.lot_id"
    " LEFT JOIN batches b ON b.enterprise_id = p.enterprise_id AND b.id = l.batch_id";

constexpr std::string_view kPalletColumns =
    "p.id, p.pallet_number, p.container_id, p.position_in_container, p.status, p.current_boxes, p.capacity_boxes";

// The same columns, unqualified, for RETURNING.
constexpr std::string_view kPalletReturning =
    "id, pallet_number, container_id, position_in_container, status, current_boxes, capacity_boxes";

// Followed by "($3, ...)", one placeholder per listed id, and the column list.
constexpr std::string_view kLockPallets =
    "UPDATE pallets SET updated_at = $2 WHERE enterprise_id = $1 AND is_deleted = FALSE AND id IN ";

constexpr std::string_view kCascade =
    "UPDATE pallets SET status = $4, updated_at = $5"
    " WHERE enterprise_id = $1 AND container_id = $2 AND status = $3 AND is_deleted = FALSE";

constexpr std::string_view kLivePallets =
    " FROM pallets p WHERE p.enterprise_id = containers.enterprise_id AND p.container_id = containers.id"
    " AND p.is_deleted = FALSE";

constexpr std::string_view kSoftDelete =
    "UPDATE containers SET is_deleted = TRUE, updated_at = $3 WHERE enterprise_id = $1 AND id = $2"
    " AND is_deleted = FALSE AND NOT EXISTS (SELECT 1 FROM pallets p WHERE p.enterprise_id = containers.enterprise_id"
    " AND p.container_id = containers.id AND p.is_deleted = FALSE)";

// "($first, $first+1, ...)" for `count` placeholders.
std::string placeholders(std::size_t first, std::size_t count) {
  std::string out = "(";
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) out += ", ";
    out += "$" + std::to_string(first + i);
  }
  return out + ")";
}

domain::Container container_from(const Row& r) {
  domain::Container c;
  c.id = r.string(0);
  c.container_number = r.string(1);
  c.transport_config_id = r.optional_string(2);
  c.container_type = r.string(3);
  c.capacity_pallets = r.int64(4);
  c.packhouse_id = r.optional_string(5);
  c.pallet_count = r.int64(6);
  c.total_cartons = r.int64(7);
  c.gross_weight_kg = r.optional_number(8);
  c.client_id = r.optional_string(9);
  c.customer_name = r.optional_string(10);
  c.destination = r.optional_string(11);
  c.shipping_container_number = r.optional_string(12);
  c.export_date = r.timestamp(13);
  c.transporter_id = r.optional_string(14);
  c.shipping_agent_id = r.optional_string(15);
  c.shipping_line_id = r.optional_string(16);
  c.vessel_name = r.optional_string(17);
  c.voyage_number = r.optional_string(18);
  c.etd = r.date(19);
  c.eta = r.date(20);
  c.seal_number = r.optional_string(21);
  c.sealed_at = r.timestamp(22);
  c.sealed_by = r.optional_string(23);
  c.temp_setpoint_c = r.optional_number(24);
  c.temp_readings_json = r.optional_string(25);
  c.export_id = r.optional_string(26);
  c.status = r.string(27);
  c.dispatched_at = r.timestamp(28);
  c.arrived_at = r.timestamp(29);
  c.delivered_at = r.timestamp(30);
  c.qr_code_url = r.optional_string(31);
  c.notes = r.optional_string(32);
  c.counts_manual = r.boolean(33);
  c.created_at = r.timestamp(34).value_or("");
  c.updated_at = r.timestamp(35).value_or("");
  c.transporter_name = r.optional_string(36);
  c.shipping_agent_name = r.optional_string(37);
  c.shipping_line_name = r.optional_string(38);
  return c;
}

domain::LoadablePallet pallet_from(const Row& r) {
  return domain::LoadablePallet{.id = r.string(0),
                                .pallet_number = r.string(1),
                                .container_id = r.optional_string(2),
                                .position_in_container = r.optional_string(3),
                                .status = r.string(4),
                                .current_boxes = r.int64(5),
                                .capacity_boxes = r.int64(6)};
}

void add_unique(std::vector<std::string>& list, const std::optional<std::string>& value) {
  if (!value) return;
  if (std::find(list.begin(), list.end(), *value) == list.end()) list.push_back(*value);
}

// A substring pattern for LIKE ... ESCAPE '\': lower-cased (ASCII, as LOWER() does on
// SQLite) with the wildcards of the text escaped.
std::string like_pattern(std::string_view text) {
  std::string out = "%";
  for (char ch : text) {
    if (ch == '%' || ch == '_' || ch == '\\') out += '\\';
    out += (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch;
  }
  return out + "%";
}

// The WHERE conditions of a filtered list after the tenant's, built from fixed fragments;
// values are appended to `params` and bound.
std::string filter_clause(const domain::ContainerFilter& f, Params& params) {
  std::string where;
  auto bind = [&](std::string value) {
    params.emplace_back(std::move(value));
    return "$" + std::to_string(params.size());
  };
  if (f.status) where += " AND c.status = " + bind(*f.status);
  if (f.client_id) where += " AND c.client_id = " + bind(*f.client_id);
  if (f.customer) where += " AND LOWER(c.customer_name) LIKE " + bind(like_pattern(*f.customer)) + " ESCAPE '\\'";
  if (f.search) {
    const std::string p = bind(like_pattern(*f.search));
    auto like = [&](std::string_view column) { return "LOWER(" + std::string(column) + ") LIKE " + p + " ESCAPE '\\'"; };
    where += " AND (" + like("c.container_number") + " OR " + like("c.customer_name") + " OR " +
             like("c.destination") + " OR " + like("c.shipping_container_number") +
             " OR EXISTS (SELECT 1 FROM pallets p" + std::string(kLotJoins) +
             " WHERE p.enterprise_id = c.enterprise_id AND p.container_id = c.id AND p.is_deleted = FALSE AND (" +
             like("p.pallet_number") + " OR " + like("l.lot_code") + " OR " + like("b.batch_code") + ")))";
  }
  return where;
}

// Appends one "WHEN $id THEN $value" per move (the id bound once per CASE).
std::string case_by_id(const std::vector<PalletMove>& moves, const std::vector<std::string>& id_params,
                       Params& params, bool position) {
  std::string out = "CASE id";
  for (std::size_t i = 0; i < moves.size(); ++i) {
    params.emplace_back(position ? nullable(moves[i].position) : Param(moves[i].status));
    out += " WHEN " + id_params[i] + " THEN $" + std::to_string(params.size());
  }
  return out + " END";
}

// Binds the pallet ids of `moves` and returns their placeholders.
std::vector<std::string> bind_ids(const std::vector<PalletMove>& moves, Params& params) {
  std::vector<std::string> out;
  for (const auto& m : moves) {
    params.emplace_back(m.pallet_id);
    out.push_back("$" + std::to_string(params.size()));
  }
  return out;
}

std::string in_list(const std::vector<std::string>& placeholders_) {
  std::string out = "(";
  for (std::size_t i = 0; i < placeholders_.size(); ++i) out += (i > 0 ? ", " : "") + placeholders_[i];
  return out + ")";
}

std::string_view reference_sql(Reference table) {
  switch (table) {
    case Reference::kClient: return "SELECT name FROM clients WHERE enterprise_id = $1 AND id = $2";
    case Reference::kTransporter: return "SELECT name FROM transporters WHERE enterprise_id = $1 AND id = $2";
    case Reference::kShippingAgent: return "SELECT name FROM shipping_agents WHERE enterprise_id = $1 AND id = $2";
    case Reference::kShippingLine: return "SELECT name FROM shipping_lines WHERE enterprise_id = $1 AND id = $2";
    case Reference::kTransportConfig: return "SELECT name FROM transport_configs WHERE enterprise_id = $1 AND id = $2";
  }
  return {};
}

}  // namespace

net::awaitable<Result<void>> insert(Runner run, domain::TenantId tenant, domain::Container c) {
  Params params{c.id,
                tenant.value(),
                c.container_number,
                nullable(c.transport_config_id),
                c.container_type,
                c.capacity_pallets,
                nullable(c.packhouse_id),
                c.pallet_count,
                c.total_cartons,
                nullable(c.gross_weight_kg),
                nullable(c.client_id),
                nullable(c.customer_name),
                nullable(c.destination),
                nullable(c.shipping_container_number),
                nullable(c.export_date),
                nullable(c.transporter_id),
                nullable(c.shipping_agent_id),
                nullable(c.shipping_line_id),
                nullable(c.vessel_name),
                nullable(c.voyage_number),
                nullable(c.etd),
                nullable(c.eta),
                nullable(c.seal_number),
                nullable(c.sealed_at),
                nullable(c.sealed_by),
                nullable(c.temp_setpoint_c),
                nullable(c.temp_readings_json),
                c.status,
                nullable(c.dispatched_at),
                nullable(c.arrived_at),
                nullable(c.delivered_at),
                nullable(c.notes),
                c.counts_manual,
                c.created_at,
                c.updated_at};
  co_return co_await run_statement(run, kInsert, std::move(params));
}

net::awaitable<Result<void>> save(Runner run, domain::TenantId tenant, domain::Container c) {
  Params params{tenant.value(),
                c.id,
                nullable(c.transport_config_id),
                c.container_type,
                c.capacity_pallets,
                c.pallet_count,
                c.total_cartons,
                nullable(c.gross_weight_kg),
                nullable(c.client_id),
                nullable(c.customer_name),
                nullable(c.destination),
                nullable(c.shipping_container_number),
                nullable(c.export_date),
                nullable(c.transporter_id),
                nullable(c.shipping_agent_id),
                nullable(c.shipping_line_id),
                nullable(c.vessel_name),
                nullable(c.voyage_number),
                nullable(c.etd),
                nullable(c.eta),
                nullable(c.seal_number),
                nullable(c.sealed_at),
                nullable(c.sealed_by),
                nullable(c.temp_setpoint_c),
                nullable(c.temp_readings_json),
                c.status,
                nullable(c.dispatched_at),
                nullable(c.arrived_at),
                nullable(c.delivered_at),
                nullable(c.notes),
                c.counts_manual,
                c.updated_at};
  auto rows = co_await run.execute(kSave, std::move(params));
  if (!rows) co_return rows.error();
  if (rows->affected() != 1) co_return make_error(Errc::kNotFound, "container vanished during update");
  co_return Result<void>{};
}

net::awaitable<Result<bool>> lock(Runner run, domain::TenantId tenant, std::string id, std::string now) {
  Params params{tenant.value(), std::move(id), std::move(now)};
  auto rows = co_await run.execute(kLock, std::move(params));
  if (!rows) co_return rows.error();
  co_return rows->affected() == 1;
}

net::awaitable<Result<std::optional<domain::Container>>> find(Runner run, domain::TenantId tenant, std::string id) {
  const std::string sql = "SELECT " + std::string(kColumns) + " FROM containers c" + std::string(kNameJoins) +
                          " WHERE c.enterprise_id = $1 AND c.id = $2 AND c.is_deleted = FALSE";
  Params params{tenant.value(), std::move(id)};
  auto rows = co_await run.execute(sql, std::move(params));
  if (!rows) co_return rows.error();
  if (rows->empty()) co_return std::optional<domain::Container>();
  co_return std::optional<domain::Container>(container_from(rows->front()));
}

net::awaitable<Result<domain::Page<domain::Container>>> list(Runner run, domain::TenantId tenant,
                                                             domain::ContainerFilter filter, domain::PageRequest page) {
  Params params{tenant.value()};
  const std::string where = " WHERE c.enterprise_id = $1 AND c.is_deleted = FALSE" + filter_clause(filter, params);
  Params count_params = params;
  params.emplace_back(page.offset);
  // As the lot list: the inner query walks the index for the page's ids and counts the
  // filtered rows; the outer one reads only those rows. LIMIT is a validated 1..100.
  const std::string sql = "SELECT " + std::string(kColumns) + ", page.total FROM (SELECT c.id, COUNT(*) OVER () AS total"
                          " FROM containers c" + where + " ORDER BY c.created_at DESC, c.id DESC LIMIT " +
                          std::to_string(page.limit) + " OFFSET $" + std::to_string(params.size()) +
                          ") page JOIN containers c ON c.id = page.id" + std::string(kNameJoins) +
                          " ORDER BY c.created_at DESC, c.id DESC";
  auto rows = co_await run.execute(sql, std::move(params));
  if (!rows) co_return rows.error();
  domain::Page<domain::Container> out{{}, 0, page.limit, page.offset};
  out.items.reserve(rows->size());
  for (std::size_t i = 0; i < rows->size(); ++i) out.items.push_back(container_from((*rows)[i]));
  if (!rows->empty()) {
    out.total = rows->front().int64(kColumnCount);
  } else if (page.offset > 0) {
    const std::string count_sql = "SELECT COUNT(*) FROM containers c" + where;
    auto counted = co_await run.execute(count_sql, std::move(count_params));
    if (!counted) co_return counted.error();
    out.total = counted->front().int64(0);
  }
  co_return out;
}

net::awaitable<Result<std::vector<domain::ContainerCodes>>> codes(Runner run, domain::TenantId tenant,
                                                                 std::vector<std::string> ids) {
  std::vector<domain::ContainerCodes> out;
  if (ids.empty()) co_return out;
  const std::string sql = "SELECT p.container_id, p.pallet_number, l.lot_code, b.batch_code FROM pallets p" +
                          std::string(kLotJoins) + " WHERE p.enterprise_id = $1 AND p.is_deleted = FALSE" +
                          " AND p.container_id IN " + placeholders(2, ids.size()) + " ORDER BY p.container_id, " +
                          std::string(kLoadingOrder) + ", pl.created_at, pl.id";
  Params params{tenant.value()};
  for (auto& id : ids) params.emplace_back(std::move(id));
  auto rows = co_await run.execute(sql, std::move(params));
  if (!rows) co_return rows.error();
  for (std::size_t i = 0; i < rows->size(); ++i) {
    const Row r = (*rows)[i];
    const std::string container_id = r.string(0);
    if (out.empty() || out.back().container_id != container_id) {
      out.push_back(domain::ContainerCodes{.container_id = container_id});
    }
    add_unique(out.back().pallet_numbers, r.optional_string(1));
    add_unique(out.back().lot_codes, r.optional_string(2));
    add_unique(out.back().batch_codes, r.optional_string(3));
  }
  co_return out;
}

net::awaitable<Result<Contents>> contents(Runner run, domain::TenantId tenant, std::string id) {
  const std::string sql =
      "SELECT p.id, p.pallet_number, p.current_boxes, p.fruit_type, p.grade, p.size, p.box_size_name, p.status,"
      " pl.id, pl.box_count, l.lot_code, l.grade, l.size, bs.name, b.batch_code, g.name, g.grower_code, b.fruit_type,"
      " b.intake_date FROM pallets p" +
      std::string(kLotJoins) +
      " LEFT JOIN box_sizes bs ON bs.enterprise_id = p.enterprise_id AND bs.id = l.box_size_id"
      " LEFT JOIN growers g ON g.enterprise_id = p.enterprise_id AND g.id = b.grower_id"
      " WHERE p.enterprise_id = $1 AND p.container_id = $2 AND p.is_deleted = FALSE ORDER BY " +
      std::string(kLoadingOrder) + ", pl.created_at, pl.id";
  Params params{tenant.value(), id};
  auto rows = co_await run.execute(sql, std::move(params));
  if (!rows) co_return rows.error();
  Contents out;
  out.codes.container_id = id;
  for (std::size_t i = 0; i < rows->size(); ++i) {
    const Row r = (*rows)[i];
    const std::string pallet_id = r.string(0);
    if (out.pallets.empty() || out.pallets.back().id != pallet_id) {
      out.pallets.push_back(domain::ContainerPallet{.id = pallet_id,
                                                    .pallet_number = r.string(1),
                                                    .current_boxes = r.int64(2),
                                                    .fruit_type = r.optional_string(3),
                                                    .grade = r.optional_string(4),
                                                    .size = r.optional_string(5),
                                                    .box_size_name = r.optional_string(6),
                                                    .status = r.string(7)});
      out.traceability.push_back(
          domain::PalletTrace{.pallet_number = r.string(1), .current_boxes = r.int64(2), .lots = {}, .batches = {}});
      add_unique(out.codes.pallet_numbers, r.optional_string(1));
    }
    if (r.is_null(8) || r.is_null(10)) continue;  // no allocation, or its lot is not the tenant's
    auto& trace = out.traceability.back();
    trace.lots.push_back(domain::TraceLot{.lot_code = r.string(10),
                                          .grade = r.optional_string(11),
                                          .size = r.optional_string(12),
                                          .box_count = r.int64(9),
                                          .box_size_name = r.optional_string(13)});
    add_unique(out.codes.lot_codes, r.optional_string(10));
    if (r.is_null(14)) continue;
    const std::string batch_code = r.string(14);
    add_unique(out.codes.batch_codes, batch_code);
    const bool seen = std::any_of(trace.batches.begin(), trace.batches.end(),
                                  [&](const domain::TraceBatch& b) { return b.batch_code == batch_code; });
    if (!seen) {
      trace.batches.push_back(domain::TraceBatch{.batch_code = batch_code,
                                                 .grower_name = r.optional_string(15),
                                                 .grower_code = r.optional_string(16),
                                                 .fruit_type = r.string(17),
                                                 .intake_date = r.date(18)});
    }
  }
  co_return out;
}

net::awaitable<Result<std::vector<domain::LoadablePallet>>> lock_pallets(Runner run, domain::TenantId tenant,
                                                                        std::vector<std::string> ids, std::string now) {
  std::vector<domain::LoadablePallet> out;
  if (ids.empty()) co_return out;
  const std::string sql = std::string(kLockPallets) + placeholders(3, ids.size()) + " RETURNING " + std::string(kPalletReturning);
  Params params{tenant.value(), std::move(now)};
  for (auto& id : ids) params.emplace_back(std::move(id));
  auto rows = co_await run.execute(sql, std::move(params));
  if (!rows) co_return rows.error();
  out.reserve(rows->size());
  for (std::size_t i = 0; i < rows->size(); ++i) out.push_back(pallet_from((*rows)[i]));
  co_return out;
}

net::awaitable<Result<std::vector<domain::LoadablePallet>>> pallets_in(Runner run, domain::TenantId tenant,
                                                                      std::string container_id) {
  const std::string sql = "SELECT " + std::string(kPalletColumns) +
                          " FROM pallets p WHERE p.enterprise_id = $1 AND p.container_id = $2 AND p.is_deleted = FALSE"
                          " ORDER BY " + std::string(kLoadingOrder);
  Params params{tenant.value(), std::move(container_id)};
  auto rows = co_await run.execute(sql, std::move(params));
  if (!rows) co_return rows.error();
  std::vector<domain::LoadablePallet> out;
  out.reserve(rows->size());
  for (std::size_t i = 0; i < rows->size(); ++i) out.push_back(pallet_from((*rows)[i]));
  co_return out;
}

net::awaitable<Result<std::int64_t>> load(Runner run, domain::TenantId tenant, std::string container_id,
                                         std::vector<PalletMove> moves, std::string now) {
  if (moves.empty()) co_return std::int64_t{0};
  Params params{tenant.value(), std::move(container_id), std::move(now)};
  const auto ids = bind_ids(moves, params);
  const std::string position = case_by_id(moves, ids, params, true);
  const std::string status = case_by_id(moves, ids, params, false);
  const std::string sql = "UPDATE pallets SET container_id = $2, loaded_at = $3, updated_at = $3,"
                          " position_in_container = " + position + ", status = " + status +
                          " WHERE enterprise_id = $1 AND is_deleted = FALSE AND container_id IS NULL AND id IN " +
                          in_list(ids);
  auto rows = co_await run.execute(sql, std::move(params));
  if (!rows) co_return rows.error();
  co_return rows->affected();
}

net::awaitable<Result<std::int64_t>> unload(Runner run, domain::TenantId tenant, std::string container_id,
                                           std::vector<PalletMove> moves, std::string now) {
  if (moves.empty()) co_return std::int64_t{0};
  Params params{tenant.value(), std::move(container_id), std::move(now)};
  const auto ids = bind_ids(moves, params);
  const std::string status = case_by_id(moves, ids, params, false);
  const std::string sql = "UPDATE pallets SET container_id = NULL, loaded_at = NULL, position_in_container = NULL,"
                          " updated_at = $3, status = " + status +
                          " WHERE enterprise_id = $1 AND container_id = $2 AND is_deleted = FALSE AND id IN " +
                          in_list(ids);
  auto rows = co_await run.execute(sql, std::move(params));
  if (!rows) co_return rows.error();
  co_return rows->affected();
}

net::awaitable<Result<void>> cascade_status(Runner run, domain::TenantId tenant, std::string container_id,
                                            std::string from, std::string to, std::string now) {
  Params params{tenant.value(), std::move(container_id), std::move(from), std::move(to), std::move(now)};
  co_return co_await run_statement(run, kCascade, std::move(params));
}

net::awaitable<Result<void>> retally(Runner run, domain::TenantId tenant, std::string id) {
  const std::string live(kLivePallets);
  const std::string sql =
      "UPDATE containers SET"
      " pallet_count = CASE WHEN counts_manual THEN pallet_count ELSE (SELECT COUNT(*)" + live + ") END,"
      " total_cartons = CASE WHEN counts_manual THEN total_cartons ELSE (SELECT COALESCE(SUM(p.current_boxes), 0)" +
      live + ") END,"
      " gross_weight_kg = (SELECT NULLIF(SUM(COALESCE(p.gross_weight_kg, p.net_weight_kg, 0)), 0)" + live + ")"
      " WHERE enterprise_id = $1 AND id = $2 AND is_deleted = FALSE";
  Params params{tenant.value(), std::move(id)};
  co_return co_await run_statement(run, sql, std::move(params));
}

net::awaitable<Result<bool>> soft_delete(Runner run, domain::TenantId tenant, std::string id, std::string now) {
  Params params{tenant.value(), std::move(id), std::move(now)};
  auto rows = co_await run.execute(kSoftDelete, std::move(params));
  if (!rows) co_return rows.error();
  co_return rows->affected() == 1;
}

net::awaitable<Result<std::optional<std::string>>> reference_name(Runner run, domain::TenantId tenant,
                                                                 Reference table, std::string id) {
  Params params{tenant.value(), std::move(id)};
  auto rows = co_await run.execute(reference_sql(table), std::move(params));
  if (!rows) co_return rows.error();
  if (rows->empty()) co_return std::optional<std::string>();
  co_return rows->front().optional_string(0);
}

}  // namespace fruitpak::db::containers
