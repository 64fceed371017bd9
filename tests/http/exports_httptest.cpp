// /api/exports on both engines: ExportOut and detail shapes, each validation rule, links to
// this tenant's rows only, duplicate booking refs, the status machine (with its dates and
// the cancel-over-invoices refusal), attaching and detaching containers with their tallies,
// delete rules, permissions per role, 404s for other tenants' ids, filters, constant query
// counts, Idempotency-Key and cache invalidation.

#include "db/database.hpp"
#include "support/api_client.hpp"
#include "support/export_fixture.hpp"
#include "support/server_fixture.hpp"
#include "util/crypto.hpp"
#include "util/run_sync.hpp"

#include <boost/json/serialize.hpp>

#include <ctime>
#include <set>

namespace fruitpak::testing {
namespace {

namespace json = boost::json;
using boost::beast::http::verb;
using Headers = std::map<std::string, std::string>;

struct TestContainer {
  std::string id;
  std::string number;
};

std::string utc_today() {
  const std::time_t now = std::time(nullptr);
  std::tm parts{};
  gmtime_r(&now, &parts);
  char text[11];
  std::strftime(text, sizeof text, "%Y-%m-%d", &parts);
  return text;
}

std::set<std::string> keys_of(const json::object& o) {
  std::set<std::string> keys;
  for (const auto& [key, value] : o) keys.insert(std::string(key));
  return keys;
}

const std::set<std::string>& export_out_keys() {
  static const std::set<std::string> keys{
      "id",                "booking_ref",       "client_name",      "client_ref",          "target_market",
      "destination_country", "destination_port", "shipping_line",   "vessel_name",         "voyage_number",
      "port_of_loading",   "etd",               "eta",              "actual_departure",    "actual_arrival",
      "container_count",   "total_pallets",     "total_cartons",    "total_weight_kg",     "ppecb_cert_number",
      "phyto_cert_number", "bill_of_lading",    "currency",         "total_value",         "incoterm",
      "shipping_line_id",  "transporter_id",    "shipping_agent_id", "shipping_schedule_id", "status",
      "notes",             "created_by",        "created_at",       "updated_at"};
  return keys;
}

class ExportsHttpTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    admin_ = start_with_admin("export-admin@example.com", "Export Co", Onboarding::kDone);
  }

  HttpResponse book(HttpClient& c, const json::object& body, const Headers& who = {}) {
    return c.post("/api/exports/", json::serialize(body), who.empty() ? admin_.auth() : who);
  }
  std::string booked_id(HttpClient& c, const json::object& body) {
    auto res = book(c, body);
    EXPECT_EQ(res.result_int(), 201) << res.body();
    return res.result_int() == 201 ? std::string(json_object(res).at("id").as_string()) : std::string();
  }
  HttpResponse patch(HttpClient& c, const std::string& id, const json::object& body, const Headers& who = {}) {
    return c.request(verb::patch, "/api/exports/" + id, json::serialize(body), who.empty() ? admin_.auth() : who);
  }
  HttpResponse attach(HttpClient& c, const std::string& id, const json::array& container_ids) {
    const json::object body{{"container_ids", container_ids}};
    return c.post("/api/exports/" + id + "/containers", json::serialize(body), admin_.auth());
  }
  HttpResponse detach(HttpClient& c, const std::string& id, const std::string& container_id) {
    return c.request(verb::delete_, "/api/exports/" + id + "/containers/" + container_id, {}, admin_.auth());
  }
  HttpResponse remove(HttpClient& c, const std::string& id, const Headers& who = {}) {
    return c.request(verb::delete_, "/api/exports/" + id, {}, who.empty() ? admin_.auth() : who);
  }
  json::object detail(HttpClient& c, const std::string& id) {
    auto res = c.get("/api/exports/" + id, admin_.auth());
    EXPECT_EQ(res.result_int(), 200) << res.body();
    return json_object(res);
  }
  static json::object minimal(const std::string& booking_ref) {
    return {{"booking_ref", booking_ref}, {"client_name", "Harbour Fresh Ltd"}};
  }

