#include "services/wizard_service.hpp"

#include "db/database.hpp"
#include "db/packhouse_repository.hpp"
#include "db/runner.hpp"
#include "services/enterprise_directory.hpp"
#include "util/clock.hpp"
#include "util/crypto.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>

namespace fruitpak::services {
namespace {

using Progress = domain::WizardProgress;

// By step number (0 unused); part of the client-visible messages ("Step 1 (Company basics)").
constexpr std::array<std::string_view, kWizardStepCount + 1> kStepNames{
    "",          "Company basics", "Packhouse setup", "Suppliers", "Growers", "Harvest teams", "Product config",
    "Transport", "Financials"};

// Steps 1-7 must be completed before the wizard can be; step 8 is optional.
constexpr int kLastRequiredStep = 7;

// Marks the completion refusal (detail only; the api never shows it).
constexpr std::string_view kCompletionRefusalDetail = "wizard step does not meet its completion rule";

std::vector<int> prerequisites_of(int step) {
  switch (step) {
    case 2:
    case 3:
    case 4: return {1};
    case 5: return {4};
    case 6: return {2, 4};
    case 7:
    case 8: return {2};
    default: return {};
  }
}

bool contains(const std::vector<int>& steps, int step) {
  return std::find(steps.begin(), steps.end(), step) != steps.end();
}

std::string prerequisites_message(const std::vector<int>& missing) {
  std::string text = "Complete these first: ";
  for (std::size_t i = 0; i < missing.size(); ++i) {
    text += (i ? ", " : "") + ("Step " + std::to_string(missing[i]) + " (" + std::string(kStepNames[missing[i]]) + ")");
  }
  return text;
}

std::string incomplete_message(const std::vector<int>& missing) {
  std::string text = "Incomplete steps: ";
  for (std::size_t i = 0; i < missing.size(); ++i) {
    text += (i ? ", " : "") + ("Step " + std::to_string(missing[i]) + ": " + std::string(kStepNames[missing[i]]));
  }
  return text;
}

Error completion_refusal() { return Error{Errc::kInvalidInput, std::string(kCompletionRefusalDetail), {}, 0}; }

// A 422 refusal with a client message whose log detail keeps the cause.
Error refusal(std::string_view message, std::string detail) {
  return Error{Errc::kInvalidInput, std::move(detail), std::string(message), 0};
}

// A constraint the database refused, as the original reports it (section 1.4: by the driver
// text, "foreign key" -> FOREIGN_KEY_VIOLATION, otherwise INTEGRITY_ERROR). Unique
// violations stay kConflict (DUPLICATE_RECORD); other errors pass unchanged.
Error as_client_refusal(Error e) {
  if (e.code != Errc::kInvalidInput || !e.message.empty()) return e;
  std::string lower = e.detail;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  const bool is_foreign_key = lower.find("foreign key") != std::string::npos || lower.starts_with("23503");
  return refusal(is_foreign_key ? kReferencedRecordMissing : kConstraintViolated, std::move(e.detail));
}

// completed_data with data["<step>"] = body; a malformed stored document starts afresh.
std::string with_step_data(const std::string& completed_data, int step, const std::string& body) {
  boost::system::error_code ec;
  auto document = boost::json::parse(completed_data, ec);
  boost::json::object data;
  if (!ec && document.is_object()) data = std::move(document.as_object());
  auto value = boost::json::parse(body, ec);
  data[std::to_string(step)] = ec ? boost::json::value(boost::json::object()) : std::move(value);
  return boost::json::serialize(data);
}

// The state after a save of `step` (section 6): complete=true records the step once with
// its body and moves on (step 8 stays 8); a draft keeps the body and stays on the step.
Progress record_step(Progress p, int step, const StepSave& save) {
  if (save.complete) {
    if (!contains(p.completed_steps, step)) p.completed_steps.push_back(step);
    p.completed_data = with_step_data(p.completed_data, step, save.body);
    p.current_step = std::min(step + 1, kWizardStepCount);
    p.draft_data.reset();
  } else {
    p.current_step = step;
    p.draft_data = save.body;
  }
  return p;
}

// What one step save works on. The references live in the caller, which co_awaits at once.
struct StepContext {
  const domain::TenantId& tenant;
  int step;
  const StepSave& save;
  util::QueryCounter* counter;
};

// One step save in one transaction: lock the state, check prerequisites and the completion
// rule, write the step's tables with `apply(run, now)`, record the save.
template <class Apply>
net::awaitable<Result<Progress>> save_step(db::Database& db, StepContext ctx, Apply apply) {
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<Progress>> {
    db::Runner run(tx);
    const std::string now = util::iso_utc_now();
    auto state = co_await db::wizard::lock_state(run, ctx.tenant, now);
    if (!state) co_return state.error();
    if (auto missing = missing_prerequisites(ctx.step, state->completed_steps); !missing.empty()) {
      co_return client_error(Errc::kInvalidInput, prerequisites_message(missing));
    }
    if (ctx.save.complete && !ctx.save.meets_completion_rule) co_return completion_refusal();
    auto applied = co_await apply(run, now);
    if (!applied) co_return as_client_refusal(applied.error());
    Progress progress = record_step(std::move(*state), ctx.step, ctx.save);
    auto stored = co_await db::wizard::store_state(run, ctx.tenant, progress, now);
    if (!stored) co_return stored.error();
    co_return progress;
  };
  co_return co_await db.transaction(work, ctx.counter);
}

net::awaitable<Result<void>> apply_company(db::Runner run, const domain::TenantId& tenant,
                                           const domain::CompanyProfile& sent, std::string now) {
  auto found = co_await db::wizard::find_company_profile(run, tenant);
  if (!found) co_return found.error();
  domain::CompanyProfile profile = found->value_or(domain::CompanyProfile());
  for (const auto& [column, value] : sent) profile[column] = value;
  if (auto trading_name = profile.find("trading_name"); trading_name == profile.end() || !trading_name->second) {
    co_return refusal(kConstraintViolated, "company_profile.trading_name would be NULL");
  }
  co_return co_await db::wizard::upsert_company_profile(run, tenant, std::move(profile), std::move(now));
}

net::awaitable<Result<void>> apply_packhouses(db::Runner run, const domain::TenantId& tenant,
                                              const std::vector<domain::PackhouseSetup>& packhouses, std::string now) {
  if (packhouses.empty()) co_return Result<void>{};
  auto existing = co_await db::wizard::list_packhouses(run, tenant);
  if (!existing) co_return existing.error();
  auto cleared = co_await db::wizard::delete_pack_lines(run, tenant);
  if (!cleared) co_return cleared.error();
  std::map<std::string, std::string> id_by_name;  // the oldest packhouse of each name
  for (const auto& row : *existing) id_by_name.emplace(row.name, row.id);
  for (const auto& setup : packhouses) {
    domain::Packhouse packhouse{{}, setup.name, setup.location, setup.capacity_tons_per_day, setup.cold_rooms, now};
    if (auto it = id_by_name.find(setup.name); it != id_by_name.end()) {
      packhouse.id = it->second;
      auto updated = co_await db::wizard::update_packhouse(run, tenant, packhouse, now);
      if (!updated) co_return updated.error();
    } else {
      packhouse.id = util::uuid4();
      auto inserted = co_await db::packhouses::insert(run, tenant, packhouse);
      if (!inserted) co_return inserted.error();
      id_by_name.emplace(setup.name, packhouse.id);
    }
    for (const auto& line : setup.pack_lines) {
      auto added = co_await db::wizard::insert_pack_line(run, tenant, packhouse.id, line, now);
      if (!added) co_return added.error();
    }
  }
  std::set<std::string> listed;
  for (const auto& setup : packhouses) listed.insert(setup.name);
  for (const auto& row : *existing) {
    if (listed.contains(row.name)) continue;
    auto deleted = co_await db::wizard::delete_packhouse_unless_batched(run, tenant, row.id);
    if (!deleted) co_return deleted.error();
  }
  co_return Result<void>{};
}

net::awaitable<Result<void>> apply_suppliers(db::Runner run, const domain::TenantId& tenant,
                                             const std::vector<domain::SupplierSetup>& suppliers, std::string now) {
  if (suppliers.empty()) co_return Result<void>{};
  auto cleared = co_await db::wizard::delete_suppliers(run, tenant);
  if (!cleared) co_return cleared.error();
  for (const auto& supplier : suppliers) {
    auto inserted = co_await db::wizard::insert_supplier(run, tenant, supplier, now);
    if (!inserted) co_return inserted.error();
  }
  co_return Result<void>{};
}

net::awaitable<Result<void>> apply_growers(db::Runner run, const domain::TenantId& tenant,
                                           const std::vector<domain::GrowerSetup>& growers, std::string now) {
  if (growers.empty()) co_return Result<void>{};
  auto existing = co_await db::wizard::list_growers(run, tenant);
  if (!existing) co_return existing.error();
  std::map<std::string, std::string> id_by_name;  // the oldest live grower of each name
  for (const auto& row : *existing) id_by_name.emplace(row.name, row.id);
  for (domain::GrowerSetup setup : growers) {
    if (auto it = id_by_name.find(setup.grower.name); it != id_by_name.end()) {
      setup.grower.id = it->second;
      auto updated = co_await db::wizard::update_grower(run, tenant, setup, now);
      if (!updated) co_return updated.error();
      continue;
    }
    setup.grower.id = util::uuid4();
    setup.grower.created_at = now;
    setup.grower.is_active = true;
    auto inserted = co_await db::wizard::insert_grower(run, tenant, setup);
    if (!inserted) co_return inserted.error();
    id_by_name.emplace(setup.grower.name, setup.grower.id);
  }
  std::set<std::string> listed;
  for (const auto& setup : growers) listed.insert(setup.grower.name);
  for (const auto& row : *existing) {
    if (listed.contains(row.name)) continue;
    auto deleted = co_await db::wizard::delete_grower_unless_batched(run, tenant, row.id, now);
    if (!deleted) co_return deleted.error();
  }
  co_return Result<void>{};
}

// A team may only name the tenant's own live grower and supplier (the foreign keys alone
// would accept another tenant's ids).
net::awaitable<Result<void>> check_team_references(db::Runner run, const domain::TenantId& tenant,
                                                   const domain::HarvestTeamSetup& team) {
  if (team.grower_id) {
    auto found = co_await db::wizard::grower_exists(run, tenant, *team.grower_id);
    if (!found) co_return found.error();
    if (!*found) co_return refusal(kReferencedRecordMissing, "harvest team names unknown grower " + *team.grower_id);
  }
  if (team.supplier_id) {
    auto found = co_await db::wizard::supplier_exists(run, tenant, *team.supplier_id);
    if (!found) co_return found.error();
    if (!*found) {
      co_return refusal(kReferencedRecordMissing, "harvest team names unknown supplier " + *team.supplier_id);
    }
  }
  co_return Result<void>{};
}

net::awaitable<Result<void>> apply_harvest_teams(db::Runner run, const domain::TenantId& tenant,
                                                 const std::vector<domain::HarvestTeamSetup>& teams, std::string now) {
  if (teams.empty()) co_return Result<void>{};
  auto existing = co_await db::wizard::list_harvest_teams(run, tenant);
  if (!existing) co_return existing.error();
  std::map<std::string, std::string> id_by_name;
  for (const auto& row : *existing) id_by_name.emplace(row.name, row.id);
  for (domain::HarvestTeamSetup team : teams) {
    auto checked = co_await check_team_references(run, tenant, team);
    if (!checked) co_return checked.error();
    if (auto it = id_by_name.find(team.name); it != id_by_name.end()) {
      team.id = it->second;
      auto updated = co_await db::wizard::update_harvest_team(run, tenant, team);
      if (!updated) co_return updated.error();
      continue;
    }
    team.id = util::uuid4();
    auto inserted = co_await db::wizard::insert_harvest_team(run, tenant, team, now);
    if (!inserted) co_return inserted.error();
    id_by_name.emplace(team.name, team.id);
  }
  std::set<std::string> listed;
  for (const auto& team : teams) listed.insert(team.name);
  for (const auto& row : *existing) {
    if (listed.contains(row.name)) continue;
    auto deleted = co_await db::wizard::delete_harvest_team_unless_batched(run, tenant, row.id);
    if (!deleted) co_return deleted.error();
  }
  co_return Result<void>{};
}

net::awaitable<Result<void>> apply_products(db::Runner run, const domain::TenantId& tenant, const ProductSetup& setup,
                                            std::string now) {
  if (!setup.products.empty()) {
    auto cleared = co_await db::wizard::delete_product_configs(run, tenant);
    if (!cleared) co_return cleared.error();
    for (const auto& product : setup.products) {
      auto inserted = co_await db::wizard::insert_product_config(run, tenant, product, now);
      if (!inserted) co_return inserted.error();
    }
  }
  if (!setup.pack_specs.empty()) {
    auto cleared = co_await db::wizard::delete_pack_specs(run, tenant);
    if (!cleared) co_return cleared.error();
    for (const auto& spec : setup.pack_specs) {
      auto inserted = co_await db::wizard::insert_pack_spec(run, tenant, spec, now);
      if (!inserted) co_return inserted.error();
    }
  }
  co_return Result<void>{};
}

net::awaitable<Result<void>> apply_transport(db::Runner run, const domain::TenantId& tenant,
                                             const std::vector<domain::TransportConfigSetup>& configs,
                                             std::string now) {
  if (configs.empty()) co_return Result<void>{};
  auto cleared = co_await db::wizard::delete_transport_configs(run, tenant);
  if (!cleared) co_return cleared.error();
  for (const auto& config : configs) {
    auto inserted = co_await db::wizard::insert_transport_config(run, tenant, config, now);
    if (!inserted) co_return inserted.error();
  }
  co_return Result<void>{};
}

// Copies the value of `key` (a step 8 field name) from `from` to `to`.
void copy_financial_field(std::string_view key, const domain::FinancialConfig& from, domain::FinancialConfig& to) {
  if (key == "currency") to.currency = from.currency;
  if (key == "packing_rate_per_kg") to.packing_rate_per_kg = from.packing_rate_per_kg;
  if (key == "cold_storage_rate_per_pallet_day")
    to.cold_storage_rate_per_pallet_day = from.cold_storage_rate_per_pallet_day;
  if (key == "transport_rate_per_pallet") to.transport_rate_per_pallet = from.transport_rate_per_pallet;
  if (key == "labour_rate_per_hour") to.labour_rate_per_hour = from.labour_rate_per_hour;
  if (key == "grower_payment_terms_days") to.grower_payment_terms_days = from.grower_payment_terms_days;
  if (key == "client_payment_terms_days") to.client_payment_terms_days = from.client_payment_terms_days;
  if (key == "additional_rates") to.additional_rates = from.additional_rates;
}

net::awaitable<Result<void>> apply_financials(db::Runner run, const domain::TenantId& tenant,
                                              const FinancialConfigPatch& patch, std::string now) {
  if (patch.sent.empty()) co_return Result<void>{};
  auto found = co_await db::wizard::find_financial_config(run, tenant);
  if (!found) co_return found.error();
  domain::FinancialConfig config = found->value_or(domain::FinancialConfig());
  for (const auto& key : patch.sent) copy_financial_field(key, patch.values, config);
  if (!config.currency) co_return refusal(kConstraintViolated, "financial_config.currency would be NULL");
  co_return co_await db::wizard::upsert_financial_config(run, tenant, std::move(config), std::move(now));
}

}  // namespace

bool is_completion_refusal(const Error& error) {
  return error.code == Errc::kInvalidInput && error.message.empty() && error.detail == kCompletionRefusalDetail;
}

std::vector<int> missing_prerequisites(int step, const std::vector<int>& completed_steps) {
  std::vector<int> missing;
  for (int required : prerequisites_of(step)) {
    if (!contains(completed_steps, required)) missing.push_back(required);
  }
  return missing;
}

net::awaitable<Result<Progress>> WizardService::get(domain::TenantId tenant, util::QueryCounter* counter) {
  co_return co_await db::wizard::find_or_create_state(db::Runner(db_, counter), std::move(tenant), util::iso_utc_now());
}

net::awaitable<Result<Progress>> WizardService::save_company(domain::TenantId tenant, StepSave save,
                                                             domain::CompanyProfile sent, util::QueryCounter* counter) {
  auto apply = [&](db::Runner run, const std::string& now) { return apply_company(run, tenant, sent, now); };
  StepContext context{tenant, 1, save, counter};
  co_return co_await save_step(db_, context, apply);
}

net::awaitable<Result<Progress>> WizardService::save_packhouses(domain::TenantId tenant, StepSave save,
                                                                std::vector<domain::PackhouseSetup> packhouses,
                                                                util::QueryCounter* counter) {
  auto apply = [&](db::Runner run, const std::string& now) { return apply_packhouses(run, tenant, packhouses, now); };
  StepContext context{tenant, 2, save, counter};
  co_return co_await save_step(db_, context, apply);
}

net::awaitable<Result<Progress>> WizardService::save_suppliers(domain::TenantId tenant, StepSave save,
                                                               std::vector<domain::SupplierSetup> suppliers,
                                                               util::QueryCounter* counter) {
  auto apply = [&](db::Runner run, const std::string& now) { return apply_suppliers(run, tenant, suppliers, now); };
  StepContext context{tenant, 3, save, counter};
  co_return co_await save_step(db_, context, apply);
}

net::awaitable<Result<Progress>> WizardService::save_growers(domain::TenantId tenant, StepSave save,
                                                             std::vector<domain::GrowerSetup> growers,
                                                             util::QueryCounter* counter) {
  auto apply = [&](db::Runner run, const std::string& now) { return apply_growers(run, tenant, growers, now); };
  StepContext context{tenant, 4, save, counter};
  co_return co_await save_step(db_, context, apply);
}

net::awaitable<Result<Progress>> WizardService::save_harvest_teams(domain::TenantId tenant, StepSave save,
                                                                   std::vector<domain::HarvestTeamSetup> teams,
                                                                   util::QueryCounter* counter) {
  auto apply = [&](db::Runner run, const std::string& now) { return apply_harvest_teams(run, tenant, teams, now); };
  StepContext context{tenant, 5, save, counter};
  co_return co_await save_step(db_, context, apply);
}

net::awaitable<Result<Progress>> WizardService::save_products(domain::TenantId tenant, StepSave save,
                                                              ProductSetup setup, util::QueryCounter* counter) {
  auto apply = [&](db::Runner run, const std::string& now) { return apply_products(run, tenant, setup, now); };
  StepContext context{tenant, 6, save, counter};
  co_return co_await save_step(db_, context, apply);
}

net::awaitable<Result<Progress>> WizardService::save_transport(domain::TenantId tenant, StepSave save,
                                                               std::vector<domain::TransportConfigSetup> configs,
                                                               util::QueryCounter* counter) {
  auto apply = [&](db::Runner run, const std::string& now) { return apply_transport(run, tenant, configs, now); };
  StepContext context{tenant, 7, save, counter};
  co_return co_await save_step(db_, context, apply);
}

net::awaitable<Result<Progress>> WizardService::save_financials(domain::TenantId tenant, StepSave save,
                                                                FinancialConfigPatch patch,
                                                                util::QueryCounter* counter) {
  auto apply = [&](db::Runner run, const std::string& now) { return apply_financials(run, tenant, patch, now); };
  StepContext context{tenant, 8, save, counter};
  co_return co_await save_step(db_, context, apply);
}

net::awaitable<Result<Progress>> WizardService::complete(domain::TenantId tenant, util::QueryCounter* counter) {
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<Progress>> {
    db::Runner run(tx);
    const std::string now = util::iso_utc_now();
    auto state = co_await db::wizard::lock_state(run, tenant, now);
    if (!state) co_return state.error();
    std::vector<int> missing;
    for (int step = 1; step <= kLastRequiredStep; ++step) {
      if (!contains(state->completed_steps, step)) missing.push_back(step);
    }
    if (!missing.empty()) co_return client_error(Errc::kInvalidInput, incomplete_message(missing));
    Progress progress = std::move(*state);
    progress.is_complete = true;
    progress.draft_data.reset();
    auto stored = co_await db::wizard::store_state(run, tenant, progress, now);
    if (!stored) co_return stored.error();
    auto onboarded = co_await db::wizard::mark_onboarded(run, tenant, now);
    if (!onboarded) co_return onboarded.error();
    co_return progress;
  };
  auto completed = co_await db_.transaction(work, counter);
  // Only after the commit: the guard must not let requests through for a rolled-back change.
  if (completed) enterprises_.mark_onboarded(tenant);
  co_return completed;
}

}  // namespace fruitpak::services
