// /api/client-invoices and /api/credits on both engines: exact shapes and hand-worked
// totals, each validation rule, invoicing exports (a cancelled one is refused), the status
// machines with payments and credits (refusals write nothing), 404s for other tenants' and
// deleted rows, filters and constant query counts, permissions, idempotent creates and
// cache invalidation.

#include "db/database.hpp"
#include "support/api_client.hpp"
#include "support/export_fixture.hpp"
#include "support/server_fixture.hpp"
#include "util/clock.hpp"
#include "util/run_sync.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <set>

namespace fruitpak::testing {
namespace {

namespace json = boost::json;
using Headers = std::map<std::string, std::string>;
using boost::beast::http::verb;

std::set<std::string> keys_of(const json::object& o) {
  std::set<std::string> out;
  for (const auto& [key, value] : o) out.insert(std::string(key));
  return out;
}

std::string today() { return util::iso_utc_now().substr(0, 10); }

class FinanceHttpTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    admin_ = start_with_admin("invoices-admin@example.com", "Invoices Co", Onboarding::kDone);
  }

  HttpResponse post(HttpClient& c, const std::string& path, const json::object& body, const Headers& extra = {}) {
    auto headers = admin_.auth();
    headers.insert(extra.begin(), extra.end());
    return c.post(path, json::serialize(body), headers);
  }
  // A status route (no body).
  HttpResponse act(HttpClient& c, const std::string& path, const Headers& who = {}) {
    return c.post(path, "", who.empty() ? admin_.auth() : who);
  }
  HttpResponse patch(HttpClient& c, const std::string& path, const json::object& body) {
    return c.request(verb::patch, path, json::serialize(body), admin_.auth());
  }
  HttpResponse remove(HttpClient& c, const std::string& path) {
    return c.request(verb::delete_, path, {}, admin_.auth());
  }
  json::object get(HttpClient& c, const std::string& path) {
    auto res = c.get(path, admin_.auth());
    EXPECT_EQ(res.result_int(), 200) << path << ": " << res.body();
    return json_object(res);
  }

  // The worked example: 1,200 x 12.50 and 40 x 3.10 with 15 % tax.
  static json::object worked_body() {
    return {{"client_name", "Harbour Fresh Ltd"},
            {"client_ref", "PO-40001"},
            {"line_items", json::array{json::object{{"description", "Navel oranges 15 kg"},
                                                    {"quantity", 1200},
                                                    {"unit", "carton"},
                                                    {"unit_price", 12.5}},
                                       json::object{{"description", "Pallet wrap"}, {"quantity", 40},
                                                    {"unit_price", 3.1}}}},
            {"tax_rate_pct", 15},
            {"issue_date", "2026-03-02"},
            {"due_date", "2026-04-01"},
            {"payment_terms", "30 days from bill of lading"},
            {"incoterm", "FOB"}};
  }
  static json::object small_body(double price = 100) {
    return {{"client_name", "Small Client"},
            {"line_items", json::array{json::object{{"description", "Lemons"}, {"quantity", 1}, {"unit_price", price}}}}};
  }
  std::string invoice(HttpClient& c, const json::object& body) {
    auto res = post(c, "/api/client-invoices/", body);
    EXPECT_EQ(res.result_int(), 201) << res.body();
    return res.result_int() == 201 ? std::string(json_object(res).at("id").as_string()) : std::string();
  }
  std::string issued_invoice(HttpClient& c, const json::object& body) {
    const auto id = invoice(c, body);
    auto res = act(c, "/api/client-invoices/" + id + "/issue");
    EXPECT_EQ(res.result_int(), 200) << res.body();
    return id;
  }
  HttpResponse pay(HttpClient& c, const std::string& id, const json::object& body) {
    return post(c, "/api/client-invoices/" + id + "/payments", body);
  }
  std::string credit(HttpClient& c, const json::object& body) {
    auto res = post(c, "/api/credits/", body);
    EXPECT_EQ(res.result_int(), 201) << res.body();
    return res.result_int() == 201 ? std::string(json_object(res).at("id").as_string()) : std::string();
  }
  std::string issued_credit(HttpClient& c, const json::object& body) {
    const auto id = credit(c, body);
    auto res = act(c, "/api/credits/" + id + "/issue");
    EXPECT_EQ(res.result_int(), 200) << res.body();
    return id;
  }
  std::int64_t rows(const std::string& table) {
    auto counted = util::run_sync(app().database().execute("SELECT COUNT(*) FROM " + table));
    EXPECT_TRUE(counted) << counted.error().detail;
    return counted ? counted->front().int64(0) : -1;
  }
  // A refusal: the status and detail, and (checked by the caller) nothing written.
  static void expect_refused(const HttpResponse& res, unsigned status, const std::string& detail) {
    EXPECT_EQ(res.result_int(), status) << res.body();
    if (res.result_int() == status) {
      EXPECT_EQ(json_object(res).at("detail").as_string(), detail) << res.body();
    }
  }

  Account admin_;
};

class InvoicesHttpTest : public FinanceHttpTest {};
class CreditsHttpTest : public FinanceHttpTest {};

TEST_F(InvoicesHttpTest, CreateComputesTheWorkedTotalsAndShowsEveryField) {
  auto c = client();
  auto res = post(c, "/api/client-invoices/", worked_body());
  ASSERT_EQ(res.result_int(), 201) << res.body();
  const auto inv = json_object(res);
  EXPECT_EQ(keys_of(inv),
            (std::set<std::string>{"id",           "invoice_number", "client_name",  "client_ref",    "export_id",
                                   "booking_ref",  "currency",       "line_items",   "subtotal",      "tax_rate_pct",
                                   "tax_amount",   "total_amount",   "amount_paid",  "credited_amount", "balance_due",
                                   "issue_date",   "due_date",       "paid_date",    "payment_terms", "incoterm",
                                   "status",       "notes",          "created_by",   "created_at",    "updated_at"}));
  EXPECT_EQ(inv.at("invoice_number").as_string(), "INV-2026-0001");
  EXPECT_EQ(inv.at("client_name").as_string(), "Harbour Fresh Ltd");
  EXPECT_EQ(inv.at("client_ref").as_string(), "PO-40001");
  EXPECT_EQ(inv.at("currency").as_string(), "USD");
  // 1,200 x 12.50 = 15,000.00; 40 x 3.10 = 124.00; subtotal 15,124.00; 15 % = 2,268.60.
  const json::array lines{
      json::object{{"description", "Navel oranges 15 kg"}, {"quantity", 1200.0}, {"unit", "carton"},
                   {"unit_price", 12.5}, {"amount", 15000.0}},
      json::object{{"description", "Pallet wrap"}, {"quantity", 40.0}, {"unit", nullptr}, {"unit_price", 3.1},
                   {"amount", 124.0}}};
  EXPECT_EQ(inv.at("line_items"), lines);
  EXPECT_EQ(inv.at("subtotal").as_double(), 15124.0);
  EXPECT_EQ(inv.at("tax_rate_pct").as_double(), 15.0);
  EXPECT_EQ(inv.at("tax_amount").as_double(), 2268.6);
  EXPECT_EQ(inv.at("total_amount").as_double(), 17392.6);
  EXPECT_EQ(inv.at("amount_paid").as_double(), 0.0);
  EXPECT_EQ(inv.at("credited_amount").as_double(), 0.0);
  EXPECT_EQ(inv.at("balance_due").as_double(), 17392.6);
  EXPECT_EQ(inv.at("issue_date").as_string(), "2026-03-02");
  EXPECT_EQ(inv.at("due_date").as_string(), "2026-04-01");
  EXPECT_EQ(inv.at("payment_terms").as_string(), "30 days from bill of lading");
  EXPECT_EQ(inv.at("incoterm").as_string(), "FOB");
  EXPECT_EQ(inv.at("status").as_string(), "draft");
  EXPECT_EQ(inv.at("created_by").as_string(), admin_.user_id);
  for (const char* key : {"export_id", "booking_ref", "paid_date", "notes"}) EXPECT_TRUE(inv.at(key).is_null()) << key;

  // The detail is the same object plus its (no) credits.
  auto expected = inv;
  expected["credits"] = json::array{};
  EXPECT_EQ(get(c, "/api/client-invoices/" + std::string(inv.at("id").as_string())), expected);

  // Numbers continue per issue year; the issue date defaults to today (UTC).
  auto second = post(c, "/api/client-invoices/", worked_body());
  EXPECT_EQ(json_object(second).at("invoice_number").as_string(), "INV-2026-0002");
  auto earlier = worked_body();
  earlier["issue_date"] = "2025-12-30";
  EXPECT_EQ(json_object(post(c, "/api/client-invoices/", earlier)).at("invoice_number").as_string(), "INV-2025-0001");
  auto undated = small_body();
  auto dated_today = json_object(post(c, "/api/client-invoices/", undated));
  EXPECT_EQ(dated_today.at("issue_date").as_string(), today());
  EXPECT_EQ(dated_today.at("tax_amount").as_double(), 0.0);
  EXPECT_EQ(dated_today.at("total_amount").as_double(), 100.0);
}