  // A container of `owner` through the API, then its tallies set as loading pallets would.
  TestContainer new_container(HttpClient& c, std::int64_t pallets, std::int64_t cartons, double gross_kg,
                              const Account* owner = nullptr) {
    const Account& who = owner ? *owner : admin_;
    auto res = c.post("/api/containers/", R"({"container_type":"reefer_40ft"})", who.auth());
    EXPECT_EQ(res.result_int(), 201) << res.body();
    if (res.result_int() != 201) return {};
    auto body = json_object(res);
    TestContainer out{std::string(body.at("id").as_string()), std::string(body.at("container_number").as_string())};
    db::Params p{pallets, cartons, gross_kg, out.id};
    auto set = util::run_sync(app().database().execute(
        "UPDATE containers SET pallet_count = $1, total_cartons = $2, gross_weight_kg = $3 WHERE id = $4", p));
    EXPECT_TRUE(set) << set.error().detail;
    return out;
  }
  std::string insert_shipping_line(const std::string& enterprise_id, const std::string& name) {
    const std::string id = util::uuid4();
    db::Params p{id, enterprise_id, name, name.substr(0, 3), std::string("2026-03-01T08:00:00")};
    auto inserted = util::run_sync(app().database().execute(
        "INSERT INTO shipping_lines (id, enterprise_id, name, code, is_active, created_at)"
        " VALUES ($1, $2, $3, $4, TRUE, $5)", p));
    EXPECT_TRUE(inserted) << inserted.error().detail;
    return id;
  }
  std::int64_t scalar(const std::string& sql, db::Params params = {}) {
    auto rows = util::run_sync(app().database().execute(sql, std::move(params)));
    EXPECT_TRUE(rows) << rows.error().detail;
    return rows ? rows->front().int64(0) : -1;
  }
  std::int64_t export_rows() { return scalar("SELECT COUNT(*) FROM exports"); }
  std::int64_t on_export(const std::string& container_id, const std::string& export_id) {
    db::Params p{container_id, export_id};
    return scalar("SELECT COUNT(*) FROM containers WHERE id = $1 AND export_id = $2", p);
  }
  std::string raise_invoice(HttpClient& c, const std::string& export_id) {
    const json::object body{
        {"export_id", export_id},
        {"line_items",
         json::array{json::object{{"description", "Navels 15 kg"}, {"quantity", 10}, {"unit_price", 12.5}}}}};
    auto res = c.post("/api/client-invoices/", json::serialize(body), admin_.auth());
    EXPECT_EQ(res.result_int(), 201) << res.body();
    return res.result_int() == 201 ? std::string(json_object(res).at("id").as_string()) : std::string();
  }

  Account admin_;
};

TEST_F(ExportsHttpTest, CreateShowsEveryColumnAndTheDetailAddsContainersAndInvoices) {
  auto c = client();
  const json::object body{{"booking_ref", "MSC-2026-0042"},  {"client_name", "Harbour Fresh Ltd"},
                          {"client_ref", "PO-7781"},         {"target_market", "EU"},
                          {"destination_country", "Netherlands"}, {"destination_port", "Rotterdam"},
                          {"shipping_line", "MSC"},          {"vessel_name", "MSC Aurora"},
                          {"voyage_number", "VA-114"},       {"port_of_loading", "Durban"},
                          {"etd", "2026-03-10"},             {"eta", "2026-04-01"},
                          {"total_weight_kg", 42000.5},      {"ppecb_cert_number", "PPECB-1"},
                          {"phyto_cert_number", "PHY-9"},    {"bill_of_lading", "BL-3"},
                          {"currency", "usd"},               {"total_value", 12345.678},
                          {"incoterm", "FOB"},               {"notes", "Keep at 4 C"},
                          {"status", "completed"}};  // ignored: a booking starts as a draft
  auto res = book(c, body);
  ASSERT_EQ(res.result_int(), 201) << res.body();
  auto created = json_object(res);
  auto expected_keys = export_out_keys();
  expected_keys.insert("containers");
  expected_keys.insert("invoices");
  EXPECT_EQ(keys_of(created), expected_keys);
  for (const char* key : {"booking_ref", "client_name", "client_ref", "target_market", "destination_country",
                          "destination_port", "shipping_line", "vessel_name", "voyage_number", "port_of_loading",
                          "etd", "eta", "ppecb_cert_number", "phyto_cert_number", "bill_of_lading", "incoterm",
                          "notes"}) {
    EXPECT_EQ(created.at(key), body.at(key)) << key;
  }
  EXPECT_EQ(created.at("currency").as_string(), "USD");          // stored upper-case
  EXPECT_EQ(created.at("total_value").as_double(), 12345.68);    // kept to cents
  EXPECT_EQ(created.at("total_weight_kg").as_double(), 42000.5);
  EXPECT_EQ(created.at("status").as_string(), "draft");
  EXPECT_EQ(created.at("created_by").as_string(), admin_.user_id);
  for (const char* key : {"container_count", "total_pallets", "total_cartons"}) {
    EXPECT_EQ(created.at(key).as_int64(), 0) << key;
  }
  for (const char* key : {"actual_departure", "actual_arrival", "shipping_line_id", "transporter_id",
                          "shipping_agent_id", "shipping_schedule_id"}) {
    EXPECT_TRUE(created.at(key).is_null()) << key;
  }
  EXPECT_TRUE(created.at("containers").as_array().empty());
  EXPECT_TRUE(created.at("invoices").as_array().empty());
  EXPECT_TRUE(created.at("created_at").is_string());

  const std::string id(created.at("id").as_string());
  EXPECT_EQ(detail(c, id), created);
  auto page = json_object(c.get("/api/exports/", admin_.auth()));
  ASSERT_EQ(page.at("items").as_array().size(), 1u);
  auto item = page.at("items").as_array()[0].as_object();
  EXPECT_EQ(keys_of(item), export_out_keys());  // the list has no containers or invoices
  EXPECT_EQ(item.at("total_value").as_double(), 12345.68);

  // Only the two required fields: every other key present as null.
  auto bare = json_object(book(c, minimal("BARE-1")));
  EXPECT_EQ(keys_of(bare), expected_keys);
  for (const char* key : {"client_ref", "currency", "total_value", "total_weight_kg", "etd", "incoterm", "notes"}) {
    EXPECT_TRUE(bare.at(key).is_null()) << key;
  }
}

