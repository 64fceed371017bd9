// GRN intake and batches on both engines: shapes, codes, validation, concurrency, filters,
// constant query counts, detail with history, PATCH and QR.

#include "db/database.hpp"
#include "support/batch_fixture.hpp"
#include "support/server_fixture.hpp"
#include "util/run_sync.hpp"

#include <boost/json/serialize.hpp>

#include <regex>
#include <set>
#include <thread>

namespace fruitpak::testing {
namespace {

namespace json = boost::json;
using boost::beast::http::verb;

class BatchesHttpTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    config_.db_pool_size = 8;
    admin_ = start_with_admin("batch-admin@example.com", "Batch Co", Onboarding::kDone);
    auto c = client();
    setup_ = create_intake_setup(c, admin_);
  }
  std::int64_t batch_rows() {
    auto rows = util::run_sync(app().database().execute("SELECT COUNT(*) FROM batches"));
    return rows ? rows->front().int64(0) : -1;
  }
  Account admin_;
  IntakeSetup setup_;
};

TEST_F(BatchesHttpTest, GrnCreatesBatchWithCodeNetWeightAndHistory) {
  auto c = client();
  auto res = post_grn(c, admin_, setup_, 1200.5, 100.5);
  ASSERT_EQ(res.result_int(), 201) << res.body();
  auto grn = json_object(res);
  auto batch = grn.at("batch").as_object();
  EXPECT_TRUE(std::regex_match(std::string(batch.at("batch_code").as_string()), std::regex("GRN-\\d{8}-001")));
  EXPECT_DOUBLE_EQ(batch.at("net_weight_kg").as_double(), 1100.0);
  EXPECT_EQ(batch.at("status").as_string(), "received");
  EXPECT_EQ(batch.at("received_by").as_string(), admin_.user_id);
  EXPECT_EQ(batch.size(), 23u);
  const std::string id(batch.at("id").as_string());
  EXPECT_EQ(grn.at("qr_code_url").as_string(), "/api/batches/" + id + "/qr");
  EXPECT_FALSE(grn.at("advance_payment_linked").as_bool());
  EXPECT_TRUE(grn.at("advance_payment_ref").is_null());

  auto detail = json_object(c.get("/api/batches/" + id, admin_.auth()));
  EXPECT_EQ(detail.at("grower_name").as_string(), "Intake grower");
  EXPECT_EQ(detail.at("packhouse_name").as_string(), "Intake packhouse");
  ASSERT_EQ(detail.at("history").as_array().size(), 1u);
  auto event = detail.at("history").as_array()[0].as_object();
  EXPECT_EQ(event.at("event_type").as_string(), "intake");
  EXPECT_EQ(event.at("event_subtype").as_string(), "grn_received");
  EXPECT_DOUBLE_EQ(event.at("event_data").at("net_weight_kg").as_double(), 1100.0);
}

TEST_F(BatchesHttpTest, InvalidGrnsAreRefusedAndWriteNothing) {
  auto c = client();
  auto grn = [&](json::object body) { return c.post("/api/batches/grn", json::serialize(body), admin_.auth()); };
  json::object base{{"grower_id", setup_.grower_id}, {"packhouse_id", setup_.packhouse_id}, {"fruit_type", "citrus"}};

  auto neither = grn(base);
  ASSERT_EQ(neither.result_int(), 422);
  EXPECT_EQ(json_object(neither).at("detail").as_array()[0].at("msg").as_string(),
            "Value error, Provide at least one of gross_weight_kg or bin_count");
  auto tare = base;
  tare["gross_weight_kg"] = 100;
  tare["tare_weight_kg"] = 150;
  EXPECT_EQ(grn(tare).result_int(), 422);
  auto negative = base;
  negative["gross_weight_kg"] = -5;
  EXPECT_EQ(grn(negative).result_int(), 422);
  auto absurd = base;
  absurd["gross_weight_kg"] = 5e9;
  EXPECT_EQ(grn(absurd).result_int(), 422);
  auto future = base;
  future["bin_count"] = 3;
  future["harvest_date"] = "2999-01-01";
  EXPECT_EQ(grn(future).result_int(), 422);
  auto null_tare = base;
  null_tare["bin_count"] = 3;
  null_tare["tare_weight_kg"] = nullptr;
  EXPECT_EQ(grn(null_tare).result_int(), 422);
  auto unknown = base;
  unknown["bin_count"] = 3;
  unknown["grower_id"] = "00000000-0000-4000-8000-000000000000";
  auto refused = grn(unknown);
  EXPECT_EQ(refused.result_int(), 422);
  EXPECT_EQ(json_object(refused).at("detail").as_string(),
            "Grower not found or inactive: 00000000-0000-4000-8000-000000000000");
  EXPECT_EQ(batch_rows(), 0);
}