TEST_F(InvoicesHttpTest, AmountsAndTaxRoundHalfUpToTheCent) {
  auto c = client();
  // 0.335 x 3.00 = 1.005 -> 1.01; 3 x 0.335 = 1.005 -> 1.01; 1 x 0.05 = 0.05;
  // 15 % of 2.07 = 0.3105 -> 0.31.
  json::object body{{"client_name", "Rounding Ltd"},
                    {"tax_rate_pct", 15},
                    {"line_items", json::array{json::object{{"description", "A"}, {"quantity", 0.335}, {"unit_price", 3}},
                                               json::object{{"description", "B"}, {"quantity", 3}, {"unit_price", 0.335}},
                                               json::object{{"description", "C"}, {"quantity", 1}, {"unit_price", 0.05}}}}};
  auto inv = json_object(post(c, "/api/client-invoices/", body));
  const auto lines = inv.at("line_items").as_array();
  EXPECT_EQ(lines[0].at("amount").as_double(), 1.01);
  EXPECT_EQ(lines[0].at("quantity").as_double(), 0.335);
  EXPECT_EQ(lines[1].at("amount").as_double(), 1.01);
  EXPECT_EQ(lines[1].at("unit_price").as_double(), 0.335);
  EXPECT_EQ(inv.at("subtotal").as_double(), 2.07);
  EXPECT_EQ(inv.at("tax_amount").as_double(), 0.31);
  EXPECT_EQ(inv.at("total_amount").as_double(), 2.38);
  // 15 % of 0.05 = 0.0075 -> 0.01.
  auto tiny = json_object(post(c, "/api/client-invoices/",
                               {{"client_name", "Tiny"},
                                {"tax_rate_pct", 15},
                                {"line_items", json::array{json::object{{"description", "Sample"}, {"quantity", 1},
                                                                        {"unit_price", 0.05}}}}}));
  EXPECT_EQ(tiny.at("tax_amount").as_double(), 0.01);
  EXPECT_EQ(tiny.at("total_amount").as_double(), 0.06);
}

TEST_F(InvoicesHttpTest, EachValidationRuleIs422WithItsFieldAndWritesNothing) {
  auto c = client();
  struct Case {
    std::string name;
    json::object body;
    json::array loc;
    std::string type;
  };
  auto with = [](const char* key, json::value v) {
    auto b = worked_body();
    b[key] = std::move(v);
    return b;
  };
  auto without = [](const char* key) {
    auto b = worked_body();
    b.erase(key);
    return b;
  };
  auto line_with = [](const char* key, json::value v) {
    json::object line{{"description", "Oranges"}, {"quantity", 10}, {"unit_price", 2.5}};
    if (v.is_null()) {
      line.erase(key);
    } else {
      line[key] = std::move(v);
    }
    auto b = worked_body();
    b["line_items"] = json::array{line};
    return b;
  };
  json::array many;
  for (int i = 0; i < 201; ++i) many.push_back(json::object{{"description", "x"}, {"quantity", 1}, {"unit_price", 1}});
  const std::vector<Case> cases{
      {"client_name missing without export", without("client_name"), {"body", "client_name"}, "missing"},
      {"client_name too long", with("client_name", json::string(std::string(256, 'x'))), {"body", "client_name"},
       "string_too_long"},
      {"currency lower case", with("currency", "usd"), {"body", "currency"}, "string_pattern_mismatch"},
      {"currency too short", with("currency", "US"), {"body", "currency"}, "string_too_short"},
      {"line_items missing", without("line_items"), {"body", "line_items"}, "missing"},
      {"line_items empty", with("line_items", json::array{}), {"body", "line_items"}, "too_short"},
      {"line_items too many", with("line_items", many), {"body", "line_items"}, "too_long"},
      {"line_items not a list", with("line_items", "lots"), {"body", "line_items"}, "list_type"},
      {"line not an object", with("line_items", json::array{1}), {"body", "line_items", "0"}, "model_attributes_type"},
      {"description missing", line_with("description", nullptr), {"body", "line_items", "0", "description"},
       "missing"},
      {"description too long", line_with("description", json::string(std::string(501, 'd'))),
       {"body", "line_items", "0", "description"}, "string_too_long"},
      {"quantity zero", line_with("quantity", 0), {"body", "line_items", "0", "quantity"}, "greater_than"},
      {"quantity four decimals", line_with("quantity", 1.0005), {"body", "line_items", "0", "quantity"},
       "decimal_max_places"},
      {"quantity absurd", line_with("quantity", 2e9), {"body", "line_items", "0", "quantity"}, "less_than_equal"},
      {"unit too long", line_with("unit", json::string(std::string(21, 'u'))), {"body", "line_items", "0", "unit"},
       "string_too_long"},
      {"unit_price missing", line_with("unit_price", nullptr), {"body", "line_items", "0", "unit_price"}, "missing"},
      {"unit_price negative", line_with("unit_price", -1), {"body", "line_items", "0", "unit_price"},
       "greater_than_equal"},
      {"unit_price of five decimals", line_with("unit_price", 0.33335), {"body", "line_items", "0", "unit_price"},
       "decimal_max_places"},
      {"tax above 100", with("tax_rate_pct", 101), {"body", "tax_rate_pct"}, "less_than_equal"},
      {"tax negative", with("tax_rate_pct", -1), {"body", "tax_rate_pct"}, "greater_than_equal"},
      {"issue_date not a day", with("issue_date", "2026-02-30"), {"body", "issue_date"}, "date_parsing"},
      {"due before issue", with("due_date", "2026-03-01"), {"body", "due_date"}, "value_error"},
      {"export_id too long", with("export_id", json::string(std::string(37, 'e'))), {"body", "export_id"},
       "string_too_long"},
  };
  for (const auto& tc : cases) {
    SCOPED_TRACE(tc.name);
    auto res = post(c, "/api/client-invoices/", tc.body);
    ASSERT_EQ(res.result_int(), 422) << res.body();
    const auto body = json_object(res);
    const auto& detail = body.at("detail").as_array();
    ASSERT_EQ(detail.size(), 1u) << res.body();
    EXPECT_EQ(detail[0].at("loc"), tc.loc);
    EXPECT_EQ(detail[0].at("type").as_string(), tc.type) << res.body();
  }
  // A due date before the default issue date (today) is refused too.
  auto early = small_body();
  early["due_date"] = "2000-01-01";
  expect_refused(post(c, "/api/client-invoices/", early), 422, "due_date must not be before issue_date");
  for (const char* query : {"?status=void", "?limit=101", "?date_from=2026-13-01", "?offset=-1"}) {
    EXPECT_EQ(c.get(std::string("/api/client-invoices/") + query, admin_.auth()).result_int(), 422) << query;
  }
  EXPECT_EQ(rows("client_invoices"), 0);
  EXPECT_EQ(rows("code_counters WHERE prefix = 'INV'"), 0);
}

