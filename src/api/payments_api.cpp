#include "api/payments_api.hpp"

#include "api/error_response.hpp"
#include "api/guard.hpp"
#include "api/input.hpp"
#include "api/json_input.hpp"
#include "api/openapi_schema.hpp"
#include "api/respond.hpp"
#include "http/errors.hpp"
#include "json/page_json.hpp"
#include "json/payment_json.hpp"
#include "services/payment_service.hpp"

#include <limits>
#include <set>

namespace fruitpak::api {
namespace {

using http::Method;
using http::Status;
using services::PaymentService;
using Reply = net::awaitable<http::Response>;
using cache::CachePolicy;
using domain::Change;
using namespace std::chrono_literals;
namespace bj = boost::json;

// Bounds on input the contract leaves open, against absurd values and oversized statements.
constexpr double kMaxAmount = 1e12;
constexpr std::size_t kMaxBatchIds = 1000;
constexpr std::size_t kMaxIdLength = 255;
constexpr std::size_t kMaxNotesLength = 10'000;

// `amount`: a required number > 0 ("Value error, Amount must be positive", as the
// original's validator words it).
double read_amount(BodyReader& in, const bj::object& body) {
  const auto* value = body.if_contains("amount");
  if (!value) {
    in.add_error({"body", "amount"}, "Field required", "missing");
    return 0;
  }
  if (value->is_null()) {
    in.add_error({"body", "amount"}, "Input should be a valid number", "float_type");
    return 0;
  }
  auto amount = in.optional_number("amount", std::numeric_limits<double>::lowest(), kMaxAmount);
  if (amount && *amount <= 0) {
    in.add_error({"body", "amount"}, "Value error, Amount must be positive", "value_error");
  }
  return amount.value_or(0);
}

// `payment_type`: "advance" or "final", default "final".
std::string read_payment_type(BodyReader& in, const bj::object& body) {
  const auto* value = body.if_contains("payment_type");
  if (!value) return "final";
  if (!value->is_string() || !domain::is_payment_type(value->as_string())) {
    in.add_error({"body", "payment_type"}, "Input should be 'advance' or 'final'", "literal_error");
    return {};
  }
  return std::string(value->as_string());
}

// `batch_ids`: default []; a repeated id counts once.
std::vector<std::string> read_batch_ids(BodyReader& in) {
  auto listed = in.optional_string_list("batch_ids", kMaxBatchIds, kMaxIdLength).value_or(std::vector<std::string>{});
  std::set<std::string> seen;
  std::vector<std::string> unique;
  for (auto& id : listed) {
    if (seen.insert(id).second) unique.push_back(std::move(id));
  }
  return unique;
}

domain::GrowerPaymentRequest read_request(BodyReader& in, const bj::object& body) {
  domain::GrowerPaymentRequest r;
  r.grower_id = in.required_string("grower_id", kMaxIdLength, 0);
  r.amount = read_amount(in, body);
  // Default ZAR, else exactly three letters (the original let a longer code reach the
  // database and answered 500).
  r.currency = in.currency("currency", domain::kDefaultCurrency);
  r.payment_type = read_payment_type(in, body);
  r.payment_date = in.required_date("payment_date");
  r.notes = in.optional_string("notes", kMaxNotesLength);
  r.batch_ids = read_batch_ids(in);
  return r;
}

Reply create(PaymentService& payments, http::Request& req, const Caller& caller) {
  auto body = read_json_object(req);
  if (!body) co_return body.error();
  BodyReader in(*body);
  auto request = read_request(in, *body);
  if (!in.ok()) co_return http::validation_error_response(in.errors());
  auto created = co_await payments.create_grower_payment(caller.tenant(), std::move(request), &req.queries);
  if (!created) co_return error_response_for(created.error());
  co_return json_response(Status::created, json::to_json(*created));
}

Reply list(PaymentService& payments, http::Request& req, const Caller& caller) {
  std::vector<http::FieldError> errors;
  auto page = read_page(req, errors);
  auto grower_id = read_query_string(req, "grower_id", kMaxIdLength, errors);
  if (!errors.empty()) co_return http::validation_error_response(errors);
  auto listed = co_await payments.list_grower_payments(caller.tenant(), std::move(grower_id), page, &req.queries);
  if (!listed) co_return error_response_for(listed.error());
  co_return json_response(Status::ok, json::page_to_json(*listed, [](const auto& p) { return json::to_json(p); }));
}

// The JSON schemas of this file's routes (OpenAPI components, api/openapi_schema.hpp): the
// response exactly as json/payment_json.cpp writes it, the body as read_request reads it.
void declare_payment_schemas(http::Router& router) {
  // Timestamps are naive UTC ISO 8601 without a zone (contract: "2026-02-12T14:03:22.123456"),
  // which format "date-time" (RFC 3339) would refuse.
  const auto timestamp = oas::str();
  const auto text = oas::nullable(oas::str());
  router.add_schema("GrowerPayment", oas::record({{"id", oas::str()},
                                                  {"payment_ref", oas::str()},
                                                  {"grower_id", oas::str()},
                                                  {"grower_name", text},
                                                  {"grower_code", text},
                                                  {"batch_ids", oas::array(oas::str())},
                                                  {"currency", oas::str()},
                                                  {"gross_amount", oas::number()},
                                                  {"net_amount", oas::number()},
                                                  {"total_kg", oas::nullable(oas::number())},
                                                  {"payment_type", oas::one_of({"advance", "final"})},
                                                  {"paid_date", oas::nullable(oas::date())},
                                                  {"status", oas::str()},
                                                  {"notes", text},
                                                  {"created_at", timestamp}}));
  const auto amount = oas::with(oas::number({}, kMaxAmount), {{"exclusiveMinimum", 0}});
  const auto currency =
      oas::with(oas::str(3, 3), {{"pattern", "^[A-Za-z]{3}$"}, {"default", domain::kDefaultCurrency}});
  const auto payment_type = oas::with(oas::one_of({"advance", "final"}), {{"default", "final"}});
  const auto batch_ids = oas::with(
      oas::nullable(oas::array(oas::str(kMaxIdLength))),
      {{"maxItems", kMaxBatchIds},
       {"description",
        "The batches the payment covers (each the grower's); empty or absent: every live, non-rejected batch of the "
        "grower."}});
  router.add_schema("GrowerPaymentCreate", oas::input({{"grower_id", oas::str(kMaxIdLength)},
                                                       {"amount", amount},
                                                       {"currency", currency},
                                                       {"payment_type", payment_type},
                                                       {"payment_date", oas::date()},
                                                       {"notes", oas::nullable(oas::str(kMaxNotesLength))},
                                                       {"batch_ids", batch_ids}},
                                                      {"grower_id", "amount", "payment_date"}));
}

}  // namespace

void register_payment_routes(http::Router& router, Guard& guard, PaymentService& payments) {
  declare_payment_schemas(router);
  guard.add(router,
            {.method = Method::post, .path = "/api/payments/grower", .permissions = {"financials.write"},
             .onboarded = true, .idempotent = true, .summary = "Record a grower payment",
             .changes = {Change::kPayment}, .body = "GrowerPaymentCreate",
             .responses = {{201, "GrowerPayment"}}, .errors = {404}},
            [&payments](http::Request& req, const Caller& caller) { return create(payments, req, caller); });
  guard.add(router,
            {.method = Method::get, .path = "/api/payments/grower", .permissions = {"financials.read"},
             .onboarded = true, .summary = "List grower payments, newest first",
             .query = oas::params(page_params(),
                                  {{"grower_id", oas::str(kMaxIdLength), false, "Only this grower's payments."}}),
             .responses = {{200, oas::page_of("GrowerPayment")}}},
            [&payments](http::Request& req, const Caller& caller) { return list(payments, req, caller); });
}

}  // namespace fruitpak::api
