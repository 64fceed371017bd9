#include "db/batch_repository.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <chrono>
#include <cstdio>

namespace fruitpak::db::batches {
namespace {

// Column order read by batch_from(); the "b." alias serves the joined queries too.
constexpr std::string_view kColumns =
    "b.id, b.batch_code, b.grower_id, b.harvest_team_id, b.packhouse_id, b.fruit_type, b.variety, b.harvest_date,"
    " b.intake_date, b.gross_weight_kg, b.tare_weight_kg, b.net_weight_kg, b.arrival_temp_c, b.brix_reading,"
    " b.quality_assessment, b.status, b.rejection_reason, b.bin_count, b.bin_type, b.notes, b.received_by,"
    " b.created_at, b.updated_at";
constexpr std::size_t kColumnCount = 23;

constexpr std::string_view kInsert =
    "INSERT INTO batches (id, enterprise_id, batch_code, grower_id, harvest_team_id, packhouse_id, fruit_type, variety,"
    " harvest_date, intake_date, gross_weight_kg, tare_weight_kg, net_weight_kg, arrival_temp_c, brix_reading,"
    " quality_assessment, status, rejection_reason, bin_count, bin_type, notes, received_by, is_deleted, created_at,"
    " updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,"
    " $21, $22, FALSE, $23, $24)";
constexpr std::string_view kUpdate =
    "UPDATE batches SET variety = $3, harvest_date = $4, gross_weight_kg = $5, tare_weight_kg = $6,"
    " net_weight_kg = $7, arrival_temp_c = $8, brix_reading = $9, quality_assessment = $10, status = $11,"
    " rejection_reason = $12, bin_count = $13, bin_type = $14, notes = $15, updated_at = $16"
    " WHERE enterprise_id = $1 AND id = $2 AND is_deleted = FALSE";
constexpr std::string_view kTouch =
    "UPDATE batches SET updated_at = $3 WHERE enterprise_id = $1 AND id = $2 AND is_deleted = FALSE";
constexpr std::string_view kChangeStatus =
    "UPDATE batches SET status = $4 WHERE enterprise_id = $1 AND id = $2 AND status = $3 AND is_deleted = FALSE";
constexpr std::string_view kSetWaste =
    "UPDATE batches SET waste_kg = $3, waste_reason = $4 WHERE enterprise_id = $1 AND id = $2";
constexpr std::string_view kInsertHistory =
    "INSERT INTO batch_history (id, enterprise_id, batch_id, event_type, event_subtype, packhouse_id, location_detail,"
    " event_data, notes, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
constexpr std::string_view kHistory =
    "SELECT id, batch_id, event_type, event_subtype, packhouse_id, event_data, location_detail, notes, recorded_by,"
    " recorded_at FROM batch_history WHERE enterprise_id = $1 AND batch_id = $2 ORDER BY recorded_at, id";
constexpr std::string_view kCountBatch =
    "INSERT INTO batch_day_counts (enterprise_id, status, day, count) VALUES ($1, $2, $3, $4)"
    " ON CONFLICT (enterprise_id, status, day) DO UPDATE SET count = batch_day_counts.count + $4";
constexpr std::string_view kCountStatus =
    "INSERT INTO batch_status_counts (enterprise_id, status, count) VALUES ($1, $2, $3)"
    " ON CONFLICT (enterprise_id, status) DO UPDATE SET count = batch_status_counts.count + $3";
constexpr std::string_view kClearCounts = "DELETE FROM batch_day_counts WHERE enterprise_id = $1";
constexpr std::string_view kClearStatusCounts = "DELETE FROM batch_status_counts WHERE enterprise_id = $1";
constexpr std::string_view kRebuildStatusCounts =
    "INSERT INTO batch_status_counts (enterprise_id, status, count)"
    " SELECT enterprise_id, status, SUM(count) FROM batch_day_counts WHERE enterprise_id = $1"
    " GROUP BY enterprise_id, status";
constexpr std::string_view kRebuildCounts =
    "INSERT INTO batch_day_counts (enterprise_id, status, day, count)"
    " SELECT enterprise_id, status, SUBSTR(CAST(created_at AS TEXT), 1, 10), COUNT(*) FROM batches"
    " WHERE enterprise_id = $1 AND is_deleted = FALSE"
    " GROUP BY enterprise_id, status, SUBSTR(CAST(created_at AS TEXT), 1, 10)";
constexpr std::string_view kCountedTotal =
    "SELECT COALESCE(SUM(count), 0) FROM batch_status_counts WHERE enterprise_id = $1";
constexpr std::string_view kCountedStatus =
    "SELECT COALESCE(SUM(count), 0) FROM batch_status_counts WHERE enterprise_id = $1 AND status = $2";
// The day that holds the row at offset N of the newest-first order, and how many rows lie
// on newer days: a running sum over the day counts, newest first, ending at the first day
// whose sum passes N. The window is computed as the rows are read, so on PostgreSQL the
// scan stops at that day.
constexpr std::string_view kLocateDayTotal =
    "SELECT day, newer FROM (SELECT day, count, SUM(count) OVER (ORDER BY day DESC ROWS UNBOUNDED PRECEDING) - count"
    " AS newer FROM batch_day_totals WHERE enterprise_id = $1) d WHERE newer + count > $2 ORDER BY day DESC LIMIT 1";
constexpr std::string_view kLocateDayStatus =
    "SELECT day, newer FROM (SELECT day, count, SUM(count) OVER (ORDER BY day DESC ROWS UNBOUNDED PRECEDING) - count"
    " AS newer FROM batch_day_counts WHERE enterprise_id = $1 AND status = $2) d WHERE newer + count > $3"
    " ORDER BY day DESC LIMIT 1";
constexpr std::string_view kCountDayTotal =
    "INSERT INTO batch_day_totals (enterprise_id, day, count) VALUES ($1, $2, $3)"
    " ON CONFLICT (enterprise_id, day) DO UPDATE SET count = batch_day_totals.count + $3";
constexpr std::string_view kClearDayTotals = "DELETE FROM batch_day_totals WHERE enterprise_id = $1";
constexpr std::string_view kRebuildDayTotals =
    "INSERT INTO batch_day_totals (enterprise_id, day, count)"
    " SELECT enterprise_id, day, SUM(count) FROM batch_day_counts WHERE enterprise_id = $1"
    " GROUP BY enterprise_id, day";
constexpr std::string_view kLots =
    "SELECT l.id, l.lot_code, l.batch_id, l.fruit_type, l.variety, l.grade, l.size, l.box_size_id, l.carton_count,"
    " l.weight_kg, l.waste_kg, l.waste_reason, l.notes, COALESCE(SUM(pl.box_count), 0), l.status, l.pack_date,"
    " l.created_at FROM lots l LEFT JOIN pallet_lots pl ON pl.lot_id = l.id AND pl.is_deleted = FALSE"
    " WHERE l.enterprise_id = $1 AND l.batch_id = $2 AND l.is_deleted = FALSE GROUP BY l.id ORDER BY l.lot_code";

// From this offset on, a list under a counted filter starts at the day that holds the
// offset (found from batch_day_counts) instead of skipping every newer row in the index.
// Below it, skipping costs less than reading the day counts.
constexpr std::int64_t kDeepOffset = 1000;

constexpr std::string_view kPendingAdvance =
    "SELECT id, payment_ref, batch_ids, total_kg FROM grower_payments WHERE enterprise_id = $1 AND grower_id = $2"
    " AND status = 'pending' AND is_deleted = FALSE ORDER BY created_at DESC, id DESC LIMIT 1";
constexpr std::string_view kLinkAdvance =
    "UPDATE grower_payments SET batch_ids = $3, total_kg = $4, updated_at = $5 WHERE enterprise_id = $1 AND id = $2";
constexpr std::string_view kHarvestTeam = "SELECT 1 FROM harvest_teams WHERE enterprise_id = $1 AND id = $2";

domain::Batch batch_from(const Row& r) {
  domain::Batch b;
  b.id = r.string(0);
  b.batch_code = r.string(1);
  b.grower_id = r.string(2);
  b.harvest_team_id = r.optional_string(3);
  b.packhouse_id = r.string(4);
  b.fruit_type = r.string(5);
  b.variety = r.optional_string(6);
  b.harvest_date = r.date(7);
  b.intake_date = r.date(8).value_or("");
  b.gross_weight_kg = r.optional_number(9);
  b.tare_weight_kg = r.number(10);
  b.net_weight_kg = r.optional_number(11);
  b.arrival_temp_c = r.optional_number(12);
  b.brix_reading = r.optional_number(13);
  b.quality_assessment_json = r.optional_string(14);
  b.status = r.string(15);
  b.rejection_reason = r.optional_string(16);
  b.bin_count = r.optional_int64(17);
  b.bin_type = r.optional_string(18);
  b.notes = r.optional_string(19);
  b.received_by = r.optional_string(20);
  b.created_at = r.timestamp(21).value_or("");
  b.updated_at = r.timestamp(22).value_or("");
  return b;
}

// The WHERE clause of a filtered list, built from fixed fragments only; values are bound.
std::string where_clause(const domain::BatchFilter& f, Params& params) {
  std::string where = " WHERE b.enterprise_id = $1 AND b.is_deleted = FALSE";
  auto add = [&](std::string_view fragment, std::string value) {
    params.emplace_back(std::move(value));
    where += std::string(fragment) + std::to_string(params.size());
  };
  if (f.grower_id) add(" AND b.grower_id = $", *f.grower_id);
  if (f.status) add(" AND b.status = $", *f.status);
  if (f.fruit_type) add(" AND b.fruit_type = $", *f.fruit_type);
  if (f.date_from) add(" AND b.intake_date >= $", *f.date_from);
  if (f.date_to) add(" AND b.intake_date <= $", *f.date_to);
  return where;
}

// Totals of these filters are kept in batch_day_counts.
bool counted_filter(const domain::BatchFilter& f) {
  return !f.grower_id && !f.fruit_type && !f.date_from && !f.date_to;
}

domain::LotSummary lot_from(const Row& r) {
  domain::LotSummary l;
  l.id = r.string(0);
  l.lot_code = r.string(1);
  l.batch_id = r.string(2);
  l.fruit_type = r.string(3);
  l.variety = r.optional_string(4);
  l.grade = r.optional_string(5);
  l.size = r.optional_string(6);
  l.box_size_id = r.optional_string(7);
  l.carton_count = r.int64(8);
  l.weight_kg = r.optional_number(9);
  l.waste_kg = r.number(10);
  l.waste_reason = r.optional_string(11);
  l.notes = r.optional_string(12);
  l.palletized_boxes = r.int64(13);
  l.status = r.string(14);
  l.pack_date = r.date(15);
  l.created_at = r.timestamp(16).value_or("");
  return l;
}

// "YYYY-MM-DD" of the day after `day` (a valid date read from batch_day_counts).
std::string next_day(const std::string& day) {
  using namespace std::chrono;
  int y = 0;
  unsigned m = 0, d = 0;
  std::sscanf(day.c_str(), "%d-%u-%u", &y, &m, &d);
  const year_month_day next{sys_days{year{y} / month{m} / std::chrono::day{d}} + days{1}};
  char out[16];
  std::snprintf(out, sizeof out, "%04d-%02u-%02u", static_cast<int>(next.year()), static_cast<unsigned>(next.month()),
                static_cast<unsigned>(next.day()));
  return out;
}

// Where a page starts: the total, and the offset turned into (rows newer than `before`,
// skip `skip` of them). `before` is empty when the page starts at the top of the order.
struct PageStart {
  std::int64_t total = 0;
  std::string before;
  std::int64_t skip = 0;
};

// Reads the total for a counted filter and, for a deep offset within it, the day that
// holds the offset.
net::awaitable<Result<PageStart>> counted_start(Runner run, domain::TenantId tenant,
                                                std::optional<std::string> status, std::int64_t offset) {
  Params params{tenant.value()};
  if (status) params.emplace_back(*status);
  Params total_params = params;
  auto total = co_await run.execute(status ? kCountedStatus : kCountedTotal, std::move(total_params));
  if (!total) co_return total.error();
  PageStart start{total->front().int64(0), {}, offset};
  if (offset < kDeepOffset || offset >= start.total) co_return start;
  params.emplace_back(offset);
  auto day = co_await run.execute(status ? kLocateDayStatus : kLocateDayTotal, std::move(params));
  if (!day) co_return day.error();
  if (day->empty()) co_return start;  // unreachable while the counts agree: skip from the top
  start.before = next_day(day->front().string(0));
  start.skip = offset - day->front().int64(1);
  co_return start;
}

}  // namespace

net::awaitable<Result<void>> insert(Runner run, domain::TenantId tenant, domain::Batch b) {
  Params params{b.id, tenant.value(), b.batch_code, b.grower_id, nullable(b.harvest_team_id), b.packhouse_id, b.fruit_type,
                nullable(b.variety), nullable(b.harvest_date), b.intake_date, nullable(b.gross_weight_kg), b.tare_weight_kg,
                nullable(b.net_weight_kg), nullable(b.arrival_temp_c), nullable(b.brix_reading), nullable(b.quality_assessment_json),
                b.status, nullable(b.rejection_reason), nullable(b.bin_count), nullable(b.bin_type), nullable(b.notes),
                nullable(b.received_by), b.created_at, b.updated_at};
  auto rows = co_await run.execute(kInsert, std::move(params));
  if (!rows) co_return rows.error();
  co_return Result<void>{};
}

net::awaitable<Result<void>> update(Runner run, domain::TenantId tenant, domain::Batch b) {
  Params params{tenant.value(), b.id, nullable(b.variety), nullable(b.harvest_date), nullable(b.gross_weight_kg), b.tare_weight_kg,
                nullable(b.net_weight_kg), nullable(b.arrival_temp_c), nullable(b.brix_reading), nullable(b.quality_assessment_json),
                b.status, nullable(b.rejection_reason), nullable(b.bin_count), nullable(b.bin_type), nullable(b.notes), b.updated_at};
  auto rows = co_await run.execute(kUpdate, std::move(params));
  if (!rows) co_return rows.error();
  if (rows->affected() != 1) co_return make_error(Errc::kNotFound, "batch vanished during update");
  co_return Result<void>{};
}

net::awaitable<Result<void>> add_history(Runner run, domain::TenantId tenant, domain::BatchHistoryEntry e) {
  Params params{e.id, tenant.value(), e.batch_id, e.event_type, nullable(e.event_subtype), nullable(e.packhouse_id),
                nullable(e.location_detail), nullable(e.event_data_json), nullable(e.notes), nullable(e.recorded_by), e.recorded_at};
  auto rows = co_await run.execute(kInsertHistory, std::move(params));
  if (!rows) co_return rows.error();
  co_return Result<void>{};
}

net::awaitable<Result<std::optional<domain::Batch>>> find(Runner run, domain::TenantId tenant, std::string id) {
  const std::string sql = "SELECT " + std::string(kColumns) +
                          " FROM batches b WHERE b.enterprise_id = $1 AND b.id = $2 AND b.is_deleted = FALSE";
  Params params{tenant.value(), std::move(id)};
  auto rows = co_await run.execute(sql, std::move(params));
  if (!rows) co_return rows.error();
  if (rows->empty()) co_return std::optional<domain::Batch>();
  co_return std::optional<domain::Batch>(batch_from(rows->front()));
}

net::awaitable<Result<std::optional<domain::Batch>>> find_for_update(Runner run, domain::TenantId tenant,
                                                                    std::string id, std::string now) {
  Params params{tenant.value(), id, std::move(now)};
  auto touched = co_await run.execute(kTouch, std::move(params));
  if (!touched) co_return touched.error();
  if (touched->affected() == 0) co_return std::optional<domain::Batch>();
  co_return co_await find(run, std::move(tenant), std::move(id));
}

net::awaitable<Result<bool>> change_status(Runner run, domain::TenantId tenant, std::string id, std::string from,
                                           std::string to) {
  Params params{tenant.value(), std::move(id), std::move(from), std::move(to)};
  auto changed = co_await run.execute(kChangeStatus, std::move(params));
  if (!changed) co_return changed.error();
  co_return changed->affected() == 1;
}

net::awaitable<Result<void>> set_waste(Runner run, domain::TenantId tenant, std::string id, double waste_kg,
                                       std::string reason) {
  Params params{tenant.value(), std::move(id), waste_kg, std::move(reason)};
  co_return co_await run_statement(run, kSetWaste, std::move(params));
}

net::awaitable<Result<std::optional<domain::BatchDetail>>> detail(Runner run, domain::TenantId tenant, std::string id) {
  const std::string sql = "SELECT " + std::string(kColumns) +
                          ", g.name, p.name FROM batches b"
                          " LEFT JOIN growers g ON g.id = b.grower_id LEFT JOIN packhouses p ON p.id = b.packhouse_id"
                          " WHERE b.enterprise_id = $1 AND b.id = $2 AND b.is_deleted = FALSE";
  Params params{tenant.value(), id};
  auto rows = co_await run.execute(sql, std::move(params));
  if (!rows) co_return rows.error();
  if (rows->empty()) co_return std::optional<domain::BatchDetail>();
  domain::BatchDetail d{batch_from(rows->front()), rows->front().optional_string(kColumnCount),
                        rows->front().optional_string(kColumnCount + 1), {}, {}};
  Params history_params{tenant.value(), std::move(id)};
  auto history = co_await run.execute(kHistory, std::move(history_params));
  if (!history) co_return history.error();
  for (std::size_t i = 0; i < history->size(); ++i) {
    auto r = (*history)[i];
    d.history.push_back({r.string(0), r.string(1), r.string(2), r.optional_string(3), r.optional_string(4),
                         r.optional_string(5), r.optional_string(6), r.optional_string(7), r.optional_string(8),
                         r.timestamp(9).value_or("")});
  }
  Params lot_params{tenant.value(), d.batch.id};
  auto lots = co_await run.execute(kLots, std::move(lot_params));
  if (!lots) co_return lots.error();
  for (std::size_t i = 0; i < lots->size(); ++i) d.lots.push_back(lot_from((*lots)[i]));
  co_return std::optional<domain::BatchDetail>(std::move(d));
}

net::awaitable<Result<domain::BatchListing>> list(Runner run, domain::TenantId tenant, domain::BatchFilter filter,
                                                  domain::PageRequest page, std::optional<domain::BatchKey> after) {
  Params params{tenant.value()};
  std::string where = where_clause(filter, params);
  const bool keyset = after.has_value();

  PageStart start{0, {}, keyset ? 0 : page.offset};
  if (counted_filter(filter)) {
    auto counted = co_await counted_start(run, tenant, filter.status, start.skip);
    if (!counted) co_return counted.error();
    start = std::move(*counted);
  } else {
    Params count_params = params;
    auto total = co_await run.execute("SELECT COUNT(*) FROM batches b" + where, std::move(count_params));
    if (!total) co_return total.error();
    start.total = total->front().int64(0);
  }

  domain::BatchListing out{{{}, start.total, page.limit, keyset ? 0 : page.offset}, false, std::nullopt};
  if (!keyset && page.offset >= start.total) co_return out;  // past the end: nothing to read

  if (!start.before.empty()) {
    params.emplace_back(start.before);
    where += " AND b.created_at < $" + std::to_string(params.size());
  }
  if (keyset) {
    params.emplace_back(after->created_at);
    params.emplace_back(after->id);
    where += " AND (b.created_at, b.id) < ($" + std::to_string(params.size() - 1) + ", $" +
             std::to_string(params.size()) + ")";
  }
  params.emplace_back(start.skip);
  // The skipped rows are walked in the index alone (an index-only scan of ids); only the
  // page's rows are read from the table, by primary key, and joined to their grower. The
  // LIMIT is written into the text (a validated 1..100, plus the one more row that tells
  // whether more follow): PostgreSQL's generic plan for "LIMIT $n" assumes a tenth of the
  // table and joins it by hashing a full scan, 500 ms instead of 1.
  const std::string sql = "SELECT " + std::string(kColumns) + ", g.name FROM (SELECT b.id FROM batches b" + where +
                          " ORDER BY b.created_at DESC, b.id DESC LIMIT " + std::to_string(page.limit + 1) +
                          " OFFSET $" + std::to_string(params.size()) +
                          ") page JOIN batches b ON b.id = page.id LEFT JOIN growers g ON g.id = b.grower_id"
                          " ORDER BY b.created_at DESC, b.id DESC";
  auto rows = co_await run.execute(sql, std::move(params));
  if (!rows) co_return rows.error();
  const std::size_t shown = std::min(rows->size(), static_cast<std::size_t>(page.limit));
  for (std::size_t i = 0; i < shown; ++i) {
    out.page.items.push_back({batch_from((*rows)[i]), (*rows)[i].optional_string(kColumnCount)});
  }
  out.has_more = rows->size() > shown;
  if (out.has_more) out.next = domain::BatchKey{out.page.items.back().batch.created_at, out.page.items.back().batch.id};
  co_return out;
}

net::awaitable<Result<void>> count_batch(Runner run, domain::TenantId tenant, std::string status,
                                         std::string created_at, std::int64_t delta) {
  Params by_status{tenant.value(), status, delta};
  if (auto counted = co_await run_statement(run, kCountStatus, std::move(by_status)); !counted) co_return counted;
  Params by_day{tenant.value(), std::move(status), created_at.substr(0, 10), delta};
  if (auto counted = co_await run_statement(run, kCountBatch, std::move(by_day)); !counted) co_return counted;
  Params day_total{tenant.value(), created_at.substr(0, 10), delta};
  co_return co_await run_statement(run, kCountDayTotal, std::move(day_total));
}

net::awaitable<Result<void>> rebuild_counts(Runner run, domain::TenantId tenant) {
  Params clear{tenant.value()};
  if (auto cleared = co_await run_statement(run, kClearCounts, std::move(clear)); !cleared) co_return cleared;
  Params rebuild{tenant.value()};
  if (auto rebuilt = co_await run_statement(run, kRebuildCounts, std::move(rebuild)); !rebuilt) co_return rebuilt;
  Params clear_status{tenant.value()};
  if (auto cleared = co_await run_statement(run, kClearStatusCounts, std::move(clear_status)); !cleared) {
    co_return cleared;
  }
  Params rebuild_status{tenant.value()};
  if (auto rebuilt = co_await run_statement(run, kRebuildStatusCounts, std::move(rebuild_status)); !rebuilt) {
    co_return rebuilt;
  }
  Params clear_days{tenant.value()};
  if (auto cleared = co_await run_statement(run, kClearDayTotals, std::move(clear_days)); !cleared) co_return cleared;
  Params rebuild_days{tenant.value()};
  co_return co_await run_statement(run, kRebuildDayTotals, std::move(rebuild_days));
}

net::awaitable<Result<std::optional<std::string>>> link_pending_advance(Runner run, domain::TenantId tenant,
                                                                        std::string grower_id, std::string batch_id,
                                                                        std::optional<double> net_kg, std::string now) {
  Params find_params{tenant.value(), std::move(grower_id)};
  auto rows = co_await run.execute(kPendingAdvance, std::move(find_params));
  if (!rows) co_return rows.error();
  if (rows->empty()) co_return std::optional<std::string>();
  auto r = rows->front();
  boost::system::error_code ec;
  auto ids = boost::json::parse(r.optional_string(2).value_or("[]"), ec);
  if (ec || !ids.is_array()) ids = boost::json::array();
  ids.as_array().emplace_back(batch_id);
  std::optional<double> total = r.optional_number(3);
  if (net_kg) total = total.value_or(0) + *net_kg;
  Params update{tenant.value(), r.string(0), boost::json::serialize(ids), nullable(total), std::move(now)};
  auto updated = co_await run.execute(kLinkAdvance, std::move(update));
  if (!updated) co_return updated.error();
  co_return r.optional_string(1);
}

net::awaitable<Result<bool>> harvest_team_exists(Runner run, domain::TenantId tenant, std::string id) {
  Params params{tenant.value(), std::move(id)};
  auto rows = co_await run.execute(kHarvestTeam, std::move(params));
  if (!rows) co_return rows.error();
  co_return !rows->empty();
}

}  // namespace fruitpak::db::batches
