#pragma once
// Batches, their history and maintained per-status counts, for one tenant.

#include "db/runner.hpp"
#include "domain/account.hpp"
#include "domain/batch.hpp"
#include "domain/page.hpp"

namespace fruitpak::db::batches {

[[nodiscard]] net::awaitable<Result<void>> insert(Runner run, domain::TenantId tenant, domain::Batch batch);
[[nodiscard]] net::awaitable<Result<void>> update(Runner run, domain::TenantId tenant, domain::Batch batch);
[[nodiscard]] net::awaitable<Result<void>> add_history(Runner run, domain::TenantId tenant,
                                                       domain::BatchHistoryEntry entry);

// The batch with grower and packhouse names (one join) and its history (one query).
[[nodiscard]] net::awaitable<Result<std::optional<domain::BatchDetail>>> detail(Runner run, domain::TenantId tenant,
                                                                               std::string id);
[[nodiscard]] net::awaitable<Result<std::optional<domain::Batch>>> find(Runner run, domain::TenantId tenant,
                                                                       std::string id);

// Newest first. The total comes from the maintained counts when the filter allows (none
// or status only), otherwise from one indexed COUNT: two queries per page at most.
[[nodiscard]] net::awaitable<Result<domain::Page<domain::BatchSummary>>> list(Runner run, domain::TenantId tenant,
                                                                             domain::BatchFilter filter,
                                                                             domain::PageRequest page);

// Adjusts the maintained count of live batches with `status` by `delta`.
[[nodiscard]] net::awaitable<Result<void>> count_status(Runner run, domain::TenantId tenant, std::string status,
                                                        std::int64_t delta);

// Links a new batch to the grower's newest pending advance payment, if any (contract 2.6
// step 4): appends the id to batch_ids and adds the net weight to total_kg. Returns the
// payment's ref when linked.
[[nodiscard]] net::awaitable<Result<std::optional<std::string>>> link_pending_advance(
    Runner run, domain::TenantId tenant, std::string grower_id, std::string batch_id, std::optional<double> net_kg,
    std::string now);

// True if the harvest team exists in this tenant.
[[nodiscard]] net::awaitable<Result<bool>> harvest_team_exists(Runner run, domain::TenantId tenant, std::string id);

}  // namespace fruitpak::db::batches