TEST_F(ExportsHttpTest, EachValidationRuleIs422WithItsFieldAndWritesNothing) {
  auto c = client();
  struct Case {
    std::string name;
    json::object body;
    std::string field;
    std::string type;
  };
  auto with = [](const char* key, json::value v) {
    auto b = minimal("VAL-1");
    b[key] = std::move(v);
    return b;
  };
  auto without = [](const char* key) {
    auto b = minimal("VAL-1");
    b.erase(key);
    return b;
  };
  json::array too_many;
  for (int i = 0; i < 101; ++i) too_many.emplace_back("c-" + std::to_string(i));
  const std::vector<Case> cases{
      {"booking_ref missing", without("booking_ref"), "booking_ref", "missing"},
      {"booking_ref empty", with("booking_ref", ""), "booking_ref", "string_too_short"},
      {"booking_ref too long", with("booking_ref", json::string(std::string(101, 'b'))), "booking_ref",
       "string_too_long"},
      {"client_name missing", without("client_name"), "client_name", "missing"},
      {"client_name null", with("client_name", nullptr), "client_name", "string_type"},
      {"client_name too long", with("client_name", json::string(std::string(256, 'c'))), "client_name",
       "string_too_long"},
      {"client_ref too long", with("client_ref", json::string(std::string(101, 'r'))), "client_ref", "string_too_long"},
      {"vessel_name too long", with("vessel_name", json::string(std::string(256, 'v'))), "vessel_name",
       "string_too_long"},
      {"incoterm too long", with("incoterm", "FOB-DURBAN1"), "incoterm", "string_too_long"},
      {"currency too long", with("currency", "USDX"), "currency", "string_too_long"},
      {"currency not letters", with("currency", "U5D"), "currency", "string_pattern_mismatch"},
      {"total_value negative", with("total_value", -0.01), "total_value", "greater_than_equal"},
      {"total_value text", with("total_value", "a lot"), "total_value", "float_parsing"},
      {"total_weight_kg negative", with("total_weight_kg", -1), "total_weight_kg", "greater_than_equal"},
      {"etd not a day", with("etd", "2026-02-30"), "etd", "date_parsing"},
      {"eta before etd", [&] {
         auto b = with("etd", "2026-03-10");
         b["eta"] = "2026-03-09";
         return b;
       }(), "eta", "value_error"},
      {"arrival before departure", [&] {
         auto b = with("actual_departure", "2026-03-10");
         b["actual_arrival"] = "2026-03-01";
         return b;
       }(), "actual_arrival", "value_error"},
      {"shipping line id too long", with("shipping_line_id", json::string(std::string(37, 'x'))), "shipping_line_id",
       "string_too_long"},
      {"container_ids not a list", with("container_ids", "all"), "container_ids", "list_type"},
      {"container_ids too many", with("container_ids", too_many), "container_ids", "too_long"},
  };
  for (const auto& tc : cases) {
    SCOPED_TRACE(tc.name);
    auto res = book(c, tc.body);
    ASSERT_EQ(res.result_int(), 422) << res.body();
    const auto body = json_object(res);
    const auto& errors = body.at("detail").as_array();
    ASSERT_EQ(errors.size(), 1u) << res.body();
    EXPECT_EQ(errors[0].at("loc"), (json::array{"body", json::string(tc.field)}));
    EXPECT_EQ(errors[0].at("type").as_string(), tc.type) << res.body();
  }
  EXPECT_EQ(export_rows(), 0);

  // PATCH: the same rules, and a status that is not one, and an eta before the stored etd.
  auto dated = minimal("VAL-2");
  dated["etd"] = "2026-03-10";
  const auto id = booked_id(c, dated);
  for (const auto& bad : {json::object{{"status", "shipped"}}, json::object{{"status", nullptr}},
                          json::object{{"booking_ref", nullptr}}, json::object{{"currency", "1"}},
                          json::object{{"total_value", -5}}}) {
    auto res = patch(c, id, bad);
    EXPECT_EQ(res.result_int(), 422) << json::serialize(bad) << " " << res.body();
  }
  auto early = patch(c, id, {{"eta", "2026-03-01"}});
  ASSERT_EQ(early.result_int(), 422) << early.body();
  EXPECT_EQ(json_object(early).at("detail").as_string(), "eta must not be before etd");
  auto stored = detail(c, id);
  EXPECT_TRUE(stored.at("eta").is_null());
  EXPECT_EQ(stored.at("status").as_string(), "draft");

  for (const char* query : {"status=shipped", "etd_from=2026-13-01", "etd_to=soon", "limit=101", "offset=-1"}) {
    EXPECT_EQ(c.get(std::string("/api/exports/?") + query, admin_.auth()).result_int(), 422) << query;
  }
}

TEST_F(ExportsHttpTest, ABookingRefIsUniquePerTenant) {
  auto c = client();
  ASSERT_FALSE(booked_id(c, minimal("DUP-1")).empty());
  auto again = book(c, minimal("DUP-1"));
  ASSERT_EQ(again.result_int(), 422) << again.body();
  EXPECT_EQ(json_object(again).at("error").at("code").as_string(), "DUPLICATE_RECORD");
  EXPECT_EQ(export_rows(), 1);

  const auto second = booked_id(c, minimal("DUP-2"));
  auto renamed = patch(c, second, {{"booking_ref", "DUP-1"}});
  ASSERT_EQ(renamed.result_int(), 422) << renamed.body();
  EXPECT_EQ(json_object(renamed).at("error").at("code").as_string(), "DUPLICATE_RECORD");
  EXPECT_EQ(detail(c, second).at("booking_ref").as_string(), "DUP-2");

  // Another tenant may use the same reference.
  Account other = register_account(c, "export-dup@example.com");
  create_enterprise(c, other, "Other Export Co");
  onboard(other.enterprise_id);
  EXPECT_EQ(book(c, minimal("DUP-1"), other.auth()).result_int(), 201);
}

