#include "db/reconciliation_journal.hpp"

namespace fruitpak::db::journal {
namespace {

// The key the triggers of migration 0010 take shared; the same text here.
constexpr std::string_view kLockKey = "hashtext('reconciliation-journal:' || $1)";

net::awaitable<Result<void>> lock(Runner run, std::string_view mode, const domain::TenantId& tenant) {
  Params key{tenant.value()};
  const std::string sql = "SELECT pg_advisory_xact_lock" + std::string(mode) + "(" + std::string(kLockKey) + ")";
  co_return co_await run_statement(run, sql, std::move(key));
}

}  // namespace

net::awaitable<Result<std::int64_t>> cut(Runner run, Engine engine, domain::TenantId tenant) {
  if (engine == Engine::kPostgres) {
    if (auto locked = co_await lock(run, "", tenant); !locked) co_return locked.error();
  }
  Params params{tenant.value()};
  auto rows = co_await run.execute("SELECT COALESCE(MAX(version), 0) FROM reconciliation_dirty WHERE enterprise_id = $1",
                                   std::move(params));
  if (!rows) co_return rows.error();
  co_return rows->front().int64(0);
}

net::awaitable<Result<std::set<domain::JournalEntity>>> entities(Runner run, domain::TenantId tenant) {
  Params params{tenant.value()};
  auto rows = co_await run.execute("SELECT kind, entity_id FROM reconciliation_dirty WHERE enterprise_id = $1",
                                   std::move(params));
  if (!rows) co_return rows.error();
  std::set<domain::JournalEntity> out;
  for (std::size_t i = 0; i < rows->size(); ++i) out.insert({(*rows)[i].string(0), (*rows)[i].string(1)});
  co_return out;
}

net::awaitable<Result<void>> clear(Runner run, domain::TenantId tenant, std::int64_t cut) {
  Params params{tenant.value(), cut};
  co_return co_await run_statement(run, "DELETE FROM reconciliation_dirty WHERE enterprise_id = $1 AND version <= $2",
                                   std::move(params));
}

net::awaitable<Result<void>> mark(Runner run, Engine engine, domain::TenantId tenant, domain::JournalEntity entity) {
  if (engine == Engine::kPostgres) {
    if (auto locked = co_await lock(run, "_shared", tenant); !locked) co_return locked.error();
  }
  Params params{tenant.value(), std::move(entity.kind), std::move(entity.id)};
  co_return co_await run_statement(run,
                                   "INSERT INTO reconciliation_dirty (enterprise_id, kind, entity_id) VALUES ($1, $2, $3)"
                                   " ON CONFLICT (enterprise_id, kind, entity_id) DO UPDATE SET version = excluded.version",
                                   std::move(params));
}

}  // namespace fruitpak::db::journal