TEST_F(InvoicesHttpTest, InvoicesOfAnExportTakeItsClientAndCurrencyAndACancelledExportIsRefused) {
  auto c = client();
  const auto export_id = create_export(c, admin_, "BK-2026-001", "Mercado Frutas SA", "EUR");
  const auto worked = worked_body();
  json::object body{{"export_id", export_id}, {"line_items", worked.at("line_items")}};
  auto res = post(c, "/api/client-invoices/", body);
  ASSERT_EQ(res.result_int(), 201) << res.body();
  auto inv = json_object(res);
  EXPECT_EQ(inv.at("client_name").as_string(), "Mercado Frutas SA");
  EXPECT_EQ(inv.at("currency").as_string(), "EUR");
  EXPECT_EQ(inv.at("export_id").as_string(), export_id);
  EXPECT_EQ(inv.at("booking_ref").as_string(), "BK-2026-001");
  // What the body says wins over the export's.
  body["client_name"] = "Mercado Frutas (Madrid)";
  body["currency"] = "USD";
  auto own = json_object(post(c, "/api/client-invoices/", body));
  EXPECT_EQ(own.at("client_name").as_string(), "Mercado Frutas (Madrid)");
  EXPECT_EQ(own.at("currency").as_string(), "USD");
  auto listed = get(c, "/api/client-invoices/?export_id=" + export_id);
  EXPECT_EQ(listed.at("total").as_int64(), 2);
  EXPECT_EQ(listed.at("items").as_array()[0].at("booking_ref").as_string(), "BK-2026-001");

  const auto before = rows("client_invoices");
  auto other = register_account(c, "invoices-other@example.com");
  create_enterprise(c, other, "Other Co");
  onboard(other.enterprise_id);
  const auto theirs = create_export(c, other, "BK-THEIRS", "Theirs Ltd", "USD");
  body["export_id"] = theirs;
  expect_refused(post(c, "/api/client-invoices/", body), 422, "Export not found");
  body["export_id"] = "no-such-export";
  expect_refused(post(c, "/api/client-invoices/", body), 422, "Export not found");

  // (The exports API refuses to cancel an export with live invoices: this one has none.)
  const auto cancelled = create_export(c, admin_, "BK-2026-002", "Mercado Frutas SA", "EUR");
  set_export_status(c, admin_, cancelled, "cancelled");
  body["export_id"] = cancelled;
  expect_refused(post(c, "/api/client-invoices/", body), 409, "Cannot invoice a cancelled export");
  // Pointing another draft at it is refused too.
  const auto loose = invoice(c, small_body());
  expect_refused(patch(c, "/api/client-invoices/" + loose, {{"export_id", cancelled}}), 409,
                 "Cannot invoice a cancelled export");
  EXPECT_TRUE(get(c, "/api/client-invoices/" + loose).at("export_id").is_null());
  EXPECT_EQ(rows("client_invoices"), before + 1);
  EXPECT_EQ(get(c, "/api/client-invoices/?export_id=" + cancelled).at("total").as_int64(), 0);
  // A draft may move to a live export, taking its booking reference.
  auto moved = patch(c, "/api/client-invoices/" + loose, {{"export_id", export_id}});
  ASSERT_EQ(moved.result_int(), 200) << moved.body();
  EXPECT_EQ(json_object(moved).at("booking_ref").as_string(), "BK-2026-001");
  EXPECT_EQ(json_object(moved).at("client_name").as_string(), "Small Client");
}

TEST_F(InvoicesHttpTest, DraftsAreEditedWithTotalsRecomputedAndOnlyDrafts) {
  auto c = client();
  const auto id = invoice(c, worked_body());
  const std::string path = "/api/client-invoices/" + id;
  auto res = patch(c, path, {{"tax_rate_pct", 0}, {"notes", "zero-rated export"}});
  ASSERT_EQ(res.result_int(), 200) << res.body();
  auto inv = json_object(res);
  EXPECT_EQ(inv.at("tax_amount").as_double(), 0.0);
  EXPECT_EQ(inv.at("total_amount").as_double(), 15124.0);
  EXPECT_EQ(inv.at("balance_due").as_double(), 15124.0);
  EXPECT_EQ(inv.at("notes").as_string(), "zero-rated export");
  EXPECT_EQ(inv.at("line_items").as_array().size(), 2u);  // unchanged
  res = patch(c, path,
              {{"line_items", json::array{json::object{{"description", "Grapefruit"}, {"quantity", 2.5},
                                                       {"unit_price", 10.01}}}},
               {"tax_rate_pct", 7.25}});
  ASSERT_EQ(res.result_int(), 200) << res.body();
  inv = json_object(res);
  // 2.5 x 10.01 = 25.025 -> 25.03; 7.25 % of 25.03 = 1.814675 -> 1.81.
  EXPECT_EQ(inv.at("subtotal").as_double(), 25.03);
  EXPECT_EQ(inv.at("tax_amount").as_double(), 1.81);
  EXPECT_EQ(inv.at("total_amount").as_double(), 26.84);
  EXPECT_EQ(inv.at("invoice_number").as_string(), "INV-2026-0001");
  auto expected = inv;
  expected["credits"] = json::array{};
  EXPECT_EQ(get(c, path), expected);
  // Rules against what is stored: the due date may not move before the issue date.
  expect_refused(patch(c, path, {{"due_date", "2026-01-01"}}), 422, "due_date must not be before issue_date");
  EXPECT_EQ(patch(c, path, {{"currency", nullptr}}).result_int(), 422);
  EXPECT_EQ(patch(c, path, {{"line_items", json::array{}}}).result_int(), 422);

  ASSERT_EQ(act(c, path + "/issue").result_int(), 200);
  const auto issued = get(c, path);
  EXPECT_EQ(issued.at("status").as_string(), "issued");
  expect_refused(patch(c, path, {{"notes", "too late"}}), 409, "Only draft invoices can be edited");
  expect_refused(act(c, path + "/issue"), 409, "Only draft invoices can be issued; this one is issued");
  EXPECT_EQ(get(c, path), issued);  // nothing written, not even updated_at
}