TEST_F(ExportsHttpTest, LinksMustNameRowsOfThisTenant) {
  auto c = client();
  Account other = register_account(c, "export-links@example.com");
  create_enterprise(c, other, "Links Co");
  const std::string theirs = insert_shipping_line(other.enterprise_id, "Maersk");
  const std::string mine = insert_shipping_line(admin_.enterprise_id, "MSC");

  auto body = minimal("LINK-1");
  body["shipping_line_id"] = theirs;
  auto res = book(c, body);
  ASSERT_EQ(res.result_int(), 422) << res.body();
  EXPECT_EQ(json_object(res).at("detail").as_string(), "Shipping line not found");
  body = minimal("LINK-1");
  body["shipping_schedule_id"] = util::uuid4();
  res = book(c, body);
  ASSERT_EQ(res.result_int(), 422) << res.body();
  EXPECT_EQ(json_object(res).at("detail").as_string(), "Shipping schedule not found");
  body = minimal("LINK-1");
  body["transporter_id"] = util::uuid4();
  EXPECT_EQ(json_object(book(c, body)).at("detail").as_string(), "Transporter not found");
  body = minimal("LINK-1");
  body["shipping_agent_id"] = util::uuid4();
  EXPECT_EQ(json_object(book(c, body)).at("detail").as_string(), "Shipping agent not found");
  EXPECT_EQ(export_rows(), 0);

  body = minimal("LINK-1");
  body["shipping_line_id"] = mine;
  res = book(c, body);
  ASSERT_EQ(res.result_int(), 201) << res.body();
  const std::string id(json_object(res).at("id").as_string());
  EXPECT_EQ(json_object(res).at("shipping_line_id").as_string(), mine);
  auto moved = patch(c, id, {{"shipping_line_id", theirs}});
  ASSERT_EQ(moved.result_int(), 422) << moved.body();
  EXPECT_EQ(detail(c, id).at("shipping_line_id").as_string(), mine);
  auto cleared = patch(c, id, {{"shipping_line_id", nullptr}});
  ASSERT_EQ(cleared.result_int(), 200) << cleared.body();
  EXPECT_TRUE(json_object(cleared).at("shipping_line_id").is_null());
}

TEST_F(ExportsHttpTest, StatusMovesForwardOnlyAndSetsTheActualDates) {
  auto c = client();
  const std::string today = utc_today();
  const auto id = booked_id(c, minimal("FLOW-1"));
  auto res = patch(c, id, {{"status", "booked"}, {"vessel_name", "MSC Aurora"}});
  ASSERT_EQ(res.result_int(), 200) << res.body();
  EXPECT_EQ(json_object(res).at("status").as_string(), "booked");
  EXPECT_EQ(json_object(res).at("vessel_name").as_string(), "MSC Aurora");
  EXPECT_TRUE(json_object(res).at("actual_departure").is_null());

  res = patch(c, id, {{"status", "in_transit"}});  // two steps: loaded is skipped
  ASSERT_EQ(res.result_int(), 200) << res.body();
  EXPECT_EQ(json_object(res).at("actual_departure").as_string(), today);
  EXPECT_TRUE(json_object(res).at("actual_arrival").is_null());

  for (const char* back : {"booked", "draft", "cancelled"}) {
    auto refused = patch(c, id, {{"status", back}});
    ASSERT_EQ(refused.result_int(), 409) << refused.body();
    EXPECT_EQ(json_object(refused).at("detail").as_string(),
              std::string("Cannot move export from 'in_transit' to '") + back + "'");
  }
  EXPECT_EQ(detail(c, id).at("status").as_string(), "in_transit");

  res = patch(c, id, {{"status", "arrived"}, {"actual_arrival", "2099-04-02"}});  // a date sent wins
  ASSERT_EQ(res.result_int(), 200) << res.body();
  EXPECT_EQ(json_object(res).at("actual_arrival").as_string(), "2099-04-02");
  EXPECT_EQ(json_object(res).at("actual_departure").as_string(), today);
  res = patch(c, id, {{"status", "completed"}});
  ASSERT_EQ(res.result_int(), 200) << res.body();
  auto refused = patch(c, id, {{"notes", "late"}});
  ASSERT_EQ(refused.result_int(), 409) << refused.body();
  EXPECT_EQ(json_object(refused).at("detail").as_string(), "Export FLOW-1 is completed: it cannot be edited");
  EXPECT_TRUE(detail(c, id).at("notes").is_null());

  // A draft jumping straight to arrived gets both dates; draft, booked and loaded may cancel.
  const auto jump = booked_id(c, minimal("FLOW-2"));
  res = patch(c, jump, {{"status", "arrived"}});
  ASSERT_EQ(res.result_int(), 200) << res.body();
  EXPECT_EQ(json_object(res).at("actual_departure").as_string(), today);
  EXPECT_EQ(json_object(res).at("actual_arrival").as_string(), today);
  for (const char* from : {"draft", "booked", "loaded"}) {
    const auto cancel = booked_id(c, minimal(std::string("CANCEL-") + from));
    if (std::string(from) != "draft") {
      ASSERT_EQ(patch(c, cancel, {{"status", from}}).result_int(), 200);
    }
    res = patch(c, cancel, {{"status", "cancelled"}});
    ASSERT_EQ(res.result_int(), 200) << from << " " << res.body();
    EXPECT_TRUE(json_object(res).at("actual_departure").is_null());
    refused = patch(c, cancel, {{"status", "booked"}});
    ASSERT_EQ(refused.result_int(), 409);
    EXPECT_EQ(json_object(refused).at("detail").as_string(),
              std::string("Export CANCEL-") + from + " is cancelled: it cannot be edited");
  }
}