TEST_F(BatchesHttpTest, FiftyConcurrentIntakesGetFiftyDistinctCodes) {
  std::vector<std::string> codes(50);
  std::vector<std::thread> threads;
  for (int t = 0; t < 5; ++t) {
    threads.emplace_back([&, t] {
      HttpClient c(app().port());
      for (int i = 0; i < 10; ++i) {
        auto res = post_grn(c, admin_, setup_);
        if (res.result_int() == 201) codes[t * 10 + i] = json_object(res).at("batch").at("batch_code").as_string().c_str();
      }
    });
  }
  for (auto& t : threads) t.join();
  std::set<std::string> distinct(codes.begin(), codes.end());
  distinct.erase("");
  EXPECT_EQ(distinct.size(), 50u);
  EXPECT_EQ(batch_rows(), 50);
}

TEST_F(BatchesHttpTest, ListFiltersAndCountsQueriesIndependentlyOfPageSize) {
  auto c = client();
  for (int i = 0; i < 105; ++i) ASSERT_EQ(post_grn(c, admin_, setup_).result_int(), 201);
  std::set<std::string> query_counts;
  for (int limit : {1, 50, 100}) {
    auto res = c.get("/api/batches/?limit=" + std::to_string(limit), admin_.auth());
    ASSERT_EQ(res.result_int(), 200) << res.body();
    auto page = json_object(res);
    EXPECT_EQ(page.at("items").as_array().size(), static_cast<std::size_t>(limit));
    EXPECT_EQ(page.at("total").as_int64(), 105);
    query_counts.insert(std::string(res["X-Query-Count"]));
  }
  EXPECT_EQ(query_counts.size(), 1u);
  auto first = json_object(c.get("/api/batches/?limit=2", admin_.auth())).at("items").as_array();
  EXPECT_GE(first[0].at("created_at").as_string(), first[1].at("created_at").as_string());  // newest first
  EXPECT_EQ(first[0].at("grower_name").as_string(), "Intake grower");

  EXPECT_EQ(json_object(c.get("/api/batches/?status=received", admin_.auth())).at("total").as_int64(), 105);
  EXPECT_EQ(json_object(c.get("/api/batches/?status=rejected", admin_.auth())).at("total").as_int64(), 0);
  EXPECT_EQ(json_object(c.get("/api/batches/?fruit_type=apple", admin_.auth())).at("total").as_int64(), 0);
  EXPECT_EQ(json_object(c.get("/api/batches/?grower_id=" + setup_.grower_id, admin_.auth())).at("total").as_int64(), 105);
  EXPECT_EQ(json_object(c.get("/api/batches/?date_from=2000-01-01&date_to=2999-12-31", admin_.auth())).at("total").as_int64(), 105);
  EXPECT_EQ(c.get("/api/batches/?date_from=yesterday", admin_.auth()).result_int(), 422);
}

TEST_F(BatchesHttpTest, CursorPagesWalkTheSameRowsAsOffsetPages) {
  auto c = client();
  for (int i = 0; i < 12; ++i) ASSERT_EQ(post_grn(c, admin_, setup_).result_int(), 201);
  auto all = json_object(c.get("/api/batches/?limit=100", admin_.auth()));
  EXPECT_FALSE(all.at("has_more").as_bool());
  EXPECT_TRUE(all.at("next_cursor").is_null());
  std::vector<std::string> by_offset;
  for (const auto& item : all.at("items").as_array()) by_offset.emplace_back(item.at("id").as_string());
  ASSERT_EQ(by_offset.size(), 12u);

  std::vector<std::string> by_cursor;
  auto page = json_object(c.get("/api/batches/?limit=5", admin_.auth()));
  std::set<std::string> query_counts;
  for (int guard = 0; guard < 10; ++guard) {
    for (const auto& item : page.at("items").as_array()) by_cursor.emplace_back(item.at("id").as_string());
    EXPECT_EQ(page.at("total").as_int64(), 12);
    if (!page.at("has_more").as_bool()) {
      EXPECT_TRUE(page.at("next_cursor").is_null());
      break;
    }
    auto res = c.get("/api/batches/?limit=5&cursor=" + std::string(page.at("next_cursor").as_string()), admin_.auth());
    ASSERT_EQ(res.result_int(), 200) << res.body();
    query_counts.insert(std::string(res["X-Query-Count"]));
    page = json_object(res);
    EXPECT_EQ(page.at("offset").as_int64(), 0);
  }
  EXPECT_EQ(by_cursor, by_offset);
  EXPECT_EQ(query_counts.size(), 1u);

  for (const char* bad : {"not-base64!", "bm9iYXI", "MjAyNi0wMS0wMXxhYmM"}) {  // "nobar", date without time
    auto res = c.get(std::string("/api/batches/?cursor=") + bad, admin_.auth());
    EXPECT_EQ(res.result_int(), 422) << bad;
    EXPECT_EQ(json_object(res).at("detail").as_array()[0].at("loc").as_array()[1].as_string(), "cursor");
  }
}