TEST_F(InvoicesHttpTest, PaymentsLeadToPaidAndEveryRefusalWritesNothing) {
  auto c = client();
  const auto draft = invoice(c, worked_body());
  expect_refused(pay(c, draft, {{"amount", 10}}), 409,
                 "Payments can only be recorded against issued or partially paid invoices; this one is draft");

  const auto id = issued_invoice(c, worked_body());
  const std::string path = "/api/client-invoices/" + id;
  for (const auto& [body, type] : std::vector<std::pair<json::object, std::string>>{
           {json::object{}, "missing"},
           {json::object{{"amount", 0}}, "greater_than"},
           {json::object{{"amount", -5}}, "greater_than_equal"},
           {json::object{{"amount", 1.001}}, "decimal_max_places"},
           {json::object{{"amount", 10}, {"paid_date", "yesterday"}}, "date_parsing"}}) {
    auto res = pay(c, id, body);
    ASSERT_EQ(res.result_int(), 422) << res.body();
    EXPECT_EQ(json_object(res).at("detail").as_array()[0].at("type").as_string(), type);
  }
  auto res = pay(c, id, {{"amount", 10000}, {"paid_date", "2026-03-20"}});
  ASSERT_EQ(res.result_int(), 200) << res.body();
  auto inv = json_object(res);
  EXPECT_EQ(inv.at("status").as_string(), "partially_paid");
  EXPECT_EQ(inv.at("amount_paid").as_double(), 10000.0);
  EXPECT_EQ(inv.at("balance_due").as_double(), 7392.6);
  EXPECT_TRUE(inv.at("paid_date").is_null());

  const auto before = get(c, path);
  expect_refused(pay(c, id, {{"amount", 7392.61}}), 409, "Payment of 7392.61 exceeds the balance due of 7392.60");
  expect_refused(act(c, path + "/cancel"), 409,
                 "Only draft or issued invoices can be cancelled; this one is partially_paid");
  expect_refused(remove(c, path), 409, "Only draft or cancelled invoices can be deleted; this one is partially_paid");
  EXPECT_EQ(get(c, path), before);

  res = pay(c, id, {{"amount", 7392.6}, {"paid_date", "2026-04-01"}});
  ASSERT_EQ(res.result_int(), 200) << res.body();
  inv = json_object(res);
  EXPECT_EQ(inv.at("status").as_string(), "paid");
  EXPECT_EQ(inv.at("amount_paid").as_double(), 17392.6);
  EXPECT_EQ(inv.at("balance_due").as_double(), 0.0);
  EXPECT_EQ(inv.at("paid_date").as_string(), "2026-04-01");
  expect_refused(pay(c, id, {{"amount", 1}}), 409,
                 "Payments can only be recorded against issued or partially paid invoices; this one is paid");
  // Without a paid_date the payment is dated today.
  const auto other = issued_invoice(c, small_body(50));
  EXPECT_EQ(json_object(pay(c, other, {{"amount", "50"}})).at("paid_date").as_string(), today());
}

TEST_F(InvoicesHttpTest, CancelAndDeleteFollowTheStatus) {
  auto c = client();
  const auto draft = invoice(c, small_body());
  auto res = act(c, "/api/client-invoices/" + draft + "/cancel");
  ASSERT_EQ(res.result_int(), 200) << res.body();
  EXPECT_EQ(json_object(res).at("status").as_string(), "cancelled");
  expect_refused(act(c, "/api/client-invoices/" + draft + "/issue"), 409,
                 "Only draft invoices can be issued; this one is cancelled");
  expect_refused(act(c, "/api/client-invoices/" + draft + "/cancel"), 409,
                 "Only draft or issued invoices can be cancelled; this one is cancelled");
  EXPECT_EQ(remove(c, "/api/client-invoices/" + draft).result_int(), 204);
  expect_refused(c.get("/api/client-invoices/" + draft, admin_.auth()), 404, "Invoice not found");

  const auto issued = issued_invoice(c, small_body());
  expect_refused(remove(c, "/api/client-invoices/" + issued), 409,
                 "Only draft or cancelled invoices can be deleted; this one is issued");
  EXPECT_EQ(json_object(act(c, "/api/client-invoices/" + issued + "/cancel")).at("status").as_string(), "cancelled");
  const auto fresh = invoice(c, small_body());
  EXPECT_EQ(remove(c, "/api/client-invoices/" + fresh).result_int(), 204);
  EXPECT_EQ(get(c, "/api/client-invoices/").at("total").as_int64(), 1);
  EXPECT_EQ(rows("client_invoices WHERE is_deleted = TRUE"), 2);
}

TEST_F(InvoicesHttpTest, UnknownDeletedAndOtherTenantsInvoicesAre404) {
  auto c = client();
  auto other = register_account(c, "invoices-404@example.com");
  create_enterprise(c, other, "Elsewhere Co");
  onboard(other.enterprise_id);
  auto theirs = c.post("/api/client-invoices/", json::serialize(small_body()), other.auth());
  ASSERT_EQ(theirs.result_int(), 201) << theirs.body();
  const std::string their_id(json_object(theirs).at("id").as_string());
  const auto deleted = invoice(c, small_body());
  ASSERT_EQ(remove(c, "/api/client-invoices/" + deleted).result_int(), 204);
  for (const auto& id : {their_id, deleted, std::string("no-such-id")}) {
    SCOPED_TRACE(id);
    const std::string path = "/api/client-invoices/" + id;
    expect_refused(c.get(path, admin_.auth()), 404, "Invoice not found");
    expect_refused(patch(c, path, {{"notes", "x"}}), 404, "Invoice not found");
    expect_refused(remove(c, path), 404, "Invoice not found");
    expect_refused(act(c, path + "/issue"), 404, "Invoice not found");
    expect_refused(act(c, path + "/cancel"), 404, "Invoice not found");
    expect_refused(pay(c, id, {{"amount", 1}}), 404, "Invoice not found");
  }
  auto still = c.get("/api/client-invoices/" + their_id, other.auth());
  ASSERT_EQ(still.result_int(), 200);
  EXPECT_EQ(json_object(still).at("status").as_string(), "draft");
  EXPECT_TRUE(json_object(still).at("notes").is_null());
  EXPECT_EQ(get(c, "/api/client-invoices/").at("total").as_int64(), 0);
}

TEST_F(InvoicesHttpTest, ListFiltersNewestFirstWithTheSameQueriesAtAnyPageSize) {
  auto c = client();
  for (int i = 0; i < 101; ++i) {
    auto body = small_body(10 + i);
    body["client_name"] = i % 4 == 0 ? "Harbour Fresh Ltd" : "Inland Traders";
    body["issue_date"] = "2026-03-" + std::string(i % 28 + 1 < 10 ? "0" : "") + std::to_string(i % 28 + 1);
    ASSERT_EQ(post(c, "/api/client-invoices/", body).result_int(), 201);
  }
  std::set<std::string> counts;
  for (int limit : {1, 50, 100}) {
    auto res = c.get("/api/client-invoices/?limit=" + std::to_string(limit), admin_.auth());
    ASSERT_EQ(res.result_int(), 200);
    auto page = json_object(res);
    EXPECT_EQ(page.at("total").as_int64(), 101);
    EXPECT_EQ(page.at("limit").as_int64(), limit);
    EXPECT_EQ(page.at("offset").as_int64(), 0);
    ASSERT_EQ(page.at("items").as_array().size(), static_cast<std::size_t>(limit));
    EXPECT_EQ(page.at("items").as_array()[0].at("total_amount").as_double(), 110.0);  // the last created
    counts.insert(std::string(res["X-Query-Count"]));
  }
  EXPECT_EQ(counts, std::set<std::string>{"1"}) << "query count depends on the page size";

  auto harbour = get(c, "/api/client-invoices/?client=HARBOUR%20fresh&limit=100");
  EXPECT_EQ(harbour.at("total").as_int64(), 26);  // i % 4 == 0 for i < 101
  for (const auto& item : harbour.at("items").as_array()) {
    EXPECT_EQ(item.at("client_name").as_string(), "Harbour Fresh Ltd");
  }
  EXPECT_EQ(get(c, "/api/client-invoices/?client=%25").at("total").as_int64(), 0);  // LIKE's % is a plain character
  auto week = get(c, "/api/client-invoices/?date_from=2026-03-01&date_to=2026-03-07&limit=100");
  EXPECT_EQ(week.at("total").as_int64(), 28);  // days 1-7 of each 28-day round: i % 28 < 7
  ASSERT_EQ(act(c, "/api/client-invoices/" +
                       std::string(week.at("items").as_array()[0].at("id").as_string()) + "/issue")
                .result_int(),
            200);
  EXPECT_EQ(get(c, "/api/client-invoices/?status=issued").at("total").as_int64(), 1);
  EXPECT_EQ(get(c, "/api/client-invoices/?status=draft").at("total").as_int64(), 100);
  auto past_end = c.get("/api/client-invoices/?status=draft&offset=500", admin_.auth());
  ASSERT_EQ(past_end.result_int(), 200);
  EXPECT_EQ(json_object(past_end).at("total").as_int64(), 100);
  EXPECT_EQ(past_end["X-Query-Count"], "2");
}

