#include "db/export_repository.hpp"

#include <cctype>

namespace fruitpak::db::exports {
namespace {

// Column order of every export SELECT below; from_row() reads them by position.
constexpr std::string_view kColumns =
    "id, booking_ref, client_name, client_ref, target_market, destination_country, destination_port,"
    " shipping_line, vessel_name, voyage_number, port_of_loading, etd, eta, actual_departure, actual_arrival,"
    " container_count, total_pallets, total_cartons, total_weight_kg, ppecb_cert_number, phyto_cert_number,"
    " bill_of_lading, currency, total_value, incoterm, shipping_line_id, transporter_id, shipping_agent_id,"
    " shipping_schedule_id, status, notes, created_by, created_at, updated_at";
constexpr std::size_t kTotalColumn = 34;  // COUNT(*) OVER () after the columns

constexpr std::string_view kInsert =
    "INSERT INTO exports (id, enterprise_id, booking_ref, client_name, client_ref, target_market,"
    " destination_country, destination_port, shipping_line, vessel_name, voyage_number, port_of_loading, etd, eta,"
    " actual_departure, actual_arrival, container_count, total_pallets, total_cartons, total_weight_kg,"
    " ppecb_cert_number, phyto_cert_number, bill_of_lading, currency, total_value, incoterm, shipping_line_id,"
    " transporter_id, shipping_agent_id, shipping_schedule_id, status, notes, created_by, is_deleted, created_at,"
    " updated_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22,"
    " $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, FALSE, $34, $35)";
constexpr std::string_view kUpdate =
    "UPDATE exports SET booking_ref = $3, client_name = $4, client_ref = $5, target_market = $6,"
    " destination_country = $7, destination_port = $8, shipping_line = $9, vessel_name = $10, voyage_number = $11,"
    " port_of_loading = $12, etd = $13, eta = $14, actual_departure = $15, actual_arrival = $16,"
    " total_weight_kg = $17, ppecb_cert_number = $18, phyto_cert_number = $19, bill_of_lading = $20,"
    " currency = $21, total_value = $22, incoterm = $23, shipping_line_id = $24, transporter_id = $25,"
    " shipping_agent_id = $26, shipping_schedule_id = $27, status = $28, notes = $29, updated_at = $30"
    " WHERE enterprise_id = $1 AND id = $2 AND is_deleted = FALSE";
constexpr std::string_view kTouch =
    "UPDATE exports SET updated_at = $3 WHERE enterprise_id = $1 AND id = $2 AND is_deleted = FALSE";
constexpr std::string_view kSoftDelete =
    "UPDATE exports SET is_deleted = TRUE, updated_at = $3 WHERE enterprise_id = $1 AND id = $2 AND is_deleted = FALSE";
// An unset link is bound as NULL, which matches no row: its count is 0 and it is not asked about.
constexpr std::string_view kLinks =
    "SELECT (SELECT COUNT(*) FROM shipping_lines WHERE enterprise_id = $1 AND id = $2),"
    " (SELECT COUNT(*) FROM transporters WHERE enterprise_id = $1 AND id = $3),"
    " (SELECT COUNT(*) FROM shipping_agents WHERE enterprise_id = $1 AND id = $4),"
    " (SELECT COUNT(*) FROM shipping_schedules WHERE enterprise_id = $1 AND id = $5 AND is_deleted = FALSE)";

constexpr std::string_view kContainersOf =
    "SELECT id, container_number, status, pallet_count, total_cartons, gross_weight_kg FROM containers"
    " WHERE enterprise_id = $1 AND export_id = $2 AND is_deleted = FALSE ORDER BY container_number, id";
constexpr std::string_view kInvoicesOf =
    "SELECT id, invoice_number, status, currency, total_amount, balance_due FROM client_invoices"
    " WHERE enterprise_id = $1 AND export_id = $2 AND is_deleted = FALSE ORDER BY created_at, invoice_number";
constexpr std::string_view kInvoiceCounts =
    "SELECT COUNT(*), COALESCE(SUM(CASE WHEN status <> 'cancelled' THEN 1 ELSE 0 END), 0) FROM client_invoices"
    " WHERE enterprise_id = $1 AND export_id = $2 AND is_deleted = FALSE";

// Followed by "($n, ...)", one placeholder per listed container id.
constexpr std::string_view kLockContainersIn =
    "UPDATE containers SET updated_at = $2 WHERE enterprise_id = $1 AND is_deleted = FALSE AND id IN ";
constexpr std::string_view kPlacementsIn =
    "SELECT c.id, c.container_number, c.export_id, e.booking_ref FROM containers c"
    " LEFT JOIN exports e ON e.enterprise_id = c.enterprise_id AND e.id = c.export_id"
    " WHERE c.enterprise_id = $1 AND c.is_deleted = FALSE AND c.id IN ";
constexpr std::string_view kAttachIn =
    "UPDATE containers SET export_id = $2, updated_at = $3 WHERE enterprise_id = $1 AND is_deleted = FALSE"
    " AND (export_id IS NULL OR export_id = $2) AND id IN ";
constexpr std::string_view kDetach =
    "UPDATE containers SET export_id = NULL, updated_at = $4"
    " WHERE enterprise_id = $1 AND export_id = $2 AND id = $3 AND is_deleted = FALSE";
constexpr std::string_view kDetachAll =
    "UPDATE containers SET export_id = NULL, updated_at = $3 WHERE enterprise_id = $1 AND export_id = $2";
constexpr std::string_view kRecount =
    "UPDATE exports SET"
    " container_count = (SELECT COUNT(*) FROM containers c"
    "   WHERE c.enterprise_id = $1 AND c.export_id = $2 AND c.is_deleted = FALSE),"
    " total_pallets = (SELECT COALESCE(SUM(c.pallet_count), 0) FROM containers c"
    "   WHERE c.enterprise_id = $1 AND c.export_id = $2 AND c.is_deleted = FALSE),"
    " total_cartons = (SELECT COALESCE(SUM(c.total_cartons), 0) FROM containers c"
    "   WHERE c.enterprise_id = $1 AND c.export_id = $2 AND c.is_deleted = FALSE),"
    " updated_at = $3"
    " WHERE enterprise_id = $1 AND id = $2";

// "($first, $first+1, ...)" for `count` placeholders.
std::string placeholders(std::size_t first, std::size_t count) {
  std::string out = "(";
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) out += ", ";
    out += "$" + std::to_string(first + i);
  }
  return out + ")";
}

