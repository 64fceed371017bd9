#include "db/alert_repository.hpp"

#include "util/crypto.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>

namespace fruitpak::db::alerts {
namespace {

// Column order of every SELECT of alerts; from_row() reads them by position.
constexpr std::string_view kColumns =
    "id, alert_type, severity, title, description, expected_value, actual_value, variance, variance_pct, unit,"
    " entity_refs, period_start, period_end, status, resolved_at, resolved_by, resolution_note, run_id,"
    " created_at, updated_at, entity_key";
constexpr std::size_t kTotalColumn = 21;  // COUNT(*) OVER () after the columns

constexpr std::string_view kLive =
    "SELECT id, alert_type, entity_key, severity, description FROM reconciliation_alerts"
    " WHERE enterprise_id = $1 AND is_deleted = FALSE AND status IN ('open', 'acknowledged')"
    " AND entity_key IS NOT NULL";

constexpr std::size_t kInsertColumns = 20;
constexpr std::string_view kInsertHead =
    "INSERT INTO reconciliation_alerts (id, enterprise_id, alert_type, severity, title, description,"
    " expected_value, actual_value, variance, variance_pct, unit, entity_refs, period_start, period_end,"
    " run_id, entity_key, grower_id, fruit_type, created_at, updated_at, status, is_deleted) VALUES ";
constexpr std::size_t kInsertChunk = 100;

constexpr std::string_view kRefresh =
    "UPDATE reconciliation_alerts SET severity = $3, title = $4, description = $5, expected_value = $6,"
    " actual_value = $7, variance = $8, variance_pct = $9, entity_refs = $10, period_start = $11,"
    " period_end = $12, run_id = $13, updated_at = $14"
    " WHERE enterprise_id = $1 AND id = $2 AND is_deleted = FALSE";

constexpr std::string_view kAutoResolveNote = "Auto-resolved: mismatch no longer detected";

constexpr std::string_view kRecordRun =
    "INSERT INTO reconciliation_runs (id, enterprise_id, kind, trigger_source, started_at, finished_at,"
    " alerts_opened, alerts_updated, alerts_resolved, created_by, scheduled_for, settings)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";

// $5: the status closes the alert (resolved, dismissed). A null note keeps the old one.
constexpr std::string_view kReview =
    "UPDATE reconciliation_alerts SET status = $3, resolution_note = COALESCE($4, resolution_note),"
    " resolved_at = CASE WHEN $5 THEN $6 ELSE resolved_at END,"
    " resolved_by = CASE WHEN $5 THEN $7 ELSE resolved_by END, updated_at = $6"
    " WHERE enterprise_id = $1 AND id = $2 AND is_deleted = FALSE";

// Dashboard statement 1: counts by status, type and severity, with the resolutions since $2.
constexpr std::string_view kDashboardCounts =
    "SELECT status, alert_type, severity, COUNT(*),"
    " SUM(CASE WHEN status = 'resolved' AND resolved_at >= $2 THEN 1 ELSE 0 END)"
    " FROM reconciliation_alerts WHERE enterprise_id = $1 AND is_deleted = FALSE"
    " GROUP BY status, alert_type, severity";
constexpr std::string_view kLatestRun =
    "SELECT id, finished_at FROM reconciliation_runs WHERE enterprise_id = $1"
    " ORDER BY started_at DESC, id DESC LIMIT 1";
// The contract sorted severities as text (critical, high, low, medium); we rank them.
constexpr std::string_view kSeverityRank =
    "CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END";

domain::Alert from_row(const Row& r) {
  domain::Alert a;
  a.id = r.string(0);
  a.alert_type = r.string(1);
  a.severity = r.string(2);
  a.title = r.string(3);
  a.description = r.string(4);
  a.expected_value = r.optional_number(5);
  a.actual_value = r.optional_number(6);
  a.variance = r.optional_number(7);
  a.variance_pct = r.optional_number(8);
  a.unit = r.optional_string(9);
  a.entity_refs_json = r.optional_string(10);
  a.period_start = r.timestamp(11);
  a.period_end = r.timestamp(12);
  a.status = r.string(13);
  a.resolved_at = r.timestamp(14);
  a.resolved_by = r.optional_string(15);
  a.resolution_note = r.optional_string(16);
  a.run_id = r.optional_string(17);
  a.created_at = r.timestamp(18).value_or("");
  a.updated_at = r.timestamp(19).value_or("");
  a.entity_key = r.optional_string(20);
  return a;
}

std::string refs_json(const domain::Finding& f) {
  boost::json::object o;
  for (const auto& [key, value] : f.entity_refs) o[key] = value;
  return boost::json::serialize(o);
}

// A day's first and last instant, for the D8 date filters.
Param day_start(const std::optional<std::string>& day) {
  if (!day) return nullptr;
  return *day + "T00:00:00.000000";
}
Param day_end(const std::optional<std::string>& day) {
  if (!day) return nullptr;
  return *day + "T23:59:59.999999";
}

// The figures a finding stores: expected, actual, variance and variance % in its unit.
void add_figures(Params& p, const domain::Finding& f) {
  p.emplace_back(domain::unit_value(f.expected, f.unit));
  p.emplace_back(domain::unit_value(f.actual, f.unit));
  p.emplace_back(domain::unit_value(f.actual - f.expected, f.unit));
  p.emplace_back(static_cast<double>(f.variance_bp) / 100.0);
}

std::string placeholders(std::size_t first, std::size_t count) {
  std::string out = "(";
  for (std::size_t i = 0; i < count; ++i) {
    if (i) out += ", ";
    out += "$" + std::to_string(first + i);
  }
  return out + ")";
}

std::string where_clause(const domain::AlertFilter& f, Params& params) {
  std::string where = " WHERE enterprise_id = $1 AND is_deleted = FALSE";
  auto add = [&](std::string_view fragment, Param value) {
    params.push_back(std::move(value));
    where += std::string(fragment) + std::to_string(params.size());
  };
  if (f.alert_type) add(" AND alert_type = $", *f.alert_type);
  if (f.severity) add(" AND severity = $", *f.severity);
  if (f.status) add(" AND status = $", *f.status);
  if (f.run_id) add(" AND run_id = $", *f.run_id);
  if (f.grower_id) add(" AND grower_id = $", *f.grower_id);
  if (f.product) add(" AND fruit_type = $", *f.product);
  if (f.date_from) add(" AND period_start >= $", day_start(f.date_from));
  if (f.date_to) add(" AND period_end <= $", day_end(f.date_to));
  return where;
}

}  // namespace

net::awaitable<Result<std::vector<domain::LiveAlert>>> live(Runner run, domain::TenantId tenant) {
  Params params{tenant.value()};
  auto rows = co_await run.execute(kLive, std::move(params));
  if (!rows) co_return rows.error();
  std::vector<domain::LiveAlert> out;
  out.reserve(rows->size());
  for (std::size_t i = 0; i < rows->size(); ++i) {
    const auto& r = (*rows)[i];
    out.push_back({r.string(0), r.string(1), r.string(2), r.string(3), r.string(4)});
  }
  co_return out;
}

net::awaitable<Result<void>> insert(Runner run, domain::TenantId tenant, std::vector<domain::Finding> findings,
                                    std::string run_id, std::string now) {
  for (std::size_t start = 0; start < findings.size(); start += kInsertChunk) {
    const std::size_t end = std::min(findings.size(), start + kInsertChunk);
    std::string sql(kInsertHead);
    Params params;
    params.reserve((end - start) * kInsertColumns);
    for (std::size_t i = start; i < end; ++i) {
      const auto& f = findings[i];
      if (i > start) sql += ", ";
      sql += placeholders(params.size() + 1, kInsertColumns);
      sql.insert(sql.size() - 1, ", 'open', FALSE");
      params.emplace_back(util::uuid4());
      params.emplace_back(tenant.value());
      params.emplace_back(f.alert_type);
      params.emplace_back(std::string(domain::severity_name(f.severity)));
      params.emplace_back(f.title);
      params.emplace_back(f.description);
      add_figures(params, f);
      params.emplace_back(std::string(domain::unit_name(f.unit)));
      params.emplace_back(refs_json(f));
      params.push_back(day_start(f.period_start));
      params.push_back(day_end(f.period_end));
      params.emplace_back(run_id);
      params.emplace_back(f.entity_key);
      params.push_back(nullable(f.grower_id));
      params.push_back(nullable(f.fruit_type));
      params.emplace_back(now);
      params.emplace_back(now);
    }
    auto inserted = co_await run.execute(sql, std::move(params));
    if (!inserted) co_return inserted.error();
  }
  co_return Result<void>{};
}

net::awaitable<Result<void>> refresh(Runner run, domain::TenantId tenant, std::string id, domain::Finding f,
                                     std::string run_id, std::string now) {
  Params params{tenant.value(), std::move(id), std::string(domain::severity_name(f.severity)), f.title, f.description};
  add_figures(params, f);
  params.emplace_back(refs_json(f));
  params.push_back(day_start(f.period_start));
  params.push_back(day_end(f.period_end));
  params.emplace_back(std::move(run_id));
  params.emplace_back(std::move(now));
  co_return co_await run_statement(run, kRefresh, std::move(params));
}

net::awaitable<Result<void>> auto_resolve(Runner run, domain::TenantId tenant, std::vector<std::string> ids,
                                          std::string now) {
  for (std::size_t start = 0; start < ids.size(); start += kInsertChunk) {
    const std::size_t end = std::min(ids.size(), start + kInsertChunk);
    Params params{tenant.value(), std::string(kAutoResolveNote), now};
    for (std::size_t i = start; i < end; ++i) params.emplace_back(ids[i]);
    const std::string sql =
        "UPDATE reconciliation_alerts SET status = 'resolved', resolution_note = $2, resolved_at = $3,"
        " updated_at = $3 WHERE enterprise_id = $1 AND is_deleted = FALSE"
        " AND status IN ('open', 'acknowledged') AND id IN " +
        placeholders(4, end - start);
    auto resolved = co_await run.execute(sql, std::move(params));
    if (!resolved) co_return resolved.error();
  }
  co_return Result<void>{};
}

net::awaitable<Result<void>> record_run(Runner run, domain::TenantId tenant, RunRecord r) {
  Params params{r.id, tenant.value(), r.kind, r.trigger, r.started_at, r.finished_at, r.opened, r.updated,
                r.resolved, nullable(r.created_by), nullable(r.scheduled_for), r.settings};
  co_return co_await run_statement(run, kRecordRun, std::move(params));
}

net::awaitable<Result<std::optional<std::string>>> last_run_settings(Runner run, domain::TenantId tenant) {
  Params params{tenant.value()};
  auto rows = co_await run.execute(
      "SELECT settings FROM reconciliation_runs WHERE enterprise_id = $1 ORDER BY started_at DESC, id DESC LIMIT 1",
      std::move(params));
  if (!rows) co_return rows.error();
  if (rows->empty()) co_return std::optional<std::string>();
  co_return rows->front().optional_string(0);
}

net::awaitable<Result<bool>> slot_done(Runner run, domain::TenantId tenant, std::string slot) {
  Params params{tenant.value(), std::move(slot)};
  auto rows = co_await run.execute(
      "SELECT COUNT(*) FROM reconciliation_runs WHERE enterprise_id = $1 AND scheduled_for = $2",
      std::move(params));
  if (!rows) co_return rows.error();
  co_return rows->front().int64(0) > 0;
}

net::awaitable<Result<domain::Page<domain::Alert>>> list(Runner run, domain::TenantId tenant,
                                                        domain::AlertFilter filter, domain::PageRequest page) {
  Params params{tenant.value()};
  const std::string where = where_clause(filter, params);
  Params count_params = params;
  params.emplace_back(page.offset);
  // The page size is validated (1..100) and written into the statement: a bound LIMIT
  // makes generic plans scan instead of walking the index (docs/ARCHITECTURE.md).
  const std::string sql = "SELECT " + std::string(kColumns) + ", COUNT(*) OVER () FROM reconciliation_alerts" +
                          where + " ORDER BY created_at DESC, id DESC LIMIT " + std::to_string(page.limit) +
                          " OFFSET $" + std::to_string(params.size());
  auto rows = co_await run.execute(sql, std::move(params));
  if (!rows) co_return rows.error();
  domain::Page<domain::Alert> out{{}, 0, page.limit, page.offset};
  out.items.reserve(rows->size());
  for (std::size_t i = 0; i < rows->size(); ++i) out.items.push_back(from_row((*rows)[i]));
  if (!rows->empty()) {
    out.total = rows->front().int64(kTotalColumn);
  } else if (page.offset > 0) {
    auto counted = co_await run.execute("SELECT COUNT(*) FROM reconciliation_alerts" + where, std::move(count_params));
    if (!counted) co_return counted.error();
    out.total = counted->front().int64(0);
  }
  co_return out;
}

net::awaitable<Result<std::optional<domain::Alert>>> find(Runner run, domain::TenantId tenant, std::string id) {
  const std::string sql = "SELECT " + std::string(kColumns) +
                          " FROM reconciliation_alerts WHERE enterprise_id = $1 AND id = $2 AND is_deleted = FALSE";
  Params params{tenant.value(), std::move(id)};
  auto rows = co_await run.execute(sql, std::move(params));
  if (!rows) co_return rows.error();
  if (rows->empty()) co_return std::optional<domain::Alert>();
  co_return std::optional<domain::Alert>(from_row(rows->front()));
}

net::awaitable<Result<bool>> review(Runner run, domain::TenantId tenant, std::string id, std::string status,
                                    std::optional<std::string> note, std::string user_id, std::string now) {
  if (note && note->empty()) note.reset();  // 2.8: only a non-empty note is stored
  const bool closes = status == "resolved" || status == "dismissed";
  Params params{tenant.value(), std::move(id), std::move(status), nullable(note), closes, std::move(now),
                std::move(user_id)};
  auto rows = co_await run.execute(kReview, std::move(params));
  if (!rows) co_return rows.error();
  co_return rows->affected() == 1;
}

net::awaitable<Result<domain::Dashboard>> dashboard(Runner run, domain::TenantId tenant, std::string since) {
  domain::Dashboard d;
  Params count_params{tenant.value(), std::move(since)};
  auto counts = co_await run.execute(kDashboardCounts, std::move(count_params));
  if (!counts) co_return counts.error();
  for (std::size_t i = 0; i < counts->size(); ++i) {
    const auto& r = (*counts)[i];
    const std::string status = r.string(0);
    const std::int64_t n = r.int64(3);
    d.total_resolved_30d += r.int64(4);
    if (status == "open") d.total_open += n;
    if (status == "acknowledged") d.total_acknowledged += n;
    if (status == "open" || status == "acknowledged") {
      d.by_type[r.string(1)] += n;
      d.by_severity[r.string(2)] += n;
    }
  }
  Params run_params{tenant.value()};
  auto latest = co_await run.execute(kLatestRun, std::move(run_params));
  if (!latest) co_return latest.error();
  if (!latest->empty()) {
    d.latest_run_id = latest->front().string(0);
    d.latest_run_at = latest->front().timestamp(1);
  }
  const std::string sql = "SELECT " + std::string(kColumns) + " FROM reconciliation_alerts" +
                          " WHERE enterprise_id = $1 AND is_deleted = FALSE AND status IN ('open', 'acknowledged')"
                          " ORDER BY " + std::string(kSeverityRank) + ", created_at DESC, id DESC LIMIT 50";
  Params list_params{tenant.value()};
  auto listed = co_await run.execute(sql, std::move(list_params));
  if (!listed) co_return listed.error();
  for (std::size_t i = 0; i < listed->size(); ++i) d.alerts.push_back(from_row((*listed)[i]));
  co_return d;
}

}  // namespace fruitpak::db::alerts