TEST_F(InvoicesHttpTest, DetailIsOneQueryWhateverItsCredits) {
  auto c = client();
  const auto bare = issued_invoice(c, worked_body());
  const auto credited = issued_invoice(c, worked_body());
  std::vector<std::string> numbers;
  for (int i = 0; i < 3; ++i) {
    const auto id = credit(c, {{"credit_type", "client_credit"}, {"reason", "quality_claim"},
                               {"invoice_id", credited}, {"total_amount", 10 + i}});
    numbers.push_back(std::string(get(c, "/api/credits/" + id).at("credit_number").as_string()));
  }
  auto plain = c.get("/api/client-invoices/" + bare, admin_.auth());
  ASSERT_EQ(plain.result_int(), 200);
  EXPECT_EQ(plain["X-Query-Count"], "1");
  auto with_credits = c.get("/api/client-invoices/" + credited, admin_.auth());
  ASSERT_EQ(with_credits.result_int(), 200);
  EXPECT_EQ(with_credits["X-Query-Count"], "1");
  const auto detail = json_object(with_credits);
  const auto& credits = detail.at("credits").as_array();
  ASSERT_EQ(credits.size(), 3u);
  EXPECT_EQ(keys_of(credits[0].as_object()), (std::set<std::string>{"id", "credit_number", "status", "total_amount"}));
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(credits[i].at("credit_number").as_string(), numbers[i]);  // oldest first
    EXPECT_EQ(credits[i].at("status").as_string(), "draft");
    EXPECT_EQ(credits[i].at("total_amount").as_double(), 10.0 + static_cast<double>(i));
  }
}

TEST_F(InvoicesHttpTest, SupervisorsAndOperatorsLackFinancialPermissions) {
  auto c = client();
  const auto id = invoice(c, small_body());
  for (const char* role : {"supervisor", "operator"}) {
    SCOPED_TRACE(role);
    const auto who = add_member(c, admin_, std::string("invoices-") + role + "@example.com", role).auth();
    expect_refused(c.get("/api/client-invoices/", who), 403, "Missing permissions: financials.read");
    expect_refused(c.get("/api/client-invoices/" + id, who), 403, "Missing permissions: financials.read");
    expect_refused(c.post("/api/client-invoices/", json::serialize(small_body()), who), 403,
                   "Missing permissions: financials.write");
    expect_refused(act(c, "/api/client-invoices/" + id + "/issue", who), 403, "Missing permissions: financials.write");
    expect_refused(c.post("/api/client-invoices/" + id + "/payments", R"({"amount":1})", who), 403,
                   "Missing permissions: financials.write");
    expect_refused(c.request(verb::delete_, "/api/client-invoices/" + id, {}, who), 403,
                   "Missing permissions: financials.write");
  }
  EXPECT_EQ(rows("client_invoices"), 1);
  EXPECT_EQ(get(c, "/api/client-invoices/" + id).at("status").as_string(), "draft");
}

TEST_F(InvoicesHttpTest, CreateIsIdempotentAndCachedReadsFollowWrites) {
  auto c = client();
  ASSERT_EQ(c.get("/api/client-invoices/", admin_.auth()).result_int(), 200);
  EXPECT_EQ(c.get("/api/client-invoices/", admin_.auth())["X-Cache"], "HIT-L1");

  const Headers key{{"Idempotency-Key", "invoice-key-1"}};
  auto first = post(c, "/api/client-invoices/", worked_body(), key);
  ASSERT_EQ(first.result_int(), 201) << first.body();
  auto repeat = post(c, "/api/client-invoices/", worked_body(), key);
  ASSERT_EQ(repeat.result_int(), 201);
  EXPECT_EQ(json_object(repeat), json_object(first));
  auto changed = worked_body();
  changed["tax_rate_pct"] = 14;
  EXPECT_EQ(post(c, "/api/client-invoices/", changed, key).result_int(), 422);
  EXPECT_EQ(rows("client_invoices"), 1);

  auto listed = c.get("/api/client-invoices/", admin_.auth());
  EXPECT_EQ(listed["X-Cache"], "MISS");  // the create invalidated the cached empty list
  EXPECT_EQ(json_object(listed).at("total").as_int64(), 1);
  const std::string path = "/api/client-invoices/" + std::string(json_object(first).at("id").as_string());
  ASSERT_EQ(c.get(path, admin_.auth()).result_int(), 200);
  EXPECT_EQ(c.get(path, admin_.auth())["X-Cache"], "HIT-L1");
  EXPECT_EQ(c.get("/api/client-invoices/", admin_.auth())["X-Cache"], "HIT-L1");
  ASSERT_EQ(act(c, path + "/issue").result_int(), 200);
  auto detail = c.get(path, admin_.auth());
  EXPECT_EQ(detail["X-Cache"], "MISS");
  EXPECT_EQ(json_object(detail).at("status").as_string(), "issued");
  auto relisted = c.get("/api/client-invoices/", admin_.auth());
  EXPECT_EQ(relisted["X-Cache"], "MISS");
  EXPECT_EQ(json_object(relisted).at("items").as_array()[0].at("status").as_string(), "issued");
}