TEST_F(ExportsHttpTest, AnExportWithLiveInvoicesCannotBeCancelledOrDeleted) {
  auto c = client();
  const auto id = create_export(c, admin_, "INV-1", "Harbour Fresh Ltd", "EUR");
  const auto invoice_id = raise_invoice(c, id);
  ASSERT_FALSE(invoice_id.empty());

  auto shown = detail(c, id);
  ASSERT_EQ(shown.at("invoices").as_array().size(), 1u);
  auto invoice = shown.at("invoices").as_array()[0].as_object();
  EXPECT_EQ(keys_of(invoice),
            (std::set<std::string>{"id", "invoice_number", "status", "currency", "total_amount", "balance_due"}));
  EXPECT_EQ(invoice.at("id").as_string(), invoice_id);
  EXPECT_EQ(invoice.at("status").as_string(), "draft");
  EXPECT_EQ(invoice.at("currency").as_string(), "EUR");  // the export's
  EXPECT_EQ(invoice.at("total_amount").as_double(), 125.0);  // 10 x 12.50, no tax
  EXPECT_EQ(invoice.at("balance_due").as_double(), 125.0);

  auto refused = patch(c, id, {{"status", "cancelled"}});
  ASSERT_EQ(refused.result_int(), 409) << refused.body();
  EXPECT_EQ(json_object(refused).at("detail").as_string(),
            "Cannot cancel export INV-1: it has 1 invoice(s) that are not cancelled. Cancel its invoices first.");
  EXPECT_EQ(detail(c, id).at("status").as_string(), "draft");
  auto undeletable = remove(c, id);
  ASSERT_EQ(undeletable.result_int(), 409) << undeletable.body();
  EXPECT_EQ(json_object(undeletable).at("detail").as_string(), "Cannot delete export INV-1: it has 1 invoice(s)");

  auto cancelled = c.post("/api/client-invoices/" + invoice_id + "/cancel", "{}", admin_.auth());
  ASSERT_EQ(cancelled.result_int(), 200) << cancelled.body();
  EXPECT_EQ(detail(c, id).at("invoices").as_array()[0].at("status").as_string(), "cancelled");
  auto allowed = patch(c, id, {{"status", "cancelled"}});
  ASSERT_EQ(allowed.result_int(), 200) << allowed.body();
  // A cancelled invoice is still on the books: the export stays.
  EXPECT_EQ(remove(c, id).result_int(), 409);
  EXPECT_EQ(c.get("/api/exports/" + id, admin_.auth()).result_int(), 200);
}

TEST_F(ExportsHttpTest, AttachingAndDetachingContainersRecountsTheTallies) {
  auto c = client();
  const auto a = new_container(c, 20, 1600, 21000.0);
  const auto b = new_container(c, 18, 1440, 19500.5);
  const auto k = new_container(c, 10, 800, 9000.0);
  ASSERT_FALSE(k.id.empty());

  auto body = minimal("CONT-1");
  body["total_weight_kg"] = 40000;
  body["container_ids"] = json::array{a.id};
  auto res = book(c, body);
  ASSERT_EQ(res.result_int(), 201) << res.body();
  auto booked = json_object(res);
  const std::string id(booked.at("id").as_string());
  EXPECT_EQ(booked.at("container_count").as_int64(), 1);
  EXPECT_EQ(booked.at("total_pallets").as_int64(), 20);
  EXPECT_EQ(booked.at("total_cartons").as_int64(), 1600);
  ASSERT_EQ(booked.at("containers").as_array().size(), 1u);
  EXPECT_EQ(booked.at("containers").as_array()[0].as_object(),
            (json::object{{"id", a.id}, {"container_number", a.number}, {"status", "open"}, {"pallet_count", 20},
                          {"total_cartons", 1600}, {"gross_weight_kg", 21000.0}}));

  // A already on it stays; B and K join: 3 containers, 20+18+10 pallets, 1600+1440+800 cartons.
  res = attach(c, id, json::array{b.id, k.id, a.id, b.id});
  ASSERT_EQ(res.result_int(), 200) << res.body();
  auto attached = json_object(res);
  EXPECT_EQ(attached.at("container_count").as_int64(), 3);
  EXPECT_EQ(attached.at("total_pallets").as_int64(), 48);
  EXPECT_EQ(attached.at("total_cartons").as_int64(), 3840);
  EXPECT_EQ(attached.at("total_weight_kg").as_double(), 40000.0);  // the booked weight is not overwritten
  std::vector<std::string> numbers;
  for (const auto& item : attached.at("containers").as_array()) {
    numbers.emplace_back(item.at("container_number").as_string());
  }
  EXPECT_EQ(numbers, (std::vector<std::string>{a.number, b.number, k.number}));
  EXPECT_EQ(on_export(b.id, id), 1);

  res = detach(c, id, b.id);
  ASSERT_EQ(res.result_int(), 200) << res.body();
  auto detached = json_object(res);
  EXPECT_EQ(detached.at("container_count").as_int64(), 2);
  EXPECT_EQ(detached.at("total_pallets").as_int64(), 30);    // 20 + 10
  EXPECT_EQ(detached.at("total_cartons").as_int64(), 2400);  // 1600 + 800
  EXPECT_EQ(on_export(b.id, id), 0);
  auto again = detach(c, id, b.id);
  ASSERT_EQ(again.result_int(), 404);
  EXPECT_EQ(json_object(again).at("detail").as_string(), "Container not found on this export");
  auto listed = json_object(c.get("/api/exports/", admin_.auth())).at("items").as_array()[0].as_object();
  EXPECT_EQ(listed.at("container_count").as_int64(), 2);
  EXPECT_EQ(listed.at("total_cartons").as_int64(), 2400);
}

