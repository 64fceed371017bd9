#include "db/invoice_repository.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace fruitpak::db {
namespace {

namespace bj = boost::json;

// Column order read by invoice_from(): the invoice's columns, the export's booking_ref and
// the applied credits in cents (summed as whole cents, so the sum is exact).
constexpr std::string_view kInvoiceColumns =
    "i.id, i.invoice_number, i.client_name, i.client_ref, i.export_id, i.currency, i.line_items, i.subtotal,"
    " i.tax_rate_pct, i.tax_amount, i.total_amount, i.amount_paid, i.balance_due, i.issue_date, i.due_date,"
    " i.paid_date, i.payment_terms, i.incoterm, i.status, i.notes, i.created_by, i.created_at, i.updated_at,"
    " e.booking_ref,"
    " COALESCE((SELECT SUM(ROUND(ac.total_amount * 100)) FROM credits ac WHERE ac.enterprise_id = i.enterprise_id"
    " AND ac.invoice_id = i.id AND ac.status = 'applied' AND ac.is_deleted = FALSE), 0)";
constexpr std::size_t kInvoiceWidth = 25;
constexpr std::string_view kInvoiceFrom =
    " FROM client_invoices i LEFT JOIN exports e ON e.enterprise_id = i.enterprise_id AND e.id = i.export_id";

constexpr std::string_view kInsertInvoice =
    "INSERT INTO client_invoices (id, enterprise_id, invoice_number, client_name, client_ref, export_id, currency,"
    " line_items, subtotal, tax_rate_pct, tax_amount, total_amount, amount_paid, balance_due, issue_date, due_date,"
    " paid_date, payment_terms, incoterm, status, notes, created_by, is_deleted, created_at, updated_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22,"
    " FALSE, $23, $24)";
constexpr std::string_view kUpdateInvoice =
    "UPDATE client_invoices SET client_name = $3, client_ref = $4, export_id = $5, currency = $6, line_items = $7,"
    " subtotal = $8, tax_rate_pct = $9, tax_amount = $10, total_amount = $11, amount_paid = $12, balance_due = $13,"
    " issue_date = $14, due_date = $15, paid_date = $16, payment_terms = $17, incoterm = $18, status = $19,"
    " notes = $20, updated_at = $21 WHERE enterprise_id = $1 AND id = $2 AND is_deleted = FALSE";
constexpr std::string_view kTouchInvoice =
    "UPDATE client_invoices SET updated_at = $3 WHERE enterprise_id = $1 AND id = $2 AND is_deleted = FALSE";
constexpr std::string_view kDeleteInvoice =
    "UPDATE client_invoices SET is_deleted = TRUE, updated_at = $3"
    " WHERE enterprise_id = $1 AND id = $2 AND is_deleted = FALSE";
constexpr std::string_view kFindExport =
    "SELECT id, status, client_name, currency, booking_ref FROM exports"
    " WHERE enterprise_id = $1 AND id = $2 AND is_deleted = FALSE";

// Column order read by credit_from(), then the invoice's number.
constexpr std::string_view kCreditColumns =
    "c.id, c.credit_number, c.credit_type, c.reason, c.reason_detail, c.invoice_id, c.grower_payment_id,"
    " c.export_id, c.currency, c.line_items, c.total_amount, c.issue_date, c.applied_date, c.status, c.approved_by,"
    " c.approved_at, c.notes, c.created_by, c.created_at, c.updated_at, i.invoice_number";
constexpr std::size_t kCreditWidth = 21;
constexpr std::string_view kCreditFrom =
    " FROM credits c LEFT JOIN client_invoices i ON i.enterprise_id = c.enterprise_id AND i.id = c.invoice_id";

constexpr std::string_view kInsertCredit =
    "INSERT INTO credits (id, enterprise_id, credit_number, credit_type, reason, reason_detail, invoice_id,"
    " grower_payment_id, export_id, currency, line_items, total_amount, issue_date, applied_date, status,"
    " approved_by, approved_at, notes, created_by, is_deleted, created_at, updated_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, FALSE, $20, $21)";
constexpr std::string_view kUpdateCredit =
    "UPDATE credits SET status = $3, applied_date = $4, approved_by = $5, approved_at = $6, notes = $7,"
    " updated_at = $8 WHERE enterprise_id = $1 AND id = $2 AND is_deleted = FALSE";
constexpr std::string_view kTouchCredit =
    "UPDATE credits SET updated_at = $3 WHERE enterprise_id = $1 AND id = $2 AND is_deleted = FALSE";
constexpr std::string_view kDeleteCredit =
    "UPDATE credits SET is_deleted = TRUE, updated_at = $3 WHERE enterprise_id = $1 AND id = $2 AND is_deleted = FALSE";
// An unset link is bound as NULL, which matches no row: its count is 0 and it is not asked about.
constexpr std::string_view kCreditLinks =
    "SELECT (SELECT COUNT(*) FROM exports WHERE enterprise_id = $1 AND id = $2 AND is_deleted = FALSE),"
    " (SELECT COUNT(*) FROM grower_payments WHERE enterprise_id = $1 AND id = $3 AND is_deleted = FALSE)";

std::optional<double> number_of(const bj::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v || !v->is_number()) return std::nullopt;
  return v->to_number<double>();
}