TEST_F(CreditsHttpTest, CreateAgainstAnInvoiceTakesItsCurrencyAndExportAndShowsEveryField) {
  auto c = client();
  const auto export_id = create_export(c, admin_, "BK-CN-1", "Mercado Frutas SA", "EUR");
  auto inv_body = worked_body();
  inv_body["export_id"] = export_id;
  inv_body.erase("client_name");
  const auto invoice_id = issued_invoice(c, inv_body);
  const auto number = get(c, "/api/client-invoices/" + invoice_id).at("invoice_number");
  json::object body{{"credit_type", "client_credit"},
                    {"reason", "quality_claim"},
                    {"reason_detail", "Rind breakdown on arrival"},
                    {"invoice_id", invoice_id},
                    {"line_items", json::array{json::object{{"description", "Cartons rejected"}, {"quantity", 20},
                                                            {"unit", "carton"}, {"unit_price", 12.5}},
                                               json::object{{"description", "Survey fee"}, {"quantity", 1},
                                                            {"unit_price", 85.25}}}},
                    {"issue_date", "2026-03-10"},
                    {"notes", "Agreed by phone"}};
  auto res = post(c, "/api/credits/", body);
  ASSERT_EQ(res.result_int(), 201) << res.body();
  const auto cn = json_object(res);
  EXPECT_EQ(keys_of(cn), (std::set<std::string>{"id", "credit_number", "credit_type", "reason", "reason_detail",
                                                "invoice_id", "invoice_number", "grower_payment_id", "export_id",
                                                "currency", "line_items", "total_amount", "issue_date",
                                                "applied_date", "status", "approved_by", "approved_at", "notes",
                                                "created_by", "created_at", "updated_at"}));
  EXPECT_EQ(cn.at("credit_number").as_string(), "CN-2026-001");
  EXPECT_EQ(cn.at("credit_type").as_string(), "client_credit");
  EXPECT_EQ(cn.at("reason").as_string(), "quality_claim");
  EXPECT_EQ(cn.at("reason_detail").as_string(), "Rind breakdown on arrival");
  EXPECT_EQ(cn.at("invoice_id").as_string(), invoice_id);
  EXPECT_EQ(cn.at("invoice_number"), number);
  EXPECT_EQ(cn.at("export_id").as_string(), export_id);
  EXPECT_EQ(cn.at("currency").as_string(), "EUR");
  // 20 x 12.50 = 250.00 and 85.25: 335.25.
  EXPECT_EQ(cn.at("total_amount").as_double(), 335.25);
  EXPECT_EQ(cn.at("line_items"),
            (json::array{json::object{{"description", "Cartons rejected"}, {"quantity", 20.0}, {"unit", "carton"},
                                      {"unit_price", 12.5}, {"amount", 250.0}},
                         json::object{{"description", "Survey fee"}, {"quantity", 1.0}, {"unit", nullptr},
                                      {"unit_price", 85.25}, {"amount", 85.25}}}));
  EXPECT_EQ(cn.at("issue_date").as_string(), "2026-03-10");
  EXPECT_EQ(cn.at("status").as_string(), "draft");
  EXPECT_EQ(cn.at("created_by").as_string(), admin_.user_id);
  for (const char* key : {"grower_payment_id", "applied_date", "approved_by", "approved_at"}) {
    EXPECT_TRUE(cn.at(key).is_null()) << key;
  }
  EXPECT_EQ(get(c, "/api/credits/" + std::string(cn.at("id").as_string())), cn);

  // Without an invoice: currency and total as sent, no line items, today's date.
  auto loose = json_object(post(c, "/api/credits/", {{"credit_type", "adjustment"}, {"reason", "other"},
                                                     {"currency", "ZAR"}, {"total_amount", 99.99}}));
  EXPECT_EQ(loose.at("credit_number").as_string(), "CN-" + today().substr(0, 4) + (today().substr(0, 4) == "2026" ? "-002" : "-001"));
  EXPECT_EQ(loose.at("currency").as_string(), "ZAR");
  EXPECT_EQ(loose.at("total_amount").as_double(), 99.99);
  EXPECT_TRUE(loose.at("line_items").is_null());
  EXPECT_TRUE(loose.at("invoice_id").is_null());
  EXPECT_TRUE(loose.at("invoice_number").is_null());
  EXPECT_EQ(loose.at("issue_date").as_string(), today());
}

TEST_F(CreditsHttpTest, EachValidationRuleIsRefusedAndWritesNothing) {
  auto c = client();
  struct Case {
    std::string name;
    json::object body;
    std::string field;
    std::string type;
  };
  const json::object base{{"credit_type", "adjustment"}, {"reason", "other"}, {"currency", "USD"}, {"total_amount", 10}};
  auto with = [&](const char* key, json::value v) {
    auto b = base;
    b[key] = std::move(v);
    return b;
  };
  auto without = [&](const char* key) {
    auto b = base;
    b.erase(key);
    return b;
  };
  const json::array lines{json::object{{"description", "Short cartons"}, {"quantity", 4}, {"unit_price", 2.5}}};
  const std::vector<Case> cases{
      {"credit_type missing", without("credit_type"), "credit_type", "missing"},
      {"credit_type unknown", with("credit_type", "refund"), "credit_type", "enum"},
      {"reason unknown", with("reason", "damage"), "reason", "enum"},
      {"currency missing without invoice", without("currency"), "currency", "missing"},
      {"currency lower case", with("currency", "zar"), "currency", "string_pattern_mismatch"},
      {"total missing without lines", without("total_amount"), "total_amount", "missing"},
      {"total zero", with("total_amount", 0), "total_amount", "greater_than"},
      {"total of a tenth of a cent", with("total_amount", 1.005), "total_amount", "decimal_max_places"},
      {"total differs from the lines", [&] {
         auto b = with("line_items", lines);
         b["total_amount"] = 11;
         return b;
       }(), "total_amount", "value_error"},
      {"lines empty", with("line_items", json::array{}), "line_items", "too_short"},
      {"lines adding up to nothing",
       with("line_items", json::array{json::object{{"description", "Nil"}, {"quantity", 1}, {"unit_price", 0}}}),
       "line_items", "value_error"},
      {"issue_date not a day", with("issue_date", "10/03/2026"), "issue_date", "date_parsing"},
  };
  for (const auto& tc : cases) {
    SCOPED_TRACE(tc.name);
    auto res = post(c, "/api/credits/", tc.body);
    ASSERT_EQ(res.result_int(), 422) << res.body();
    const auto body = json_object(res);
    const auto& detail = body.at("detail").as_array();
    ASSERT_EQ(detail.size(), 1u) << res.body();
    EXPECT_EQ(detail[0].at("loc"), (json::array{"body", json::string(tc.field)}));
    EXPECT_EQ(detail[0].at("type").as_string(), tc.type) << res.body();
  }
  // Lines alone set the total (4 x 2.50 = 10.00; sent beside them, the same total is accepted).
  auto from_lines = without("total_amount");
  from_lines["line_items"] = lines;
  EXPECT_EQ(json_object(post(c, "/api/credits/", from_lines)).at("total_amount").as_double(), 10.0);
  auto both = base;
  both["line_items"] = lines;
  EXPECT_EQ(post(c, "/api/credits/", both).result_int(), 201);

  // Links must be this tenant's live rows.
  const auto invoice_id = invoice(c, small_body());
  auto other = register_account(c, "credits-other@example.com");
  create_enterprise(c, other, "Other Co");
  onboard(other.enterprise_id);
  auto theirs = c.post("/api/client-invoices/", json::serialize(small_body()), other.auth());
  ASSERT_EQ(theirs.result_int(), 201);
  const auto before = rows("credits");
  const auto their_invoice = json_object(theirs);
  expect_refused(post(c, "/api/credits/", with("invoice_id", their_invoice.at("id"))), 422, "Invoice not found");
  expect_refused(post(c, "/api/credits/", with("invoice_id", "no-such-invoice")), 422, "Invoice not found");
  expect_refused(post(c, "/api/credits/", with("export_id", "no-such-export")), 422, "Export not found");
  expect_refused(post(c, "/api/credits/", with("grower_payment_id", "no-such-payment")), 422,
                 "Grower payment not found");
  auto eur = with("invoice_id", json::string(invoice_id));
  eur["currency"] = "EUR";
  expect_refused(post(c, "/api/credits/", eur), 422, "Credit currency EUR differs from the invoice's currency USD");
  EXPECT_EQ(rows("credits"), before);
  for (const char* query : {"?status=paid", "?credit_type=refund", "?limit=0"}) {
    EXPECT_EQ(c.get(std::string("/api/credits/") + query, admin_.auth()).result_int(), 422) << query;
  }
}