TEST_F(ExportsHttpTest, ContainersMustBeFreeAndThisTenantsAndTheExportOpen) {
  auto c = client();
  const auto a = new_container(c, 20, 1600, 21000.0);
  const auto b = new_container(c, 5, 400, 5000.0);
  const auto first = create_export(c, admin_, "FIRST-1", "Harbour Fresh Ltd", "USD", {a.id});
  const auto second = create_export(c, admin_, "SECOND-1");

  auto taken = attach(c, second, json::array{b.id, a.id});
  ASSERT_EQ(taken.result_int(), 409) << taken.body();
  EXPECT_EQ(json_object(taken).at("detail").as_string(), "Container " + a.number + " is already on export FIRST-1");
  EXPECT_EQ(on_export(b.id, second), 0);  // nothing attached
  auto body = minimal("THIRD-1");
  body["container_ids"] = json::array{a.id};
  EXPECT_EQ(book(c, body).result_int(), 409);
  EXPECT_EQ(export_rows(), 2);  // the refused booking left no row

  Account other = register_account(c, "export-containers@example.com");
  create_enterprise(c, other, "Container Co");
  onboard(other.enterprise_id);
  const auto foreign = new_container(c, 1, 1, 1.0, &other);
  auto missing = attach(c, second, json::array{b.id, "no-such-container", foreign.id});
  ASSERT_EQ(missing.result_int(), 404) << missing.body();
  EXPECT_EQ(json_object(missing).at("detail").as_string(),
            "Containers not found: no-such-container, " + foreign.id);
  EXPECT_EQ(detail(c, second).at("container_count").as_int64(), 0);
  for (const auto& bad : {std::string(R"({})"), std::string(R"({"container_ids": []})"),
                          std::string(R"({"container_ids": null})"), std::string(R"({"container_ids": [7]})")}) {
    auto res = c.post("/api/exports/" + second + "/containers", bad, admin_.auth());
    EXPECT_EQ(res.result_int(), 422) << bad << " " << res.body();
  }

  // Closed exports: a cancelled one takes no containers but may give them back; a
  // completed one keeps them.
  set_export_status(c, admin_, first, "cancelled");
  auto closed = attach(c, first, json::array{b.id});
  ASSERT_EQ(closed.result_int(), 409) << closed.body();
  EXPECT_EQ(json_object(closed).at("detail").as_string(), "Export FIRST-1 is cancelled: it cannot take containers");
  ASSERT_EQ(detach(c, first, a.id).result_int(), 200);
  ASSERT_EQ(attach(c, second, json::array{a.id}).result_int(), 200);
  set_export_status(c, admin_, second, "completed");
  auto kept = detach(c, second, a.id);
  ASSERT_EQ(kept.result_int(), 409) << kept.body();
  EXPECT_EQ(on_export(a.id, second), 1);
}

TEST_F(ExportsHttpTest, OnlyDraftOrCancelledExportsAreDeletedAndTheirContainersFreed) {
  auto c = client();
  const auto a = new_container(c, 20, 1600, 21000.0);
  const auto draft = create_export(c, admin_, "DEL-1", "Harbour Fresh Ltd", "USD", {a.id});
  const auto booked = create_export(c, admin_, "DEL-2");
  set_export_status(c, admin_, booked, "booked");

  auto refused = remove(c, booked);
  ASSERT_EQ(refused.result_int(), 409) << refused.body();
  EXPECT_EQ(json_object(refused).at("detail").as_string(),
            "Export DEL-2 is booked: only draft or cancelled exports can be deleted");
  auto deleted = remove(c, draft);
  ASSERT_EQ(deleted.result_int(), 204) << deleted.body();
  EXPECT_EQ(c.get("/api/exports/" + draft, admin_.auth()).result_int(), 404);
  EXPECT_EQ(remove(c, draft).result_int(), 404);
  EXPECT_EQ(on_export(a.id, draft), 0);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM containers WHERE export_id IS NULL"), 1);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM exports WHERE is_deleted = TRUE"), 1);
  set_export_status(c, admin_, booked, "cancelled");
  EXPECT_EQ(remove(c, booked).result_int(), 204);
  EXPECT_EQ(json_object(c.get("/api/exports/", admin_.auth())).at("total").as_int64(), 0);
}

