#include "services/labour_service.hpp"

#include "db/database.hpp"
#include "db/labour_repository.hpp"
#include "util/clock.hpp"
#include "util/crypto.hpp"

#include <tuple>

namespace fruitpak::services {
namespace {

constexpr std::string_view kNotFound = "Labour cost not found";

// "packhouse_id" -> "Packhouse not found".
std::string link_not_found(std::string_view field) {
  if (field == "supplier_id") return "Supplier not found";
  if (field == "packhouse_id") return "Packhouse not found";
  if (field == "pack_line_id") return "Pack line not found";
  return "Harvest team not found";
}

// Everything a client can change except the notes and the status.
auto booked_fields(const domain::LabourCost& c) {
  return std::tie(c.category, c.description, c.supplier_id, c.packhouse_id, c.pack_line_id, c.harvest_team_id,
                  c.currency, c.hours_worked, c.rate_per_hour, c.headcount, c.total_amount, c.extras_json,
                  c.work_date, c.period_start, c.period_end);
}

bool same_links(const domain::LabourCost& a, const domain::LabourCost& b) {
  return std::tie(a.supplier_id, a.packhouse_id, a.pack_line_id, a.harvest_team_id) ==
         std::tie(b.supplier_id, b.packhouse_id, b.pack_line_id, b.harvest_team_id);
}

// The refusals of update(), nothing written: see LabourService::update.
std::optional<Error> refusal(const domain::LabourCost& before, const domain::LabourCost& after) {
  if (domain::labour_status_rank(after.status) < domain::labour_status_rank(before.status)) {
    return client_error(Errc::kStateConflict,
                        "Cannot move a labour cost from '" + before.status + "' back to '" + after.status + "'");
  }
  if (before.status == "paid" && booked_fields(before) != booked_fields(after)) {
    return client_error(Errc::kStateConflict, "A paid labour cost cannot change; only its notes can");
  }
  if (after.period_start && after.period_end && *after.period_end < *after.period_start) {
    return client_error(Errc::kUnprocessable, "period_end must not be before period_start");
  }
  return std::nullopt;
}

}  // namespace

net::awaitable<Result<domain::LabourCost>> LabourService::create(domain::TenantId tenant, domain::LabourCost draft,
                                                                 std::string user_id, util::QueryCounter* counter) {
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<domain::LabourCost>> {
    db::Runner run(tx);
    auto missing = co_await db::labour::missing_link(run, tenant, draft);
    if (!missing) co_return missing.error();
    if (*missing) co_return client_error(Errc::kUnprocessable, link_not_found(**missing));
    domain::LabourCost cost = std::move(draft);
    cost.id = util::uuid4();
    cost.recorded_by = user_id;
    cost.created_at = util::iso_utc_now();
    cost.updated_at = cost.created_at;
    auto inserted = co_await db::labour::insert(run, tenant, cost);
    if (!inserted) co_return inserted.error();
    co_return cost;
  };
  co_return co_await db_.transaction(work, counter);
}

net::awaitable<Result<domain::LabourCost>> LabourService::get(domain::TenantId tenant, std::string id,
                                                              util::QueryCounter* counter) {
  auto found = co_await db::labour::find(db::Runner(db_, counter), std::move(tenant), std::move(id));
  if (!found) co_return found.error();
  if (!*found) co_return client_error(Errc::kNotFound, std::string(kNotFound));
  co_return std::move(**found);
}

net::awaitable<Result<domain::Page<domain::LabourCost>>> LabourService::list(domain::TenantId tenant,
                                                                             domain::LabourFilter filter,
                                                                             domain::PageRequest page,
                                                                             util::QueryCounter* counter) {
  co_return co_await db::labour::list(db::Runner(db_, counter), std::move(tenant), std::move(filter), page);
}

net::awaitable<Result<domain::LabourCost>> LabourService::update(domain::TenantId tenant, std::string id,
                                                                 LabourPatch patch, bool total_sent,
                                                                 util::QueryCounter* counter) {
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<domain::LabourCost>> {
    db::Runner run(tx);
    auto found = co_await db::labour::find(run, tenant, id);
    if (!found) co_return found.error();
    if (!*found) co_return client_error(Errc::kNotFound, std::string(kNotFound));
    const domain::LabourCost before = **found;
    domain::LabourCost after = before;
    patch(after);
    const auto old_basis = domain::labour_total_of(before.hours_worked, before.rate_per_hour, before.headcount);
    const auto new_basis = domain::labour_total_of(after.hours_worked, after.rate_per_hour, after.headcount);
    if (!total_sent && old_basis && *old_basis == before.total_amount && new_basis) after.total_amount = *new_basis;
    if (auto refused = refusal(before, after)) co_return *refused;
    if (!same_links(before, after)) {
      auto missing = co_await db::labour::missing_link(run, tenant, after);
      if (!missing) co_return missing.error();
      if (*missing) co_return client_error(Errc::kUnprocessable, link_not_found(**missing));
    }
    after.updated_at = util::iso_utc_now();
    auto updated = co_await db::labour::update(run, tenant, after);
    if (!updated) co_return updated.error();
    co_return after;
  };
  co_return co_await db_.transaction(work, counter);
}

net::awaitable<Result<void>> LabourService::remove(domain::TenantId tenant, std::string id,
                                                   util::QueryCounter* counter) {
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<int>> {
    db::Runner run(tx);
    auto found = co_await db::labour::find(run, tenant, id);
    if (!found) co_return found.error();
    if (!*found) co_return client_error(Errc::kNotFound, std::string(kNotFound));
    if ((*found)->status == "paid") co_return client_error(Errc::kStateConflict, "A paid labour cost cannot be deleted");
    auto deleted = co_await db::labour::soft_delete(run, tenant, id, util::iso_utc_now());
    if (!deleted) co_return deleted.error();
    co_return 1;
  };
  auto removed = co_await db_.transaction(work, counter);
  if (!removed) co_return removed.error();
  co_return Result<void>{};
}

}  // namespace fruitpak::services
