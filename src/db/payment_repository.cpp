#include "db/payment_repository.hpp"

#include "util/clock.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace fruitpak::db::payments {
namespace {

namespace bj = boost::json;

constexpr std::string_view kInsert =
    "INSERT INTO grower_payments (id, enterprise_id, payment_ref, grower_id, packhouse_id, batch_ids, currency,"
    " gross_amount, total_deductions, net_amount, rate_per_kg, total_kg, paid_date, payment_type, status, notes,"
    " is_deleted, created_at, updated_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, FALSE, $17, $18)";

// Column order of the list statements; from_row() reads them by position. The grower is
// joined whatever its state, so a payment keeps its grower's name after a soft delete.
// "p.is_deleted = FALSE" is spelled as the partial indexes' predicate so they apply.
constexpr std::string_view kListHead =
    "SELECT p.id, p.payment_ref, p.grower_id, g.name, g.grower_code, p.packhouse_id, p.batch_ids, p.currency,"
    " p.gross_amount, p.total_deductions, p.net_amount, p.rate_per_kg, p.total_kg, p.payment_type, p.paid_date,"
    " p.status, p.notes, p.created_at, p.updated_at, COUNT(*) OVER ()"
    " FROM grower_payments p LEFT JOIN growers g ON g.enterprise_id = p.enterprise_id AND g.id = p.grower_id"
    " WHERE p.enterprise_id = $1 AND p.is_deleted = FALSE";
constexpr std::size_t kTotalColumn = 19;
constexpr std::string_view kListTail = " ORDER BY p.created_at DESC, p.id DESC LIMIT $2 OFFSET $3";
const std::string kList = std::string(kListHead) + std::string(kListTail);
const std::string kListByGrower = std::string(kListHead) + " AND p.grower_id = $4" + std::string(kListTail);
constexpr std::string_view kCount =
    "SELECT COUNT(*) FROM grower_payments WHERE enterprise_id = $1 AND is_deleted = FALSE";
constexpr std::string_view kCountByGrower =
    "SELECT COUNT(*) FROM grower_payments WHERE enterprise_id = $1 AND is_deleted = FALSE AND grower_id = $2";

// Followed by "IN ($3, $4, ...)", one placeholder per listed id.
constexpr std::string_view kGrowerBatchesIn =
    "SELECT id, net_weight_kg, gross_weight_kg FROM batches"
    " WHERE enterprise_id = $1 AND grower_id = $2 AND is_deleted = FALSE AND id IN (";
constexpr std::string_view kPayableBatches =
    "SELECT id, net_weight_kg, gross_weight_kg FROM batches"
    " WHERE enterprise_id = $1 AND grower_id = $2 AND is_deleted = FALSE AND status <> 'rejected'"
    " ORDER BY created_at, id";

std::string batch_ids_text(const std::vector<std::string>& ids) {
  bj::array list;
  list.reserve(ids.size());
  for (const auto& id : ids) list.emplace_back(id);
  return bj::serialize(list);
}

// The stored JSON list; anything unreadable reads as no batches (the contract's null -> []).
std::vector<std::string> batch_ids_from(const std::optional<std::string>& text) {
  std::vector<std::string> ids;
  if (!text) return ids;
  boost::system::error_code ec;
  auto value = bj::parse(*text, ec);
  if (ec || !value.is_array()) return ids;
  for (const auto& item : value.as_array()) {
    if (item.is_string()) ids.emplace_back(item.as_string());
  }
  return ids;
}

// PostgreSQL prints fractions without trailing zeros ("...:22.1234"); the contract's form
// has six digits or none, as the create response gives it.
std::string canonical_timestamp(const std::optional<std::string>& text) {
  if (!text) return {};
  auto parsed = util::parse_iso_utc(*text);
  return parsed ? util::iso_utc(*parsed) : *text;
}

domain::GrowerPayment from_row(const Row& r) {
  domain::GrowerPayment p;
  p.id = r.string(0);
  p.payment_ref = r.string(1);
  p.grower_id = r.string(2);
  p.grower_name = r.optional_string(3);
  p.grower_code = r.optional_string(4);
  p.packhouse_id = r.optional_string(5);
  p.batch_ids = batch_ids_from(r.optional_string(6));
  p.currency = r.string(7);
  p.gross_amount = r.number(8);
  p.total_deductions = r.number(9);
  p.net_amount = r.number(10);
  p.rate_per_kg = r.optional_number(11);
  p.total_kg = r.optional_number(12);
  p.payment_type = r.string(13);
  p.paid_date = r.optional_string(14);
  p.status = r.string(15);
  p.notes = r.optional_string(16);
  p.created_at = canonical_timestamp(r.timestamp(17));
  p.updated_at = canonical_timestamp(r.timestamp(18));
  return p;
}

std::vector<domain::CoveredBatch> covered_from(const Rows& rows) {
  std::vector<domain::CoveredBatch> out;
  out.reserve(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Row r = rows[i];
    out.push_back({r.string(0), r.optional_number(1), r.optional_number(2)});
  }
  return out;
}

}  // namespace

