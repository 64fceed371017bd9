// /api/labour-costs on both engines: shape and computed totals, each validation rule, links
// to this tenant's rows only, 404s, the status and paid-cost rules of PATCH and DELETE,
// filters and constant query counts, permissions, idempotent create, cache invalidation.

#include "db/database.hpp"
#include "support/api_client.hpp"
#include "support/server_fixture.hpp"
#include "util/crypto.hpp"
#include "util/run_sync.hpp"

#include <boost/json/serialize.hpp>

#include <set>

namespace fruitpak::testing {
namespace {

namespace json = boost::json;
using Headers = std::map<std::string, std::string>;

class LabourHttpTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    admin_ = start_with_admin("labour-admin@example.com", "Labour Co", Onboarding::kDone);
    auto c = client();
    auto res = c.post("/api/packhouses/", R"({"name":"Main"})", admin_.auth());
    EXPECT_EQ(res.result_int(), 201) << res.body();
    packhouse_id_ = std::string(json_object(res).at("id").as_string());
  }

  HttpResponse record(HttpClient& c, const json::object& body, const Headers& extra = {}) {
    auto headers = admin_.auth();
    headers.insert(extra.begin(), extra.end());
    return c.post("/api/labour-costs/", json::serialize(body), headers);
  }
  std::string recorded_id(HttpClient& c, const json::object& body) {
    auto res = record(c, body);
    EXPECT_EQ(res.result_int(), 201) << res.body();
    return res.result_int() == 201 ? std::string(json_object(res).at("id").as_string()) : std::string();
  }
  HttpResponse patch(HttpClient& c, const std::string& id, const json::object& body) {
    return c.request(boost::beast::http::verb::patch, "/api/labour-costs/" + id, json::serialize(body),
                     admin_.auth());
  }
  HttpResponse remove(HttpClient& c, const std::string& id, const Headers& who) {
    return c.request(boost::beast::http::verb::delete_, "/api/labour-costs/" + id, {}, who);
  }
  json::object basis_body() {
    return {{"category", "packing"}, {"hours_worked", 8}, {"rate_per_hour", 25.5},
            {"headcount", 12},       {"work_date", "2026-02-10"}};
  }
  std::int64_t rows() {
    auto counted = util::run_sync(app().database().execute("SELECT COUNT(*) FROM labour_costs"));
    EXPECT_TRUE(counted) << counted.error().detail;
    return counted ? counted->front().int64(0) : -1;
  }

  Account admin_;
  std::string packhouse_id_;
};

TEST_F(LabourHttpTest, CreateComputesTheTotalAndShowsEveryField) {
  auto c = client();
  auto body = basis_body();
  body["packhouse_id"] = packhouse_id_;
  body["description"] = "Night shift, line 2";
  body["extras"] = json::object{{"overtime", true}};
  body["period_start"] = "2026-02-09";
  body["period_end"] = "2026-02-10";
  auto res = record(c, body);
  ASSERT_EQ(res.result_int(), 201) << res.body();
  auto cost = json_object(res);
  const std::set<std::string> keys{"id",           "category",      "description",   "supplier_id",  "packhouse_id",
                                   "pack_line_id", "harvest_team_id", "currency",    "hours_worked", "rate_per_hour",
                                   "headcount",    "total_amount",  "extras",        "work_date",    "period_start",
                                   "period_end",   "status",        "notes",         "recorded_by",  "created_at",
                                   "updated_at"};
  std::set<std::string> got;
  for (const auto& [key, value] : cost) got.insert(std::string(key));
  EXPECT_EQ(got, keys);
  EXPECT_EQ(cost.at("total_amount").as_double(), 2448.0);  // 8 h x 25.50 x 12 people
  EXPECT_EQ(cost.at("currency").as_string(), "ZAR");
  EXPECT_EQ(cost.at("status").as_string(), "recorded");
  EXPECT_EQ(cost.at("work_date").as_string(), "2026-02-10");
  EXPECT_EQ(cost.at("period_end").as_string(), "2026-02-10");
  EXPECT_EQ(cost.at("packhouse_id").as_string(), packhouse_id_);
  EXPECT_EQ(cost.at("extras"), (json::object{{"overtime", true}}));
  EXPECT_EQ(cost.at("recorded_by").as_string(), admin_.user_id);
  EXPECT_TRUE(cost.at("supplier_id").is_null());
  EXPECT_TRUE(cost.at("notes").is_null());

  auto read = c.get("/api/labour-costs/" + std::string(cost.at("id").as_string()), admin_.auth());
  ASSERT_EQ(read.result_int(), 200);
  EXPECT_EQ(json_object(read), cost);

  // A total entered by hand is kept as entered, even when it disagrees with its basis.
  auto by_hand = basis_body();
  by_hand["total_amount"] = 2500;
  auto kept = record(c, by_hand);
  ASSERT_EQ(kept.result_int(), 201) << kept.body();
  EXPECT_EQ(json_object(kept).at("total_amount").as_double(), 2500.0);
  // Without a headcount the basis counts one person; rounded to cents.
  auto single = json_object(record(c, {{"category", "harvest"}, {"hours_worked", 3.333}, {"rate_per_hour", 10},
                                       {"work_date", "2026-02-11"}}));
  EXPECT_EQ(single.at("total_amount").as_double(), 33.33);
}