std::string lines_text(const std::vector<domain::InvoiceLine>& lines) {
  bj::array out;
  out.reserve(lines.size());
  for (const auto& l : lines) {
    bj::object item{{"description", l.description}};
    item["quantity"] = l.quantity_milli ? bj::value(static_cast<double>(*l.quantity_milli) / 1000.0) : bj::value();
    item["unit"] = l.unit ? bj::value(*l.unit) : bj::value();
    item["unit_price"] = l.unit_price_e4 ? bj::value(static_cast<double>(*l.unit_price_e4) / 10'000.0) : bj::value();
    item["amount"] = domain::from_cents(l.amount);
    out.emplace_back(std::move(item));
  }
  return bj::serialize(out);
}

Param optional_lines_text(const std::optional<std::vector<domain::InvoiceLine>>& lines) {
  if (!lines) return nullptr;
  return lines_text(*lines);
}

// Stored lines, read leniently: rows written before this API (demo data) may lack keys.
std::vector<domain::InvoiceLine> lines_from(const std::optional<std::string>& text) {
  std::vector<domain::InvoiceLine> out;
  if (!text) return out;
  boost::system::error_code ec;
  auto parsed = bj::parse(*text, ec);
  if (ec || !parsed.is_array()) return out;
  for (const auto& v : parsed.as_array()) {
    const auto* item = v.if_object();
    if (!item) continue;
    domain::InvoiceLine l;
    if (const auto* d = item->if_contains("description"); d && d->is_string()) l.description = std::string(d->as_string());
    if (const auto* u = item->if_contains("unit"); u && u->is_string()) l.unit = std::string(u->as_string());
    if (auto q = number_of(*item, "quantity")) l.quantity_milli = static_cast<std::int64_t>(std::llround(*q * 1000.0));
    if (auto p = number_of(*item, "unit_price")) l.unit_price_e4 = static_cast<std::int64_t>(std::llround(*p * 10'000.0));
    l.amount = domain::to_cents(number_of(*item, "amount").value_or(0));
    out.push_back(std::move(l));
  }
  return out;
}

domain::ClientInvoice invoice_from(const Row& r) {
  domain::ClientInvoice i;
  i.id = r.string(0);
  i.invoice_number = r.string(1);
  i.client_name = r.string(2);
  i.client_ref = r.optional_string(3);
  i.export_id = r.optional_string(4);
  i.currency = r.string(5);
  i.line_items = lines_from(r.optional_string(6));
  i.subtotal = domain::to_cents(r.number(7));
  i.tax_rate_pct = r.number(8);
  i.tax_amount = domain::to_cents(r.number(9));
  i.total_amount = domain::to_cents(r.number(10));
  i.amount_paid = domain::to_cents(r.number(11));
  i.balance_due = domain::to_cents(r.number(12));
  i.issue_date = r.date(13).value_or("");
  i.due_date = r.date(14);
  i.paid_date = r.date(15);
  i.payment_terms = r.optional_string(16);
  i.incoterm = r.optional_string(17);
  i.status = r.string(18);
  i.notes = r.optional_string(19);
  i.created_by = r.optional_string(20);
  i.created_at = r.timestamp(21).value_or("");
  i.updated_at = r.timestamp(22).value_or("");
  i.booking_ref = r.optional_string(23);
  i.credited_amount = static_cast<domain::Cents>(std::llround(r.number(24)));
  return i;
}

domain::Credit credit_from(const Row& r) {
  domain::Credit c;
  c.id = r.string(0);
  c.credit_number = r.string(1);
  c.credit_type = r.string(2);
  c.reason = r.string(3);
  c.reason_detail = r.optional_string(4);
  c.invoice_id = r.optional_string(5);
  c.grower_payment_id = r.optional_string(6);
  c.export_id = r.optional_string(7);
  c.currency = r.string(8);
  if (auto text = r.optional_string(9)) c.line_items = lines_from(text);
  c.total_amount = domain::to_cents(r.number(10));
  c.issue_date = r.date(11).value_or("");
  c.applied_date = r.date(12);
  c.status = r.string(13);
  c.approved_by = r.optional_string(14);
  c.approved_at = r.timestamp(15);
  c.notes = r.optional_string(16);
  c.created_by = r.optional_string(17);
  c.created_at = r.timestamp(18).value_or("");
  c.updated_at = r.timestamp(19).value_or("");
  c.invoice_number = r.optional_string(20);
  return c;
}

// `text` as a LIKE pattern matching it anywhere, in lower case, with LIKE's own characters
// escaped by '\'.
std::string contains_pattern(const std::string& text) {
  std::string out = "%";
  for (char ch : text) {
    if (ch == '%' || ch == '_' || ch == '\\') out += '\\';
    out += (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch;
  }
  return out + "%";
}

// Appends " AND <fragment>$n" for a set filter, binding its value as $n.
struct Where {
  Params& params;
  std::string sql;

  void add(std::string_view fragment, const std::optional<std::string>& value, std::string_view tail = {}) {
    if (!value) return;
    params.emplace_back(*value);
    sql += std::string(fragment) + std::to_string(params.size()) + std::string(tail);
  }
};

// A page of `select ... from ... where`, newest first, with COUNT(*) OVER () in column
// `total_column`; a second statement counts only when the page lies past the end.
template <class T, class FromRow>
net::awaitable<Result<domain::Page<T>>> page_of(Runner run, std::string head, std::string from_where, Params params,
                                                std::string_view order, std::size_t total_column,
                                                domain::PageRequest page, FromRow from_row) {
  Params count_params = params;
  params.emplace_back(std::int64_t{page.limit});
  params.emplace_back(page.offset);
  const std::string sql = head + ", COUNT(*) OVER ()" + from_where + " ORDER BY " + std::string(order) + " LIMIT $" +
                          std::to_string(params.size() - 1) + " OFFSET $" + std::to_string(params.size());
  auto rows = co_await run.execute(sql, std::move(params));
  if (!rows) co_return rows.error();
  domain::Page<T> out{{}, 0, page.limit, page.offset};
  out.items.reserve(rows->size());
  for (std::size_t i = 0; i < rows->size(); ++i) out.items.push_back(from_row((*rows)[i]));
  if (!rows->empty()) {
    out.total = rows->front().int64(total_column);
  } else if (page.offset > 0) {
    auto counted = co_await run.execute("SELECT COUNT(*)" + from_where, std::move(count_params));
    if (!counted) co_return counted.error();
    out.total = counted->front().int64(0);
  }
  co_return out;
}

}  // namespace

namespace invoices {

net::awaitable<Result<std::optional<ExportRef>>> find_export(Runner run, domain::TenantId tenant, std::string id) {
  Params params{tenant.value(), std::move(id)};
  auto rows = co_await run.execute(kFindExport, std::move(params));
  if (!rows) co_return rows.error();
  if (rows->empty()) co_return std::optional<ExportRef>();
  const Row r = rows->front();
  co_return std::optional<ExportRef>(ExportRef{.id = r.string(0),
                                               .status = r.string(1),
                                               .client_name = r.string(2),
                                               .currency = r.optional_string(3),
                                               .booking_ref = r.string(4)});
}

net::awaitable<Result<void>> insert(Runner run, domain::TenantId tenant, domain::ClientInvoice i) {
  Params params{i.id, tenant.value(), i.invoice_number, i.client_name, nullable(i.client_ref), nullable(i.export_id),
                i.currency, lines_text(i.line_items), domain::from_cents(i.subtotal), i.tax_rate_pct,
                domain::from_cents(i.tax_amount), domain::from_cents(i.total_amount), domain::from_cents(i.amount_paid),
                domain::from_cents(i.balance_due), i.issue_date, nullable(i.due_date), nullable(i.paid_date),
                nullable(i.payment_terms), nullable(i.incoterm), i.status, nullable(i.notes), nullable(i.created_by),
                i.created_at, i.updated_at};
  co_return co_await run_statement(run, kInsertInvoice, std::move(params));
}

net::awaitable<Result<std::optional<domain::ClientInvoice>>> find(Runner run, domain::TenantId tenant,
                                                                  std::string id) {
  const std::string sql = "SELECT " + std::string(kInvoiceColumns) + std::string(kInvoiceFrom) +
                          " WHERE i.enterprise_id = $1 AND i.id = $2 AND i.is_deleted = FALSE";
  Params params{tenant.value(), std::move(id)};
  auto rows = co_await run.execute(sql, std::move(params));
  if (!rows) co_return rows.error();
  if (rows->empty()) co_return std::optional<domain::ClientInvoice>();
  co_return std::optional<domain::ClientInvoice>(invoice_from(rows->front()));
}

net::awaitable<Result<std::optional<domain::ClientInvoice>>> lock(Runner run, domain::TenantId tenant, std::string id,
                                                                  std::string now) {
  Params params{tenant.value(), id, std::move(now)};
  auto touched = co_await run.execute(kTouchInvoice, std::move(params));
  if (!touched) co_return touched.error();
  if (touched->affected() == 0) co_return std::optional<domain::ClientInvoice>();
  co_return co_await find(run, std::move(tenant), std::move(id));
}

net::awaitable<Result<std::optional<domain::InvoiceDetail>>> detail(Runner run, domain::TenantId tenant,
                                                                    std::string id) {
  const std::string sql =
      "SELECT " + std::string(kInvoiceColumns) + ", dc.id, dc.credit_number, dc.status, dc.total_amount" +
      std::string(kInvoiceFrom) +
      " LEFT JOIN credits dc ON dc.enterprise_id = i.enterprise_id AND dc.invoice_id = i.id AND dc.is_deleted = FALSE"
      " WHERE i.enterprise_id = $1 AND i.id = $2 AND i.is_deleted = FALSE ORDER BY dc.created_at, dc.id";
  Params params{tenant.value(), std::move(id)};
  auto rows = co_await run.execute(sql, std::move(params));
  if (!rows) co_return rows.error();
  if (rows->empty()) co_return std::optional<domain::InvoiceDetail>();
  domain::InvoiceDetail out{.invoice = invoice_from(rows->front()), .credits = {}};
  for (std::size_t k = 0; k < rows->size(); ++k) {
    const Row r = (*rows)[k];
    if (r.is_null(kInvoiceWidth)) continue;
    out.credits.push_back(domain::CreditSummary{.id = r.string(kInvoiceWidth),
                                                .credit_number = r.string(kInvoiceWidth + 1),
                                                .status = r.string(kInvoiceWidth + 2),
                                                .total_amount = domain::to_cents(r.number(kInvoiceWidth + 3))});
  }
  co_return out;
}

net::awaitable<Result<domain::Page<domain::ClientInvoice>>> list(Runner run, domain::TenantId tenant,
                                                                 domain::InvoiceFilter f, domain::PageRequest page) {
  Params params{tenant.value()};
  Where where{params, std::string(kInvoiceFrom) + " WHERE i.enterprise_id = $1 AND i.is_deleted = FALSE"};
  where.add(" AND i.status = $", f.status);
  where.add(" AND i.export_id = $", f.export_id);
  std::optional<std::string> pattern;
  if (f.client) pattern = contains_pattern(*f.client);
  where.add(" AND LOWER(i.client_name) LIKE $", pattern, " ESCAPE '\\'");
  where.add(" AND i.issue_date >= $", f.date_from);
  where.add(" AND i.issue_date <= $", f.date_to);
  co_return co_await page_of<domain::ClientInvoice>(run, "SELECT " + std::string(kInvoiceColumns), where.sql,
                                                    std::move(params), "i.created_at DESC, i.id DESC", kInvoiceWidth,
                                                    page, &invoice_from);
}

net::awaitable<Result<void>> update(Runner run, domain::TenantId tenant, domain::ClientInvoice i) {
  Params params{tenant.value(), i.id, i.client_name, nullable(i.client_ref), nullable(i.export_id), i.currency,
                lines_text(i.line_items), domain::from_cents(i.subtotal), i.tax_rate_pct,
                domain::from_cents(i.tax_amount), domain::from_cents(i.total_amount), domain::from_cents(i.amount_paid),
                domain::from_cents(i.balance_due), i.issue_date, nullable(i.due_date), nullable(i.paid_date),
                nullable(i.payment_terms), nullable(i.incoterm), i.status, nullable(i.notes), i.updated_at};
  auto rows = co_await run.execute(kUpdateInvoice, std::move(params));
  if (!rows) co_return rows.error();
  if (rows->affected() != 1) co_return make_error(Errc::kNotFound, "invoice vanished during update");
  co_return Result<void>{};
}

net::awaitable<Result<bool>> soft_delete(Runner run, domain::TenantId tenant, std::string id, std::string now) {
  Params params{tenant.value(), std::move(id), std::move(now)};
  auto rows = co_await run.execute(kDeleteInvoice, std::move(params));
  if (!rows) co_return rows.error();
  co_return rows->affected() == 1;
}

}  // namespace invoices

namespace credits {

net::awaitable<Result<void>> insert(Runner run, domain::TenantId tenant, domain::Credit c) {
  Params params{c.id, tenant.value(), c.credit_number, c.credit_type, c.reason, nullable(c.reason_detail),
                nullable(c.invoice_id), nullable(c.grower_payment_id), nullable(c.export_id), c.currency,
                optional_lines_text(c.line_items), domain::from_cents(c.total_amount), c.issue_date,
                nullable(c.applied_date), c.status, nullable(c.approved_by), nullable(c.approved_at), nullable(c.notes),
                nullable(c.created_by), c.created_at, c.updated_at};
  co_return co_await run_statement(run, kInsertCredit, std::move(params));
}

net::awaitable<Result<std::optional<domain::Credit>>> find(Runner run, domain::TenantId tenant, std::string id) {
  const std::string sql = "SELECT " + std::string(kCreditColumns) + std::string(kCreditFrom) +
                          " WHERE c.enterprise_id = $1 AND c.id = $2 AND c.is_deleted = FALSE";
  Params params{tenant.value(), std::move(id)};
  auto rows = co_await run.execute(sql, std::move(params));
  if (!rows) co_return rows.error();
  if (rows->empty()) co_return std::optional<domain::Credit>();
  co_return std::optional<domain::Credit>(credit_from(rows->front()));
}

net::awaitable<Result<std::optional<domain::Credit>>> lock(Runner run, domain::TenantId tenant, std::string id,
                                                           std::string now) {
  Params params{tenant.value(), id, std::move(now)};
  auto touched = co_await run.execute(kTouchCredit, std::move(params));
  if (!touched) co_return touched.error();
  if (touched->affected() == 0) co_return std::optional<domain::Credit>();
  co_return co_await find(run, std::move(tenant), std::move(id));
}

net::awaitable<Result<domain::Page<domain::Credit>>> list(Runner run, domain::TenantId tenant, domain::CreditFilter f,
                                                          domain::PageRequest page) {
  Params params{tenant.value()};
  Where where{params, std::string(kCreditFrom) + " WHERE c.enterprise_id = $1 AND c.is_deleted = FALSE"};
  where.add(" AND c.status = $", f.status);
  where.add(" AND c.credit_type = $", f.credit_type);
  where.add(" AND c.invoice_id = $", f.invoice_id);
  co_return co_await page_of<domain::Credit>(run, "SELECT " + std::string(kCreditColumns), where.sql,
                                             std::move(params), "c.created_at DESC, c.id DESC", kCreditWidth, page,
                                             &credit_from);
}

net::awaitable<Result<void>> update_status(Runner run, domain::TenantId tenant, domain::Credit c) {
  Params params{tenant.value(), c.id, c.status, nullable(c.applied_date), nullable(c.approved_by),
                nullable(c.approved_at), nullable(c.notes), c.updated_at};
  auto rows = co_await run.execute(kUpdateCredit, std::move(params));
  if (!rows) co_return rows.error();
  if (rows->affected() != 1) co_return make_error(Errc::kNotFound, "credit vanished during update");
  co_return Result<void>{};
}

net::awaitable<Result<bool>> soft_delete(Runner run, domain::TenantId tenant, std::string id, std::string now) {
  Params params{tenant.value(), std::move(id), std::move(now)};
  auto rows = co_await run.execute(kDeleteCredit, std::move(params));
  if (!rows) co_return rows.error();
  co_return rows->affected() == 1;
}

net::awaitable<Result<std::optional<std::string>>> missing_link(Runner run, domain::TenantId tenant,
                                                                const domain::Credit& c) {
  if (!c.export_id && !c.grower_payment_id) co_return std::optional<std::string>();
  Params params{tenant.value(), nullable(c.export_id), nullable(c.grower_payment_id)};
  auto rows = co_await run.execute(kCreditLinks, std::move(params));
  if (!rows) co_return rows.error();
  if (c.export_id && rows->front().int64(0) == 0) co_return std::optional<std::string>("export_id");
  if (c.grower_payment_id && rows->front().int64(1) == 0) co_return std::optional<std::string>("grower_payment_id");
  co_return std::optional<std::string>();
}

}  // namespace credits
}  // namespace fruitpak::db