std::optional<double> money(const std::optional<std::int64_t>& cents) {
  if (!cents) return std::nullopt;
  return domain::from_cents(*cents);
}

domain::Export from_row(const Row& r) {
  domain::Export e;
  e.id = r.string(0);
  e.booking_ref = r.string(1);
  e.client_name = r.string(2);
  e.client_ref = r.optional_string(3);
  e.target_market = r.optional_string(4);
  e.destination_country = r.optional_string(5);
  e.destination_port = r.optional_string(6);
  e.shipping_line = r.optional_string(7);
  e.vessel_name = r.optional_string(8);
  e.voyage_number = r.optional_string(9);
  e.port_of_loading = r.optional_string(10);
  e.etd = r.date(11);
  e.eta = r.date(12);
  e.actual_departure = r.date(13);
  e.actual_arrival = r.date(14);
  e.container_count = r.int64(15);
  e.total_pallets = r.int64(16);
  e.total_cartons = r.int64(17);
  e.total_weight_kg = r.optional_number(18);
  e.ppecb_cert_number = r.optional_string(19);
  e.phyto_cert_number = r.optional_string(20);
  e.bill_of_lading = r.optional_string(21);
  e.currency = r.optional_string(22);
  if (auto value = r.optional_number(23)) e.total_value_cents = domain::to_cents(*value);
  e.incoterm = r.optional_string(24);
  e.shipping_line_id = r.optional_string(25);
  e.transporter_id = r.optional_string(26);
  e.shipping_agent_id = r.optional_string(27);
  e.shipping_schedule_id = r.optional_string(28);
  e.status = r.string(29);
  e.notes = r.optional_string(30);
  e.created_by = r.optional_string(31);
  e.created_at = r.timestamp(32).value_or("");
  e.updated_at = r.timestamp(33).value_or("");
  return e;
}

