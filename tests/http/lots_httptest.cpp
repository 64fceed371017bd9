// /api/lots on both engines: LotOut and LotSummary shapes, lot codes, the batch moving to
// packing (counts, history, detail), batch waste, weights from box sizes, validation with
// field paths, 404s for unknown and other tenants' ids, over-packing, pallet locks,
// permissions, Idempotency-Key, constant query counts and cache invalidation.

#include "db/database.hpp"
#include "support/batch_fixture.hpp"
#include "support/server_fixture.hpp"
#include "util/crypto.hpp"
#include "util/run_sync.hpp"

#include <boost/json/serialize.hpp>

#include <set>

namespace fruitpak::testing {
namespace {

namespace json = boost::json;
using boost::beast::http::verb;
using Headers = std::map<std::string, std::string>;

class LotsHttpTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    admin_ = start_with_admin("lot-admin@example.com", "Lot Co", Onboarding::kDone);
    auto c = client();
    setup_ = create_intake_setup(c, admin_);
  }

  // A GRN of 1000 kg gross, 50 kg tare: 950 kg net.
  json::object new_batch(HttpClient& c) {
    auto res = post_grn(c, admin_, setup_, 1000, 50);
    EXPECT_EQ(res.result_int(), 201) << res.body();
    return json_object(res).at("batch").as_object();
  }
  static std::string id_of(const json::object& o) { return std::string(o.at("id").as_string()); }

  HttpResponse pack(HttpClient& c, const std::string& batch_id, const json::object& body, const Headers& headers = {}) {
    return c.post("/api/lots/from-batch/" + batch_id, json::serialize(body), headers.empty() ? admin_.auth() : headers);
  }
  static json::object lots_body(json::array lots) { return json::object{{"lots", std::move(lots)}}; }
  HttpResponse patch(HttpClient& c, const std::string& lot_id, const std::string& body) {
    return c.request(verb::patch, "/api/lots/" + lot_id, body, admin_.auth());
  }

  std::string insert_box_size(double weight_kg, const std::string& enterprise_id = {}) {
    const std::string id = util::uuid4();
    db::Params p{id, enterprise_id.empty() ? admin_.enterprise_id : enterprise_id, std::string("4.5 kg carton"),
                 weight_kg, std::string("2026-03-01T08:00:00.000000")};
    auto inserted = util::run_sync(app().database().execute(
        "INSERT INTO box_sizes (id, enterprise_id, name, weight_kg, created_at) VALUES ($1, $2, $3, $4, $5)", p));
    EXPECT_TRUE(inserted) << inserted.error().detail;
    return id;
  }

  // Puts `boxes` of the lot on a new pallet (an active pallet_lots row).
  void allocate(const std::string& lot_id, const std::string& pallet_number, std::int64_t boxes) {
    const std::string pallet_id = util::uuid4();
    const std::string now = "2026-03-01T08:00:0" + std::to_string(allocations_++) + ".000000";
    db::Params pallet{pallet_id, admin_.enterprise_id, pallet_number, setup_.packhouse_id, now};
    ASSERT_TRUE(util::run_sync(app().database().execute(
        "INSERT INTO pallets (id, enterprise_id, pallet_number, packhouse_id, status, is_deleted, created_at,"
        " updated_at) VALUES ($1, $2, $3, $4, 'open', FALSE, $5, $5)", pallet)));
    db::Params link{util::uuid4(), admin_.enterprise_id, pallet_id, lot_id, boxes, now};
    ASSERT_TRUE(util::run_sync(app().database().execute(
        "INSERT INTO pallet_lots (id, enterprise_id, pallet_id, lot_id, box_count, is_deleted, created_at)"
        " VALUES ($1, $2, $3, $4, $5, FALSE, $6)", link)));
  }

  std::int64_t scalar(const std::string& sql, db::Params params = {}) {
    auto rows = util::run_sync(app().database().execute(sql, std::move(params)));
    EXPECT_TRUE(rows) << rows.error().detail;
    return rows ? rows->front().int64(0) : -1;
  }
  std::int64_t lot_rows() { return scalar("SELECT COUNT(*) FROM lots"); }
  double batch_waste(const std::string& batch_id) {
    db::Params p{batch_id};
    auto rows = util::run_sync(app().database().execute("SELECT waste_kg FROM batches WHERE id = $1", p));
    return rows ? rows->front().number(0) : -1;
  }
  std::string batch_status(HttpClient& c, const std::string& batch_id) {
    return std::string(json_object(c.get("/api/batches/" + batch_id, admin_.auth())).at("status").as_string());
  }