TEST_F(BatchesHttpTest, DetailShowsLotsWithPalletizedBoxesAndLockedFields) {
  auto c = client();
  auto grn = json_object(post_grn(c, admin_, setup_, 1000, 50)).at("batch").as_object();
  const std::string batch_id(grn.at("id").as_string());
  const std::string tenant = admin_.enterprise_id;
  const std::string now = "2026-03-01T08:00:00.000000";
  auto& db = app().database();
  auto insert_lot = [&](const std::string& id, const std::string& code, double weight) {
    db::Params p{id, tenant, code, batch_id, setup_.grower_id, setup_.packhouse_id, std::string("Citrus"),
                 std::string("Class 1"), std::int64_t{80}, weight, now};
    ASSERT_TRUE(util::run_sync(db.execute(
        "INSERT INTO lots (id, enterprise_id, lot_code, batch_id, grower_id, packhouse_id, fruit_type, grade,"
        " carton_count, weight_kg, intake_date, status, is_deleted, created_at, updated_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'created', FALSE, $11, $11)", p)));
  };
  insert_lot("lot-a-" + batch_id.substr(0, 8), std::string(grn.at("batch_code").as_string()) + "-L02", 400);
  insert_lot("lot-b-" + batch_id.substr(0, 8), std::string(grn.at("batch_code").as_string()) + "-L01", 450);
  db::Params pallet{std::string("pal-") + batch_id.substr(0, 8), tenant, std::string("PAL-T-1"), setup_.packhouse_id, now};
  ASSERT_TRUE(util::run_sync(db.execute(
      "INSERT INTO pallets (id, enterprise_id, pallet_number, packhouse_id, status, is_deleted, created_at, updated_at)"
      " VALUES ($1, $2, $3, $4, 'open', FALSE, $5, $5)", pallet)));
  for (auto [n, boxes, deleted] : {std::tuple{1, 30, false}, std::tuple{2, 10, false}, std::tuple{3, 99, true}}) {
    db::Params link{"pl-" + std::to_string(n) + batch_id.substr(0, 8), tenant, std::get<std::string>(pallet[0]),
                    "lot-b-" + batch_id.substr(0, 8), std::int64_t{boxes}, deleted, now};
    ASSERT_TRUE(util::run_sync(db.execute(
        "INSERT INTO pallet_lots (id, enterprise_id, pallet_id, lot_id, box_count, is_deleted, created_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7)", link)));
  }

  auto res = c.get("/api/batches/" + batch_id, admin_.auth());
  ASSERT_EQ(res.result_int(), 200) << res.body();
  auto lots = json_object(res).at("lots").as_array();
  ASSERT_EQ(lots.size(), 2u);
  auto first = lots[0].as_object();  // by lot code: L01 first
  EXPECT_EQ(first.size(), 18u);
  EXPECT_TRUE(first.at("lot_code").as_string().ends_with("-L01"));
  EXPECT_EQ(first.at("palletized_boxes").as_int64(), 40);  // the deallocated 99 do not count
  EXPECT_EQ(first.at("locked_fields").as_array().size(), 5u);
  EXPECT_DOUBLE_EQ(first.at("weight_kg").as_double(), 450.0);
  EXPECT_EQ(first.at("carton_count").as_int64(), 80);
  EXPECT_TRUE(first.at("variety").is_null());
  auto second = lots[1].as_object();
  EXPECT_EQ(second.at("palletized_boxes").as_int64(), 0);
  EXPECT_TRUE(second.at("locked_fields").as_array().empty());
}