// "%text%" for LIKE with '!' as the escape character, lower-cased as the column is.
std::string contains_pattern(const std::string& text) {
  std::string out = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '!') out += '!';
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out + "%";
}

// The WHERE clause of a filtered list from fixed fragments; values are bound after $1.
std::string where_clause(const domain::ExportFilter& f, Params& params) {
  std::string where = " WHERE enterprise_id = $1 AND is_deleted = FALSE";
  auto add = [&](std::string_view fragment, const std::optional<std::string>& value, std::string_view tail = {}) {
    if (!value) return;
    params.emplace_back(*value);
    where += std::string(fragment) + std::to_string(params.size()) + std::string(tail);
  };
  add(" AND status = $", f.status);
  std::optional<std::string> pattern;
  if (f.client) pattern = contains_pattern(*f.client);
  add(" AND LOWER(client_name) LIKE $", pattern, " ESCAPE '!'");
  add(" AND etd >= $", f.etd_from);
  add(" AND etd <= $", f.etd_to);
  return where;
}

}  // namespace

net::awaitable<Result<void>> insert(Runner run, domain::TenantId tenant, domain::Export e) {
  Params params{e.id,
                tenant.value(),
                e.booking_ref,
                e.client_name,
                nullable(e.client_ref),
                nullable(e.target_market),
                nullable(e.destination_country),
                nullable(e.destination_port),
                nullable(e.shipping_line),
                nullable(e.vessel_name),
                nullable(e.voyage_number),
                nullable(e.port_of_loading),
                nullable(e.etd),
                nullable(e.eta),
                nullable(e.actual_departure),
                nullable(e.actual_arrival),
                e.container_count,
                e.total_pallets,
                e.total_cartons,
                nullable(e.total_weight_kg),
                nullable(e.ppecb_cert_number),
                nullable(e.phyto_cert_number),
                nullable(e.bill_of_lading),
                nullable(e.currency),
                nullable(money(e.total_value_cents)),
                nullable(e.incoterm),
                nullable(e.shipping_line_id),
                nullable(e.transporter_id),
                nullable(e.shipping_agent_id),
                nullable(e.shipping_schedule_id),
                e.status,
                nullable(e.notes),
                nullable(e.created_by),
                e.created_at,
                e.updated_at};
  co_return co_await run_statement(run, kInsert, std::move(params));
}

net::awaitable<Result<void>> update(Runner run, domain::TenantId tenant, domain::Export e) {
  Params params{tenant.value(),
                e.id,
                e.booking_ref,
                e.client_name,
                nullable(e.client_ref),
                nullable(e.target_market),
                nullable(e.destination_country),
                nullable(e.destination_port),
                nullable(e.shipping_line),
                nullable(e.vessel_name),
                nullable(e.voyage_number),
                nullable(e.port_of_loading),
                nullable(e.etd),
                nullable(e.eta),
                nullable(e.actual_departure),
                nullable(e.actual_arrival),
                nullable(e.total_weight_kg),
                nullable(e.ppecb_cert_number),
                nullable(e.phyto_cert_number),
                nullable(e.bill_of_lading),
                nullable(e.currency),
                nullable(money(e.total_value_cents)),
                nullable(e.incoterm),
                nullable(e.shipping_line_id),
                nullable(e.transporter_id),
                nullable(e.shipping_agent_id),
                nullable(e.shipping_schedule_id),
                e.status,
                nullable(e.notes),
                e.updated_at};
  auto rows = co_await run.execute(kUpdate, std::move(params));
  if (!rows) co_return rows.error();
  if (rows->affected() != 1) co_return make_error(Errc::kNotFound, "export vanished during update");
  co_return Result<void>{};
}