  Account admin_;
  IntakeSetup setup_;
  int allocations_ = 0;
};

// The `field` of the first validation error of a 422.
std::string first_field(const HttpResponse& res) {
  auto errors = json_object(res).at("error").at("details").at("errors").as_array();
  return errors.empty() ? std::string() : std::string(errors[0].at("field").as_string());
}

std::set<std::string> error_fields(const HttpResponse& res) {
  std::set<std::string> fields;
  const auto body = json_object(res);
  for (const auto& e : body.at("error").at("details").at("errors").as_array()) {
    fields.insert(std::string(e.at("field").as_string()));
  }
  return fields;
}

TEST_F(LotsHttpTest, CreateReturnsLotOutsAndMovesTheBatchToPacking) {
  auto c = client();
  auto batch = new_batch(c);
  const std::string batch_id = id_of(batch);
  const std::string batch_code(batch.at("batch_code").as_string());
  const std::string box = insert_box_size(4.5);
  json::array items{json::object{{"grade", "Class 1"}, {"size", "64"}, {"box_size_id", box}, {"carton_count", 100},
                                 {"weight_kg", 999}},
                    json::object{{"grade", "Class 2"}, {"weight_kg", 200}, {"carton_count", 10}, {"waste_kg", 20},
                                 {"waste_reason", "rot"}, {"pack_date", "2026-03-01"}, {"notes", "night shift"}}};
  auto res = pack(c, batch_id, lots_body(items));
  ASSERT_EQ(res.result_int(), 201) << res.body();
  auto created = parse_json(res.body()).as_array();
  ASSERT_EQ(created.size(), 2u);
  auto first = created[0].as_object();
  EXPECT_EQ(first.size(), 32u);
  EXPECT_EQ(first.at("lot_code").as_string(), batch_code + "-L01");
  EXPECT_EQ(first.at("batch_id").as_string(), batch_id);
  EXPECT_EQ(first.at("grower_id").as_string(), setup_.grower_id);
  EXPECT_EQ(first.at("packhouse_id").as_string(), setup_.packhouse_id);
  EXPECT_EQ(first.at("fruit_type").as_string(), "citrus");
  EXPECT_EQ(first.at("variety").as_string(), "Navel");
  EXPECT_EQ(first.at("grade").as_string(), "Class 1");
  EXPECT_EQ(first.at("size").as_string(), "64");
  EXPECT_EQ(first.at("box_size_id").as_string(), box);
  EXPECT_EQ(first.at("box_size_name").as_string(), "4.5 kg carton");
  EXPECT_DOUBLE_EQ(first.at("box_weight_kg").as_double(), 4.5);
  EXPECT_EQ(first.at("carton_count").as_int64(), 100);
  EXPECT_DOUBLE_EQ(first.at("weight_kg").as_double(), 450.0);  // cartons x box weight beats the sent 999
  EXPECT_DOUBLE_EQ(first.at("waste_kg").as_double(), 0.0);
  EXPECT_TRUE(first.at("waste_reason").is_null());
  EXPECT_TRUE(first.at("pack_date").is_null());
  EXPECT_EQ(first.at("intake_date").as_string(), std::string(batch.at("intake_date").as_string()));
  EXPECT_TRUE(first.at("quality_data").is_null());
  EXPECT_EQ(first.at("status").as_string(), "created");
  EXPECT_EQ(first.at("packed_by").as_string(), admin_.user_id);
  EXPECT_TRUE(first.at("locked_fields").as_array().empty());
  EXPECT_EQ(first.at("batch_code").as_string(), batch_code);
  EXPECT_EQ(first.at("grower_name").as_string(), "Intake grower");
  EXPECT_TRUE(first.at("grower_code").is_null());
  for (const char* key : {"pack_line_id", "product_config_id", "pack_spec_id", "target_market", "notes"}) {
    EXPECT_TRUE(first.at(key).is_null()) << key;
  }
  EXPECT_TRUE(first.at("created_at").is_string());
  EXPECT_TRUE(first.at("updated_at").is_string());
  auto second = created[1].as_object();
  EXPECT_EQ(second.at("lot_code").as_string(), batch_code + "-L02");
  EXPECT_DOUBLE_EQ(second.at("weight_kg").as_double(), 200.0);
  EXPECT_DOUBLE_EQ(second.at("waste_kg").as_double(), 20.0);
  EXPECT_EQ(second.at("pack_date").as_string(), "2026-03-01");
  EXPECT_TRUE(second.at("box_size_name").is_null());

  // 950 net - 650 packed - 20 lot waste.
  EXPECT_DOUBLE_EQ(batch_waste(batch_id), 280.0);
  auto detail = json_object(c.get("/api/batches/" + batch_id, admin_.auth()));
  EXPECT_EQ(detail.at("status").as_string(), "packing");
  ASSERT_EQ(detail.at("lots").as_array().size(), 2u);
  EXPECT_EQ(detail.at("lots").as_array()[0].at("lot_code").as_string(), batch_code + "-L01");
  ASSERT_EQ(detail.at("history").as_array().size(), 2u);
  auto event = detail.at("history").as_array()[1].as_object();
  EXPECT_EQ(event.at("event_type").as_string(), "packing");
  EXPECT_EQ(event.at("event_subtype").as_string(), "lots_created");
  EXPECT_EQ(event.at("recorded_by").as_string(), admin_.user_id);
  EXPECT_EQ(event.at("event_data").at("lot_count").as_int64(), 2);
  EXPECT_EQ(event.at("event_data").at("status").at("to").as_string(), "packing");
  EXPECT_EQ(json_object(c.get("/api/batches/?status=packing", admin_.auth())).at("total").as_int64(), 1);
  EXPECT_EQ(json_object(c.get("/api/batches/?status=received", admin_.auth())).at("total").as_int64(), 0);

  // More lots of the same batch continue its numbering; the batch stays in packing.
  auto more = pack(c, batch_id, lots_body(json::array{json::object{{"grade", "Class 1"}}}));
  ASSERT_EQ(more.result_int(), 201) << more.body();
  EXPECT_EQ(parse_json(more.body()).as_array()[0].at("lot_code").as_string(), batch_code + "-L03");
  EXPECT_EQ(json_object(c.get("/api/batches/?status=packing", admin_.auth())).at("total").as_int64(), 1);
  EXPECT_EQ(json_object(c.get("/api/batches/" + batch_id, admin_.auth())).at("lots").as_array().size(), 3u);
}