TEST_F(CreditsHttpTest, AppliedCreditsLowerTheInvoiceBalanceAndMaySettleIt) {
  auto c = client();
  const auto invoice_id = issued_invoice(c, worked_body());  // 17,392.60
  const std::string invoice_path = "/api/client-invoices/" + invoice_id;
  auto against = [&](double amount) {
    return json::object{{"credit_type", "client_credit"}, {"reason", "short_delivery"}, {"invoice_id", invoice_id},
                        {"total_amount", amount}};
  };
  const auto first = credit(c, against(392.6));
  expect_refused(act(c, "/api/credits/" + first + "/apply"), 409, "Only issued credits can be applied; this one is draft");
  auto res = act(c, "/api/credits/" + first + "/issue");
  ASSERT_EQ(res.result_int(), 200) << res.body();
  EXPECT_EQ(json_object(res).at("status").as_string(), "issued");
  EXPECT_EQ(json_object(res).at("approved_by").as_string(), admin_.user_id);
  EXPECT_FALSE(json_object(res).at("approved_at").is_null());
  res = act(c, "/api/credits/" + first + "/apply");
  ASSERT_EQ(res.result_int(), 200) << res.body();
  EXPECT_EQ(json_object(res).at("status").as_string(), "applied");
  EXPECT_EQ(json_object(res).at("applied_date").as_string(), today());

  auto inv = get(c, invoice_path);
  EXPECT_EQ(inv.at("status").as_string(), "issued");
  EXPECT_EQ(inv.at("credited_amount").as_double(), 392.6);
  EXPECT_EQ(inv.at("balance_due").as_double(), 17000.0);  // 17,392.60 - 392.60
  ASSERT_EQ(inv.at("credits").as_array().size(), 1u);
  EXPECT_EQ(inv.at("credits").as_array()[0].at("status").as_string(), "applied");
  EXPECT_EQ(inv.at("credits").as_array()[0].at("total_amount").as_double(), 392.6);

  // More than the balance: refused, nothing written.
  const auto too_big = issued_credit(c, against(17000.01));
  const auto credit_before = get(c, "/api/credits/" + too_big);
  inv = get(c, invoice_path);
  expect_refused(act(c, "/api/credits/" + too_big + "/apply"), 409,
                 "Credit of 17000.01 exceeds the balance due of 17000.00 on invoice " +
                     std::string(inv.at("invoice_number").as_string()));
  EXPECT_EQ(get(c, "/api/credits/" + too_big), credit_before);
  EXPECT_EQ(get(c, invoice_path), inv);
  // An invoice with credits applied cannot be cancelled.
  expect_refused(act(c, invoice_path + "/cancel"), 409, "An invoice with applied credits cannot be cancelled");

  // Payments then a credit for the rest: paid, as payments settled part of it.
  ASSERT_EQ(pay(c, invoice_id, {{"amount", 16000}}).result_int(), 200);
  const auto rest = issued_credit(c, against(1000));
  ASSERT_EQ(act(c, "/api/credits/" + rest + "/apply").result_int(), 200);
  inv = get(c, invoice_path);
  EXPECT_EQ(inv.at("status").as_string(), "paid");
  EXPECT_EQ(inv.at("balance_due").as_double(), 0.0);
  EXPECT_EQ(inv.at("amount_paid").as_double(), 16000.0);
  EXPECT_EQ(inv.at("credited_amount").as_double(), 1392.6);
  EXPECT_EQ(inv.at("paid_date").as_string(), today());
  expect_refused(act(c, "/api/credits/" + too_big + "/apply"), 409,
                 "Credits can only be applied to issued or partially paid invoices; invoice " +
                     std::string(inv.at("invoice_number").as_string()) + " is paid");

  // A credit covering a whole unpaid invoice: credited.
  const auto small = issued_invoice(c, small_body(40));
  const auto whole = issued_credit(c, {{"credit_type", "client_credit"}, {"reason", "reject_return"},
                                       {"invoice_id", small}, {"total_amount", 40}});
  ASSERT_EQ(act(c, "/api/credits/" + whole + "/apply").result_int(), 200);
  const auto settled = get(c, "/api/client-invoices/" + small);
  EXPECT_EQ(settled.at("status").as_string(), "credited");
  EXPECT_EQ(settled.at("balance_due").as_double(), 0.0);
  EXPECT_TRUE(settled.at("paid_date").is_null());

  // A credit against a draft invoice waits until it is issued.
  const auto draft = invoice(c, small_body(40));
  const auto early = issued_credit(c, {{"credit_type", "client_credit"}, {"reason", "other"},
                                       {"invoice_id", draft}, {"total_amount", 5}});
  expect_refused(act(c, "/api/credits/" + early + "/apply"), 409,
                 "Credits can only be applied to issued or partially paid invoices; invoice " +
                     std::string(get(c, "/api/client-invoices/" + draft).at("invoice_number").as_string()) +
                     " is draft");
  // A credit against no invoice applies on its own.
  const auto free = issued_credit(c, {{"credit_type", "grower_credit"}, {"reason", "price_adjustment"},
                                      {"currency", "ZAR"}, {"total_amount", 2350}});
  EXPECT_EQ(json_object(act(c, "/api/credits/" + free + "/apply")).at("status").as_string(), "applied");
}

TEST_F(CreditsHttpTest, CancelAndDeleteFollowTheStatus) {
  auto c = client();
  const json::object body{{"credit_type", "adjustment"}, {"reason", "other"}, {"currency", "USD"}, {"total_amount", 5}};
  const auto draft = credit(c, body);
  const auto issued = issued_credit(c, body);
  const auto applied = issued_credit(c, body);
  ASSERT_EQ(act(c, "/api/credits/" + applied + "/apply").result_int(), 200);

  expect_refused(act(c, "/api/credits/" + issued + "/issue"), 409, "Only draft credits can be issued; this one is issued");
  expect_refused(act(c, "/api/credits/" + applied + "/cancel"), 409,
                 "Only draft or issued credits can be cancelled; this one is applied");
  expect_refused(remove(c, "/api/credits/" + applied), 409,
                 "Only draft or cancelled credits can be deleted; this one is applied");
  expect_refused(remove(c, "/api/credits/" + issued), 409,
                 "Only draft or cancelled credits can be deleted; this one is issued");
  EXPECT_EQ(json_object(act(c, "/api/credits/" + issued + "/cancel")).at("status").as_string(), "cancelled");
  EXPECT_EQ(remove(c, "/api/credits/" + issued).result_int(), 204);
  EXPECT_EQ(json_object(act(c, "/api/credits/" + draft + "/cancel")).at("status").as_string(), "cancelled");
  expect_refused(act(c, "/api/credits/" + draft + "/apply"), 409, "Only issued credits can be applied; this one is cancelled");
  const auto fresh = credit(c, body);
  EXPECT_EQ(remove(c, "/api/credits/" + fresh).result_int(), 204);
  EXPECT_EQ(get(c, "/api/credits/").at("total").as_int64(), 2);
  EXPECT_EQ(get(c, "/api/credits/" + applied).at("status").as_string(), "applied");
}

