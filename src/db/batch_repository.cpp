#include "db/batch_repository.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

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
constexpr std::string_view kInsertHistory =
    "INSERT INTO batch_history (id, enterprise_id, batch_id, event_type, event_subtype, packhouse_id, location_detail,"
    " event_data, notes, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
constexpr std::string_view kHistory =
    "SELECT id, batch_id, event_type, event_subtype, packhouse_id, event_data, location_detail, notes, recorded_by,"
    " recorded_at FROM batch_history WHERE enterprise_id = $1 AND batch_id = $2 ORDER BY recorded_at, id";
constexpr std::string_view kCountStatus =
    "INSERT INTO batch_counts (enterprise_id, status, count) VALUES ($1, $2, $3)"
    " ON CONFLICT (enterprise_id, status) DO UPDATE SET count = batch_counts.count + $3";
constexpr std::string_view kCountedTotal = "SELECT COALESCE(SUM(count), 0) FROM batch_counts WHERE enterprise_id = $1";
constexpr std::string_view kCountedStatus =
    "SELECT COALESCE(SUM(count), 0) FROM batch_counts WHERE enterprise_id = $1 AND status = $2";
constexpr std::string_view kPendingAdvance =
    "SELECT id, payment_ref, batch_ids, total_kg FROM grower_payments WHERE enterprise_id = $1 AND grower_id = $2"
    " AND status = 'pending' AND is_deleted = FALSE ORDER BY created_at DESC, id DESC LIMIT 1";
constexpr std::string_view kLinkAdvance =
    "UPDATE grower_payments SET batch_ids = $3, total_kg = $4, updated_at = $5 WHERE enterprise_id = $1 AND id = $2";
constexpr std::string_view kHarvestTeam = "SELECT 1 FROM harvest_teams WHERE enterprise_id = $1 AND id = $2";

template <class T>
Param opt(const std::optional<T>& v) {
  if (!v) return nullptr;
  return *v;
}

std::optional<std::string> date_of(const Row& r, std::size_t c) {
  auto text = r.optional_string(c);
  if (text && text->size() > 10) text->resize(10);  // SQLite may hold a timestamp text
  return text;
}

domain::Batch batch_from(const Row& r) {
  domain::Batch b;
  b.id = r.string(0);
  b.batch_code = r.string(1);
  b.grower_id = r.string(2);
  b.harvest_team_id = r.optional_string(3);
  b.packhouse_id = r.string(4);
  b.fruit_type = r.string(5);
  b.variety = r.optional_string(6);
  b.harvest_date = date_of(r, 7);
  b.intake_date = date_of(r, 8).value_or("");
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

}  // namespace

net::awaitable<Result<void>> insert(Runner run, domain::TenantId tenant, domain::Batch b) {
  Params params{b.id, tenant.value(), b.batch_code, b.grower_id, opt(b.harvest_team_id), b.packhouse_id, b.fruit_type,
                opt(b.variety), opt(b.harvest_date), b.intake_date, opt(b.gross_weight_kg), b.tare_weight_kg,
                opt(b.net_weight_kg), opt(b.arrival_temp_c), opt(b.brix_reading), opt(b.quality_assessment_json),
                b.status, opt(b.rejection_reason), opt(b.bin_count), opt(b.bin_type), opt(b.notes),
                opt(b.received_by), b.created_at, b.updated_at};
  auto rows = co_await run.execute(kInsert, std::move(params));
  if (!rows) co_return rows.error();
  co_return Result<void>{};
}

net::awaitable<Result<void>> update(Runner run, domain::TenantId tenant, domain::Batch b) {
  Params params{tenant.value(), b.id, opt(b.variety), opt(b.harvest_date), opt(b.gross_weight_kg), b.tare_weight_kg,
                opt(b.net_weight_kg), opt(b.arrival_temp_c), opt(b.brix_reading), opt(b.quality_assessment_json),
                b.status, opt(b.rejection_reason), opt(b.bin_count), opt(b.bin_type), opt(b.notes), b.updated_at};
  auto rows = co_await run.execute(kUpdate, std::move(params));
  if (!rows) co_return rows.error();
  if (rows->affected() != 1) co_return make_error(Errc::kNotFound, "batch vanished during update");
  co_return Result<void>{};
}

net::awaitable<Result<void>> add_history(Runner run, domain::TenantId tenant, domain::BatchHistoryEntry e) {
  Params params{e.id, tenant.value(), e.batch_id, e.event_type, opt(e.event_subtype), opt(e.packhouse_id),
                opt(e.location_detail), opt(e.event_data_json), opt(e.notes), opt(e.recorded_by), e.recorded_at};
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
                        rows->front().optional_string(kColumnCount + 1), {}};
  Params history_params{tenant.value(), std::move(id)};
  auto history = co_await run.execute(kHistory, std::move(history_params));
  if (!history) co_return history.error();
  for (std::size_t i = 0; i < history->size(); ++i) {
    auto r = (*history)[i];
    d.history.push_back({r.string(0), r.string(1), r.string(2), r.optional_string(3), r.optional_string(4),
                         r.optional_string(5), r.optional_string(6), r.optional_string(7), r.optional_string(8),
                         r.timestamp(9).value_or("")});
  }
  co_return std::optional<domain::BatchDetail>(std::move(d));
}

net::awaitable<Result<domain::Page<domain::BatchSummary>>> list(Runner run, domain::TenantId tenant,
                                                               domain::BatchFilter filter, domain::PageRequest page) {
  Params params{tenant.value()};
  const std::string where = where_clause(filter, params);
  Params count_params = params;
  params.emplace_back(std::int64_t{page.limit});
  params.emplace_back(page.offset);
  const std::string limit_index = std::to_string(params.size() - 1);
  const std::string offset_index = std::to_string(params.size());
  const std::string sql = "SELECT " + std::string(kColumns) +
                          ", g.name FROM batches b LEFT JOIN growers g ON g.id = b.grower_id" + where +
                          " ORDER BY b.created_at DESC, b.id DESC LIMIT $" + limit_index + " OFFSET $" + offset_index;
  auto rows = co_await run.execute(sql, std::move(params));
  if (!rows) co_return rows.error();
  domain::Page<domain::BatchSummary> out{{}, 0, page.limit, page.offset};
  for (std::size_t i = 0; i < rows->size(); ++i) {
    out.items.push_back({batch_from((*rows)[i]), (*rows)[i].optional_string(kColumnCount)});
  }

  const bool counted = !filter.grower_id && !filter.fruit_type && !filter.date_from && !filter.date_to;
  std::string count_sql;
  Params total_params{tenant.value()};
  if (counted && filter.status) {
    count_sql = std::string(kCountedStatus);
    total_params.emplace_back(*filter.status);
  } else if (counted) {
    count_sql = std::string(kCountedTotal);
  } else {
    count_sql = "SELECT COUNT(*) FROM batches b" + where;
    total_params = std::move(count_params);
  }
  auto total = co_await run.execute(count_sql, std::move(total_params));
  if (!total) co_return total.error();
  out.total = total->front().int64(0);
  co_return out;
}

net::awaitable<Result<void>> count_status(Runner run, domain::TenantId tenant, std::string status, std::int64_t delta) {
  Params params{tenant.value(), std::move(status), delta};
  auto rows = co_await run.execute(kCountStatus, std::move(params));
  if (!rows) co_return rows.error();
  co_return Result<void>{};
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
  Params update{tenant.value(), r.string(0), boost::json::serialize(ids), opt(total), std::move(now)};
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