TEST_F(LotsHttpTest, InvalidCreatesAreRefusedWithFieldPathsAndWriteNothing) {
  auto c = client();
  const std::string batch_id = id_of(new_batch(c));
  auto missing = pack(c, batch_id, json::object{});
  ASSERT_EQ(missing.result_int(), 422);
  EXPECT_EQ(first_field(missing), "body -> lots");
  auto detail = json_object(missing).at("detail").as_array()[0].as_object();
  EXPECT_EQ(detail.at("type").as_string(), "missing");
  EXPECT_EQ(detail.at("loc").as_array().size(), 2u);

  auto empty = pack(c, batch_id, lots_body({}));
  ASSERT_EQ(empty.result_int(), 422);
  EXPECT_EQ(json_object(empty).at("detail").as_array()[0].at("type").as_string(), "too_short");
  auto not_list = c.post("/api/lots/from-batch/" + batch_id, R"({"lots": "many"})", admin_.auth());
  EXPECT_EQ(json_object(not_list).at("detail").as_array()[0].at("type").as_string(), "list_type");
  auto not_object = c.post("/api/lots/from-batch/" + batch_id, R"({"lots": [5]})", admin_.auth());
  ASSERT_EQ(not_object.result_int(), 422);
  EXPECT_EQ(first_field(not_object), "body -> lots -> 0");
  json::array too_many;
  for (int i = 0; i < 101; ++i) too_many.emplace_back(json::object{{"grade", "A"}});
  auto many = pack(c, batch_id, lots_body(too_many));
  ASSERT_EQ(many.result_int(), 422);
  EXPECT_EQ(json_object(many).at("detail").as_array()[0].at("type").as_string(), "too_long");

  json::array bad{json::object{{"grade", "A"}, {"carton_count", -1}, {"weight_kg", -2}, {"waste_kg", "lots"},
                               {"pack_date", "2026-13-01"}, {"size", std::string(51, 's')}},
                  json::object{{"carton_count", 3}},
                  json::object{{"grade", "B"}, {"carton_count", nullptr}}};
  auto refused = pack(c, batch_id, lots_body(bad));
  ASSERT_EQ(refused.result_int(), 422) << refused.body();
  EXPECT_EQ(error_fields(refused),
            (std::set<std::string>{"body -> lots -> 0 -> carton_count", "body -> lots -> 0 -> weight_kg",
                                   "body -> lots -> 0 -> waste_kg", "body -> lots -> 0 -> pack_date",
                                   "body -> lots -> 0 -> size", "body -> lots -> 1 -> grade",
                                   "body -> lots -> 2 -> carton_count"}));
  auto refused_body = json_object(refused);
  EXPECT_EQ(refused_body.at("error").at("code").as_string(), "VALIDATION_ERROR");
  auto loc = refused_body.at("detail").as_array()[0].at("loc").as_array();
  EXPECT_EQ(json::serialize(loc), R"(["body","lots","0","size"])");

  Account other = register_account(c, "lot-boxes@example.com");
  create_enterprise(c, other, "Other Boxes Co");
  for (const std::string& box : {std::string("00000000-0000-4000-8000-000000000000"),
                                 insert_box_size(5.0, other.enterprise_id)}) {
    auto unknown_box = pack(c, batch_id, lots_body(json::array{json::object{{"grade", "A"}, {"box_size_id", box}}}));
    ASSERT_EQ(unknown_box.result_int(), 422) << box << " " << unknown_box.body();
    EXPECT_EQ(json_object(unknown_box).at("error").at("code").as_string(), "FOREIGN_KEY_VIOLATION");
    EXPECT_EQ(json_object(unknown_box).at("detail").as_string(), "Referenced record does not exist");
  }
  EXPECT_EQ(lot_rows(), 0);
  EXPECT_EQ(batch_status(c, batch_id), "received");
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM batch_history"), 1);
}