TEST_F(BatchesHttpTest, PatchRecomputesNetRecordsHistoryAndKeepsCounts) {
  auto c = client();
  const std::string id(json_object(post_grn(c, admin_, setup_, 1000, 50)).at("batch").at("id").as_string());
  auto patched = c.request(verb::patch, "/api/batches/" + id, R"({"gross_weight_kg": 900, "status": "rejected",
                                                                 "rejection_reason": "rot"})", admin_.auth());
  ASSERT_EQ(patched.result_int(), 200) << patched.body();
  auto d = json_object(patched);
  EXPECT_DOUBLE_EQ(d.at("net_weight_kg").as_double(), 850.0);
  EXPECT_EQ(d.at("status").as_string(), "rejected");
  ASSERT_EQ(d.at("history").as_array().size(), 2u);
  auto change = d.at("history").as_array()[1].as_object();
  EXPECT_EQ(change.at("recorded_by").as_string(), admin_.user_id);
  EXPECT_DOUBLE_EQ(change.at("event_data").at("gross_weight_kg").at("from").as_double(), 1000.0);
  EXPECT_EQ(change.at("event_data").at("status").at("to").as_string(), "rejected");
  EXPECT_EQ(json_object(c.get("/api/batches/?status=rejected", admin_.auth())).at("total").as_int64(), 1);
  EXPECT_EQ(json_object(c.get("/api/batches/?status=received", admin_.auth())).at("total").as_int64(), 0);

  EXPECT_EQ(c.request(verb::patch, "/api/batches/" + id, R"({"status": "eaten"})", admin_.auth()).result_int(), 422);
  EXPECT_EQ(c.request(verb::patch, "/api/batches/" + id, R"({"gross_weight_kg": 0})", admin_.auth()).result_int(), 422);
  EXPECT_EQ(c.request(verb::patch, "/api/batches/" + id, R"({"tare_weight_kg": null})", admin_.auth()).result_int(), 422);
  auto missing = c.request(verb::patch, "/api/batches/00000000-0000-4000-8000-000000000000", "{}", admin_.auth());
  EXPECT_EQ(missing.result_int(), 404);
  EXPECT_EQ(json_object(missing).at("detail").as_string(), "Batch not found");
}

TEST_F(BatchesHttpTest, QrCodeIsAnSvg) {
  auto c = client();
  const std::string id(json_object(post_grn(c, admin_, setup_)).at("batch").at("id").as_string());
  auto res = c.get("/api/batches/" + id + "/qr", admin_.auth());
  ASSERT_EQ(res.result_int(), 200);
  EXPECT_EQ(res[boost::beast::http::field::content_type], "image/svg+xml");
  EXPECT_NE(res.body().find("<svg"), std::string::npos);
  EXPECT_NE(res.body().find("#15803d"), std::string::npos);
  EXPECT_EQ(c.get("/api/batches/00000000-0000-4000-8000-000000000000/qr", admin_.auth()).result_int(), 404);
}

}  // namespace
}  // namespace fruitpak::testing

namespace fruitpak::testing {
namespace {

TEST_F(BatchesHttpTest, IdempotencyKeyReplaysTheFirstIntake) {
  auto c = client();
  json::object body{{"grower_id", setup_.grower_id}, {"packhouse_id", setup_.packhouse_id},
                    {"fruit_type", "citrus"}, {"gross_weight_kg", 500}};
  std::map<std::string, std::string> headers = admin_.auth();
  headers["Idempotency-Key"] = "grn-2026-0001";
  auto first = c.post("/api/batches/grn", json::serialize(body), headers);
  ASSERT_EQ(first.result_int(), 201) << first.body();
  auto again = c.post("/api/batches/grn", json::serialize(body), headers);
  EXPECT_EQ(again.result_int(), 201);
  EXPECT_EQ(again.body(), first.body());
  EXPECT_EQ(again["Idempotent-Replayed"], "true");
  EXPECT_EQ(batch_rows(), 1);

  body["gross_weight_kg"] = 600;
  auto different = c.post("/api/batches/grn", json::serialize(body), headers);
  EXPECT_EQ(different.result_int(), 422);
  EXPECT_EQ(batch_rows(), 1);

  // A refused first request does not burn the key: a corrected retry goes through.
  headers["Idempotency-Key"] = "grn-2026-0002";
  json::object invalid{{"grower_id", setup_.grower_id}, {"packhouse_id", "nope"}, {"fruit_type", "citrus"},
                       {"bin_count", 2}};
  EXPECT_EQ(c.post("/api/batches/grn", json::serialize(invalid), headers).result_int(), 422);
  invalid["packhouse_id"] = setup_.packhouse_id;
  EXPECT_EQ(c.post("/api/batches/grn", json::serialize(invalid), headers).result_int(), 201);
  EXPECT_EQ(batch_rows(), 2);
}

}  // namespace
}  // namespace fruitpak::testing