TEST_F(CreditsHttpTest, UnknownDeletedAndOtherTenantsCreditsAre404) {
  auto c = client();
  auto other = register_account(c, "credits-404@example.com");
  create_enterprise(c, other, "Elsewhere Co");
  onboard(other.enterprise_id);
  const std::string body = R"({"credit_type":"adjustment","reason":"other","currency":"USD","total_amount":5})";
  auto theirs = c.post("/api/credits/", body, other.auth());
  ASSERT_EQ(theirs.result_int(), 201) << theirs.body();
  const std::string their_id(json_object(theirs).at("id").as_string());
  const auto parsed = json::parse(body);
  const auto deleted = credit(c, parsed.as_object());
  ASSERT_EQ(remove(c, "/api/credits/" + deleted).result_int(), 204);
  for (const auto& id : {their_id, deleted, std::string("no-such-id")}) {
    SCOPED_TRACE(id);
    const std::string path = "/api/credits/" + id;
    expect_refused(c.get(path, admin_.auth()), 404, "Credit not found");
    expect_refused(remove(c, path), 404, "Credit not found");
    for (const char* action : {"/issue", "/apply", "/cancel"}) expect_refused(act(c, path + action), 404, "Credit not found");
  }
  EXPECT_EQ(json_object(c.get("/api/credits/" + their_id, other.auth())).at("status").as_string(), "draft");
}

TEST_F(CreditsHttpTest, ListFiltersWithTheSameQueriesAtAnyPageSize) {
  auto c = client();
  const auto invoice_id = invoice(c, small_body(1000));
  for (int i = 0; i < 101; ++i) {
    json::object body{{"credit_type", i % 2 == 0 ? "adjustment" : "client_credit"},
                      {"reason", "other"},
                      {"total_amount", 1 + i}};
    if (i % 10 == 0) {
      body["invoice_id"] = invoice_id;
    } else {
      body["currency"] = "USD";
    }
    ASSERT_EQ(post(c, "/api/credits/", body).result_int(), 201);
  }
  std::set<std::string> counts;
  for (int limit : {1, 50, 100}) {
    auto res = c.get("/api/credits/?limit=" + std::to_string(limit), admin_.auth());
    ASSERT_EQ(res.result_int(), 200);
    auto page = json_object(res);
    EXPECT_EQ(page.at("total").as_int64(), 101);
    ASSERT_EQ(page.at("items").as_array().size(), static_cast<std::size_t>(limit));
    EXPECT_EQ(page.at("items").as_array()[0].at("total_amount").as_double(), 101.0);  // newest first
    counts.insert(std::string(res["X-Query-Count"]));
  }
  EXPECT_EQ(counts, std::set<std::string>{"1"}) << "query count depends on the page size";
  EXPECT_EQ(get(c, "/api/credits/?credit_type=adjustment&limit=100").at("total").as_int64(), 51);
  auto of_invoice = get(c, "/api/credits/?invoice_id=" + invoice_id);
  EXPECT_EQ(of_invoice.at("total").as_int64(), 11);
  for (const auto& item : of_invoice.at("items").as_array()) {
    EXPECT_EQ(item.at("invoice_id").as_string(), invoice_id);
    EXPECT_EQ(item.at("invoice_number").as_string(), "INV-" + today().substr(0, 4) + "-0001");
  }
  const auto id = std::string(of_invoice.at("items").as_array()[0].at("id").as_string());
  ASSERT_EQ(act(c, "/api/credits/" + id + "/issue").result_int(), 200);
  EXPECT_EQ(get(c, "/api/credits/?status=issued").at("total").as_int64(), 1);
  EXPECT_EQ(get(c, "/api/credits/?status=draft&credit_type=client_credit").at("total").as_int64(), 50);
  auto single = c.get("/api/credits/" + id, admin_.auth());
  EXPECT_EQ(single["X-Query-Count"], "1");
}

TEST_F(CreditsHttpTest, SupervisorsAndOperatorsLackFinancialPermissions) {
  auto c = client();
  const auto id = credit(c, {{"credit_type", "adjustment"}, {"reason", "other"}, {"currency", "USD"}, {"total_amount", 5}});
  for (const char* role : {"supervisor", "operator"}) {
    SCOPED_TRACE(role);
    const auto who = add_member(c, admin_, std::string("credits-") + role + "@example.com", role).auth();
    expect_refused(c.get("/api/credits/", who), 403, "Missing permissions: financials.read");
    expect_refused(c.get("/api/credits/" + id, who), 403, "Missing permissions: financials.read");
    expect_refused(c.post("/api/credits/", R"({"credit_type":"adjustment","reason":"other","currency":"USD","total_amount":5})",
                          who),
                   403, "Missing permissions: financials.write");
    for (const char* action : {"/issue", "/apply", "/cancel"}) {
      expect_refused(act(c, "/api/credits/" + id + action, who), 403, "Missing permissions: financials.write");
    }
  }
  EXPECT_EQ(rows("credits"), 1);
  EXPECT_EQ(get(c, "/api/credits/" + id).at("status").as_string(), "draft");
}

TEST_F(CreditsHttpTest, CreateIsIdempotentAndCachedReadsFollowWrites) {
  auto c = client();
  const auto invoice_id = issued_invoice(c, small_body(100));
  ASSERT_EQ(c.get("/api/credits/", admin_.auth()).result_int(), 200);
  EXPECT_EQ(c.get("/api/credits/", admin_.auth())["X-Cache"], "HIT-L1");
  const std::string invoice_path = "/api/client-invoices/" + invoice_id;
  ASSERT_EQ(c.get(invoice_path, admin_.auth()).result_int(), 200);
  EXPECT_EQ(c.get(invoice_path, admin_.auth())["X-Cache"], "HIT-L1");

  const Headers key{{"Idempotency-Key", "credit-key-1"}};
  const json::object body{{"credit_type", "client_credit"}, {"reason", "quality_claim"}, {"invoice_id", invoice_id},
                          {"total_amount", 25}};
  auto first = post(c, "/api/credits/", body, key);
  ASSERT_EQ(first.result_int(), 201) << first.body();
  auto repeat = post(c, "/api/credits/", body, key);
  ASSERT_EQ(repeat.result_int(), 201);
  EXPECT_EQ(json_object(repeat).at("id"), json_object(first).at("id"));
  auto changed = body;
  changed["total_amount"] = 26;
  EXPECT_EQ(post(c, "/api/credits/", changed, key).result_int(), 422);
  EXPECT_EQ(rows("credits"), 1);

  auto listed = c.get("/api/credits/", admin_.auth());
  EXPECT_EQ(listed["X-Cache"], "MISS");
  EXPECT_EQ(json_object(listed).at("total").as_int64(), 1);
  // Applying changes the invoice's cached detail and list.
  const std::string id(json_object(first).at("id").as_string());
  ASSERT_EQ(act(c, "/api/credits/" + id + "/issue").result_int(), 200);
  for (const std::string& path : {invoice_path, std::string("/api/client-invoices/")}) {
    ASSERT_EQ(c.get(path, admin_.auth()).result_int(), 200);
    EXPECT_EQ(c.get(path, admin_.auth())["X-Cache"], "HIT-L1") << path;
  }
  ASSERT_EQ(act(c, "/api/credits/" + id + "/apply").result_int(), 200);
  auto detail = c.get(invoice_path, admin_.auth());
  EXPECT_EQ(detail["X-Cache"], "MISS");
  EXPECT_EQ(json_object(detail).at("balance_due").as_double(), 75.0);
  auto invoices = c.get("/api/client-invoices/", admin_.auth());
  EXPECT_EQ(invoices["X-Cache"], "MISS");
  EXPECT_EQ(json_object(invoices).at("items").as_array()[0].at("credited_amount").as_double(), 25.0);
  EXPECT_EQ(json_object(c.get("/api/credits/", admin_.auth())).at("items").as_array()[0].at("status").as_string(),
            "applied");
}

}  // namespace
}  // namespace fruitpak::testing