net::awaitable<Result<std::optional<domain::Export>>> find(Runner run, domain::TenantId tenant, std::string id) {
  const std::string sql =
      "SELECT " + std::string(kColumns) + " FROM exports WHERE enterprise_id = $1 AND id = $2 AND is_deleted = FALSE";
  Params params{tenant.value(), std::move(id)};
  auto rows = co_await run.execute(sql, std::move(params));
  if (!rows) co_return rows.error();
  if (rows->empty()) co_return std::optional<domain::Export>();
  co_return std::optional<domain::Export>(from_row(rows->front()));
}

net::awaitable<Result<std::optional<domain::Export>>> find_for_update(Runner run, domain::TenantId tenant,
                                                                      std::string id, std::string now) {
  Params params{tenant.value(), id, std::move(now)};
  auto touched = co_await run.execute(kTouch, std::move(params));
  if (!touched) co_return touched.error();
  if (touched->affected() == 0) co_return std::optional<domain::Export>();
  co_return co_await find(run, std::move(tenant), std::move(id));
}

net::awaitable<Result<std::optional<domain::ExportDetail>>> detail(Runner run, domain::TenantId tenant,
                                                                   std::string id) {
  auto found = co_await find(run, tenant, id);
  if (!found) co_return found.error();
  if (!*found) co_return std::optional<domain::ExportDetail>();
  domain::ExportDetail out;
  out.booking = std::move(**found);
  Params container_params{tenant.value(), id};
  auto containers = co_await run.execute(kContainersOf, std::move(container_params));
  if (!containers) co_return containers.error();
  for (std::size_t i = 0; i < containers->size(); ++i) {
    const Row r = (*containers)[i];
    out.containers.push_back(domain::ExportContainer{.id = r.string(0),
                                                     .container_number = r.string(1),
                                                     .status = r.string(2),
                                                     .pallet_count = r.int64(3),
                                                     .total_cartons = r.int64(4),
                                                     .gross_weight_kg = r.optional_number(5)});
  }
  Params invoice_params{tenant.value(), std::move(id)};
  auto invoices = co_await run.execute(kInvoicesOf, std::move(invoice_params));
  if (!invoices) co_return invoices.error();
  for (std::size_t i = 0; i < invoices->size(); ++i) {
    const Row r = (*invoices)[i];
    out.invoices.push_back(domain::ExportInvoice{.id = r.string(0),
                                                 .invoice_number = r.string(1),
                                                 .status = r.string(2),
                                                 .currency = r.string(3),
                                                 .total_amount = r.number(4),
                                                 .balance_due = r.number(5)});
  }
  co_return std::optional<domain::ExportDetail>(std::move(out));
}