TEST_F(LotsHttpTest, UnknownAndOtherTenantsIdsAreNotFound) {
  auto c = client();
  const std::string unknown = "00000000-0000-4000-8000-000000000000";
  auto no_batch = pack(c, unknown, lots_body(json::array{json::object{{"grade", "A"}}}));
  ASSERT_EQ(no_batch.result_int(), 404);
  EXPECT_EQ(json_object(no_batch).at("detail").as_string(), "Batch not found");
  for (auto method : {verb::get, verb::patch, verb::delete_}) {
    auto res = c.request(method, "/api/lots/" + unknown, "{}", admin_.auth());
    ASSERT_EQ(res.result_int(), 404) << res.body();
    EXPECT_EQ(json_object(res).at("detail").as_string(), "Lot not found");
  }

  Account other = register_account(c, "lot-other@example.com");
  create_enterprise(c, other, "Other Lot Co");
  onboard(other.enterprise_id);
  auto other_setup = create_intake_setup(c, other);
  auto other_batch = json_object(post_grn(c, other, other_setup)).at("batch").as_object();
  auto foreign = pack(c, id_of(other_batch), lots_body(json::array{json::object{{"grade", "A"}}}));
  EXPECT_EQ(foreign.result_int(), 404);
  auto theirs = pack(c, id_of(other_batch), lots_body(json::array{json::object{{"grade", "A"}}}), other.auth());
  ASSERT_EQ(theirs.result_int(), 201) << theirs.body();
  const std::string their_lot(parse_json(theirs.body()).as_array()[0].at("id").as_string());
  for (auto method : {verb::get, verb::patch, verb::delete_}) {
    auto res = c.request(method, "/api/lots/" + their_lot, R"({"notes": "mine"})", admin_.auth());
    EXPECT_EQ(res.result_int(), 404) << res.body();
  }
  EXPECT_EQ(json_object(c.get("/api/lots/", admin_.auth())).at("total").as_int64(), 0);
  auto still = json_object(c.get("/api/lots/" + their_lot, other.auth()));
  EXPECT_TRUE(still.at("notes").is_null());
}

