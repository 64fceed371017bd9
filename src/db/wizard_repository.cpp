#include "db/wizard_repository.hpp"

#include "util/crypto.hpp"

#include <boost/json/parse.hpp>

namespace fruitpak::db::wizard {
namespace {

constexpr std::string_view kStateColumns = "current_step, completed_steps, draft_data, completed_data, is_complete";
constexpr std::string_view kEnsureState =
    "INSERT INTO wizard_state (id, enterprise_id, current_step, completed_steps, draft_data, completed_data,"
    " is_complete, created_at, updated_at) VALUES ($1, $2, 1, '[]', NULL, '{}', FALSE, $3, $3)"
    " ON CONFLICT (enterprise_id) DO NOTHING";
const std::string kFindState = "SELECT " + std::string(kStateColumns) + " FROM wizard_state WHERE enterprise_id = $1";
// Updating the row takes its lock on PostgreSQL (SQLite write transactions are exclusive).
const std::string kLockState =
    "UPDATE wizard_state SET updated_at = $2 WHERE enterprise_id = $1 RETURNING " + std::string(kStateColumns);
constexpr std::string_view kStoreState =
    "UPDATE wizard_state SET current_step = $2, completed_steps = $3, draft_data = $4, completed_data = $5,"
    " is_complete = $6, updated_at = $7 WHERE enterprise_id = $1";
constexpr std::string_view kMarkOnboarded = "UPDATE enterprises SET is_onboarded = TRUE, updated_at = $2 WHERE id = $1";

// The company_profile columns in the order of domain::kCompanyProfileColumns (rows are read by
// position); with a prefix, "column = <prefix>column" for an upsert's SET list.
std::string company_columns(std::string_view prefix = {}) {
  std::string out;
  for (const auto& column : domain::kCompanyProfileColumns) {
    if (!out.empty()) out += ", ";
    out += std::string(column.name) + (prefix.empty() ? "" : " = " + std::string(prefix) + std::string(column.name));
  }
  return out;
}

std::string company_placeholders() {
  std::string out;
  for (std::size_t i = 0; i < domain::kCompanyProfileColumns.size(); ++i) {
    out += ", $" + std::to_string(i + 3);
  }
  return out;
}

const std::string kFindCompany = "SELECT " + company_columns() + " FROM company_profile WHERE enterprise_id = $1";

// $3.. for the columns, then one parameter for both created_at and updated_at.
std::string upsert_company_sql() {
  const std::string now = "$" + std::to_string(domain::kCompanyProfileColumns.size() + 3);
  return "INSERT INTO company_profile (id, enterprise_id, " + company_columns() +
         ", created_at, updated_at) VALUES ($1, $2" + company_placeholders() + ", " + now + ", " + now +
         ") ON CONFLICT (enterprise_id) DO UPDATE SET " + company_columns("excluded.") +
         ", updated_at = excluded.updated_at";
}

const std::string kUpsertCompany = upsert_company_sql();

constexpr std::string_view kListPackhouses =
    "SELECT id, name FROM packhouses WHERE enterprise_id = $1 ORDER BY created_at, id";
constexpr std::string_view kUpdatePackhouse =
    "UPDATE packhouses SET location = $3, capacity_tons_per_day = $4, cold_rooms = $5, updated_at = $6"
    " WHERE enterprise_id = $1 AND id = $2";
// Any batch counts, deleted ones too: they still hold the foreign key.
constexpr std::string_view kDeletePackhouse =
    "DELETE FROM packhouses WHERE enterprise_id = $1 AND id = $2"
    " AND NOT EXISTS (SELECT 1 FROM batches WHERE enterprise_id = $1 AND packhouse_id = $2)";
constexpr std::string_view kDeletePackLines = "DELETE FROM pack_lines WHERE enterprise_id = $1";
constexpr std::string_view kInsertPackLine =
    "INSERT INTO pack_lines (id, enterprise_id, packhouse_id, name, line_number, stations, custom_units, created_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

constexpr std::string_view kDeleteSuppliers = "DELETE FROM suppliers WHERE enterprise_id = $1";
constexpr std::string_view kInsertSupplier =
    "INSERT INTO suppliers (id, enterprise_id, name, tags, contact_person, phone, email, address, tax_number,"
    " is_active, notes, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, TRUE, $10, $11)";
constexpr std::string_view kSupplierExists = "SELECT COUNT(*) FROM suppliers WHERE enterprise_id = $1 AND id = $2";

// Growers: the columns db::growers reads, plus other_certifications.
constexpr std::string_view kListGrowers =
    "SELECT id, name FROM growers WHERE enterprise_id = $1 AND is_deleted = FALSE ORDER BY created_at, id";
constexpr std::string_view kInsertGrower =
    "INSERT INTO growers (id, enterprise_id, name, grower_code, contact_person, email, phone, region, total_hectares,"
    " estimated_volume_tons, globalg_ap_certified, globalg_ap_number, fields, other_certifications, notes,"
    " packhouse_id, is_active, is_deleted, created_at, updated_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, FALSE, $18, $18)";
constexpr std::string_view kUpdateGrower =
    "UPDATE growers SET name = $3, grower_code = $4, contact_person = $5, email = $6, phone = $7, region = $8,"
    " total_hectares = $9, estimated_volume_tons = $10, globalg_ap_certified = $11, globalg_ap_number = $12,"
    " fields = $13, other_certifications = $14, notes = $15, updated_at = $16"
    " WHERE enterprise_id = $1 AND id = $2 AND is_deleted = FALSE";
// A soft delete keeps the foreign keys valid, so only live batches keep a grower.
constexpr std::string_view kDeleteGrower =
    "UPDATE growers SET is_deleted = TRUE, updated_at = $3"
    " WHERE enterprise_id = $1 AND id = $2 AND is_deleted = FALSE"
    " AND NOT EXISTS (SELECT 1 FROM batches WHERE enterprise_id = $1 AND grower_id = $2 AND is_deleted = FALSE)";
constexpr std::string_view kGrowerExists =
    "SELECT COUNT(*) FROM growers WHERE enterprise_id = $1 AND id = $2 AND is_deleted = FALSE";

constexpr std::string_view kListHarvestTeams =
    "SELECT id, name FROM harvest_teams WHERE enterprise_id = $1 ORDER BY created_at, id";
constexpr std::string_view kInsertHarvestTeam =
    "INSERT INTO harvest_teams (id, enterprise_id, name, team_leader, team_size, grower_id, supplier_id,"
    " estimated_volume_kg, fruit_types, assigned_fields, notes, rate_per_kg, rate_currency, created_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";
constexpr std::string_view kUpdateHarvestTeam =
    "UPDATE harvest_teams SET team_leader = $3, team_size = $4, grower_id = $5, supplier_id = $6,"
    " estimated_volume_kg = $7, fruit_types = $8, assigned_fields = $9, notes = $10, rate_per_kg = $11,"
    " rate_currency = $12 WHERE enterprise_id = $1 AND id = $2";
constexpr std::string_view kDeleteHarvestTeam =
    "DELETE FROM harvest_teams WHERE enterprise_id = $1 AND id = $2"
    " AND NOT EXISTS (SELECT 1 FROM batches WHERE enterprise_id = $1 AND harvest_team_id = $2)";

constexpr std::string_view kDeleteProductConfigs = "DELETE FROM product_configs WHERE enterprise_id = $1";
constexpr std::string_view kInsertProductConfig =
    "INSERT INTO product_configs (id, enterprise_id, fruit_type, variety, grades, sizes, created_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7)";
constexpr std::string_view kDeletePackSpecs = "DELETE FROM pack_specs WHERE enterprise_id = $1";
constexpr std::string_view kInsertPackSpec =
    "INSERT INTO pack_specs (id, enterprise_id, name, pack_type, weight_kg, units_per_carton, cartons_per_layer,"
    " layers_per_pallet, target_market, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
constexpr std::string_view kDeleteTransportConfigs = "DELETE FROM transport_configs WHERE enterprise_id = $1";
constexpr std::string_view kInsertTransportConfig =
    "INSERT INTO transport_configs (id, enterprise_id, name, container_type, temp_setpoint_c, temp_min_c, temp_max_c,"
    " pallet_capacity, max_weight_kg, atmosphere_settings, created_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";

constexpr std::string_view kFindFinancialConfig =
    "SELECT currency, packing_rate_per_kg, cold_storage_rate_per_pallet_day, transport_rate_per_pallet,"
    " labour_rate_per_hour, grower_payment_terms_days, client_payment_terms_days, additional_rates"
    " FROM financial_config WHERE enterprise_id = $1";
constexpr std::string_view kUpsertFinancialConfig =
    "INSERT INTO financial_config (id, enterprise_id, currency, packing_rate_per_kg, cold_storage_rate_per_pallet_day,"
    " transport_rate_per_pallet, labour_rate_per_hour, grower_payment_terms_days, client_payment_terms_days,"
    " additional_rates, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)"
    " ON CONFLICT (enterprise_id) DO UPDATE SET currency = excluded.currency,"
    " packing_rate_per_kg = excluded.packing_rate_per_kg,"
    " cold_storage_rate_per_pallet_day = excluded.cold_storage_rate_per_pallet_day,"
    " transport_rate_per_pallet = excluded.transport_rate_per_pallet,"
    " labour_rate_per_hour = excluded.labour_rate_per_hour,"
    " grower_payment_terms_days = excluded.grower_payment_terms_days,"
    " client_payment_terms_days = excluded.client_payment_terms_days,"
    " additional_rates = excluded.additional_rates, updated_at = excluded.updated_at";

// The stored completed_steps list; a malformed one reads as empty.
std::vector<int> steps_from_json(std::string_view text) {
  std::vector<int> steps;
  boost::system::error_code ec;
  auto value = boost::json::parse(text, ec);
  if (ec || !value.is_array()) return steps;
  for (const auto& item : value.as_array()) {
    if (item.is_int64()) steps.push_back(static_cast<int>(item.as_int64()));
  }
  return steps;
}

std::string steps_to_json(const std::vector<int>& steps) {
  std::string out = "[";
  for (std::size_t i = 0; i < steps.size(); ++i) out += (i ? ", " : "") + std::to_string(steps[i]);
  return out + "]";
}

domain::WizardProgress state_from_row(const Row& r) {
  domain::WizardProgress p;
  p.current_step = static_cast<int>(r.int64(0));
  p.completed_steps = steps_from_json(r.string(1));
  p.draft_data = r.optional_string(2);
  p.completed_data = r.optional_string(3).value_or("{}");
  p.is_complete = r.boolean(4);
  return p;
}

std::vector<NamedRow> named_rows(const Rows& rows) {
  std::vector<NamedRow> out;
  out.reserve(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) out.push_back({rows[i].string(0), rows[i].string(1)});
  return out;
}

net::awaitable<Result<std::vector<NamedRow>>> list_named(Runner run, std::string_view sql, domain::TenantId tenant) {
  Params params{tenant.value()};
  auto rows = co_await run.execute(sql, std::move(params));
  if (!rows) co_return rows.error();
  co_return named_rows(*rows);
}

net::awaitable<Result<bool>> count_is_positive(Runner run, std::string_view sql, domain::TenantId tenant,
                                               std::string id) {
  Params params{tenant.value(), std::move(id)};
  auto rows = co_await run.execute(sql, std::move(params));
  if (!rows) co_return rows.error();
  co_return rows->front().int64(0) > 0;
}

net::awaitable<Result<bool>> affected_one(Runner run, std::string_view sql, Params params) {
  auto rows = co_await run.execute(sql, std::move(params));
  if (!rows) co_return rows.error();
  co_return rows->affected() == 1;
}

}  // namespace

net::awaitable<Result<domain::WizardProgress>> find_or_create_state(Runner run, domain::TenantId tenant,
                                                                    std::string now) {
  Params ensure{util::uuid4(), tenant.value(), std::move(now)};
  auto ensured = co_await run.execute(kEnsureState, std::move(ensure));
  if (!ensured) co_return ensured.error();
  Params params{tenant.value()};
  auto rows = co_await run.execute(kFindState, std::move(params));
  if (!rows) co_return rows.error();
  if (rows->empty()) co_return make_error(Errc::kInternal, "wizard_state row missing after insert");
  co_return state_from_row(rows->front());
}

net::awaitable<Result<domain::WizardProgress>> lock_state(Runner run, domain::TenantId tenant, std::string now) {
  Params ensure{util::uuid4(), tenant.value(), now};
  auto ensured = co_await run.execute(kEnsureState, std::move(ensure));
  if (!ensured) co_return ensured.error();
  Params params{tenant.value(), std::move(now)};
  auto rows = co_await run.execute(kLockState, std::move(params));
  if (!rows) co_return rows.error();
  if (rows->empty()) co_return make_error(Errc::kInternal, "wizard_state row missing after insert");
  co_return state_from_row(rows->front());
}

net::awaitable<Result<void>> store_state(Runner run, domain::TenantId tenant, domain::WizardProgress p,
                                         std::string now) {
  Params params{tenant.value(),
                std::int64_t{p.current_step},
                steps_to_json(p.completed_steps),
                nullable(p.draft_data),
                p.completed_data,
                p.is_complete,
                std::move(now)};
  co_return co_await run_statement(run, kStoreState, std::move(params));
}

net::awaitable<Result<void>> mark_onboarded(Runner run, domain::TenantId tenant, std::string now) {
  Params params{tenant.value(), std::move(now)};
  co_return co_await run_statement(run, kMarkOnboarded, std::move(params));
}

net::awaitable<Result<std::optional<domain::CompanyProfile>>> find_company_profile(Runner run,
                                                                                   domain::TenantId tenant) {
  Params params{tenant.value()};
  auto rows = co_await run.execute(kFindCompany, std::move(params));
  if (!rows) co_return rows.error();
  if (rows->empty()) co_return std::optional<domain::CompanyProfile>();
  domain::CompanyProfile profile;
  const Row row = rows->front();
  for (std::size_t i = 0; i < domain::kCompanyProfileColumns.size(); ++i) {
    profile[std::string(domain::kCompanyProfileColumns[i].name)] = row.optional_string(i);
  }
  co_return std::optional<domain::CompanyProfile>(std::move(profile));
}

net::awaitable<Result<void>> upsert_company_profile(Runner run, domain::TenantId tenant, domain::CompanyProfile profile,
                                                    std::string now) {
  Params params{util::uuid4(), tenant.value()};
  for (const auto& column : domain::kCompanyProfileColumns) {
    auto it = profile.find(column.name);
    params.push_back(it == profile.end() ? Param(nullptr) : nullable(it->second));
  }
  params.emplace_back(std::move(now));
  co_return co_await run_statement(run, kUpsertCompany, std::move(params));
}

net::awaitable<Result<std::vector<NamedRow>>> list_packhouses(Runner run, domain::TenantId tenant) {
  co_return co_await list_named(run, kListPackhouses, std::move(tenant));
}

net::awaitable<Result<void>> update_packhouse(Runner run, domain::TenantId tenant, domain::Packhouse p,
                                              std::string now) {
  Params params{tenant.value(), p.id, nullable(p.location), nullable(p.capacity_tons_per_day), nullable(p.cold_rooms), std::move(now)};
  co_return co_await run_statement(run, kUpdatePackhouse, std::move(params));
}

net::awaitable<Result<bool>> delete_packhouse_unless_batched(Runner run, domain::TenantId tenant, std::string id) {
  Params params{tenant.value(), std::move(id)};
  co_return co_await affected_one(run, kDeletePackhouse, std::move(params));
}

net::awaitable<Result<void>> delete_pack_lines(Runner run, domain::TenantId tenant) {
  Params params{tenant.value()};
  co_return co_await run_statement(run, kDeletePackLines, std::move(params));
}

net::awaitable<Result<void>> insert_pack_line(Runner run, domain::TenantId tenant, std::string packhouse_id,
                                              domain::PackLineSetup line, std::string now) {
  Params params{util::uuid4(),    tenant.value(),           std::move(packhouse_id),      std::move(line.name),
                line.line_number, std::move(line.stations), std::move(line.custom_units), std::move(now)};
  co_return co_await run_statement(run, kInsertPackLine, std::move(params));
}

net::awaitable<Result<void>> delete_suppliers(Runner run, domain::TenantId tenant) {
  Params params{tenant.value()};
  co_return co_await run_statement(run, kDeleteSuppliers, std::move(params));
}

net::awaitable<Result<void>> insert_supplier(Runner run, domain::TenantId tenant, domain::SupplierSetup s,
                                             std::string now) {
  Params params{util::uuid4(),         tenant.value(), s.name,        s.tags,
                nullable(s.contact_person), nullable(s.phone),   nullable(s.email),  nullable(s.address),
                nullable(s.tax_number),     nullable(s.notes),   std::move(now)};
  co_return co_await run_statement(run, kInsertSupplier, std::move(params));
}

net::awaitable<Result<bool>> supplier_exists(Runner run, domain::TenantId tenant, std::string id) {
  co_return co_await count_is_positive(run, kSupplierExists, std::move(tenant), std::move(id));
}

net::awaitable<Result<std::vector<NamedRow>>> list_growers(Runner run, domain::TenantId tenant) {
  co_return co_await list_named(run, kListGrowers, std::move(tenant));
}

net::awaitable<Result<void>> insert_grower(Runner run, domain::TenantId tenant, domain::GrowerSetup setup) {
  const domain::Grower& g = setup.grower;
  Params params{g.id,
                tenant.value(),
                g.name,
                nullable(g.grower_code),
                nullable(g.contact_person),
                nullable(g.email),
                nullable(g.phone),
                nullable(g.region),
                nullable(g.total_hectares),
                nullable(g.estimated_volume_tons),
                g.globalg_ap_certified,
                nullable(g.globalg_ap_number),
                nullable(g.fields_json),
                setup.other_certifications,
                nullable(g.notes),
                nullable(g.packhouse_id),
                g.is_active,
                g.created_at};
  co_return co_await run_statement(run, kInsertGrower, std::move(params));
}

net::awaitable<Result<void>> update_grower(Runner run, domain::TenantId tenant, domain::GrowerSetup setup,
                                           std::string now) {
  const domain::Grower& g = setup.grower;
  Params params{tenant.value(),
                g.id,
                g.name,
                nullable(g.grower_code),
                nullable(g.contact_person),
                nullable(g.email),
                nullable(g.phone),
                nullable(g.region),
                nullable(g.total_hectares),
                nullable(g.estimated_volume_tons),
                g.globalg_ap_certified,
                nullable(g.globalg_ap_number),
                nullable(g.fields_json),
                setup.other_certifications,
                nullable(g.notes),
                std::move(now)};
  auto updated = co_await affected_one(run, kUpdateGrower, std::move(params));
  if (!updated) co_return updated.error();
  if (!*updated) co_return make_error(Errc::kNotFound, "grower vanished during wizard update");
  co_return Result<void>{};
}

net::awaitable<Result<bool>> delete_grower_unless_batched(Runner run, domain::TenantId tenant, std::string id,
                                                          std::string now) {
  Params params{tenant.value(), std::move(id), std::move(now)};
  co_return co_await affected_one(run, kDeleteGrower, std::move(params));
}

net::awaitable<Result<bool>> grower_exists(Runner run, domain::TenantId tenant, std::string id) {
  co_return co_await count_is_positive(run, kGrowerExists, std::move(tenant), std::move(id));
}

net::awaitable<Result<std::vector<NamedRow>>> list_harvest_teams(Runner run, domain::TenantId tenant) {
  co_return co_await list_named(run, kListHarvestTeams, std::move(tenant));
}

net::awaitable<Result<void>> insert_harvest_team(Runner run, domain::TenantId tenant, domain::HarvestTeamSetup t,
                                                 std::string now) {
  Params params{t.id,
                tenant.value(),
                t.name,
                nullable(t.team_leader),
                nullable(t.team_size),
                nullable(t.grower_id),
                nullable(t.supplier_id),
                nullable(t.estimated_volume_kg),
                t.fruit_types,
                t.assigned_fields,
                nullable(t.notes),
                nullable(t.rate_per_kg),
                t.rate_currency,
                std::move(now)};
  co_return co_await run_statement(run, kInsertHarvestTeam, std::move(params));
}

net::awaitable<Result<void>> update_harvest_team(Runner run, domain::TenantId tenant, domain::HarvestTeamSetup t) {
  Params params{tenant.value(),
                t.id,
                nullable(t.team_leader),
                nullable(t.team_size),
                nullable(t.grower_id),
                nullable(t.supplier_id),
                nullable(t.estimated_volume_kg),
                t.fruit_types,
                t.assigned_fields,
                nullable(t.notes),
                nullable(t.rate_per_kg),
                t.rate_currency};
  co_return co_await run_statement(run, kUpdateHarvestTeam, std::move(params));
}

net::awaitable<Result<bool>> delete_harvest_team_unless_batched(Runner run, domain::TenantId tenant, std::string id) {
  Params params{tenant.value(), std::move(id)};
  co_return co_await affected_one(run, kDeleteHarvestTeam, std::move(params));
}

net::awaitable<Result<void>> delete_product_configs(Runner run, domain::TenantId tenant) {
  Params params{tenant.value()};
  co_return co_await run_statement(run, kDeleteProductConfigs, std::move(params));
}

net::awaitable<Result<void>> insert_product_config(Runner run, domain::TenantId tenant, domain::ProductConfigSetup p,
                                                   std::string now) {
  Params params{util::uuid4(), tenant.value(), p.fruit_type, nullable(p.variety), p.grades, p.sizes, std::move(now)};
  co_return co_await run_statement(run, kInsertProductConfig, std::move(params));
}

net::awaitable<Result<void>> delete_pack_specs(Runner run, domain::TenantId tenant) {
  Params params{tenant.value()};
  co_return co_await run_statement(run, kDeletePackSpecs, std::move(params));
}

net::awaitable<Result<void>> insert_pack_spec(Runner run, domain::TenantId tenant, domain::PackSpecSetup s,
                                              std::string now) {
  Params params{util::uuid4(),
                tenant.value(),
                s.name,
                nullable(s.pack_type),
                nullable(s.weight_kg),
                nullable(s.units_per_carton),
                nullable(s.cartons_per_layer),
                nullable(s.layers_per_pallet),
                nullable(s.target_market),
                std::move(now)};
  co_return co_await run_statement(run, kInsertPackSpec, std::move(params));
}

net::awaitable<Result<void>> delete_transport_configs(Runner run, domain::TenantId tenant) {
  Params params{tenant.value()};
  co_return co_await run_statement(run, kDeleteTransportConfigs, std::move(params));
}

net::awaitable<Result<void>> insert_transport_config(Runner run, domain::TenantId tenant,
                                                     domain::TransportConfigSetup c, std::string now) {
  Params params{util::uuid4(),
                tenant.value(),
                c.name,
                c.container_type,
                nullable(c.temp_setpoint_c),
                nullable(c.temp_min_c),
                nullable(c.temp_max_c),
                nullable(c.pallet_capacity),
                nullable(c.max_weight_kg),
                nullable(c.atmosphere_settings),
                std::move(now)};
  co_return co_await run_statement(run, kInsertTransportConfig, std::move(params));
}

net::awaitable<Result<std::optional<domain::FinancialConfig>>> find_financial_config(Runner run,
                                                                                     domain::TenantId tenant) {
  Params params{tenant.value()};
  auto rows = co_await run.execute(kFindFinancialConfig, std::move(params));
  if (!rows) co_return rows.error();
  if (rows->empty()) co_return std::optional<domain::FinancialConfig>();
  const Row r = rows->front();
  domain::FinancialConfig c;
  c.currency = r.optional_string(0);
  c.packing_rate_per_kg = r.optional_number(1);
  c.cold_storage_rate_per_pallet_day = r.optional_number(2);
  c.transport_rate_per_pallet = r.optional_number(3);
  c.labour_rate_per_hour = r.optional_number(4);
  c.grower_payment_terms_days = r.optional_int64(5);
  c.client_payment_terms_days = r.optional_int64(6);
  c.additional_rates = r.optional_string(7);
  co_return std::optional<domain::FinancialConfig>(std::move(c));
}

net::awaitable<Result<void>> upsert_financial_config(Runner run, domain::TenantId tenant, domain::FinancialConfig c,
                                                     std::string now) {
  Params params{util::uuid4(),
                tenant.value(),
                nullable(c.currency),
                nullable(c.packing_rate_per_kg),
                nullable(c.cold_storage_rate_per_pallet_day),
                nullable(c.transport_rate_per_pallet),
                nullable(c.labour_rate_per_hour),
                nullable(c.grower_payment_terms_days),
                nullable(c.client_payment_terms_days),
                nullable(c.additional_rates),
                std::move(now)};
  co_return co_await run_statement(run, kUpsertFinancialConfig, std::move(params));
}

}  // namespace fruitpak::db::wizard