TEST_F(ExportsHttpTest, UnknownDeletedAndOtherTenantsExportsAre404) {
  auto c = client();
  Account other = register_account(c, "export-404@example.com");
  create_enterprise(c, other, "Elsewhere Exports");
  onboard(other.enterprise_id);
  const auto their_container = new_container(c, 3, 30, 300.0, &other);
  const auto theirs = create_export(c, other, "THEIRS-1", "Their Client", "USD", {their_container.id});
  const auto deleted = create_export(c, admin_, "GONE-1");
  ASSERT_EQ(remove(c, deleted).result_int(), 204);
  const auto mine = new_container(c, 1, 10, 100.0);
  for (const auto& id : {theirs, deleted, std::string("no-such-export")}) {
    SCOPED_TRACE(id);
    auto get = c.get("/api/exports/" + id, admin_.auth());
    ASSERT_EQ(get.result_int(), 404);
    EXPECT_EQ(json_object(get).at("detail").as_string(), "Export not found");
    EXPECT_EQ(patch(c, id, {{"notes", "mine"}}).result_int(), 404);
    EXPECT_EQ(attach(c, id, json::array{mine.id}).result_int(), 404);
    EXPECT_EQ(detach(c, id, their_container.id).result_int(), 404);
    EXPECT_EQ(remove(c, id).result_int(), 404);
  }
  auto still = c.get("/api/exports/" + theirs, other.auth());
  ASSERT_EQ(still.result_int(), 200);
  EXPECT_TRUE(json_object(still).at("notes").is_null());
  EXPECT_EQ(json_object(still).at("container_count").as_int64(), 1);
  EXPECT_EQ(on_export(mine.id, theirs), 0);
  EXPECT_EQ(json_object(c.get("/api/exports/", admin_.auth())).at("total").as_int64(), 0);
}

TEST_F(ExportsHttpTest, PermissionsFollowExportReadWriteAndDelete) {
  auto c = client();
  const auto id = create_export(c, admin_, "PERM-1");
  // Operators have no export permissions at all.
  const auto op = add_member(c, admin_, "export-op@example.com", "operator").auth();
  auto denied = c.get("/api/exports/", op);
  EXPECT_EQ(denied.result_int(), 403);
  EXPECT_EQ(json_object(denied).at("detail").as_string(), "Missing permissions: export.read");
  EXPECT_EQ(c.get("/api/exports/" + id, op).result_int(), 403);
  auto no_write = book(c, minimal("PERM-OP"), op);
  EXPECT_EQ(no_write.result_int(), 403);
  EXPECT_EQ(json_object(no_write).at("detail").as_string(), "Missing permissions: export.write");
  EXPECT_EQ(patch(c, id, {{"notes", "x"}}, op).result_int(), 403);
  EXPECT_EQ(c.post("/api/exports/" + id + "/containers", R"({"container_ids":["x"]})", op).result_int(), 403);
  EXPECT_EQ(remove(c, id, op).result_int(), 403);

  // Supervisors read and write exports but cannot delete them.
  const auto sup = add_member(c, admin_, "export-sup@example.com", "supervisor").auth();
  EXPECT_EQ(c.get("/api/exports/" + id, sup).result_int(), 200);
  EXPECT_EQ(book(c, minimal("PERM-SUP"), sup).result_int(), 201);
  EXPECT_EQ(patch(c, id, {{"notes", "checked"}}, sup).result_int(), 200);
  auto no_delete = remove(c, id, sup);
  EXPECT_EQ(no_delete.result_int(), 403);
  EXPECT_EQ(json_object(no_delete).at("detail").as_string(), "Missing permissions: export.delete");
  EXPECT_EQ(export_rows(), 2);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM exports WHERE is_deleted = TRUE"), 0);

  Account pending = register_account(c, "export-pending@example.com");
  create_enterprise(c, pending, "Not Yet Onboarded");
  auto early = c.get("/api/exports/", pending.auth());
  EXPECT_EQ(early.result_int(), 403);
  EXPECT_EQ(json_object(early).at("detail").as_string(), "Complete onboarding wizard first");
}