net::awaitable<Result<domain::Page<domain::Export>>> list(Runner run, domain::TenantId tenant,
                                                          domain::ExportFilter filter, domain::PageRequest page) {
  Params params{tenant.value()};
  const std::string where = where_clause(filter, params);
  Params count_params = params;
  params.emplace_back(std::int64_t{page.limit});
  params.emplace_back(page.offset);
  const std::string sql = "SELECT " + std::string(kColumns) + ", COUNT(*) OVER () FROM exports" + where +
                          " ORDER BY created_at DESC, id DESC LIMIT $" + std::to_string(params.size() - 1) +
                          " OFFSET $" + std::to_string(params.size());
  auto rows = co_await run.execute(sql, std::move(params));
  if (!rows) co_return rows.error();
  domain::Page<domain::Export> out{{}, 0, page.limit, page.offset};
  out.items.reserve(rows->size());
  for (std::size_t i = 0; i < rows->size(); ++i) out.items.push_back(from_row((*rows)[i]));
  if (!rows->empty()) {
    out.total = rows->front().int64(kTotalColumn);
  } else if (page.offset > 0) {
    auto counted = co_await run.execute("SELECT COUNT(*) FROM exports" + where, std::move(count_params));
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

net::awaitable<Result<std::optional<std::string>>> missing_link(Runner run, domain::TenantId tenant,
                                                                const domain::Export& e) {
  const std::optional<std::string>* links[] = {&e.shipping_line_id, &e.transporter_id, &e.shipping_agent_id,
                                               &e.shipping_schedule_id};
  constexpr std::string_view kNames[] = {"shipping_line_id", "transporter_id", "shipping_agent_id",
                                         "shipping_schedule_id"};
  bool any = false;
  for (const auto* link : links) any = any || link->has_value();
  if (!any) co_return std::optional<std::string>();
  Params params{tenant.value(), nullable(e.shipping_line_id), nullable(e.transporter_id),
                nullable(e.shipping_agent_id), nullable(e.shipping_schedule_id)};
  auto rows = co_await run.execute(kLinks, std::move(params));
  if (!rows) co_return rows.error();
  for (std::size_t i = 0; i < 4; ++i) {
    if (links[i]->has_value() && rows->front().int64(i) == 0) co_return std::optional<std::string>(kNames[i]);
  }
  co_return std::optional<std::string>();
}

net::awaitable<Result<std::vector<domain::ContainerPlacement>>> lock_containers(Runner run, domain::TenantId tenant,
                                                                               std::vector<std::string> ids,
                                                                               std::string now) {
  std::vector<domain::ContainerPlacement> out;
  if (ids.empty()) co_return out;
  // The statements differ only in the number of placeholders; every value is bound.
  Params lock_params{tenant.value(), std::move(now)};
  for (const auto& id : ids) lock_params.emplace_back(id);
  const std::string lock_sql = std::string(kLockContainersIn) + placeholders(3, ids.size());
  if (auto locked = co_await run.execute(lock_sql, std::move(lock_params)); !locked) co_return locked.error();
  Params params{tenant.value()};
  for (auto& id : ids) params.emplace_back(std::move(id));
  const std::string sql = std::string(kPlacementsIn) + placeholders(2, params.size() - 1);
  auto rows = co_await run.execute(sql, std::move(params));
  if (!rows) co_return rows.error();
  out.reserve(rows->size());
  for (std::size_t i = 0; i < rows->size(); ++i) {
    const Row r = (*rows)[i];
    out.push_back(domain::ContainerPlacement{.id = r.string(0),
                                             .container_number = r.string(1),
                                             .export_id = r.optional_string(2),
                                             .booking_ref = r.optional_string(3)});
  }
  co_return out;
}

net::awaitable<Result<std::int64_t>> attach(Runner run, domain::TenantId tenant, std::string export_id,
                                            std::vector<std::string> container_ids, std::string now) {
  if (container_ids.empty()) co_return std::int64_t{0};
  const std::string sql = std::string(kAttachIn) + placeholders(4, container_ids.size());
  Params params{tenant.value(), std::move(export_id), std::move(now)};
  for (auto& id : container_ids) params.emplace_back(std::move(id));
  auto rows = co_await run.execute(sql, std::move(params));
  if (!rows) co_return rows.error();
  co_return rows->affected();
}

net::awaitable<Result<bool>> detach(Runner run, domain::TenantId tenant, std::string export_id,
                                    std::string container_id, std::string now) {
  Params params{tenant.value(), std::move(export_id), std::move(container_id), std::move(now)};
  auto rows = co_await run.execute(kDetach, std::move(params));
  if (!rows) co_return rows.error();
  co_return rows->affected() == 1;
}

net::awaitable<Result<void>> detach_all(Runner run, domain::TenantId tenant, std::string export_id, std::string now) {
  Params params{tenant.value(), std::move(export_id), std::move(now)};
  co_return co_await run_statement(run, kDetachAll, std::move(params));
}

net::awaitable<Result<void>> recount(Runner run, domain::TenantId tenant, std::string export_id, std::string now) {
  Params params{tenant.value(), std::move(export_id), std::move(now)};
  co_return co_await run_statement(run, kRecount, std::move(params));
}

net::awaitable<Result<InvoiceCounts>> invoice_counts(Runner run, domain::TenantId tenant, std::string export_id) {
  Params params{tenant.value(), std::move(export_id)};
  auto rows = co_await run.execute(kInvoiceCounts, std::move(params));
  if (!rows) co_return rows.error();
  if (rows->empty()) co_return InvoiceCounts{};
  co_return InvoiceCounts{.live = rows->front().int64(0), .not_cancelled = rows->front().int64(1)};
}

}  // namespace fruitpak::db::exports
