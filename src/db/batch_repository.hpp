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

// The batch with grower and packhouse names (one join), its history and its lots with
// their palletized boxes (one query each).
[[nodiscard]] net::awaitable<Result<std::optional<domain::BatchDetail>>> detail(Runner run, domain::TenantId tenant,
                                                                               std::string id);
[[nodiscard]] net::awaitable<Result<std::optional<domain::Batch>>> find(Runner run, domain::TenantId tenant,
                                                                       std::string id);

// The live batch, read after its row is locked for the rest of the transaction (an UPDATE
// of updated_at to `now`: a row lock on PostgreSQL; SQLite's writer lock already
// serialises). Writers that derive batch values from its lots (status, waste) call this
// first, so two of them on one batch run one after the other. Two statements.
[[nodiscard]] net::awaitable<Result<std::optional<domain::Batch>>> find_for_update(Runner run, domain::TenantId tenant,
                                                                                  std::string id, std::string now);

// Sets the status of the live batch to `to` if it is `from`; true if it was changed (the
// caller then moves the maintained counts with count_batch).
[[nodiscard]] net::awaitable<Result<bool>> change_status(Runner run, domain::TenantId tenant, std::string id,
                                                         std::string from, std::string to);

// Stores the batch's waste (contract 11.1 waste_kg, waste_reason).
[[nodiscard]] net::awaitable<Result<void>> set_waste(Runner run, domain::TenantId tenant, std::string id,
                                                     double waste_kg, std::string reason);

// Newest first, by offset or, when `after` is set, by keyset (offset ignored). Totals come from the
// maintained status counts when the filter allows (none or status only; see
// 0005_batch_status_counts.sql), otherwise from one indexed COUNT; a deep offset under such a
// filter is turned into a short one through the day counts (0004_batch_day_counts.sql,
// 0006_batch_day_totals.sql). The rows skipped by an offset are walked in the index only.
// Two queries per page (three at a deep offset) whatever its size.
[[nodiscard]] net::awaitable<Result<domain::BatchListing>> list(Runner run, domain::TenantId tenant,
                                                               domain::BatchFilter filter, domain::PageRequest page,
                                                               std::optional<domain::BatchKey> after);

// Adds `delta` to the maintained counts of live batches with the batch's status (per status,
// per status and creation day, per creation day). Call in the transaction that inserts, deletes or re-statuses the batch.
[[nodiscard]] net::awaitable<Result<void>> count_batch(Runner run, domain::TenantId tenant, std::string status,
                                                       std::string created_at, std::int64_t delta);

// Recomputes the tenant's maintained counts from its batches (after a bulk load).
[[nodiscard]] net::awaitable<Result<void>> rebuild_counts(Runner run, domain::TenantId tenant);

// Links a new batch to the grower's newest pending advance payment, if any (contract 2.6
// step 4): appends the id to batch_ids and adds the net weight to total_kg. Returns the
// payment's ref when linked.
[[nodiscard]] net::awaitable<Result<std::optional<std::string>>> link_pending_advance(
    Runner run, domain::TenantId tenant, std::string grower_id, std::string batch_id, std::optional<double> net_kg,
    std::string now);

// True if the harvest team exists in this tenant.
[[nodiscard]] net::awaitable<Result<bool>> harvest_team_exists(Runner run, domain::TenantId tenant, std::string id);

}  // namespace fruitpak::db::batches