TEST_F(ExportsHttpTest, ListFiltersAndReadsIssueTheSameQueriesAtAnySize) {
  auto c = client();
  for (int i = 0; i < 105; ++i) {
    auto body = minimal("LIST-" + std::to_string(i));
    body["client_name"] = i % 3 == 0 ? "Harbour Fresh Ltd" : (i % 3 == 1 ? "Nordic 100% Citrus" : "Asia Fruit Co");
    body["etd"] = "2026-03-" + std::string(i % 28 + 1 < 10 ? "0" : "") + std::to_string(i % 28 + 1);
    ASSERT_EQ(book(c, body).result_int(), 201);
  }
  std::set<std::string> counts;
  for (int limit : {1, 50, 100}) {
    auto res = c.get("/api/exports/?limit=" + std::to_string(limit), admin_.auth());
    ASSERT_EQ(res.result_int(), 200);
    auto page = json_object(res);
    EXPECT_EQ(keys_of(page), (std::set<std::string>{"items", "total", "limit", "offset"}));
    EXPECT_EQ(page.at("total").as_int64(), 105);
    ASSERT_EQ(page.at("items").as_array().size(), static_cast<std::size_t>(limit));
    EXPECT_EQ(page.at("items").as_array()[0].at("booking_ref").as_string(), "LIST-104");  // newest first
    counts.insert(std::string(res["X-Query-Count"]));
  }
  EXPECT_EQ(counts, std::set<std::string>{"1"}) << "query count depends on the page size";

  auto total = [&](const std::string& query) {
    auto res = c.get("/api/exports/?" + query, admin_.auth());
    EXPECT_EQ(res.result_int(), 200) << query << " " << res.body();
    return json_object(res).at("total").as_int64();
  };
  EXPECT_EQ(total("client=harbour"), 35);        // i % 3 == 0, any case
  EXPECT_EQ(total("client=100%25"), 35);         // '%' is a character, not a wildcard
  EXPECT_EQ(total("client=0%25"), 35);
  EXPECT_EQ(total("client=%25"), 35);
  EXPECT_EQ(total("client=CO"), 35);             // "Asia Fruit Co"
  EXPECT_EQ(total("status=draft"), 105);
  EXPECT_EQ(total("status=booked"), 0);
  EXPECT_EQ(total("etd_from=2026-03-01&etd_to=2026-03-07"), 28);  // i % 28 < 7
  EXPECT_EQ(total("etd_from=2026-03-28"), 3);                     // i = 27, 55, 83
  EXPECT_EQ(total("client=asia&etd_to=2026-03-01"), 1);           // i % 28 == 0 and i % 3 == 2: i = 56
  auto past_end = c.get("/api/exports/?status=draft&offset=500", admin_.auth());
  EXPECT_EQ(json_object(past_end).at("total").as_int64(), 105);
  EXPECT_EQ(past_end["X-Query-Count"], "2");

  // The detail: three statements, however many containers and invoices it shows.
  const auto empty = create_export(c, admin_, "DETAIL-0");
  const auto a = new_container(c, 1, 10, 100.0);
  const auto b = new_container(c, 2, 20, 200.0);
  const auto full = create_export(c, admin_, "DETAIL-2", "Harbour Fresh Ltd", "USD", {a.id, b.id});
  ASSERT_FALSE(raise_invoice(c, full).empty());
  ASSERT_FALSE(raise_invoice(c, full).empty());
  auto shown_empty = c.get("/api/exports/" + empty, admin_.auth());
  auto shown_full = c.get("/api/exports/" + full, admin_.auth());
  EXPECT_EQ(json_object(shown_full).at("containers").as_array().size(), 2u);
  EXPECT_EQ(json_object(shown_full).at("invoices").as_array().size(), 2u);
  EXPECT_EQ(shown_empty["X-Query-Count"], "3");
  EXPECT_EQ(shown_full["X-Query-Count"], "3");
}

TEST_F(ExportsHttpTest, CreateIsIdempotentAndCachedReadsFollowWrites) {
  auto c = client();
  auto empty = c.get("/api/exports/", admin_.auth());
  ASSERT_EQ(empty.result_int(), 200);
  EXPECT_EQ(c.get("/api/exports/", admin_.auth())["X-Cache"], "HIT-L1");

  Headers keyed = admin_.auth();
  keyed["Idempotency-Key"] = "export-key-1";
  auto first = book(c, minimal("IDEM-1"), keyed);
  ASSERT_EQ(first.result_int(), 201) << first.body();
  auto repeat = book(c, minimal("IDEM-1"), keyed);
  ASSERT_EQ(repeat.result_int(), 201);
  EXPECT_EQ(repeat.body(), first.body());
  EXPECT_EQ(repeat["Idempotent-Replayed"], "true");
  EXPECT_EQ(book(c, minimal("IDEM-2"), keyed).result_int(), 422);
  EXPECT_EQ(export_rows(), 1);

  auto listed = c.get("/api/exports/", admin_.auth());
  EXPECT_EQ(listed["X-Cache"], "MISS");  // the create invalidated the cached empty list
  EXPECT_EQ(json_object(listed).at("total").as_int64(), 1);

  // Attaching a container and raising an invoice make the cached detail and list stale.
  const std::string id(json_object(first).at("id").as_string());
  EXPECT_EQ(detail(c, id).at("container_count").as_int64(), 0);
  EXPECT_EQ(c.get("/api/exports/" + id, admin_.auth())["X-Query-Count"], "0");
  const auto a = new_container(c, 4, 320, 4000.0);
  ASSERT_EQ(attach(c, id, json::array{a.id}).result_int(), 200);
  EXPECT_EQ(detail(c, id).at("container_count").as_int64(), 1);
  EXPECT_EQ(json_object(c.get("/api/exports/", admin_.auth())).at("items").as_array()[0].at("total_pallets").as_int64(),
            4);
  ASSERT_FALSE(raise_invoice(c, id).empty());
  EXPECT_EQ(detail(c, id).at("invoices").as_array().size(), 1u);
}

}  // namespace
}  // namespace fruitpak::testing