TEST_F(LotsHttpTest, OverpackingIsRefusedUnlessAllowed) {
  auto c = client();
  const std::string batch_id = id_of(new_batch(c));
  json::array heavy{json::object{{"grade", "A"}, {"weight_kg", 900}}, json::object{{"grade", "B"}, {"waste_kg", 100}}};
  auto refused = pack(c, batch_id, lots_body(heavy));
  ASSERT_EQ(refused.result_int(), 409) << refused.body();
  EXPECT_NE(json_object(refused).at("detail").as_string().find("allow_overpack"), std::string::npos);
  EXPECT_EQ(json_object(refused).at("error").at("code").as_string(), "HTTP_409");
  EXPECT_EQ(lot_rows(), 0);
  EXPECT_EQ(batch_status(c, batch_id), "received");
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM batch_history"), 1);

  auto body = lots_body(heavy);
  body["allow_overpack"] = true;
  auto allowed = pack(c, batch_id, body);
  ASSERT_EQ(allowed.result_int(), 201) << allowed.body();
  EXPECT_TRUE(parse_json(allowed.body()).as_array()[0].at("lot_code").as_string().ends_with("-L01"));  // nothing burnt
  EXPECT_DOUBLE_EQ(batch_waste(batch_id), 0.0);  // never negative

  const std::string second_batch = id_of(new_batch(c));
  auto lot = pack(c, second_batch, lots_body(json::array{json::object{{"grade", "A"}, {"weight_kg", 500}}}));
  ASSERT_EQ(lot.result_int(), 201);
  const std::string lot_id(parse_json(lot.body()).as_array()[0].at("id").as_string());
  EXPECT_DOUBLE_EQ(batch_waste(second_batch), 450.0);
  EXPECT_EQ(patch(c, lot_id, R"({"weight_kg": 2000})").result_int(), 409);
  EXPECT_DOUBLE_EQ(json_object(c.get("/api/lots/" + lot_id, admin_.auth())).at("weight_kg").as_double(), 500.0);
  auto forced = patch(c, lot_id, R"({"weight_kg": 2000, "allow_overpack": true})");
  ASSERT_EQ(forced.result_int(), 200) << forced.body();
  EXPECT_DOUBLE_EQ(json_object(forced).at("weight_kg").as_double(), 2000.0);
  EXPECT_DOUBLE_EQ(batch_waste(second_batch), 0.0);
  // Lowering an over-packed lot is always allowed.
  EXPECT_EQ(patch(c, lot_id, R"({"weight_kg": 1500})").result_int(), 200);
}

TEST_F(LotsHttpTest, PatchAppliesSentKeysRecomputesWeightAndBatchWaste) {
  auto c = client();
  const std::string batch_id = id_of(new_batch(c));
  const std::string box = insert_box_size(4.5);
  auto created = pack(c, batch_id,
                      lots_body(json::array{json::object{{"grade", "A"}, {"box_size_id", box}, {"carton_count", 100},
                                                         {"notes", "first"}}}));
  ASSERT_EQ(created.result_int(), 201) << created.body();
  const std::string lot_id(parse_json(created.body()).as_array()[0].at("id").as_string());

  auto cartons = patch(c, lot_id, R"({"carton_count": 120})");
  ASSERT_EQ(cartons.result_int(), 200) << cartons.body();
  auto lot = json_object(cartons);
  EXPECT_EQ(lot.size(), 32u);
  EXPECT_DOUBLE_EQ(lot.at("weight_kg").as_double(), 540.0);
  EXPECT_EQ(lot.at("notes").as_string(), "first");  // absent keys stay
  EXPECT_DOUBLE_EQ(batch_waste(batch_id), 410.0);

  auto edited = patch(c, lot_id, R"({"notes": null, "status": "packed", "target_market": "EU", "pack_date": "",
                                     "quality_data": {"brix": 12.5, "defects": ["scar", "wind"], "ok": true}})");
  ASSERT_EQ(edited.result_int(), 200) << edited.body();
  lot = json_object(edited);
  EXPECT_TRUE(lot.at("notes").is_null());
  EXPECT_EQ(lot.at("status").as_string(), "packed");
  EXPECT_EQ(lot.at("target_market").as_string(), "EU");
  EXPECT_DOUBLE_EQ(lot.at("quality_data").at("brix").as_double(), 12.5);
  EXPECT_EQ(lot.at("quality_data").at("defects").as_array().size(), 2u);
  EXPECT_DOUBLE_EQ(lot.at("weight_kg").as_double(), 540.0);

  auto unboxed = patch(c, lot_id, R"({"box_size_id": null, "weight_kg": 300, "waste_kg": 50})");
  ASSERT_EQ(unboxed.result_int(), 200) << unboxed.body();
  lot = json_object(unboxed);
  EXPECT_TRUE(lot.at("box_size_id").is_null());
  EXPECT_TRUE(lot.at("box_size_name").is_null());
  EXPECT_DOUBLE_EQ(lot.at("weight_kg").as_double(), 300.0);
  EXPECT_DOUBLE_EQ(batch_waste(batch_id), 600.0);  // 950 - 300 - 50

  const std::string bad_bodies[] = {R"({"carton_count": null})", R"({"carton_count": -3})", R"({"waste_kg": null})",
                                    R"({"status": null})", R"({"quality_data": {"nested": {"a": 1}}})",
                                    R"({"quality_data": [1]})", R"({"pack_date": "soon"})",
                                    R"({"grade": ")" + std::string(51, 'g') + R"("})"};
  for (const auto& bad : bad_bodies) {
    auto res = patch(c, lot_id, bad);
    EXPECT_EQ(res.result_int(), 422) << bad << " " << res.body();
  }
  auto fk = patch(c, lot_id, R"({"pack_spec_id": "00000000-0000-4000-8000-000000000000"})");
  ASSERT_EQ(fk.result_int(), 422);
  EXPECT_EQ(json_object(fk).at("error").at("code").as_string(), "FOREIGN_KEY_VIOLATION");
  EXPECT_EQ(patch(c, lot_id, R"({"box_size_id": "nope"})").result_int(), 422);
  EXPECT_DOUBLE_EQ(json_object(c.get("/api/lots/" + lot_id, admin_.auth())).at("weight_kg").as_double(), 300.0);
}

