#pragma once
// The onboarding wizard's tables (contract 3.2, section 6): its progress row, the two
// one-row-per-tenant settings (company profile, financial config) and the setup lists it
// writes (packhouses with their pack lines, suppliers, growers, harvest teams, product
// configs, pack specs, transport configs). Every statement is scoped to the tenant; rows
// of another tenant are never read, changed or deleted.

#include "db/runner.hpp"
#include "domain/account.hpp"
#include "domain/packhouse.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// TODO(wizard): move these value types to domain/wizard.hpp (json/ and api/ use them too);
// they are here only because this change was limited to the wizard's own files.
namespace fruitpak::domain {

// The wizard_state row as WizardProgress shows it (contract 2.0).
struct WizardProgress {
  int current_step = 1;
  std::vector<int> completed_steps;  // in the order they were completed, each once
  bool is_complete = false;
  std::optional<std::string> draft_data;  // JSON object text: the last draft body
  std::string completed_data = "{}";      // JSON object text: {"<step>": completed body}
};

// A text column with its length limit in characters.
struct TextColumn {
  std::string_view name;
  std::size_t max_length;
};

// Limit for TEXT columns, which have none in SQL.
inline constexpr std::size_t kMaxTextLength = 10'000;

// The company profile's columns besides id and timestamps, as step 1 names them.
inline constexpr std::array<TextColumn, 17> kCompanyProfileColumns{{
    {"trading_name", 255},
    {"legal_name", 255},
    {"registration_number", 100},
    {"vat_number", 50},
    {"exporter_code", 50},
    {"fbo_code", 50},
    {"ppecb_code", 50},
    {"address_line_1", 255},
    {"address_line_2", 255},
    {"city", 100},
    {"province", 100},
    {"postal_code", 20},
    {"country", 100},
    {"contact_name", 255},
    {"contact_email", 255},
    {"contact_phone", 20},
    {"notes", kMaxTextLength},
}};

// Column name (from kCompanyProfileColumns) -> value; nullopt is NULL. trading_name is
// NOT NULL in the table.
using CompanyProfile = std::map<std::string, std::optional<std::string>, std::less<>>;

// JSON columns below hold JSON text ("[]" for an empty list).
struct PackLineSetup {
  std::string name;
  std::int64_t line_number = 0;
  std::string stations = "[]";      // list of objects
  std::string custom_units = "[]";  // list of strings
};

struct PackhouseSetup {
  std::string name;
  std::optional<std::string> location;
  std::optional<std::int64_t> capacity_tons_per_day;
  std::optional<std::int64_t> cold_rooms;
  std::vector<PackLineSetup> pack_lines;
};

struct SupplierSetup {
  std::string name;
  std::string tags = "[]";
  std::optional<std::string> contact_person;
  std::optional<std::string> phone;
  std::optional<std::string> email;
  std::optional<std::string> address;
  std::optional<std::string> tax_number;
  std::optional<std::string> notes;
};

// The grower columns the grower repository reads, plus other_certifications (a JSON list
// of strings that only the wizard writes).
struct GrowerSetup {
  Grower grower;
  std::string other_certifications = "[]";
};

struct HarvestTeamSetup {
  std::string id;
  std::string name;
  std::optional<std::string> team_leader;
  std::optional<std::int64_t> team_size;
  std::optional<std::string> grower_id;
  std::optional<std::string> supplier_id;
  std::optional<double> estimated_volume_kg;
  std::optional<double> rate_per_kg;
  std::string rate_currency = "ZAR";
  std::string fruit_types = "[]";
  std::string assigned_fields = "[]";
  std::optional<std::string> notes;
};

struct ProductConfigSetup {
  std::string fruit_type;
  std::optional<std::string> variety;
  std::string grades = "[]";
  std::string sizes = "[]";
};

struct PackSpecSetup {
  std::string name;
  std::optional<std::string> pack_type;
  std::optional<double> weight_kg;
  std::optional<std::int64_t> units_per_carton;
  std::optional<std::int64_t> cartons_per_layer;
  std::optional<std::int64_t> layers_per_pallet;
  std::optional<std::string> target_market;
};

struct TransportConfigSetup {
  std::string name;
  std::string container_type;
  std::optional<double> temp_setpoint_c;
  std::optional<double> temp_min_c;
  std::optional<double> temp_max_c;
  std::optional<std::int64_t> pallet_capacity;
  std::optional<double> max_weight_kg;
  std::optional<std::string> atmosphere_settings;  // JSON object
};

// The financial_config row. currency is NOT NULL in the table (nullopt cannot be stored).
struct FinancialConfig {
  std::optional<std::string> currency = std::string("ZAR");
  std::optional<double> packing_rate_per_kg;
  std::optional<double> cold_storage_rate_per_pallet_day;
  std::optional<double> transport_rate_per_pallet;
  std::optional<double> labour_rate_per_hour;
  std::optional<std::int64_t> grower_payment_terms_days;
  std::optional<std::int64_t> client_payment_terms_days;
  std::optional<std::string> additional_rates;  // JSON object
};

}  // namespace fruitpak::domain