TEST_F(LabourHttpTest, EachValidationRuleIs422WithItsFieldAndWritesNothing) {
  auto c = client();
  struct Case {
    std::string name;
    json::object body;
    std::string field;
    std::string type;
  };
  auto without = [&](const char* key) {
    auto b = basis_body();
    b.erase(key);
    return b;
  };
  auto with = [&](const char* key, json::value v) {
    auto b = basis_body();
    b[key] = std::move(v);
    return b;
  };
  const std::vector<Case> cases{
      {"category missing", without("category"), "category", "missing"},
      {"category unknown", with("category", "catering"), "category", "enum"},
      {"work_date missing", without("work_date"), "work_date", "missing"},
      {"work_date not a day", with("work_date", "2026-02-30"), "work_date", "date_parsing"},
      {"work_date number", with("work_date", 20260210), "work_date", "date_type"},
      {"hours negative", with("hours_worked", -1), "hours_worked", "greater_than_equal"},
      {"rate negative", with("rate_per_hour", -0.5), "rate_per_hour", "greater_than_equal"},
      {"rate text", with("rate_per_hour", "cheap"), "rate_per_hour", "float_parsing"},
      {"hours absurd", with("hours_worked", 1e9), "hours_worked", "less_than_equal"},
      {"headcount zero", with("headcount", 0), "headcount", "greater_than"},
      {"total negative", with("total_amount", -10), "total_amount", "greater_than_equal"},
      {"no total and no rate", without("rate_per_hour"), "total_amount", "missing"},
      {"currency too long", with("currency", "ZARR"), "currency", "string_too_long"},
      {"status unknown", with("status", "cancelled"), "status", "enum"},
      {"period backwards", [&] {
         auto b = with("period_start", "2026-02-10");
         b["period_end"] = "2026-02-01";
         return b;
       }(), "period_end", "value_error"},
      {"packhouse id too long", with("packhouse_id", json::string(std::string(37, 'x'))), "packhouse_id", "string_too_long"},
      {"extras not an object", with("extras", json::array{1}), "extras", "dict_type"},
  };
  for (const auto& tc : cases) {
    SCOPED_TRACE(tc.name);
    auto res = record(c, tc.body);
    ASSERT_EQ(res.result_int(), 422) << res.body();
    const auto body = json_object(res);
    const auto& detail = body.at("detail").as_array();
    ASSERT_EQ(detail.size(), 1u) << res.body();
    EXPECT_EQ(detail[0].at("loc"), (json::array{"body", json::string(tc.field)}));
    EXPECT_EQ(detail[0].at("type").as_string(), tc.type) << res.body();
  }
  EXPECT_EQ(c.get("/api/labour-costs/?category=catering", admin_.auth()).result_int(), 422);
  EXPECT_EQ(c.get("/api/labour-costs/?status=open", admin_.auth()).result_int(), 422);
  EXPECT_EQ(c.get("/api/labour-costs/?date_from=2026-13-01", admin_.auth()).result_int(), 422);
  EXPECT_EQ(c.get("/api/labour-costs/?limit=101", admin_.auth()).result_int(), 422);
  EXPECT_EQ(rows(), 0);
}

TEST_F(LabourHttpTest, LinksMustNameRowsOfThisTenant) {
  auto c = client();
  auto other = register_account(c, "labour-other@example.com");
  create_enterprise(c, other, "Other Co");
  onboard(other.enterprise_id);
  auto foreign = c.post("/api/packhouses/", R"({"name":"Theirs"})", other.auth());
  ASSERT_EQ(foreign.result_int(), 201);
  auto body = basis_body();
  body["packhouse_id"] = json_object(foreign).at("id");
  auto res = record(c, body);
  ASSERT_EQ(res.result_int(), 422) << res.body();
  EXPECT_EQ(json_object(res).at("detail").as_string(), "Packhouse not found");
  body = basis_body();
  body["harvest_team_id"] = util::uuid4();
  res = record(c, body);
  ASSERT_EQ(res.result_int(), 422) << res.body();
  EXPECT_EQ(json_object(res).at("detail").as_string(), "Harvest team not found");
  EXPECT_EQ(rows(), 0);

  // A later PATCH may not point a cost at another tenant's packhouse either.
  const auto id = recorded_id(c, basis_body());
  auto patched = patch(c, id, {{"packhouse_id", json_object(foreign).at("id")}});
  EXPECT_EQ(patched.result_int(), 422) << patched.body();
  EXPECT_TRUE(json_object(c.get("/api/labour-costs/" + id, admin_.auth())).at("packhouse_id").is_null());
}