TEST_F(LotsHttpTest, PalletAllocationsLockQuantitiesAndBlockDelete) {
  auto c = client();
  const std::string batch_id = id_of(new_batch(c));
  auto created = pack(c, batch_id, lots_body(json::array{json::object{{"grade", "A"}, {"carton_count", 80}}}));
  ASSERT_EQ(created.result_int(), 201);
  const std::string lot_id(parse_json(created.body()).as_array()[0].at("id").as_string());
  allocate(lot_id, "PAL-20260301-001", 30);
  allocate(lot_id, "PAL-20260301-002", 10);

  auto detail = json_object(c.get("/api/lots/" + lot_id, admin_.auth()));
  EXPECT_EQ(json::serialize(detail.at("locked_fields")),
            R"(["carton_count","weight_kg","grade","size","box_size_id"])");
  auto listed = json_object(c.get("/api/lots/?batch_id=" + batch_id, admin_.auth())).at("items").as_array();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].at("palletized_boxes").as_int64(), 40);
  EXPECT_EQ(listed[0].at("locked_fields").as_array().size(), 5u);

  auto locked = patch(c, lot_id, R"({"notes": "x", "grade": "B"})");
  ASSERT_EQ(locked.result_int(), 409) << locked.body();
  EXPECT_EQ(json_object(locked).at("detail").as_string(),
            "Cannot edit grade: 40 boxes allocated to PAL-20260301-001 (+1 more). Remove pallet allocations first.");
  EXPECT_EQ(patch(c, lot_id, R"({"notes": "fine"})").result_int(), 200);
  auto refused = c.request(verb::delete_, "/api/lots/" + lot_id, {}, admin_.auth());
  ASSERT_EQ(refused.result_int(), 400);
  EXPECT_EQ(json_object(refused).at("detail").as_string(), "Cannot delete lot with palletized boxes");
  EXPECT_EQ(c.get("/api/lots/" + lot_id, admin_.auth()).result_int(), 200);
}

TEST_F(LotsHttpTest, DeleteSoftDeletesAndHidesTheLot) {
  auto c = client();
  const std::string batch_id = id_of(new_batch(c));
  auto created = pack(c, batch_id, lots_body(json::array{json::object{{"grade", "A"}}, json::object{{"grade", "B"}}}));
  ASSERT_EQ(created.result_int(), 201);
  const std::string lot_id(parse_json(created.body()).as_array()[0].at("id").as_string());
  EXPECT_EQ(json_object(c.get("/api/lots", admin_.auth())).at("total").as_int64(), 2);  // cached now
  auto deleted = c.request(verb::delete_, "/api/lots/" + lot_id, {}, admin_.auth());
  ASSERT_EQ(deleted.result_int(), 204);
  EXPECT_TRUE(deleted.body().empty());
  EXPECT_EQ(c.get("/api/lots/" + lot_id, admin_.auth()).result_int(), 404);
  EXPECT_EQ(c.request(verb::delete_, "/api/lots/" + lot_id, {}, admin_.auth()).result_int(), 404);
  EXPECT_EQ(json_object(c.get("/api/lots", admin_.auth())).at("total").as_int64(), 1);  // invalidated
  EXPECT_EQ(json_object(c.get("/api/batches/" + batch_id, admin_.auth())).at("lots").as_array().size(), 1u);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM lots WHERE is_deleted = TRUE"), 1);
}