// Rows written here get new ids unless the caller passes one (packhouses, growers, teams).
namespace fruitpak::db::wizard {

// A row's id and name: what the upserts by name match on.
struct NamedRow {
  std::string id;
  std::string name;
};

// Creates the tenant's state row unless it exists, then reads it.
[[nodiscard]] net::awaitable<Result<domain::WizardProgress>> find_or_create_state(Runner run, domain::TenantId tenant,
                                                                                  std::string now);
// As find_or_create_state, and inside a transaction also locks the row until it ends, so
// that concurrent saves of one tenant apply one after the other.
[[nodiscard]] net::awaitable<Result<domain::WizardProgress>> lock_state(Runner run, domain::TenantId tenant,
                                                                        std::string now);
[[nodiscard]] net::awaitable<Result<void>> store_state(Runner run, domain::TenantId tenant,
                                                       domain::WizardProgress progress, std::string now);
// Sets enterprises.is_onboarded of the tenant.
[[nodiscard]] net::awaitable<Result<void>> mark_onboarded(Runner run, domain::TenantId tenant, std::string now);

// Every column of kCompanyProfileColumns is a key of the result.
[[nodiscard]] net::awaitable<Result<std::optional<domain::CompanyProfile>>> find_company_profile(
    Runner run, domain::TenantId tenant);
// Writes every column of kCompanyProfileColumns (absent keys as NULL).
[[nodiscard]] net::awaitable<Result<void>> upsert_company_profile(Runner run, domain::TenantId tenant,
                                                                  domain::CompanyProfile profile, std::string now);

// The tenant's packhouses, oldest first.
[[nodiscard]] net::awaitable<Result<std::vector<NamedRow>>> list_packhouses(Runner run, domain::TenantId tenant);
// Writes location, capacity and cold rooms of `packhouse` (by id).
[[nodiscard]] net::awaitable<Result<void>> update_packhouse(Runner run, domain::TenantId tenant,
                                                            domain::Packhouse packhouse, std::string now);
// Deletes the packhouse unless a batch (even a deleted one) refers to it; true if deleted.
// Other references (lots, pallets, ...) fail as a foreign key violation.
[[nodiscard]] net::awaitable<Result<bool>> delete_packhouse_unless_batched(Runner run, domain::TenantId tenant,
                                                                           std::string id);
[[nodiscard]] net::awaitable<Result<void>> delete_pack_lines(Runner run, domain::TenantId tenant);
[[nodiscard]] net::awaitable<Result<void>> insert_pack_line(Runner run, domain::TenantId tenant,
                                                            std::string packhouse_id, domain::PackLineSetup line,
                                                            std::string now);

[[nodiscard]] net::awaitable<Result<void>> delete_suppliers(Runner run, domain::TenantId tenant);
[[nodiscard]] net::awaitable<Result<void>> insert_supplier(Runner run, domain::TenantId tenant,
                                                           domain::SupplierSetup supplier, std::string now);
// True if the supplier exists in this tenant (suppliers have no soft delete).
[[nodiscard]] net::awaitable<Result<bool>> supplier_exists(Runner run, domain::TenantId tenant, std::string id);

// The tenant's live (not soft-deleted) growers, oldest first.
[[nodiscard]] net::awaitable<Result<std::vector<NamedRow>>> list_growers(Runner run, domain::TenantId tenant);
// kConflict when the grower_code is taken in this tenant (deleted growers keep theirs).
[[nodiscard]] net::awaitable<Result<void>> insert_grower(Runner run, domain::TenantId tenant,
                                                         domain::GrowerSetup grower);
// Overwrites every wizard column of the live grower `grower.grower.id`. kConflict as insert.
[[nodiscard]] net::awaitable<Result<void>> update_grower(Runner run, domain::TenantId tenant,
                                                         domain::GrowerSetup grower, std::string now);
// Soft-deletes the grower unless a live batch refers to it; true if deleted.
[[nodiscard]] net::awaitable<Result<bool>> delete_grower_unless_batched(Runner run, domain::TenantId tenant,
                                                                        std::string id, std::string now);
[[nodiscard]] net::awaitable<Result<bool>> grower_exists(Runner run, domain::TenantId tenant, std::string id);

// The tenant's harvest teams, oldest first.
[[nodiscard]] net::awaitable<Result<std::vector<NamedRow>>> list_harvest_teams(Runner run, domain::TenantId tenant);
// `team.id` is the new row's id.
[[nodiscard]] net::awaitable<Result<void>> insert_harvest_team(Runner run, domain::TenantId tenant,
                                                               domain::HarvestTeamSetup team, std::string now);
// Overwrites every column but the name of the team `team.id`.
[[nodiscard]] net::awaitable<Result<void>> update_harvest_team(Runner run, domain::TenantId tenant,
                                                               domain::HarvestTeamSetup team);
// Deletes the team unless a batch (even a deleted one) refers to it; true if deleted. Other
// references (team payments, labour costs) fail as a foreign key violation.
[[nodiscard]] net::awaitable<Result<bool>> delete_harvest_team_unless_batched(Runner run, domain::TenantId tenant,
                                                                              std::string id);

[[nodiscard]] net::awaitable<Result<void>> delete_product_configs(Runner run, domain::TenantId tenant);
[[nodiscard]] net::awaitable<Result<void>> insert_product_config(Runner run, domain::TenantId tenant,
                                                                 domain::ProductConfigSetup product, std::string now);
[[nodiscard]] net::awaitable<Result<void>> delete_pack_specs(Runner run, domain::TenantId tenant);
[[nodiscard]] net::awaitable<Result<void>> insert_pack_spec(Runner run, domain::TenantId tenant,
                                                            domain::PackSpecSetup spec, std::string now);
[[nodiscard]] net::awaitable<Result<void>> delete_transport_configs(Runner run, domain::TenantId tenant);
[[nodiscard]] net::awaitable<Result<void>> insert_transport_config(Runner run, domain::TenantId tenant,
                                                                   domain::TransportConfigSetup config,
                                                                   std::string now);

[[nodiscard]] net::awaitable<Result<std::optional<domain::FinancialConfig>>> find_financial_config(
    Runner run, domain::TenantId tenant);
[[nodiscard]] net::awaitable<Result<void>> upsert_financial_config(Runner run, domain::TenantId tenant,
                                                                   domain::FinancialConfig config, std::string now);

}  // namespace fruitpak::db::wizard