TEST_F(LabourHttpTest, UnknownDeletedAndOtherTenantsCostsAre404) {
  auto c = client();
  auto other = register_account(c, "labour-404@example.com");
  create_enterprise(c, other, "Elsewhere Co");
  onboard(other.enterprise_id);
  auto theirs = c.post("/api/labour-costs/", json::serialize(basis_body()), other.auth());
  ASSERT_EQ(theirs.result_int(), 201) << theirs.body();
  const std::string their_id(json_object(theirs).at("id").as_string());
  const auto deleted = recorded_id(c, basis_body());
  ASSERT_EQ(remove(c, deleted, admin_.auth()).result_int(), 204);
  for (const auto& id : {their_id, deleted, std::string("no-such-id")}) {
    SCOPED_TRACE(id);
    auto get = c.get("/api/labour-costs/" + id, admin_.auth());
    EXPECT_EQ(get.result_int(), 404);
    EXPECT_EQ(json_object(get).at("detail").as_string(), "Labour cost not found");
    EXPECT_EQ(patch(c, id, {{"notes", "x"}}).result_int(), 404);
    EXPECT_EQ(remove(c, id, admin_.auth()).result_int(), 404);
  }
  // Theirs is untouched.
  auto still = c.get("/api/labour-costs/" + their_id, other.auth());
  ASSERT_EQ(still.result_int(), 200);
  EXPECT_TRUE(json_object(still).at("notes").is_null());
}

TEST_F(LabourHttpTest, PatchKeepsDerivedTotalsInStepAndStatusMovesForwardOnly) {
  auto c = client();
  const auto derived = recorded_id(c, basis_body());  // 2448.00 from its basis
  auto res = patch(c, derived, {{"hours_worked", 10}});
  ASSERT_EQ(res.result_int(), 200) << res.body();
  EXPECT_EQ(json_object(res).at("total_amount").as_double(), 3060.0);  // follows: 10 x 25.5 x 12

  auto by_hand = basis_body();
  by_hand["total_amount"] = 2500;
  const auto entered = recorded_id(c, by_hand);
  res = patch(c, entered, {{"hours_worked", 10}});
  ASSERT_EQ(res.result_int(), 200) << res.body();
  EXPECT_EQ(json_object(res).at("total_amount").as_double(), 2500.0);  // a hand-entered total stays
  res = patch(c, entered, {{"total_amount", 3000}, {"notes", "corrected"}});
  ASSERT_EQ(res.result_int(), 200) << res.body();
  EXPECT_EQ(json_object(res).at("total_amount").as_double(), 3000.0);

  // The period is checked against what is stored too.
  ASSERT_EQ(patch(c, derived, {{"period_start", "2026-02-10"}}).result_int(), 200);
  res = patch(c, derived, {{"period_end", "2026-02-01"}});
  EXPECT_EQ(res.result_int(), 422) << res.body();

  ASSERT_EQ(patch(c, derived, {{"status", "approved"}}).result_int(), 200);
  res = patch(c, derived, {{"status", "recorded"}});
  ASSERT_EQ(res.result_int(), 409) << res.body();
  EXPECT_EQ(json_object(res).at("detail").as_string(), "Cannot move a labour cost from 'approved' back to 'recorded'");
  ASSERT_EQ(patch(c, derived, {{"status", "paid"}}).result_int(), 200);
  res = patch(c, derived, {{"rate_per_hour", 30}});
  ASSERT_EQ(res.result_int(), 409) << res.body();
  EXPECT_EQ(json_object(res).at("detail").as_string(), "A paid labour cost cannot change; only its notes can");
  res = patch(c, derived, {{"notes", "paid on 2026-03-01"}});
  ASSERT_EQ(res.result_int(), 200) << res.body();
  EXPECT_EQ(json_object(res).at("rate_per_hour").as_double(), 25.5);
  auto removed = remove(c, derived, admin_.auth());
  EXPECT_EQ(removed.result_int(), 409);
  EXPECT_EQ(json_object(c.get("/api/labour-costs/" + derived, admin_.auth())).at("status").as_string(), "paid");
  EXPECT_EQ(remove(c, entered, admin_.auth()).result_int(), 204);
  EXPECT_EQ(json_object(c.get("/api/labour-costs/", admin_.auth())).at("total").as_int64(), 1);
}