TEST_F(LotsHttpTest, ListFiltersAndIssuesTheSameQueriesAtAnyPageSize) {
  auto c = client();
  const std::string first_batch = id_of(new_batch(c));
  const std::string second_batch = id_of(new_batch(c));
  json::array hundred;
  for (int i = 0; i < 100; ++i) hundred.emplace_back(json::object{{"grade", i % 4 == 0 ? "Class 2" : "Class 1"}});
  ASSERT_EQ(pack(c, first_batch, lots_body(hundred)).result_int(), 201);
  json::array five;
  for (int i = 0; i < 5; ++i) five.emplace_back(json::object{{"grade", "Class 1"}});
  auto newest = pack(c, second_batch, lots_body(five));
  ASSERT_EQ(newest.result_int(), 201);

  std::set<std::string> counts;
  for (int limit : {1, 50, 100}) {
    auto res = c.get("/api/lots/?limit=" + std::to_string(limit), admin_.auth());
    ASSERT_EQ(res.result_int(), 200) << res.body();
    auto page = json_object(res);
    EXPECT_EQ(page.size(), 4u);
    EXPECT_EQ(page.at("items").as_array().size(), static_cast<std::size_t>(limit));
    EXPECT_EQ(page.at("total").as_int64(), 105);
    EXPECT_EQ(page.at("limit").as_int64(), limit);
    EXPECT_EQ(page.at("offset").as_int64(), 0);
    auto item = page.at("items").as_array()[0].as_object();
    EXPECT_EQ(item.size(), 18u);
    EXPECT_EQ(item.at("batch_id").as_string(), second_batch);  // newest first
    EXPECT_EQ(item.at("palletized_boxes").as_int64(), 0);
    EXPECT_TRUE(item.at("locked_fields").as_array().empty());
    counts.insert(std::string(res["X-Query-Count"]));
  }
  EXPECT_EQ(counts, std::set<std::string>{"1"}) << "query count depends on the page size";

  auto total = [&](const std::string& query) {
    auto res = c.get("/api/lots/?" + query, admin_.auth());
    EXPECT_EQ(res.result_int(), 200) << query;
    return json_object(res).at("total").as_int64();
  };
  EXPECT_EQ(total("batch_id=" + first_batch), 100);
  EXPECT_EQ(total("batch_id=" + second_batch), 5);
  EXPECT_EQ(total("grade=Class%202"), 25);
  EXPECT_EQ(total("grade=Class%202&batch_id=" + second_batch), 0);
  EXPECT_EQ(total("status=created"), 105);
  EXPECT_EQ(total("status=palletizing"), 0);
  auto past_end = c.get("/api/lots/?offset=500&batch_id=" + first_batch, admin_.auth());
  EXPECT_EQ(json_object(past_end).at("total").as_int64(), 100);
  EXPECT_TRUE(json_object(past_end).at("items").as_array().empty());
  for (const char* bad : {"limit=0", "limit=101", "offset=-1", "limit=many"}) {
    EXPECT_EQ(c.get(std::string("/api/lots/?") + bad, admin_.auth()).result_int(), 422) << bad;
  }
}