net::awaitable<Result<void>> insert(Runner run, domain::TenantId tenant, domain::GrowerPayment p) {
  Params params{p.id, tenant.value(), p.payment_ref, p.grower_id, nullable(p.packhouse_id), batch_ids_text(p.batch_ids),
                p.currency, p.gross_amount, p.total_deductions, p.net_amount, nullable(p.rate_per_kg), nullable(p.total_kg),
                nullable(p.paid_date), p.payment_type, p.status, nullable(p.notes), p.created_at, p.updated_at};
  auto rows = co_await run.execute(kInsert, std::move(params));
  if (!rows) co_return rows.error();
  co_return Result<void>{};
}

net::awaitable<Result<domain::Page<domain::GrowerPayment>>> list(Runner run, domain::TenantId tenant,
                                                                std::optional<std::string> grower_id,
                                                                domain::PageRequest page) {
  Params params{tenant.value(), std::int64_t{page.limit}, page.offset};
  if (grower_id) params.emplace_back(*grower_id);
  const std::string& sql = grower_id ? kListByGrower : kList;
  auto rows = co_await run.execute(sql, std::move(params));
  if (!rows) co_return rows.error();
  domain::Page<domain::GrowerPayment> out{{}, 0, page.limit, page.offset};
  out.items.reserve(rows->size());
  for (std::size_t i = 0; i < rows->size(); ++i) out.items.push_back(from_row((*rows)[i]));
  if (!rows->empty()) {
    out.total = rows->front().int64(kTotalColumn);
  } else if (page.offset > 0) {
    Params count_params{tenant.value()};
    if (grower_id) count_params.emplace_back(*grower_id);
    const std::string_view count_sql = grower_id ? kCountByGrower : kCount;
    auto counted = co_await run.execute(count_sql, std::move(count_params));
    if (!counted) co_return counted.error();
    out.total = counted->front().int64(0);
  }
  co_return out;
}

net::awaitable<Result<std::vector<domain::CoveredBatch>>> find_grower_batches(Runner run, domain::TenantId tenant,
                                                                             std::string grower_id,
                                                                             std::vector<std::string> batch_ids) {
  if (batch_ids.empty()) co_return std::vector<domain::CoveredBatch>{};
  // The statement differs only in the number of placeholders; every value is bound.
  std::string sql(kGrowerBatchesIn);
  Params params{tenant.value(), std::move(grower_id)};
  params.reserve(2 + batch_ids.size());
  for (auto& id : batch_ids) {
    if (params.size() > 2) sql += ", ";
    params.emplace_back(std::move(id));
    sql += "$" + std::to_string(params.size());
  }
  sql += ")";
  auto rows = co_await run.execute(sql, std::move(params));
  if (!rows) co_return rows.error();
  co_return covered_from(*rows);
}

net::awaitable<Result<std::vector<domain::CoveredBatch>>> payable_grower_batches(Runner run, domain::TenantId tenant,
                                                                                std::string grower_id) {
  Params params{tenant.value(), std::move(grower_id)};
  auto rows = co_await run.execute(kPayableBatches, std::move(params));
  if (!rows) co_return rows.error();
  co_return covered_from(*rows);
}

}  // namespace fruitpak::db::payments
