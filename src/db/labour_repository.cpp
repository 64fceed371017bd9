#include "db/labour_repository.hpp"

namespace fruitpak::db::labour {
namespace {

// Column order of every SELECT below; from_row() reads them by position.
constexpr std::string_view kColumns =
    "id, category, description, supplier_id, packhouse_id, pack_line_id, harvest_team_id, currency, hours_worked,"
    " rate_per_hour, headcount, total_amount, extras, work_date, period_start, period_end, status, notes,"
    " recorded_by, created_at, updated_at";
constexpr std::size_t kTotalColumn = 21;  // COUNT(*) OVER () after the columns

constexpr std::string_view kInsert =
    "INSERT INTO labour_costs (id, enterprise_id, category, description, supplier_id, packhouse_id, pack_line_id,"
    " harvest_team_id, currency, hours_worked, rate_per_hour, headcount, total_amount, extras, work_date,"
    " period_start, period_end, status, notes, recorded_by, is_deleted, created_at, updated_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, FALSE,"
    " $21, $22)";
constexpr std::string_view kUpdate =
    "UPDATE labour_costs SET category = $3, description = $4, supplier_id = $5, packhouse_id = $6,"
    " pack_line_id = $7, harvest_team_id = $8, currency = $9, hours_worked = $10, rate_per_hour = $11,"
    " headcount = $12, total_amount = $13, extras = $14, work_date = $15, period_start = $16, period_end = $17,"
    " status = $18, notes = $19, updated_at = $20"
    " WHERE enterprise_id = $1 AND id = $2 AND is_deleted = FALSE";
constexpr std::string_view kSoftDelete =
    "UPDATE labour_costs SET is_deleted = TRUE, updated_at = $3"
    " WHERE enterprise_id = $1 AND id = $2 AND is_deleted = FALSE";
// An unset link is bound as NULL, which matches no row: its count is 0 and it is not asked about.
constexpr std::string_view kLinks =
    "SELECT (SELECT COUNT(*) FROM suppliers WHERE enterprise_id = $1 AND id = $2),"
    " (SELECT COUNT(*) FROM packhouses WHERE enterprise_id = $1 AND id = $3),"
    " (SELECT COUNT(*) FROM pack_lines WHERE enterprise_id = $1 AND id = $4),"
    " (SELECT COUNT(*) FROM harvest_teams WHERE enterprise_id = $1 AND id = $5)";

domain::LabourCost from_row(const Row& r) {
  domain::LabourCost c;
  c.id = r.string(0);
  c.category = r.string(1);
  c.description = r.optional_string(2);
  c.supplier_id = r.optional_string(3);
  c.packhouse_id = r.optional_string(4);
  c.pack_line_id = r.optional_string(5);
  c.harvest_team_id = r.optional_string(6);
  c.currency = r.string(7);
  c.hours_worked = r.optional_number(8);
  c.rate_per_hour = r.optional_number(9);
  c.headcount = r.optional_number(10);
  c.total_amount = r.number(11);
  c.extras_json = r.optional_string(12);
  c.work_date = r.date(13).value_or("");
  c.period_start = r.date(14);
  c.period_end = r.date(15);
  c.status = r.string(16);
  c.notes = r.optional_string(17);
  c.recorded_by = r.optional_string(18);
  c.created_at = r.timestamp(19).value_or("");
  c.updated_at = r.timestamp(20).value_or("");
  return c;
}

// The WHERE clause of a filtered list from fixed fragments; values are bound after $1.
std::string where_clause(const domain::LabourFilter& f, Params& params) {
  std::string where = " WHERE enterprise_id = $1 AND is_deleted = FALSE";
  auto add = [&](std::string_view fragment, const std::optional<std::string>& value) {
    if (!value) return;
    params.emplace_back(*value);
    where += std::string(fragment) + std::to_string(params.size());
  };
  add(" AND category = $", f.category);
  add(" AND status = $", f.status);
  add(" AND packhouse_id = $", f.packhouse_id);
  add(" AND harvest_team_id = $", f.harvest_team_id);
  add(" AND work_date >= $", f.date_from);
  add(" AND work_date <= $", f.date_to);
  return where;
}

}  // namespace

net::awaitable<Result<void>> insert(Runner run, domain::TenantId tenant, domain::LabourCost c) {
  Params params{c.id, tenant.value(), c.category, nullable(c.description), nullable(c.supplier_id), nullable(c.packhouse_id),
                nullable(c.pack_line_id), nullable(c.harvest_team_id), c.currency, nullable(c.hours_worked), nullable(c.rate_per_hour),
                nullable(c.headcount), c.total_amount, nullable(c.extras_json), c.work_date, nullable(c.period_start),
                nullable(c.period_end), c.status, nullable(c.notes), nullable(c.recorded_by), c.created_at, c.updated_at};
  auto rows = co_await run.execute(kInsert, std::move(params));
  if (!rows) co_return rows.error();
  co_return Result<void>{};
}

net::awaitable<Result<std::optional<domain::LabourCost>>> find(Runner run, domain::TenantId tenant, std::string id) {
  const std::string sql = "SELECT " + std::string(kColumns) +
                          " FROM labour_costs WHERE enterprise_id = $1 AND id = $2 AND is_deleted = FALSE";
  Params params{tenant.value(), std::move(id)};
  auto rows = co_await run.execute(sql, std::move(params));
  if (!rows) co_return rows.error();
  if (rows->empty()) co_return std::optional<domain::LabourCost>();
  co_return std::optional<domain::LabourCost>(from_row(rows->front()));
}

net::awaitable<Result<domain::Page<domain::LabourCost>>> list(Runner run, domain::TenantId tenant,
                                                              domain::LabourFilter filter, domain::PageRequest page) {
  Params params{tenant.value()};
  const std::string where = where_clause(filter, params);
  Params count_params = params;
  params.emplace_back(std::int64_t{page.limit});
  params.emplace_back(page.offset);
  const std::string sql = "SELECT " + std::string(kColumns) + ", COUNT(*) OVER () FROM labour_costs" + where +
                          " ORDER BY work_date DESC, created_at DESC, id DESC LIMIT $" +
                          std::to_string(params.size() - 1) + " OFFSET $" + std::to_string(params.size());
  auto rows = co_await run.execute(sql, std::move(params));
  if (!rows) co_return rows.error();
  domain::Page<domain::LabourCost> out{{}, 0, page.limit, page.offset};
  out.items.reserve(rows->size());
  for (std::size_t i = 0; i < rows->size(); ++i) out.items.push_back(from_row((*rows)[i]));
  if (!rows->empty()) {
    out.total = rows->front().int64(kTotalColumn);
  } else if (page.offset > 0) {
    auto counted = co_await run.execute("SELECT COUNT(*) FROM labour_costs" + where, std::move(count_params));
    if (!counted) co_return counted.error();
    out.total = counted->front().int64(0);
  }
  co_return out;
}

net::awaitable<Result<void>> update(Runner run, domain::TenantId tenant, domain::LabourCost c) {
  Params params{tenant.value(), c.id, c.category, nullable(c.description), nullable(c.supplier_id), nullable(c.packhouse_id),
                nullable(c.pack_line_id), nullable(c.harvest_team_id), c.currency, nullable(c.hours_worked), nullable(c.rate_per_hour),
                nullable(c.headcount), c.total_amount, nullable(c.extras_json), c.work_date, nullable(c.period_start),
                nullable(c.period_end), c.status, nullable(c.notes), c.updated_at};
  auto rows = co_await run.execute(kUpdate, std::move(params));
  if (!rows) co_return rows.error();
  if (rows->affected() != 1) co_return make_error(Errc::kNotFound, "labour cost vanished during update");
  co_return Result<void>{};
}

net::awaitable<Result<bool>> soft_delete(Runner run, domain::TenantId tenant, std::string id, std::string now) {
  Params params{tenant.value(), std::move(id), std::move(now)};
  auto rows = co_await run.execute(kSoftDelete, std::move(params));
  if (!rows) co_return rows.error();
  co_return rows->affected() == 1;
}

net::awaitable<Result<std::optional<std::string>>> missing_link(Runner run, domain::TenantId tenant,
                                                                const domain::LabourCost& c) {
  const std::optional<std::string>* links[] = {&c.supplier_id, &c.packhouse_id, &c.pack_line_id, &c.harvest_team_id};
  constexpr std::string_view kNames[] = {"supplier_id", "packhouse_id", "pack_line_id", "harvest_team_id"};
  bool any = false;
  for (const auto* link : links) any = any || link->has_value();
  if (!any) co_return std::optional<std::string>();
  Params params{tenant.value(), nullable(c.supplier_id), nullable(c.packhouse_id), nullable(c.pack_line_id), nullable(c.harvest_team_id)};
  auto rows = co_await run.execute(kLinks, std::move(params));
  if (!rows) co_return rows.error();
  for (std::size_t i = 0; i < 4; ++i) {
    if (links[i]->has_value() && rows->front().int64(i) == 0) co_return std::optional<std::string>(kNames[i]);
  }
  co_return std::optional<std::string>();
}

}  // namespace fruitpak::db::labour
