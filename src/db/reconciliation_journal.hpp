#pragma once
// The change journal of incremental reconciliation (reconciliation_dirty, migration 0009;
// issue 8 point 4). Triggers on every table a check reads mark the entities a change
// feeds; a run re-checks them and then removes the marks it covered.
//
// Exactness under concurrent writes (PostgreSQL): every mark gets a fresh version from a
// sequence, and a writer holds the tenant's journal lock shared until it commits. A run
// first takes a cut: it takes that lock exclusively, in a transaction of its own, which
// waits until every writer that drew a version has committed, and reads the newest version.
// Every change up to the cut is then visible to the run's checks, and the run deletes only
// marks at or below the cut; a mark drawn anew during the run (a higher version) stays for
// the next run. On SQLite the run's write transaction excludes writers, so the cut is read
// inside it (versions are all 0 there).

#include "db/runner.hpp"
#include "domain/account.hpp"
#include "domain/reconciliation.hpp"

#include <cstdint>
#include <set>

namespace fruitpak::db::journal {

// The newest version of the tenant's marks (0 when none). On PostgreSQL it must run in a
// transaction of its own before the run's transaction (it waits for in-flight writers).
[[nodiscard]] net::awaitable<Result<std::int64_t>> cut(Runner run, Engine engine, domain::TenantId tenant);

// The tenant's marked entities.
[[nodiscard]] net::awaitable<Result<std::set<domain::JournalEntity>>> entities(Runner run, domain::TenantId tenant);

// Removes the tenant's marks at or below the cut.
[[nodiscard]] net::awaitable<Result<void>> clear(Runner run, domain::TenantId tenant, std::int64_t cut);

// Marks an entity by hand, for changes no trigger sees (a person resolving or dismissing
// an alert: a full run would open it again, so an incremental one must look again too).
[[nodiscard]] net::awaitable<Result<void>> mark(Runner run, Engine engine, domain::TenantId tenant,
                                                domain::JournalEntity entity);

}  // namespace fruitpak::db::journal