TEST_F(LotsHttpTest, PermissionsFollowBatchReadWriteAndLotDelete) {
  auto c = client();
  const std::string batch_id = id_of(new_batch(c));
  auto login = [&](const std::string& email, const std::string& overrides) {
    auto signed_up = c.post("/api/auth/signup",
                            R"({"email":")" + email + R"(","full_name":"Op","password":"op-pass","role":"operator"})",
                            admin_.auth());
    EXPECT_EQ(signed_up.result_int(), 201) << signed_up.body();
    if (!overrides.empty()) {
      db::Params p{overrides, email};
      EXPECT_TRUE(util::run_sync(
          app().database().execute("UPDATE users SET custom_permissions = $1 WHERE email = $2", p)));
    }
    auto tokens = json_object(c.post("/api/auth/login", R"({"email":")" + email + R"(","password":"op-pass"})"));
    return Headers{{"Authorization", "Bearer " + std::string(tokens.at("access_token").as_string())}};
  };
  // Operators pack lots (batch.write) but cannot delete them (lot.delete).
  const Headers op = login("lot-op@example.com", "");
  auto created = pack(c, batch_id, lots_body(json::array{json::object{{"grade", "A"}}}), op);
  ASSERT_EQ(created.result_int(), 201) << created.body();
  const std::string lot_id(parse_json(created.body()).as_array()[0].at("id").as_string());
  EXPECT_EQ(c.get("/api/lots/", op).result_int(), 200);
  auto no_delete = c.request(verb::delete_, "/api/lots/" + lot_id, {}, op);
  EXPECT_EQ(no_delete.result_int(), 403);
  EXPECT_EQ(json_object(no_delete).at("detail").as_string(), "Missing permissions: lot.delete");

  const Headers reader = login("lot-reader@example.com", R"({"batch.write": false})");
  auto no_write = pack(c, batch_id, lots_body(json::array{json::object{{"grade", "A"}}}), reader);
  EXPECT_EQ(no_write.result_int(), 403);
  EXPECT_EQ(json_object(no_write).at("detail").as_string(), "Missing permissions: batch.write");
  EXPECT_EQ(c.request(verb::patch, "/api/lots/" + lot_id, R"({"notes":"x"})", reader).result_int(), 403);
  EXPECT_EQ(c.get("/api/lots/" + lot_id, reader).result_int(), 200);
  EXPECT_EQ(lot_rows(), 1);

  Account pending = register_account(c, "lot-pending@example.com");
  create_enterprise(c, pending, "Not Yet Onboarded");
  auto early = c.get("/api/lots/", pending.auth());
  EXPECT_EQ(early.result_int(), 403);
  EXPECT_EQ(json_object(early).at("detail").as_string(), "Complete onboarding wizard first");
}

TEST_F(LotsHttpTest, IdempotencyKeyReplaysTheFirstCreate) {
  auto c = client();
  const std::string batch_id = id_of(new_batch(c));
  Headers headers = admin_.auth();
  headers["Idempotency-Key"] = "lots-2026-0001";
  const auto body = lots_body(json::array{json::object{{"grade", "A"}, {"carton_count", 12}}});
  auto first = pack(c, batch_id, body, headers);
  ASSERT_EQ(first.result_int(), 201) << first.body();
  auto again = pack(c, batch_id, body, headers);
  EXPECT_EQ(again.result_int(), 201);
  EXPECT_EQ(again.body(), first.body());
  EXPECT_EQ(again["Idempotent-Replayed"], "true");
  EXPECT_EQ(lot_rows(), 1);
  auto different = pack(c, batch_id, lots_body(json::array{json::object{{"grade", "B"}}}), headers);
  EXPECT_EQ(different.result_int(), 422);
  EXPECT_EQ(lot_rows(), 1);
}

TEST_F(LotsHttpTest, LotWritesInvalidateCachedLotAndBatchReads) {
  auto c = client();
  const std::string batch_id = id_of(new_batch(c));
  EXPECT_EQ(json_object(c.get("/api/batches/?status=packing", admin_.auth())).at("total").as_int64(), 0);
  EXPECT_EQ(json_object(c.get("/api/lots/", admin_.auth())).at("total").as_int64(), 0);
  auto created = pack(c, batch_id, lots_body(json::array{json::object{{"grade", "A"}}}));
  ASSERT_EQ(created.result_int(), 201);
  const std::string lot_id(parse_json(created.body()).as_array()[0].at("id").as_string());
  EXPECT_EQ(json_object(c.get("/api/batches/?status=packing", admin_.auth())).at("total").as_int64(), 1);
  EXPECT_EQ(json_object(c.get("/api/lots/", admin_.auth())).at("total").as_int64(), 1);
  EXPECT_EQ(json_object(c.get("/api/lots/" + lot_id, admin_.auth())).at("grade").as_string(), "A");
  auto cached = c.get("/api/lots/" + lot_id, admin_.auth());
  EXPECT_EQ(cached["X-Query-Count"], "0");
  ASSERT_EQ(patch(c, lot_id, R"({"grade": "B"})").result_int(), 200);
  EXPECT_EQ(json_object(c.get("/api/lots/" + lot_id, admin_.auth())).at("grade").as_string(), "B");
}

}  // namespace
}  // namespace fruitpak::testing
