#include "api/invoices_api.hpp"

#include "api/error_response.hpp"
#include "api/guard.hpp"
#include "api/input.hpp"
#include "api/json_input.hpp"
#include "api/openapi_schema.hpp"
#include "api/respond.hpp"
#include "http/errors.hpp"
#include "json/invoice_json.hpp"
#include "json/page_json.hpp"
#include "services/invoice_service.hpp"

#include <boost/json/array.hpp>


namespace fruitpak::api {
namespace {

using http::Method;
using http::Status;
using services::CreditService;
using services::InvoiceService;
using Reply = net::awaitable<http::Response>;
using cache::CachePolicy;
using domain::Change;
using namespace std::chrono_literals;
namespace bj = boost::json;

// Bounds the schema leaves open, against typing errors, absurd values and amounts a DOUBLE
// column no longer holds to the cent: 200 lines of at most 10^10 stay far below 2^53 cents.
constexpr std::size_t kMaxLines = 200;
constexpr double kMaxQuantity = 1e9;
constexpr double kMaxUnitPrice = 1e9;
constexpr domain::Cents kMaxLineAmount = 1'000'000'000'000;  // 10^10 in cents
constexpr double kMaxAmount = 1e12;
constexpr std::size_t kMaxIdLength = 36;
constexpr std::size_t kMaxNotesLength = 10'000;
constexpr int kMoneyPlaces = 2;
constexpr int kQuantityPlaces = 3;
constexpr int kUnitPricePlaces = 4;  // prices per kg may hold fractions of a cent
constexpr int kRatePlaces = 4;

constexpr std::string_view kInvoiceStatusMessage =
    "Input should be 'draft', 'issued', 'partially_paid', 'paid', 'cancelled' or 'credited'";
constexpr std::string_view kCreditStatusMessage = "Input should be 'draft', 'issued', 'applied' or 'cancelled'";
constexpr std::string_view kCreditTypeMessage = "Input should be 'client_credit', 'grower_credit' or 'adjustment'";
constexpr std::string_view kReasonMessage =
    "Input should be 'quality_claim', 'short_delivery', 'price_adjustment', 'reject_return' or 'other'";

// A field whose value must be one of a fixed set: `required` says whether absence is an error.
std::optional<std::string> read_choice(BodyReader& in, const bj::object& body, std::string_view field,
                                       bool (*is_valid)(std::string_view), std::string_view message, bool required) {
  const auto* value = body.if_contains(field);
  if (!value || (value->is_null() && !required)) {
    if (required) in.add_error(in.loc_of(field), "Field required", "missing");
    return std::nullopt;
  }
  if (!value->is_string() || !is_valid(value->as_string())) {
    in.add_error(in.loc_of(field), std::string(message), "enum");
    return std::nullopt;
  }
  return std::string(value->as_string());
}

// A number of min..max with at most `places` decimals, as an integer scaled by 10^places
// (12.5 with 2 places: 1250). Absent or null: nullopt, an error when `required`.
// `positive` refuses 0.
std::optional<std::int64_t> read_scaled(BodyReader& in, const bj::object& body, std::string_view field, double min,
                                        double max, int places, bool required, bool positive) {
  const auto* value = body.if_contains(field);
  if (!value || value->is_null()) {
    if (required && !value) in.add_error(in.loc_of(field), "Field required", "missing");
    if (required && value) in.add_error(in.loc_of(field), "Input should be a valid number", "float_type");
    return std::nullopt;
  }
  auto number = in.optional_number(field, min, max);
  if (!number) return std::nullopt;
  if (positive && *number <= 0) {
    in.add_error(in.loc_of(field), "Input should be greater than 0", "greater_than");
    return std::nullopt;
  }
  auto scaled = domain::scaled_exactly(*number, places);
  if (!scaled) {
    in.add_error(in.loc_of(field),
                 "Decimal input should have no more than " + std::to_string(places) + " decimal places",
                 "decimal_max_places");
  }
  return scaled;
}

// A currency code of three capital letters; absent or null: nullopt (the caller decides).
std::optional<std::string> read_currency(BodyReader& in, const bj::object& body) {
  const auto* value = body.if_contains("currency");
  if (!value || value->is_null()) return std::nullopt;
  const std::size_t before = in.errors().size();
  std::string code = in.required_string("currency", 3, 3);
  if (in.errors().size() != before) return std::nullopt;
  for (char c : code) {
    if (c < 'A' || c > 'Z') {
      in.add_error(in.loc_of("currency"), "String should match pattern '^[A-Z]{3}$'", "string_pattern_mismatch");
      return std::nullopt;
    }
  }
  return code;
}

// A date that may be absent (the caller defaults it) but not null.
std::optional<std::string> non_null_date(BodyReader& in, const bj::object& body, std::string_view field) {
  if (body.contains(field) && body.at(field).is_null()) {
    in.add_error(in.loc_of(field), "Input should be a valid date", "date_type");
    return std::nullopt;
  }
  return in.optional_date(field);
}

// One item of `line_items`, read with errors located under ["body", "line_items", i].
std::optional<domain::InvoiceLine> read_line(BodyReader& in, const bj::object& item) {
  auto description = in.required_string("description", 500);
  auto quantity = read_scaled(in, item, "quantity", 0, kMaxQuantity, kQuantityPlaces, true, true);
  auto unit = in.optional_string("unit", 20);
  auto price = read_scaled(in, item, "unit_price", 0, kMaxUnitPrice, kUnitPricePlaces, true, false);
  if (!in.ok() || !quantity || !price) return std::nullopt;
  auto line = domain::make_line(std::move(description), *quantity, std::move(unit), *price);
  if (line.amount > kMaxLineAmount) {
    in.add_error(in.loc_of("unit_price"), "Value error, quantity x unit_price may be at most 10000000000",
                 "value_error");
    return std::nullopt;
  }
  return line;
}

// `line_items`: a list of 1..200 line objects. Absent or null: nullopt, an error when
// `required`.
std::optional<std::vector<domain::InvoiceLine>> read_lines(BodyReader& in, const bj::object& body, bool required) {
  const auto* value = body.if_contains("line_items");
  if (!value || (value->is_null() && !required)) {
    if (required) in.add_error({"body", "line_items"}, "Field required", "missing");
    return std::nullopt;
  }
  const auto* items = value->if_array();
  if (!items) {
    in.add_error({"body", "line_items"}, "Input should be a valid list", "list_type");
    return std::nullopt;
  }
  if (items->empty() || items->size() > kMaxLines) {
    const bool empty = items->empty();
    in.add_error({"body", "line_items"},
                 std::string(empty ? "List should have at least 1 item" : "List should have at most 200 items") +
                     " after validation, not " + std::to_string(items->size()),
                 empty ? "too_short" : "too_long");
    return std::nullopt;
  }
  std::vector<domain::InvoiceLine> lines;
  bool all = true;
  for (std::size_t i = 0; i < items->size(); ++i) {
    const auto* item = (*items)[i].if_object();
    if (!item) {
      in.add_error({"body", "line_items", std::to_string(i)},
                   "Input should be a valid dictionary or object to extract fields from", "model_attributes_type");
      all = false;
      continue;
    }
    BodyReader item_in(*item, {"body", "line_items", std::to_string(i)});
    auto line = read_line(item_in, *item);
    for (const auto& e : item_in.errors()) in.add_error(e.loc, e.msg, e.type);
    if (line) {
      lines.push_back(std::move(*line));
    } else {
      all = false;
    }
  }
  if (!all) return std::nullopt;
  return lines;
}

// Reads every invoice field present in `body` into `v` (create: line_items is required).
void read_invoice(BodyReader& in, const bj::object& body, domain::ClientInvoice& v, bool is_patch) {
  auto sent = [&](std::string_view key) { return body.contains(key); };
  if (sent("client_name")) v.client_name = in.required_string("client_name", 255);
  if (sent("client_ref")) v.client_ref = in.optional_string("client_ref", 100);
  if (sent("export_id")) v.export_id = in.optional_code("export_id", kMaxIdLength);
  if (sent("currency")) {
    if (body.at("currency").is_null()) {
      in.add_error({"body", "currency"}, "Input should be a valid string", "string_type");
    } else if (auto code = read_currency(in, body)) {
      v.currency = *code;
    }
  }
  if (sent("line_items") || !is_patch) {
    if (auto lines = read_lines(in, body, true)) v.line_items = std::move(*lines);
  }
  if (sent("tax_rate_pct")) {
    auto rate = read_scaled(in, body, "tax_rate_pct", 0, 100, kRatePlaces, is_patch, false);
    if (rate) v.tax_rate_pct = static_cast<double>(*rate) / 10'000.0;
  }
  if (sent("issue_date")) {
    if (auto day = non_null_date(in, body, "issue_date")) v.issue_date = *day;
  }
  if (sent("due_date")) v.due_date = in.optional_date("due_date");
  if (sent("payment_terms")) v.payment_terms = in.optional_string("payment_terms", 100);
  if (sent("incoterm")) v.incoterm = in.optional_string("incoterm", 10);
  if (sent("notes")) v.notes = in.optional_string("notes", kMaxNotesLength);
}

bool has_value(const bj::object& body, std::string_view key) {
  const auto* v = body.if_contains(key);
  return v && !v->is_null();
}

void check_dates(BodyReader& in, const bj::object& body, const domain::ClientInvoice& v) {
  if (has_value(body, "issue_date") && v.due_date && in.ok() && *v.due_date < v.issue_date) {
    in.add_error({"body", "due_date"}, "Value error, due_date must not be before issue_date", "value_error");
  }
}

Reply create_invoice(InvoiceService& invoices, http::Request& req, const Caller& caller) {
  auto body = read_json_object(req);
  if (!body) co_return body.error();
  BodyReader in(*body);
  services::InvoiceDraft draft;
  read_invoice(in, *body, draft.values, false);
  if (!body->contains("client_name") && !draft.values.export_id) {
    in.add_error({"body", "client_name"}, "Field required", "missing");
  }
  check_dates(in, *body, draft.values);
  if (!in.ok()) co_return http::validation_error_response(in.errors());
  draft.client_name_sent = body->contains("client_name");
  draft.currency_sent = has_value(*body, "currency");
  draft.issue_date_sent = has_value(*body, "issue_date");
  auto created = co_await invoices.create(caller.tenant(), std::move(draft), caller.principal->user_id, &req.queries);
  if (!created) co_return error_response_for(created.error());
  co_return json_response(Status::created, json::to_json(*created));
}

Reply update_invoice(InvoiceService& invoices, http::Request& req, const Caller& caller) {
  auto body = read_json_object(req);
  if (!body) co_return body.error();
  // Validate once against a scratch invoice, then apply the same reading to the stored one.
  BodyReader in(*body);
  domain::ClientInvoice scratch;
  read_invoice(in, *body, scratch, true);
  check_dates(in, *body, scratch);
  if (!in.ok()) co_return http::validation_error_response(in.errors());
  bj::object sent = std::move(*body);
  services::InvoicePatch patch = [sent](domain::ClientInvoice& invoice) {
    BodyReader again(sent);
    read_invoice(again, sent, invoice, true);
  };
  auto updated = co_await invoices.update(caller.tenant(), std::string(req.param("invoice_id")), std::move(patch),
                                          &req.queries);
  if (!updated) co_return error_response_for(updated.error());
  co_return json_response(Status::ok, json::to_json(*updated));
}

Reply issue_invoice(InvoiceService& invoices, http::Request& req, const Caller& caller) {
  auto issued = co_await invoices.issue(caller.tenant(), std::string(req.param("invoice_id")), &req.queries);
  if (!issued) co_return error_response_for(issued.error());
  co_return json_response(Status::ok, json::to_json(*issued));
}

Reply cancel_invoice(InvoiceService& invoices, http::Request& req, const Caller& caller) {
  auto cancelled = co_await invoices.cancel(caller.tenant(), std::string(req.param("invoice_id")), &req.queries);
  if (!cancelled) co_return error_response_for(cancelled.error());
  co_return json_response(Status::ok, json::to_json(*cancelled));
}

Reply pay_invoice(InvoiceService& invoices, http::Request& req, const Caller& caller) {
  auto body = read_json_object(req);
  if (!body) co_return body.error();
  BodyReader in(*body);
  auto amount = read_scaled(in, *body, "amount", 0, kMaxAmount, kMoneyPlaces, true, true);
  auto paid_date = in.optional_date("paid_date");
  if (!in.ok()) co_return http::validation_error_response(in.errors());
  auto paid = co_await invoices.pay(caller.tenant(), std::string(req.param("invoice_id")), amount.value_or(0),
                                    std::move(paid_date), &req.queries);
  if (!paid) co_return error_response_for(paid.error());
  co_return json_response(Status::ok, json::to_json(*paid));
}

domain::InvoiceFilter read_invoice_filter(const http::Request& req, std::vector<http::FieldError>& errors) {
  domain::InvoiceFilter f;
  f.status = read_query_string(req, "status", 30, errors);
  if (f.status && !domain::is_invoice_status(*f.status)) {
    errors.push_back({{"query", "status"}, std::string(kInvoiceStatusMessage), "enum"});
  }
  f.export_id = read_query_string(req, "export_id", kMaxIdLength, errors);
  f.client = read_query_string(req, "client", 255, errors);
  f.date_from = read_query_date(req, "date_from", errors);
  f.date_to = read_query_date(req, "date_to", errors);
  return f;
}

Reply list_invoices(InvoiceService& invoices, http::Request& req, const Caller& caller) {
  std::vector<http::FieldError> errors;
  auto page = read_page(req, errors);
  auto filter = read_invoice_filter(req, errors);
  if (!errors.empty()) co_return http::validation_error_response(errors);
  auto listed = co_await invoices.list(caller.tenant(), std::move(filter), page, &req.queries);
  if (!listed) co_return error_response_for(listed.error());
  co_return json_response(Status::ok, json::page_to_json(*listed, [](const auto& i) { return json::to_json(i); }));
}

Reply get_invoice(InvoiceService& invoices, http::Request& req, const Caller& caller) {
  auto found = co_await invoices.get(caller.tenant(), std::string(req.param("invoice_id")), &req.queries);
  if (!found) co_return error_response_for(found.error());
  co_return json_response(Status::ok, json::to_json(*found));
}

Reply remove_invoice(InvoiceService& invoices, http::Request& req, const Caller& caller) {
  auto removed = co_await invoices.remove(caller.tenant(), std::string(req.param("invoice_id")), &req.queries);
  if (!removed) co_return error_response_for(removed.error());
  co_return no_content();
}

services::CreditDraft read_credit(BodyReader& in, const bj::object& body) {
  services::CreditDraft draft;
  auto& c = draft.values;
  c.credit_type = read_choice(in, body, "credit_type", &domain::is_credit_type, kCreditTypeMessage, true).value_or("");
  c.reason = read_choice(in, body, "reason", &domain::is_credit_reason, kReasonMessage, true).value_or("");
  c.reason_detail = in.optional_string("reason_detail", kMaxNotesLength);
  c.invoice_id = in.optional_code("invoice_id", kMaxIdLength);
  c.grower_payment_id = in.optional_code("grower_payment_id", kMaxIdLength);
  c.export_id = in.optional_code("export_id", kMaxIdLength);
  draft.currency_sent = has_value(body, "currency");
  if (auto code = read_currency(in, body)) c.currency = *code;
  if (!draft.currency_sent && !c.invoice_id) {
    in.add_error({"body", "currency"}, "Field required unless invoice_id is given", "missing");
  }
  c.line_items = read_lines(in, body, false);
  const bool lines_sent = has_value(body, "line_items");
  auto total = read_scaled(in, body, "total_amount", 0, kMaxAmount, kMoneyPlaces, !lines_sent, true);
  if (c.line_items) {
    domain::Cents sum = 0;
    for (const auto& line : *c.line_items) sum += line.amount;
    if (sum == 0) {
      in.add_error({"body", "line_items"}, "Value error, the line items must add up to more than 0", "value_error");
    } else if (total && *total != sum) {
      in.add_error({"body", "total_amount"},
                   "Value error, total_amount must equal the sum of the line items (" + domain::format_cents(sum) + ")",
                   "value_error");
    }
    c.total_amount = sum;
  } else {
    c.total_amount = total.value_or(0);
  }
  if (auto day = in.optional_date("issue_date")) {
    c.issue_date = *day;
    draft.issue_date_sent = true;
  }
  c.notes = in.optional_string("notes", kMaxNotesLength);
  return draft;
}

Reply create_credit(CreditService& credits, http::Request& req, const Caller& caller) {
  auto body = read_json_object(req);
  if (!body) co_return body.error();
  BodyReader in(*body);
  auto draft = read_credit(in, *body);
  if (!in.ok()) co_return http::validation_error_response(in.errors());
  auto created = co_await credits.create(caller.tenant(), std::move(draft), caller.principal->user_id, &req.queries);
  if (!created) co_return error_response_for(created.error());
  co_return json_response(Status::created, json::to_json(*created));
}

Reply list_credits(CreditService& credits, http::Request& req, const Caller& caller) {
  std::vector<http::FieldError> errors;
  auto page = read_page(req, errors);
  domain::CreditFilter f;
  f.status = read_query_string(req, "status", 30, errors);
  if (f.status && !domain::is_credit_status(*f.status)) {
    errors.push_back({{"query", "status"}, std::string(kCreditStatusMessage), "enum"});
  }
  f.credit_type = read_query_string(req, "credit_type", 30, errors);
  if (f.credit_type && !domain::is_credit_type(*f.credit_type)) {
    errors.push_back({{"query", "credit_type"}, std::string(kCreditTypeMessage), "enum"});
  }
  f.invoice_id = read_query_string(req, "invoice_id", kMaxIdLength, errors);
  if (!errors.empty()) co_return http::validation_error_response(errors);
  auto listed = co_await credits.list(caller.tenant(), std::move(f), page, &req.queries);
  if (!listed) co_return error_response_for(listed.error());
  co_return json_response(Status::ok, json::page_to_json(*listed, [](const auto& c) { return json::to_json(c); }));
}

Reply get_credit(CreditService& credits, http::Request& req, const Caller& caller) {
  auto found = co_await credits.get(caller.tenant(), std::string(req.param("credit_id")), &req.queries);
  if (!found) co_return error_response_for(found.error());
  co_return json_response(Status::ok, json::to_json(*found));
}

Reply issue_credit(CreditService& credits, http::Request& req, const Caller& caller) {
  auto issued = co_await credits.issue(caller.tenant(), std::string(req.param("credit_id")), caller.principal->user_id,
                                       &req.queries);
  if (!issued) co_return error_response_for(issued.error());
  co_return json_response(Status::ok, json::to_json(*issued));
}

Reply apply_credit(CreditService& credits, http::Request& req, const Caller& caller) {
  auto applied = co_await credits.apply(caller.tenant(), std::string(req.param("credit_id")), &req.queries);
  if (!applied) co_return error_response_for(applied.error());
  co_return json_response(Status::ok, json::to_json(*applied));
}

Reply cancel_credit(CreditService& credits, http::Request& req, const Caller& caller) {
  auto cancelled = co_await credits.cancel(caller.tenant(), std::string(req.param("credit_id")), &req.queries);
  if (!cancelled) co_return error_response_for(cancelled.error());
  co_return json_response(Status::ok, json::to_json(*cancelled));
}

Reply remove_credit(CreditService& credits, http::Request& req, const Caller& caller) {
  auto removed = co_await credits.remove(caller.tenant(), std::string(req.param("credit_id")), &req.queries);
  if (!removed) co_return error_response_for(removed.error());
  co_return no_content();
}

oas::Schema invoice_status_schema() {
  return oas::one_of({"draft", "issued", "partially_paid", "paid", "cancelled", "credited"});
}
oas::Schema credit_status_schema() { return oas::one_of({"draft", "issued", "applied", "cancelled"}); }
oas::Schema credit_type_schema() { return oas::one_of({"client_credit", "grower_credit", "adjustment"}); }

// A decimal of at most `places` decimals in [minimum, maximum]; `positive` excludes 0. The
// places are stated in the description: "multipleOf" with a fraction fails on binary
// floating point in common validators.
oas::Schema decimal(double minimum, double maximum, int places, bool positive) {
  bj::object keywords{{"description", "At most " + std::to_string(places) + " decimal places."}};
  if (positive) keywords["exclusiveMinimum"] = minimum;
  return oas::with(positive ? oas::number({}, maximum) : oas::number(minimum, maximum), keywords);
}

// The JSON schemas of this file's routes (OpenAPI components, api/openapi_schema.hpp): the
// responses exactly as json/invoice_json.cpp writes them, the bodies as read_invoice,
// read_credit and pay_invoice read them.
void declare_invoice_schemas(http::Router& router) {
  // Timestamps are naive UTC ISO 8601 without a zone (contract: "2026-02-12T14:03:22.123456"),
  // which format "date-time" (RFC 3339) would refuse.
  const auto timestamp = oas::str();
  const auto text = oas::nullable(oas::str());
  const auto day = oas::nullable(oas::date());
  const auto money = oas::number();
  router.add_schema("InvoiceLine", oas::record({{"description", oas::str()},
                                                {"quantity", oas::nullable(oas::number())},
                                                {"unit", text},
                                                {"unit_price", oas::nullable(oas::number())},
                                                {"amount", money}}));
  const std::initializer_list<oas::Property> invoice{{"id", oas::str()},
                                                     {"invoice_number", oas::str()},
                                                     {"client_name", oas::str()},
                                                     {"client_ref", text},
                                                     {"export_id", text},
                                                     {"booking_ref", text},
                                                     {"currency", oas::str()},
                                                     {"line_items", oas::array(oas::ref("InvoiceLine"))},
                                                     {"subtotal", money},
                                                     {"tax_rate_pct", oas::number()},
                                                     {"tax_amount", money},
                                                     {"total_amount", money},
                                                     {"amount_paid", money},
                                                     {"credited_amount", money},
                                                     {"balance_due", money},
                                                     {"issue_date", oas::date()},
                                                     {"due_date", day},
                                                     {"paid_date", day},
                                                     {"payment_terms", text},
                                                     {"incoterm", text},
                                                     {"status", invoice_status_schema()},
                                                     {"notes", text},
                                                     {"created_by", text},
                                                     {"created_at", timestamp},
                                                     {"updated_at", timestamp}};
  router.add_schema("ClientInvoice", oas::record(invoice));
  // The detail: the invoice plus its credit notes.
  auto detail = oas::record(invoice);
  detail.as_object()["properties"].as_object()["credits"] = oas::array(oas::record({{"id", oas::str()},
                                                                                   {"credit_number", oas::str()},
                                                                                   {"status", credit_status_schema()},
                                                                                   {"total_amount", money}}));
  detail.as_object()["required"].as_array().emplace_back("credits");
  router.add_schema("ClientInvoiceDetail", std::move(detail));
  router.add_schema("Credit",
                    oas::record({{"id", oas::str()},
                                 {"credit_number", oas::str()},
                                 {"credit_type", credit_type_schema()},
                                 {"reason", oas::one_of({"quality_claim", "short_delivery", "price_adjustment",
                                                         "reject_return", "other"})},
                                 {"reason_detail", text},
                                 {"invoice_id", text},
                                 {"invoice_number", text},
                                 {"grower_payment_id", text},
                                 {"export_id", text},
                                 {"currency", oas::str()},
                                 {"line_items", oas::nullable(oas::array(oas::ref("InvoiceLine")))},
                                 {"total_amount", money},
                                 {"issue_date", oas::date()},
                                 {"applied_date", day},
                                 {"status", credit_status_schema()},
                                 {"approved_by", text},
                                 {"approved_at", text},
                                 {"notes", text},
                                 {"created_by", text},
                                 {"created_at", timestamp},
                                 {"updated_at", timestamp}}));

  const auto ref_id = oas::nullable(oas::str(kMaxIdLength));
  const auto notes = oas::nullable(oas::str(kMaxNotesLength));
  const auto currency = oas::with(oas::str(3, 3), {{"pattern", "^[A-Z]{3}$"}});
  router.add_schema("InvoiceLineInput",
                    oas::input({{"description", oas::str(500, 1)},
                                {"quantity", decimal(0, kMaxQuantity, kQuantityPlaces, true)},
                                {"unit", oas::nullable(oas::str(20))},
                                {"unit_price", decimal(0, kMaxUnitPrice, kUnitPricePlaces, false)}},
                               {"description", "quantity", "unit_price"}));
  const auto lines = oas::with(oas::array(oas::ref("InvoiceLineInput")), {{"minItems", 1}, {"maxItems", kMaxLines}});
  auto body = oas::input(
      {{"client_name", oas::with(oas::str(255, 1), {{"description", "Required unless export_id is given (then the "
                                                                      "export's client)."}})},
       {"client_ref", oas::nullable(oas::str(100))},
       {"export_id", ref_id},
       {"currency", oas::with(currency, {{"description", "Default: the export's currency, else USD."}})},
       {"line_items", lines},
       {"tax_rate_pct", oas::nullable(decimal(0, 100, kRatePlaces, false))},
       {"issue_date", oas::with(oas::date(), {{"description", "Default: today."}})},
       {"due_date", oas::with(day, {{"description", "Not before issue_date."}})},
       {"payment_terms", oas::nullable(oas::str(100))},
       {"incoterm", oas::nullable(oas::str(10))},
       {"notes", notes}},
      {"line_items"});
  auto create = body;
  create.as_object()["anyOf"] =
      bj::array{bj::object{{"required", bj::array{"client_name"}}},
                bj::object{{"required", bj::array{"export_id"}},
                           {"properties", bj::object{{"export_id", oas::str(kMaxIdLength)}}}}};
  router.add_schema("ClientInvoiceCreate", std::move(create));
  // A patch (of a draft) sends any subset; null clears the optional fields.
  auto patch = std::move(body);
  patch.as_object().erase("required");
  patch.as_object()["properties"].as_object()["tax_rate_pct"] = decimal(0, 100, kRatePlaces, false);
  router.add_schema("ClientInvoiceUpdate", std::move(patch));
  router.add_schema("InvoicePayment",
                    oas::input({{"amount", decimal(0, kMaxAmount, kMoneyPlaces, true)},
                                {"paid_date", oas::with(day, {{"description", "Default: today."}})}},
                               {"amount"}));
  auto credit = oas::input(
      {{"credit_type", credit_type_schema()},
       {"reason",
        oas::one_of({"quality_claim", "short_delivery", "price_adjustment", "reject_return", "other"})},
       {"reason_detail", notes},
       {"invoice_id", ref_id},
       {"grower_payment_id", ref_id},
       {"export_id", ref_id},
       {"currency", oas::with(oas::nullable(currency),
                                {{"description", "Required unless invoice_id is given (then the invoice's)."}})},
       {"line_items", oas::with(oas::nullable(lines), {{"description", "Must add up to more than 0."}})},
       {"total_amount",
        oas::with(oas::nullable(decimal(0, kMaxAmount, kMoneyPlaces, true)),
                    {{"description", "Required unless line_items are given; then it must equal their sum."}})},
       {"issue_date", oas::with(day, {{"description", "Default: today."}})},
       {"notes", notes}},
      {"credit_type", "reason"});
  router.add_schema("CreditCreate", std::move(credit));
}

}  // namespace

void register_invoice_routes(http::Router& router, Guard& guard, InvoiceService& invoices,
                             CreditService& credits) {
  declare_invoice_schemas(router);
  // What an export's detail shows of its invoices changes with their totals and status.
  const std::vector<Change> invoice_write{Change::kInvoice, Change::kExport};
  const std::vector<Change> credit_write{Change::kInvoice};
  const std::vector<std::string> read{"financials.read"};
  const std::vector<std::string> write{"financials.write"};
  guard.add(router,
            {.method = Method::get, .path = "/api/client-invoices/", .permissions = read, .onboarded = true,
             .summary = "List client invoices, newest first",
             .cache = CachePolicy{60s, "invoices", "list_client_invoices", {Change::kInvoice, Change::kExport}},
             .query = oas::params(page_params(),
                                  {{"status", invoice_status_schema(), false, "Only invoices with this status."},
                                   {"export_id", oas::str(kMaxIdLength), false, "Only invoices of this export."},
                                   {"client", oas::str(255), false, "Part of the client name (any case)."},
                                   {"date_from", oas::date(), false, "Issued from this day (inclusive)."},
                                   {"date_to", oas::date(), false, "Issued up to this day (inclusive)."}}),
             .responses = {{200, oas::page_of("ClientInvoice")}}},
            [&invoices](http::Request& req, const Caller& caller) { return list_invoices(invoices, req, caller); });
  guard.add(router,
            {.method = Method::post, .path = "/api/client-invoices/", .permissions = write, .onboarded = true,
             .idempotent = true, .summary = "Draft a client invoice", .changes = invoice_write,
             .body = "ClientInvoiceCreate", .responses = {{201, "ClientInvoice"}}},
            [&invoices](http::Request& req, const Caller& caller) { return create_invoice(invoices, req, caller); });
  guard.add(router,
            {.method = Method::get, .path = "/api/client-invoices/{invoice_id}", .permissions = read,
             .onboarded = true, .summary = "A client invoice with its credits",
             .cache = CachePolicy{60s, "invoice", "get_client_invoice", {Change::kInvoice, Change::kExport}},
             .responses = {{200, "ClientInvoiceDetail"}}},
            [&invoices](http::Request& req, const Caller& caller) { return get_invoice(invoices, req, caller); });
  guard.add(router,
            {.method = Method::patch, .path = "/api/client-invoices/{invoice_id}", .permissions = write,
             .onboarded = true, .summary = "Change a draft client invoice", .changes = invoice_write,
             .body = "ClientInvoiceUpdate", .responses = {{200, "ClientInvoice"}}, .errors = {409}},
            [&invoices](http::Request& req, const Caller& caller) { return update_invoice(invoices, req, caller); });
  guard.add(router,
            {.method = Method::delete_, .path = "/api/client-invoices/{invoice_id}", .permissions = write,
             .onboarded = true, .summary = "Delete a draft or cancelled client invoice (soft)",
             .changes = invoice_write, .responses = {{204}}, .errors = {409}},
            [&invoices](http::Request& req, const Caller& caller) { return remove_invoice(invoices, req, caller); });
  guard.add(router,
            {.method = Method::post, .path = "/api/client-invoices/{invoice_id}/issue", .permissions = write,
             .onboarded = true, .summary = "Issue a draft client invoice", .changes = invoice_write,
             .responses = {{200, "ClientInvoice"}}, .errors = {409}},
            [&invoices](http::Request& req, const Caller& caller) { return issue_invoice(invoices, req, caller); });
  guard.add(router,
            {.method = Method::post, .path = "/api/client-invoices/{invoice_id}/cancel", .permissions = write,
             .onboarded = true, .summary = "Cancel a client invoice with nothing paid", .changes = invoice_write,
             .responses = {{200, "ClientInvoice"}}, .errors = {409}},
            [&invoices](http::Request& req, const Caller& caller) { return cancel_invoice(invoices, req, caller); });
  guard.add(router,
            {.method = Method::post, .path = "/api/client-invoices/{invoice_id}/payments", .permissions = write,
             .onboarded = true, .summary = "Record a payment against a client invoice", .changes = invoice_write,
             .body = "InvoicePayment", .responses = {{200, "ClientInvoice"}}, .errors = {409}},
            [&invoices](http::Request& req, const Caller& caller) { return pay_invoice(invoices, req, caller); });

  guard.add(router,
            {.method = Method::get, .path = "/api/credits/", .permissions = read, .onboarded = true,
             .summary = "List credit notes, newest first",
             .cache = CachePolicy{60s, "credits", "list_credits", {Change::kInvoice}},
             .query = oas::params(page_params(),
                                  {{"status", credit_status_schema(), false, "Only credit notes with this status."},
                                   {"credit_type", credit_type_schema(), false, "Only credit notes of this type."},
                                   {"invoice_id", oas::str(kMaxIdLength), false,
                                    "Only credit notes of this invoice."}}),
             .responses = {{200, oas::page_of("Credit")}}},
            [&credits](http::Request& req, const Caller& caller) { return list_credits(credits, req, caller); });
  guard.add(router,
            {.method = Method::post, .path = "/api/credits/", .permissions = write, .onboarded = true,
             .idempotent = true, .summary = "Draft a credit note", .changes = credit_write,
             .body = "CreditCreate", .responses = {{201, "Credit"}}},
            [&credits](http::Request& req, const Caller& caller) { return create_credit(credits, req, caller); });
  guard.add(router,
            {.method = Method::get, .path = "/api/credits/{credit_id}", .permissions = read, .onboarded = true,
             .summary = "One credit note",
             .cache = CachePolicy{60s, "credit", "get_credit", {Change::kInvoice}},
             .responses = {{200, "Credit"}}},
            [&credits](http::Request& req, const Caller& caller) { return get_credit(credits, req, caller); });
  guard.add(router,
            {.method = Method::delete_, .path = "/api/credits/{credit_id}", .permissions = write,
             .onboarded = true, .summary = "Delete a draft or cancelled credit note (soft)", .changes = credit_write,
             .responses = {{204}}, .errors = {409}},
            [&credits](http::Request& req, const Caller& caller) { return remove_credit(credits, req, caller); });
  guard.add(router,
            {.method = Method::post, .path = "/api/credits/{credit_id}/issue", .permissions = write,
             .onboarded = true, .summary = "Issue a draft credit note", .changes = credit_write,
             .responses = {{200, "Credit"}}, .errors = {409}},
            [&credits](http::Request& req, const Caller& caller) { return issue_credit(credits, req, caller); });
  // Applying lowers an invoice's balance and may settle it.
  guard.add(router,
            {.method = Method::post, .path = "/api/credits/{credit_id}/apply", .permissions = write,
             .onboarded = true, .summary = "Apply an issued credit note", .changes = invoice_write,
             .responses = {{200, "Credit"}}, .errors = {409}},
            [&credits](http::Request& req, const Caller& caller) { return apply_credit(credits, req, caller); });
  guard.add(router,
            {.method = Method::post, .path = "/api/credits/{credit_id}/cancel", .permissions = write,
             .onboarded = true, .summary = "Cancel a draft or issued credit note", .changes = credit_write,
             .responses = {{200, "Credit"}}, .errors = {409}},
            [&credits](http::Request& req, const Caller& caller) { return cancel_credit(credits, req, caller); });
}

}  // namespace fruitpak::api
