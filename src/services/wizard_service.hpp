#pragma once
// The onboarding wizard (contract 2.9, section 6): progress, the eight step saves and the
// completion that onboards the tenant. Step data goes straight into the real tables. Each
// save is one transaction that first locks the tenant's wizard state, so a refused request
// writes nothing and concurrent saves of one tenant never lose a completed step.
// Safe for concurrent use.

#include "db/wizard_repository.hpp"
#include "domain/account.hpp"
#include "util/asio.hpp"
#include "util/query_counter.hpp"
#include "util/result.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace fruitpak::db {
class Database;
}

namespace fruitpak::services {

class EnterpriseDirectory;

inline constexpr int kWizardStepCount = 8;

// What a step save records in the wizard state, besides the step's own tables.
struct StepSave {
  bool complete = false;              // ?complete=true
  std::string body;                   // the JSON object as sent: draft_data or completed_data["n"]
  bool meets_completion_rule = true;  // whether the body satisfies what complete=true requires
};

// Step 6: each non-empty list replaces its table.
struct ProductSetup {
  std::vector<domain::ProductConfigSetup> products;
  std::vector<domain::PackSpecSetup> pack_specs;
};

// Step 8: only the keys named in `sent` change; the other values are ignored.
struct FinancialConfigPatch {
  domain::FinancialConfig values;
  std::vector<std::string> sent;
};

// Client messages of the 422 refusals that the api layer gives the contract's codes
// (section 1.4): FOREIGN_KEY_VIOLATION and INTEGRITY_ERROR.
inline constexpr std::string_view kReferencedRecordMissing = "Referenced record does not exist";
inline constexpr std::string_view kConstraintViolated = "Database constraint violation";

// Every refusal of a save or of complete() is kInvalidInput with a client message, answered
// as 422 (the wizard has no 400 refusals), except a taken grower_code (kConflict) and the
// completion refusal below. Errors of the database itself (unavailable, timeout) pass as they are.
//
// True for the refusal of a complete=true save whose body does not satisfy its step's
// completion rule; the api answers it with the validation errors it found in the body.
bool is_completion_refusal(const Error& error);

// The steps of 1..8 that `step` requires and `completed_steps` lacks, ascending.
std::vector<int> missing_prerequisites(int step, const std::vector<int>& completed_steps);

class WizardService {
 public:
  WizardService(db::Database& db, EnterpriseDirectory& enterprises) : db_(db), enterprises_(enterprises) {}

  // The tenant's progress; creates its state row on the first call.
  [[nodiscard]] net::awaitable<Result<domain::WizardProgress>> get(domain::TenantId tenant,
                                                                   util::QueryCounter* counter);

  // The step saves. Each checks the step's prerequisites first ("Complete these first:
  // Step 1 (Company basics), ..."), then for complete=true the completion rule, then
  // writes the step's tables and records the save.

  // Step 1: upserts the company profile with the sent columns. kConstraintViolated when
  // trading_name would be null.
  [[nodiscard]] net::awaitable<Result<domain::WizardProgress>> save_company(domain::TenantId tenant, StepSave save,
                                                                            domain::CompanyProfile sent,
                                                                            util::QueryCounter* counter);
  // Step 2: unless the list is empty, replaces all pack lines, upserts the packhouses by
  // name and deletes the unlisted ones that no batch refers to.
  [[nodiscard]] net::awaitable<Result<domain::WizardProgress>> save_packhouses(
      domain::TenantId tenant, StepSave save, std::vector<domain::PackhouseSetup> packhouses,
      util::QueryCounter* counter);
  // Step 3: unless the list is empty, replaces all suppliers.
  [[nodiscard]] net::awaitable<Result<domain::WizardProgress>> save_suppliers(
      domain::TenantId tenant, StepSave save, std::vector<domain::SupplierSetup> suppliers,
      util::QueryCounter* counter);
  // Step 4: unless the list is empty, upserts the growers by name (every column but the name
  // overwritten) and soft-deletes the unlisted ones without live batches. kConflict on a
  // taken grower_code.
  [[nodiscard]] net::awaitable<Result<domain::WizardProgress>> save_growers(domain::TenantId tenant, StepSave save,
                                                                            std::vector<domain::GrowerSetup> growers,
                                                                            util::QueryCounter* counter);
  // Step 5: unless the list is empty, upserts the teams by name and deletes the unlisted
  // ones that no batch refers to. kReferencedRecordMissing for a grower_id or supplier_id
  // that is not the tenant's.
  [[nodiscard]] net::awaitable<Result<domain::WizardProgress>> save_harvest_teams(
      domain::TenantId tenant, StepSave save, std::vector<domain::HarvestTeamSetup> teams, util::QueryCounter* counter);
  // Step 6: each non-empty list replaces its table.
  [[nodiscard]] net::awaitable<Result<domain::WizardProgress>> save_products(domain::TenantId tenant, StepSave save,
                                                                             ProductSetup setup,
                                                                             util::QueryCounter* counter);
  // Step 7: unless the list is empty, replaces all transport configs.
  [[nodiscard]] net::awaitable<Result<domain::WizardProgress>> save_transport(
      domain::TenantId tenant, StepSave save, std::vector<domain::TransportConfigSetup> configs,
      util::QueryCounter* counter);
  // Step 8: upserts the financial config with the sent keys (nothing when none was sent).
  // kConstraintViolated when currency would be null.
  [[nodiscard]] net::awaitable<Result<domain::WizardProgress>> save_financials(domain::TenantId tenant, StepSave save,
                                                                               FinancialConfigPatch patch,
                                                                               util::QueryCounter* counter);

  // Requires steps 1-7 completed ("Incomplete steps: Step 3: Suppliers, ..."); then marks
  // the wizard complete and the enterprise onboarded, in the database and in `enterprises`.
  [[nodiscard]] net::awaitable<Result<domain::WizardProgress>> complete(domain::TenantId tenant,
                                                                        util::QueryCounter* counter);

 private:
  db::Database& db_;
  EnterpriseDirectory& enterprises_;
};

}  // namespace fruitpak::services