TEST_F(LabourHttpTest, ListFiltersAndIssuesTheSameQueriesAtAnyPageSize) {
  auto c = client();
  const std::vector<std::string> categories{"packing", "harvest", "cold_store"};
  for (int i = 0; i < 105; ++i) {
    json::object body{{"category", categories[static_cast<std::size_t>(i) % 3]},
                      {"total_amount", 100 + i},
                      {"work_date", "2026-02-" + std::string(i % 28 + 1 < 10 ? "0" : "") + std::to_string(i % 28 + 1)}};
    if (i % 5 == 0) body["packhouse_id"] = packhouse_id_;
    ASSERT_EQ(record(c, body).result_int(), 201);
  }
  std::set<std::string> counts;
  for (int limit : {1, 50, 100}) {
    auto res = c.get("/api/labour-costs/?limit=" + std::to_string(limit), admin_.auth());
    ASSERT_EQ(res.result_int(), 200);
    auto page = json_object(res);
    EXPECT_EQ(page.at("total").as_int64(), 105);
    ASSERT_EQ(page.at("items").as_array().size(), static_cast<std::size_t>(limit));
    EXPECT_EQ(page.at("items").as_array()[0].at("work_date").as_string(), "2026-02-28");  // newest day first
    counts.insert(std::string(res["X-Query-Count"]));
  }
  EXPECT_EQ(counts, std::set<std::string>{"1"}) << "query count depends on the page size";

  auto harvest = json_object(c.get("/api/labour-costs/?category=harvest&limit=100", admin_.auth()));
  EXPECT_EQ(harvest.at("total").as_int64(), 35);
  for (const auto& item : harvest.at("items").as_array()) EXPECT_EQ(item.at("category").as_string(), "harvest");
  auto week = json_object(
      c.get("/api/labour-costs/?date_from=2026-02-01&date_to=2026-02-07&limit=100", admin_.auth()));
  EXPECT_EQ(week.at("total").as_int64(), 28);  // days 1-7 of each 28-day round: i % 28 < 7
  for (const auto& item : week.at("items").as_array()) {
    EXPECT_LE(std::string(item.at("work_date").as_string()), "2026-02-07");
  }
  auto at_main = json_object(c.get("/api/labour-costs/?packhouse_id=" + packhouse_id_, admin_.auth()));
  EXPECT_EQ(at_main.at("total").as_int64(), 21);
  auto past_end = c.get("/api/labour-costs/?category=packing&offset=500", admin_.auth());
  ASSERT_EQ(past_end.result_int(), 200);
  EXPECT_EQ(json_object(past_end).at("total").as_int64(), 35);
  EXPECT_EQ(past_end["X-Query-Count"], "2");
}

TEST_F(LabourHttpTest, SupervisorsLackFinancialPermissions) {
  auto c = client();
  const auto sup = add_member(c, admin_, "labour-sup@example.com", "supervisor").auth();
  auto write = c.post("/api/labour-costs/", json::serialize(basis_body()), sup);
  EXPECT_EQ(write.result_int(), 403);
  EXPECT_EQ(json_object(write).at("detail").as_string(), "Missing permissions: financials.write");
  EXPECT_EQ(c.get("/api/labour-costs/", sup).result_int(), 403);
  EXPECT_EQ(rows(), 0);
}

TEST_F(LabourHttpTest, CreateIsIdempotentAndListsFollowWrites) {
  auto c = client();
  auto empty = c.get("/api/labour-costs/", admin_.auth());
  ASSERT_EQ(empty.result_int(), 200);
  auto again = c.get("/api/labour-costs/", admin_.auth());
  EXPECT_EQ(again["X-Cache"], "HIT-L1");

  const Headers key{{"Idempotency-Key", "labour-key-1"}};
  auto first = record(c, basis_body(), key);
  ASSERT_EQ(first.result_int(), 201) << first.body();
  auto repeat = record(c, basis_body(), key);
  ASSERT_EQ(repeat.result_int(), 201);
  EXPECT_EQ(json_object(repeat).at("id"), json_object(first).at("id"));
  auto changed = basis_body();
  changed["headcount"] = 13;
  EXPECT_EQ(record(c, changed, key).result_int(), 422);
  EXPECT_EQ(rows(), 1);

  auto listed = c.get("/api/labour-costs/", admin_.auth());
  EXPECT_EQ(listed["X-Cache"], "MISS");  // the create invalidated the cached empty list
  EXPECT_EQ(json_object(listed).at("total").as_int64(), 1);
}

}  // namespace
}  // namespace fruitpak::testing
