// /api/pallets on both engines: PalletSummary and PalletDetail shapes, building pallets
// from lots with overflow, empty pallets, allocation and deallocation with the lots'
// status and palletized_boxes following, every validation rule (and that a refusal writes
// nothing), container locks, permissions, other tenants' ids, Idempotency-Key, constant
// query counts and cache invalidation.

#include "db/database.hpp"
#include "support/pallet_fixture.hpp"
#include "support/server_fixture.hpp"
#include "util/clock.hpp"
#include "util/crypto.hpp"
#include "util/run_sync.hpp"

#include <boost/json/serialize.hpp>

#include <set>
#include <thread>

namespace fruitpak::testing {
namespace {

namespace json = boost::json;
using boost::beast::http::verb;
using Headers = std::map<std::string, std::string>;

const std::string kUnknown = "00000000-0000-4000-8000-000000000000";

json::object assign(const json::object& lot, std::int64_t boxes) {
  return json::object{{"lot_id", lot.at("id")}, {"box_count", boxes}};
}
std::string str(const json::value& v) { return std::string(v.as_string()); }
std::string id_of(const json::object& o) { return str(o.at("id")); }

// The `field`s of the validation errors of a 422.
std::set<std::string> error_fields(const HttpResponse& res) {
  std::set<std::string> fields;
  const auto body = json_object(res);
  for (const auto& e : body.at("error").at("details").at("errors").as_array()) {
    fields.insert(std::string(e.at("field").as_string()));
  }
  return fields;
}

std::string detail_of(const HttpResponse& res) {
  const auto body = json_object(res);
  return body.at("detail").is_string() ? str(body.at("detail")) : json::serialize(body.at("detail"));
}

class PalletsHttpTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    admin_ = start_with_admin("pallet-admin@example.com", "Pallet Co", Onboarding::kDone);
    auto c = client();
    setup_ = create_intake_setup(c, admin_);
    const std::string now = util::iso_utc_now();
    day_ = now.substr(0, 4) + now.substr(5, 2) + now.substr(8, 2);
  }

  std::string code(int n) const {
    char digits[8];
    std::snprintf(digits, sizeof digits, "%03d", n);
    return "PAL-" + day_ + "-" + digits;
  }

  json::object lot(HttpClient& c, std::int64_t cartons, const json::object& extra = {}) {
    return pack_lot(c, admin_, setup_, cartons, extra);
  }

  json::object from_lots_body(json::array assignments, std::int64_t capacity = 240) const {
    return json::object{{"pallet_type_name", "Standard"},
                        {"capacity_boxes", capacity},
                        {"packhouse_id", setup_.packhouse_id},
                        {"lot_assignments", std::move(assignments)}};
  }
  HttpResponse build(HttpClient& c, const json::object& body, const Headers& headers = {}) {
    return c.post("/api/pallets/from-lots", json::serialize(body), headers.empty() ? admin_.auth() : headers);
  }
  HttpResponse allocate(HttpClient& c, const std::string& pallet_id, const json::object& body,
                        const Headers& headers = {}) {
    return c.post("/api/pallets/" + pallet_id + "/allocate", json::serialize(body),
                  headers.empty() ? admin_.auth() : headers);
  }
  HttpResponse patch(HttpClient& c, const std::string& pallet_id, const std::string& body) {
    return c.request(verb::patch, "/api/pallets/" + pallet_id, body, admin_.auth());
  }
  HttpResponse remove(HttpClient& c, const std::string& pallet_id, const Headers& headers = {}) {
    return c.request(verb::delete_, "/api/pallets/" + pallet_id, {}, headers.empty() ? admin_.auth() : headers);
  }
  HttpResponse deallocate(HttpClient& c, const std::string& pallet_id, const std::string& line_id) {
    return c.request(verb::delete_, "/api/pallets/" + pallet_id + "/lots/" + line_id, {}, admin_.auth());
  }
  json::object detail(HttpClient& c, const std::string& pallet_id) {
    auto res = c.get("/api/pallets/" + pallet_id, admin_.auth());
    EXPECT_EQ(res.result_int(), 200) << res.body();
    return json_object(res);
  }
  HttpResponse empty_pallet(HttpClient& c, const json::object& extra = {}) {
    json::object body{{"pallet_type_name", "Euro"}, {"capacity_boxes", 50}, {"packhouse_id", setup_.packhouse_id}};
    for (const auto& [key, value] : extra) body[key] = value;
    return c.post("/api/pallets/", json::serialize(body), admin_.auth());
  }

  // The lot as the lot list shows it (LotSummary with palletized_boxes); one lot per batch.
  json::object lot_summary(HttpClient& c, const json::object& lot) {
    auto res = c.get("/api/lots/?batch_id=" + str(lot.at("batch_id")), admin_.auth());
    EXPECT_EQ(res.result_int(), 200) << res.body();
    auto items = json_object(res).at("items").as_array();
    EXPECT_EQ(items.size(), 1u);
    return items.empty() ? json::object{} : items[0].as_object();
  }
  std::int64_t palletized(HttpClient& c, const json::object& lot) {
    return lot_summary(c, lot).at("palletized_boxes").as_int64();
  }
  std::string lot_status(HttpClient& c, const json::object& lot) { return str(lot_summary(c, lot).at("status")); }

  std::int64_t scalar(const std::string& sql, db::Params params = {}) {
    auto rows = util::run_sync(app().database().execute(sql, std::move(params)));
    EXPECT_TRUE(rows) << rows.error().detail;
    return rows ? rows->front().int64(0) : -1;
  }
  void sql(const std::string& statement, db::Params params) {
    auto done = util::run_sync(app().database().execute(statement, std::move(params)));
    ASSERT_TRUE(done) << done.error().detail;
  }
  std::string insert_box_size(const std::string& name) {
    const std::string id = util::uuid4();
    sql("INSERT INTO box_sizes (id, enterprise_id, name, weight_kg, created_at) VALUES ($1, $2, $3, 4.5, $4)",
        db::Params{id, admin_.enterprise_id, name, std::string("2026-03-01T08:00:00")});
    return id;
  }
  // What the containers resource does when it loads a pallet, written directly.
  void put_in_container(const std::string& pallet_id, const std::string& status) {
    const std::string container_id = util::uuid4();
    sql("INSERT INTO containers (id, enterprise_id, container_number, container_type, status, is_deleted,"
        " created_at, updated_at) VALUES ($1, $2, 'CONT-TEST-001', 'reefer_40ft', 'loading', FALSE, $3, $3)",
        db::Params{container_id, admin_.enterprise_id, std::string("2026-03-01T08:00:00")});
    sql("UPDATE pallets SET container_id = $1, status = $2 WHERE id = $3",
        db::Params{container_id, status, pallet_id});
  }

  Headers login_without_write(HttpClient& c, const std::string& email) {
    auto signed_up = c.post("/api/auth/signup",
                            R"({"email":")" + email + R"(","full_name":"Reader","password":"reader-pass","role":"operator"})",
                            admin_.auth());
    EXPECT_EQ(signed_up.result_int(), 201) << signed_up.body();
    db::Params p{std::string(R"({"batch.write": false})"), email};
    EXPECT_TRUE(util::run_sync(app().database().execute("UPDATE users SET custom_permissions = $1 WHERE email = $2", p)));
    auto tokens = json_object(c.post("/api/auth/login", R"({"email":")" + email + R"(","password":"reader-pass"})"));
    return Headers{{"Authorization", "Bearer " + str(tokens.at("access_token"))}};
  }

  Account admin_;
  IntakeSetup setup_;
  std::string day_;
};

TEST_F(PalletsHttpTest, FromLotsFillsPalletsInOrderAndOverflows) {
  auto c = client();
  const std::string box = insert_box_size("4.5 kg carton");
  auto a = lot(c, 100, json::object{{"size", "64"}, {"box_size_id", box}});
  auto b = lot(c, 150, json::object{{"size", "64"}, {"box_size_id", box}});
  auto body = from_lots_body(json::array{assign(a, 100), assign(b, 130)}, 120);
  body["notes"] = "cold room 2";
  auto res = build(c, body);
  ASSERT_EQ(res.result_int(), 201) << res.body();
  auto built = parse_json(res.body()).as_array();
  // 230 boxes at 120 a pallet: A's 100 and 20 of B's fill the first, B's other 110 the second.
  ASSERT_EQ(built.size(), 2u);
  const auto first = built[0].as_object();
  EXPECT_EQ(first.size(), 17u);
  EXPECT_EQ(first.at("pallet_number").as_string(), code(1));
  EXPECT_EQ(first.at("pallet_type_name").as_string(), "Standard");
  EXPECT_EQ(first.at("capacity_boxes").as_int64(), 120);
  EXPECT_EQ(first.at("current_boxes").as_int64(), 120);
  EXPECT_EQ(first.at("fruit_type").as_string(), "citrus");
  EXPECT_EQ(first.at("grade").as_string(), "Class 1");
  EXPECT_EQ(first.at("size").as_string(), "64");
  EXPECT_EQ(first.at("box_size_id").as_string(), box);
  EXPECT_EQ(first.at("box_size_name").as_string(), "4.5 kg carton");
  EXPECT_TRUE(first.at("net_weight_kg").is_null());
  EXPECT_EQ(first.at("status").as_string(), "closed");
  EXPECT_EQ(first.at("notes").as_string(), "cold room 2");
  EXPECT_EQ(json::serialize(first.at("lot_codes")), json::serialize(json::array{a.at("lot_code"), b.at("lot_code")}));
  EXPECT_EQ(json::serialize(first.at("batch_codes")),
            json::serialize(json::array{a.at("batch_code"), b.at("batch_code")}));
  EXPECT_TRUE(first.at("locked_fields").as_array().empty());
  EXPECT_TRUE(first.at("created_at").is_string());
  const auto second = built[1].as_object();
  EXPECT_EQ(second.size(), 17u);
  EXPECT_EQ(second.at("pallet_number").as_string(), code(2));
  EXPECT_EQ(second.at("current_boxes").as_int64(), 110);
  EXPECT_EQ(second.at("status").as_string(), "open");
  EXPECT_EQ(json::serialize(second.at("lot_codes")), json::serialize(json::array{b.at("lot_code")}));
  EXPECT_EQ(json::serialize(second.at("batch_codes")), json::serialize(json::array{b.at("batch_code")}));

  auto d = detail(c, id_of(first));
  EXPECT_EQ(d.size(), 28u);
  EXPECT_EQ(d.at("variety").as_string(), "Navel");
  EXPECT_EQ(d.at("packhouse_id").as_string(), setup_.packhouse_id);
  EXPECT_EQ(d.at("palletized_by").as_string(), admin_.user_id);
  for (const char* key : {"gross_weight_kg", "target_market", "cold_store_room", "cold_store_position", "qr_code_url",
                          "container_id"}) {
    EXPECT_TRUE(d.at(key).is_null()) << key;
  }
  EXPECT_TRUE(d.at("updated_at").is_string());
  EXPECT_TRUE(d.at("locked_fields").as_array().empty());
  auto lines = d.at("pallet_lots").as_array();
  ASSERT_EQ(lines.size(), 2u);
  const auto line = lines[0].as_object();
  EXPECT_EQ(line.size(), 8u);
  EXPECT_TRUE(line.at("id").is_string());
  EXPECT_EQ(line.at("pallet_id").as_string(), id_of(first));
  EXPECT_EQ(line.at("lot_id").as_string(), id_of(a));
  EXPECT_EQ(line.at("box_count").as_int64(), 100);
  EXPECT_EQ(line.at("size").as_string(), "64");
  EXPECT_EQ(line.at("lot_code").as_string(), str(a.at("lot_code")));
  EXPECT_EQ(line.at("grade").as_string(), "Class 1");
  EXPECT_EQ(line.at("box_size_name").as_string(), "4.5 kg carton");
  EXPECT_EQ(lines[1].at("lot_id").as_string(), id_of(b));
  EXPECT_EQ(lines[1].at("box_count").as_int64(), 20);

  // The lots follow: palletizing, their boxes counted and their quantities locked.
  auto a_listed = lot_summary(c, a);
  EXPECT_EQ(a_listed.at("palletized_boxes").as_int64(), 100);
  EXPECT_EQ(a_listed.at("status").as_string(), "palletizing");
  EXPECT_EQ(a_listed.at("locked_fields").as_array().size(), 5u);
  EXPECT_EQ(palletized(c, b), 130);
  EXPECT_EQ(lot_status(c, b), "palletizing");
  EXPECT_EQ(json_object(c.get("/api/lots/" + id_of(b), admin_.auth())).at("locked_fields").as_array().size(), 5u);

  // B's last 20 boxes: a third pallet at the default capacity of 240.
  auto rest = build(c, json::object{{"pallet_type_name", "Standard"},
                                    {"packhouse_id", setup_.packhouse_id},
                                    {"lot_assignments", json::array{assign(b, 20)}}});
  ASSERT_EQ(rest.result_int(), 201) << rest.body();
  auto third = parse_json(rest.body()).as_array().at(0).as_object();
  EXPECT_EQ(third.at("pallet_number").as_string(), code(3));
  EXPECT_EQ(third.at("capacity_boxes").as_int64(), 240);
  EXPECT_EQ(third.at("current_boxes").as_int64(), 20);
  EXPECT_EQ(third.at("status").as_string(), "open");
  EXPECT_EQ(palletized(c, b), 150);
  EXPECT_EQ(json_object(c.get("/api/pallets", admin_.auth())).at("total").as_int64(), 3);
}

TEST_F(PalletsHttpTest, FromLotsRefusalsWriteNothing) {
  auto c = client();
  const std::string box1 = insert_box_size("Box 1");
  const std::string box2 = insert_box_size("Box 2");
  auto a = lot(c, 50, json::object{{"size", "64"}});
  auto b = lot(c, 50, json::object{{"size", "72"}});
  auto boxed1 = lot(c, 30, json::object{{"box_size_id", box1}});
  auto boxed2 = lot(c, 30, json::object{{"box_size_id", box2}});
  auto big = lot(c, 101);

  auto missing = c.post("/api/pallets/from-lots", "{}", admin_.auth());
  ASSERT_EQ(missing.result_int(), 422);
  EXPECT_EQ(error_fields(missing), (std::set<std::string>{"body -> pallet_type_name", "body -> packhouse_id",
                                                          "body -> lot_assignments"}));
  auto bad_items = c.post("/api/pallets/from-lots",
                          R"({"pallet_type_name": "S", "capacity_boxes": 0, "packhouse_id": ")" + setup_.packhouse_id +
                              R"(", "lot_assignments": [{"box_count": 0}, {"lot_id": "x"}, 7], "size": 5})",
                          admin_.auth());
  ASSERT_EQ(bad_items.result_int(), 422) << bad_items.body();
  EXPECT_EQ(error_fields(bad_items),
            (std::set<std::string>{"body -> capacity_boxes", "body -> lot_assignments -> 0 -> lot_id",
                                   "body -> lot_assignments -> 0 -> box_count",
                                   "body -> lot_assignments -> 1 -> box_count", "body -> lot_assignments -> 2",
                                   "body -> size"}));
  auto null_capacity = from_lots_body(json::array{assign(a, 1)});
  null_capacity["capacity_boxes"] = nullptr;
  EXPECT_EQ(build(c, null_capacity).result_int(), 422);
  auto empty = build(c, from_lots_body(json::array{}));
  ASSERT_EQ(empty.result_int(), 422);
  EXPECT_EQ(json_object(empty).at("detail").as_array()[0].at("type").as_string(), "too_short");
  json::array too_many;
  for (int i = 0; i < 101; ++i) too_many.emplace_back(assign(a, 1));
  auto many = build(c, from_lots_body(too_many));
  ASSERT_EQ(many.result_int(), 422);
  EXPECT_EQ(json_object(many).at("detail").as_array()[0].at("type").as_string(), "too_long");

  auto unknown_packhouse = from_lots_body(json::array{assign(a, 1)});
  unknown_packhouse["packhouse_id"] = kUnknown;
  auto no_packhouse = build(c, unknown_packhouse);
  ASSERT_EQ(no_packhouse.result_int(), 422) << no_packhouse.body();
  EXPECT_EQ(detail_of(no_packhouse), "Packhouse not found");
  Account other = register_account(c, "pallet-packhouse@example.com");
  create_enterprise(c, other, "Other Packhouse Co");
  onboard(other.enterprise_id);
  auto their_packhouse = from_lots_body(json::array{assign(a, 1)});
  their_packhouse["packhouse_id"] = id_of(json_object(c.post("/api/packhouses/", R"({"name":"Theirs"})", other.auth())));
  EXPECT_EQ(build(c, their_packhouse).result_int(), 422);

  auto no_lot = build(c, from_lots_body(json::array{assign(a, 1), json::object{{"lot_id", kUnknown}, {"box_count", 1}}}));
  ASSERT_EQ(no_lot.result_int(), 404) << no_lot.body();
  EXPECT_EQ(detail_of(no_lot), "Lot " + kUnknown + " not found");

  auto short_by_one = build(c, from_lots_body(json::array{assign(a, 51)}));
  ASSERT_EQ(short_by_one.result_int(), 400) << short_by_one.body();
  EXPECT_EQ(detail_of(short_by_one), "Lot " + str(a.at("lot_code")) + " has only 50 unallocated box(es), cannot assign 51");
  EXPECT_EQ(json_object(short_by_one).at("error").at("code").as_string(), "HTTP_400");
  // Two assignments of one lot count together: 30 + 30 > 50.
  auto twice = build(c, from_lots_body(json::array{assign(a, 30), assign(a, 30)}));
  ASSERT_EQ(twice.result_int(), 400);
  EXPECT_EQ(detail_of(twice), "Lot " + str(a.at("lot_code")) + " has only 50 unallocated box(es), cannot assign 60");

  auto sizes = build(c, from_lots_body(json::array{assign(a, 10), assign(b, 10)}));
  ASSERT_EQ(sizes.result_int(), 400);
  EXPECT_EQ(detail_of(sizes), "Mixed sizes on pallet (64, 72). Use allow_mixed_sizes to override.");
  auto boxes = build(c, from_lots_body(json::array{assign(boxed1, 10), assign(boxed2, 10)}));
  ASSERT_EQ(boxes.result_int(), 400);
  EXPECT_EQ(detail_of(boxes), "Mixed box types on pallet (Box 1, Box 2). Use allow_mixed_box_types to override.");
  auto too_many_pallets = build(c, from_lots_body(json::array{assign(big, 101)}, 1));
  ASSERT_EQ(too_many_pallets.result_int(), 400);
  EXPECT_EQ(detail_of(too_many_pallets), "Lot assignments would fill 101 pallets; at most 100 pallets per request");

  EXPECT_EQ(scalar("SELECT COUNT(*) FROM pallets"), 0);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM pallet_lots"), 0);
  for (const auto* l : {&a, &b, &boxed1, &boxed2, &big}) {
    EXPECT_EQ(palletized(c, *l), 0);
    EXPECT_EQ(lot_status(c, *l), "created");
  }

  // Allowed mixes: no size for the pallet unless the request names one; the first lot's box.
  auto mixed_sizes = from_lots_body(json::array{assign(a, 10), assign(b, 10)});
  mixed_sizes["allow_mixed_sizes"] = true;
  auto sized = build(c, mixed_sizes);
  ASSERT_EQ(sized.result_int(), 201) << sized.body();
  auto sized_pallet = parse_json(sized.body()).as_array().at(0).as_object();
  EXPECT_EQ(sized_pallet.at("pallet_number").as_string(), code(1));  // refusals burnt no number
  EXPECT_TRUE(sized_pallet.at("size").is_null());
  EXPECT_EQ(sized_pallet.at("current_boxes").as_int64(), 20);
  auto mixed_boxes = from_lots_body(json::array{assign(boxed1, 10), assign(boxed2, 10)});
  mixed_boxes["allow_mixed_box_types"] = "yes";
  mixed_boxes["size"] = "mixed";
  auto boxed = build(c, mixed_boxes);
  ASSERT_EQ(boxed.result_int(), 201) << boxed.body();
  auto boxed_pallet = parse_json(boxed.body()).as_array().at(0).as_object();
  EXPECT_EQ(boxed_pallet.at("size").as_string(), "mixed");
  EXPECT_EQ(boxed_pallet.at("box_size_id").as_string(), box1);
  EXPECT_EQ(boxed_pallet.at("box_size_name").as_string(), "Box 1");
  EXPECT_EQ(palletized(c, a), 10);
  EXPECT_EQ(palletized(c, boxed2), 10);
}

TEST_F(PalletsHttpTest, EmptyPalletTakesAllocationsAndTheCachedListFollows) {
  auto c = client();
  const std::string box1 = insert_box_size("Box 1");
  const std::string box2 = insert_box_size("Box 2");
  auto created = empty_pallet(c);
  ASSERT_EQ(created.result_int(), 201) << created.body();
  auto pallet = json_object(created);
  EXPECT_EQ(pallet.size(), 17u);
  EXPECT_EQ(pallet.at("pallet_number").as_string(), code(1));
  EXPECT_EQ(pallet.at("pallet_type_name").as_string(), "Euro");
  EXPECT_EQ(pallet.at("capacity_boxes").as_int64(), 50);
  EXPECT_EQ(pallet.at("current_boxes").as_int64(), 0);
  EXPECT_EQ(pallet.at("status").as_string(), "open");
  for (const char* key : {"fruit_type", "grade", "size", "box_size_id", "box_size_name", "net_weight_kg", "notes"}) {
    EXPECT_TRUE(pallet.at(key).is_null()) << key;
  }
  EXPECT_TRUE(pallet.at("lot_codes").as_array().empty());
  const std::string pallet_id = id_of(pallet);
  auto no_box = empty_pallet(c, json::object{{"box_size_id", kUnknown}});
  ASSERT_EQ(no_box.result_int(), 404);
  EXPECT_EQ(detail_of(no_box), "Box size not found");
  EXPECT_EQ(c.post("/api/pallets", R"({"packhouse_id": "x"})", admin_.auth()).result_int(), 422);
  EXPECT_EQ(empty_pallet(c, json::object{{"capacity_boxes", -5}}).result_int(), 422);
  EXPECT_EQ(empty_pallet(c, json::object{{"packhouse_id", kUnknown}}).result_int(), 422);

  auto listed = json_object(c.get("/api/pallets/", admin_.auth()));
  EXPECT_EQ(listed.at("total").as_int64(), 1);
  EXPECT_EQ(listed.at("items").as_array()[0].at("current_boxes").as_int64(), 0);
  EXPECT_EQ(c.get("/api/pallets/", admin_.auth())["X-Query-Count"], "0");  // served from the cache

  auto a = lot(c, 40, json::object{{"size", "64"}, {"box_size_id", box1}});
  auto b = lot(c, 30, json::object{{"size", "72"}});
  auto first = allocate(c, pallet_id, json::object{{"lot_assignments", json::array{assign(a, 20)}}});
  ASSERT_EQ(first.result_int(), 200) << first.body();
  auto summary = json_object(first);
  EXPECT_EQ(summary.size(), 17u);
  EXPECT_EQ(summary.at("current_boxes").as_int64(), 20);
  EXPECT_EQ(summary.at("status").as_string(), "open");
  EXPECT_EQ(summary.at("size").as_string(), "64");  // an empty pallet takes the lot's fields
  EXPECT_EQ(summary.at("fruit_type").as_string(), "citrus");
  EXPECT_EQ(summary.at("grade").as_string(), "Class 1");
  EXPECT_EQ(summary.at("box_size_id").as_string(), box1);
  EXPECT_EQ(summary.at("box_size_name").as_string(), "Box 1");
  EXPECT_EQ(json::serialize(summary.at("lot_codes")), json::serialize(json::array{a.at("lot_code")}));
  // The cached list was invalidated by the allocation.
  listed = json_object(c.get("/api/pallets/", admin_.auth()));
  EXPECT_EQ(listed.at("items").as_array()[0].at("current_boxes").as_int64(), 20);
  EXPECT_EQ(json::serialize(listed.at("items").as_array()[0].at("lot_codes")),
            json::serialize(json::array{a.at("lot_code")}));
  EXPECT_EQ(palletized(c, a), 20);
  EXPECT_EQ(lot_status(c, a), "palletizing");

  auto refuse = [&](const json::object& body, int status, const std::string& message) {
    auto res = allocate(c, pallet_id, body);
    EXPECT_EQ(res.result_int(), status) << res.body();
    EXPECT_EQ(detail_of(res), message);
  };
  refuse(json::object{{"lot_assignments", json::array{assign(b, 10)}}}, 400,
         "Pallet size is '64'. Mismatched lots: " + str(b.at("lot_code")) +
             " (size: 72). Use allow_mixed_sizes to override.");
  refuse(json::object{{"lot_assignments", json::array{assign(a, 40)}}}, 400,
         "Cannot fit 40 boxes, only 30 capacity remaining");
  refuse(json::object{{"lot_assignments", json::array{assign(a, 21)}}}, 400,
         "Lot " + str(a.at("lot_code")) + " has only 20 unallocated box(es), cannot assign 21");
  refuse(json::object{{"lot_assignments", json::array{json::object{{"lot_id", kUnknown}, {"box_count", 1}}}}}, 404,
         "Lot " + kUnknown + " not found");
  EXPECT_EQ(allocate(c, pallet_id, json::object{{"lot_assignments", json::array{}}}).result_int(), 422);
  EXPECT_EQ(allocate(c, kUnknown, json::object{{"lot_assignments", json::array{assign(a, 1)}}}).result_int(), 404);
  EXPECT_EQ(palletized(c, a), 20);
  EXPECT_EQ(palletized(c, b), 0);
  EXPECT_EQ(lot_status(c, b), "created");
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM pallet_lots"), 1);

  auto mixed = allocate(c, pallet_id,
                        json::object{{"lot_assignments", json::array{assign(b, 10)}}, {"allow_mixed_sizes", true}});
  ASSERT_EQ(mixed.result_int(), 200) << mixed.body();
  EXPECT_EQ(json_object(mixed).at("current_boxes").as_int64(), 30);
  auto full = allocate(c, pallet_id, json::object{{"lot_assignments", json::array{assign(a, 20)}}});
  ASSERT_EQ(full.result_int(), 200) << full.body();
  EXPECT_EQ(json_object(full).at("current_boxes").as_int64(), 50);
  EXPECT_EQ(json_object(full).at("status").as_string(), "closed");
  refuse(json::object{{"lot_assignments", json::array{assign(b, 1)}}}, 400,
         "Pallet is 'closed', must be 'open' to allocate");
  EXPECT_EQ(palletized(c, a), 40);
  EXPECT_EQ(palletized(c, b), 10);
  EXPECT_EQ(json_object(c.get("/api/pallets/", admin_.auth())).at("items").as_array()[0].at("status").as_string(),
            "closed");

  // A pallet with a box type refuses another one unless allowed.
  auto boxed = empty_pallet(c, json::object{{"box_size_id", box1}});
  ASSERT_EQ(boxed.result_int(), 201);
  EXPECT_EQ(json_object(boxed).at("box_size_name").as_string(), "Box 1");
  auto other_box = lot(c, 10, json::object{{"box_size_id", box2}});
  auto res = allocate(c, id_of(json_object(boxed)), json::object{{"lot_assignments", json::array{assign(other_box, 5)}}});
  ASSERT_EQ(res.result_int(), 400);
  EXPECT_EQ(detail_of(res), "Pallet box type is 'Box 1'. Mismatched lots: " + str(other_box.at("lot_code")) +
                                " (box type: Box 2). Use allow_mixed_box_types to override.");
  EXPECT_EQ(palletized(c, other_box), 0);
}

TEST_F(PalletsHttpTest, DeallocationReturnsBoxesReopensThePalletAndReleasesTheLot) {
  auto c = client();
  auto a = lot(c, 45);
  auto built = build(c, from_lots_body(json::array{assign(a, 30)}, 30));
  ASSERT_EQ(built.result_int(), 201) << built.body();
  const std::string pallet_id = id_of(parse_json(built.body()).as_array().at(0).as_object());
  auto d = detail(c, pallet_id);
  EXPECT_EQ(d.at("status").as_string(), "closed");
  const std::string line_id = str(d.at("pallet_lots").as_array().at(0).at("id"));

  auto unknown = deallocate(c, pallet_id, kUnknown);
  ASSERT_EQ(unknown.result_int(), 404);
  EXPECT_EQ(detail_of(unknown), "Pallet-lot allocation not found");
  auto no_pallet = deallocate(c, kUnknown, line_id);
  ASSERT_EQ(no_pallet.result_int(), 404);
  EXPECT_EQ(detail_of(no_pallet), "Pallet not found");
  // An allocation addressed through another pallet is not found either.
  auto other = empty_pallet(c);
  ASSERT_EQ(other.result_int(), 201);
  EXPECT_EQ(deallocate(c, id_of(json_object(other)), line_id).result_int(), 404);

  auto res = deallocate(c, pallet_id, line_id);
  ASSERT_EQ(res.result_int(), 200) << res.body();
  auto result = json_object(res);
  EXPECT_EQ(json::serialize(result), json::serialize(json::object{{"pallet_id", pallet_id},
                                                                  {"pallet_lot_id", line_id},
                                                                  {"boxes_returned", 30},
                                                                  {"pallet_status", "open"},
                                                                  {"pallet_current_boxes", 0}}));
  EXPECT_EQ(palletized(c, a), 0);
  EXPECT_EQ(lot_status(c, a), "created");
  d = detail(c, pallet_id);
  EXPECT_TRUE(d.at("pallet_lots").as_array().empty());
  EXPECT_TRUE(d.at("lot_codes").as_array().empty());
  EXPECT_EQ(d.at("current_boxes").as_int64(), 0);
  EXPECT_EQ(deallocate(c, pallet_id, line_id).result_int(), 404);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM pallet_lots WHERE is_deleted = TRUE AND deallocated_at IS NOT NULL"), 1);

  // Two allocations of the lot: taking one off leaves it palletizing.
  ASSERT_EQ(allocate(c, pallet_id, json::object{{"lot_assignments", json::array{assign(a, 10), assign(a, 5)}}})
                .result_int(),
            200);
  EXPECT_EQ(palletized(c, a), 15);
  auto lines = detail(c, pallet_id).at("pallet_lots").as_array();
  ASSERT_EQ(lines.size(), 2u);
  auto partial = deallocate(c, pallet_id, str(lines[0].at("id")));
  ASSERT_EQ(partial.result_int(), 200);
  const std::int64_t kept = 15 - json_object(partial).at("boxes_returned").as_int64();
  EXPECT_EQ(json_object(partial).at("pallet_current_boxes").as_int64(), kept);
  EXPECT_EQ(palletized(c, a), kept);
  EXPECT_EQ(lot_status(c, a), "palletizing");
}

TEST_F(PalletsHttpTest, PatchEditsFieldsAndHonoursLocks) {
  auto c = client();
  const std::string box = insert_box_size("Box 1");
  auto a = lot(c, 20);
  auto built = build(c, from_lots_body(json::array{assign(a, 20)}, 40));
  ASSERT_EQ(built.result_int(), 201) << built.body();
  const std::string pallet_id = id_of(parse_json(built.body()).as_array().at(0).as_object());

  auto edited = patch(c, pallet_id, R"({"notes": "x", "net_weight_kg": 512.5, "gross_weight_kg": 540,
      "cold_store_room": "CR1", "cold_store_position": "A-3", "target_market": "EU", "variety": "Midknight",
      "box_size_id": ")" + box + R"("})");
  ASSERT_EQ(edited.result_int(), 200) << edited.body();
  auto d = json_object(edited);
  EXPECT_EQ(d.size(), 28u);
  EXPECT_EQ(d.at("notes").as_string(), "x");
  EXPECT_DOUBLE_EQ(d.at("net_weight_kg").as_double(), 512.5);
  EXPECT_DOUBLE_EQ(d.at("gross_weight_kg").as_double(), 540.0);
  EXPECT_EQ(d.at("cold_store_room").as_string(), "CR1");
  EXPECT_EQ(d.at("cold_store_position").as_string(), "A-3");
  EXPECT_EQ(d.at("target_market").as_string(), "EU");
  EXPECT_EQ(d.at("variety").as_string(), "Midknight");
  EXPECT_EQ(d.at("box_size_name").as_string(), "Box 1");
  EXPECT_EQ(d.at("pallet_lots").as_array().size(), 1u);
  EXPECT_EQ(d.at("grade").as_string(), "Class 1");  // absent keys stay

  auto cleared = patch(c, pallet_id, R"({"box_size_id": null, "notes": null})");
  ASSERT_EQ(cleared.result_int(), 200);
  EXPECT_TRUE(json_object(cleared).at("box_size_name").is_null());
  EXPECT_TRUE(json_object(cleared).at("notes").is_null());
  auto no_box = patch(c, pallet_id, R"({"box_size_id": ")" + kUnknown + R"("})");
  ASSERT_EQ(no_box.result_int(), 400);
  EXPECT_EQ(detail_of(no_box), "Box size not found");
  auto small = patch(c, pallet_id, R"({"capacity_boxes": 19})");
  ASSERT_EQ(small.result_int(), 400);
  EXPECT_EQ(detail_of(small), "Capacity cannot be less than current boxes (20)");
  for (const char* bad : {R"({"net_weight_kg": -1})", R"({"gross_weight_kg": "heavy"})", R"({"capacity_boxes": null})",
                          R"({"capacity_boxes": 0})"}) {
    EXPECT_EQ(patch(c, pallet_id, bad).result_int(), 422) << bad;
  }
  EXPECT_EQ(patch(c, kUnknown, R"({"notes": "x"})").result_int(), 404);
  d = detail(c, pallet_id);
  EXPECT_EQ(d.at("capacity_boxes").as_int64(), 40);
  EXPECT_DOUBLE_EQ(d.at("net_weight_kg").as_double(), 512.5);
  // Capacity down to the boxes held closes the pallet; up again reopens it.
  auto full = patch(c, pallet_id, R"({"capacity_boxes": 20})");
  ASSERT_EQ(full.result_int(), 200);
  EXPECT_EQ(json_object(full).at("status").as_string(), "closed");
  EXPECT_EQ(json_object(patch(c, pallet_id, R"({"capacity_boxes": 40})")).at("status").as_string(), "open");

  // In a container (not yet marked loaded): the locked fields refuse, others pass.
  put_in_container(pallet_id, "open");
  auto locked = patch(c, pallet_id, R"({"notes": "y", "grade": "Class 2"})");
  ASSERT_EQ(locked.result_int(), 409) << locked.body();
  EXPECT_EQ(detail_of(locked),
            "Cannot edit grade: Pallet loaded in container CONT-TEST-001. Unload pallet from container first.");
  auto notes = patch(c, pallet_id, R"({"notes": "y"})");
  ASSERT_EQ(notes.result_int(), 200) << notes.body();
  d = json_object(notes);
  EXPECT_EQ(json::serialize(d.at("locked_fields")),
            R"(["grade","size","box_size_id","capacity_boxes","pallet_type_name","fruit_type","variety"])");
  EXPECT_TRUE(d.at("container_id").is_string());
  EXPECT_EQ(json::serialize(detail(c, pallet_id).at("locked_fields")), json::serialize(d.at("locked_fields")));
  auto in_container = allocate(c, pallet_id, json::object{{"lot_assignments", json::array{assign(a, 1)}}});
  ASSERT_EQ(in_container.result_int(), 409);
  EXPECT_EQ(detail_of(in_container), "Cannot allocate boxes: pallet is loaded in a container. Unload pallet first.");
  const std::string line_id = str(d.at("pallet_lots").as_array().at(0).at("id"));
  EXPECT_EQ(deallocate(c, pallet_id, line_id).result_int(), 409);
  auto no_delete = remove(c, pallet_id);
  ASSERT_EQ(no_delete.result_int(), 409);
  EXPECT_EQ(detail_of(no_delete),
            "Cannot delete pallet: it is loaded in container CONT-TEST-001. Unload pallet from container first.");

  // Loaded: no edits, no deallocation.
  sql("UPDATE pallets SET status = 'loaded' WHERE id = $1", db::Params{pallet_id});
  auto loaded = patch(c, pallet_id, R"({"notes": "z"})");
  ASSERT_EQ(loaded.result_int(), 400);
  EXPECT_EQ(detail_of(loaded), "Cannot edit a 'loaded' pallet");
  auto stays = deallocate(c, pallet_id, line_id);
  ASSERT_EQ(stays.result_int(), 400);
  EXPECT_EQ(detail_of(stays), "Cannot deallocate from a 'loaded' pallet");
  auto not_open = allocate(c, pallet_id, json::object{{"lot_assignments", json::array{assign(a, 1)}}});
  EXPECT_EQ(detail_of(not_open), "Pallet is 'loaded', must be 'open' to allocate");
  EXPECT_EQ(palletized(c, a), 20);
}

TEST_F(PalletsHttpTest, DeleteSoftDeletesEmptyPalletsAndNeedsPalletDelete) {
  auto c = client();
  auto a = lot(c, 20);
  auto built = build(c, from_lots_body(json::array{assign(a, 20)}));
  ASSERT_EQ(built.result_int(), 201) << built.body();
  const std::string pallet_id = id_of(parse_json(built.body()).as_array().at(0).as_object());
  auto holding = remove(c, pallet_id);
  ASSERT_EQ(holding.result_int(), 400);
  EXPECT_EQ(detail_of(holding), "Cannot delete pallet with 20 allocated box(es). Deallocate all lots first.");

  // Operators build pallets and allocate (batch.write) but cannot delete (pallet.delete);
  // neither can supervisors.
  Account op = add_member(c, admin_, "pallet-op@example.com", "operator");
  Account supervisor = add_member(c, admin_, "pallet-super@example.com", "supervisor");
  auto b = lot(c, 10);
  auto by_operator = build(c, from_lots_body(json::array{assign(b, 5)}), op.auth());
  ASSERT_EQ(by_operator.result_int(), 201) << by_operator.body();
  const std::string op_pallet = id_of(parse_json(by_operator.body()).as_array().at(0).as_object());
  EXPECT_EQ(json_object(c.get("/api/pallets/" + op_pallet, op.auth())).at("palletized_by").as_string(), op.user_id);
  EXPECT_EQ(allocate(c, op_pallet, json::object{{"lot_assignments", json::array{assign(b, 5)}}}, op.auth()).result_int(),
            200);
  EXPECT_EQ(c.get("/api/pallets/", op.auth()).result_int(), 200);
  auto empty = empty_pallet(c);
  ASSERT_EQ(empty.result_int(), 201);
  const std::string empty_id = id_of(json_object(empty));
  for (const Account* member : {&op, &supervisor}) {
    auto refused = remove(c, empty_id, member->auth());
    EXPECT_EQ(refused.result_int(), 403);
    EXPECT_EQ(detail_of(refused), "Missing permissions: pallet.delete");
  }
  const Headers reader = login_without_write(c, "pallet-reader@example.com");
  auto no_write = build(c, from_lots_body(json::array{assign(b, 1)}), reader);
  EXPECT_EQ(no_write.result_int(), 403);
  EXPECT_EQ(detail_of(no_write), "Missing permissions: batch.write");
  EXPECT_EQ(allocate(c, empty_id, json::object{{"lot_assignments", json::array{assign(a, 1)}}}, reader).result_int(),
            403);
  EXPECT_EQ(c.get("/api/pallets/" + empty_id, reader).result_int(), 200);

  Account pending = register_account(c, "pallet-pending@example.com");
  create_enterprise(c, pending, "Not Yet Onboarded");
  auto early = c.get("/api/pallets/", pending.auth());
  EXPECT_EQ(early.result_int(), 403);
  EXPECT_EQ(detail_of(early), "Complete onboarding wizard first");

  EXPECT_EQ(json_object(c.get("/api/pallets", admin_.auth())).at("total").as_int64(), 3);  // cached now
  auto deleted = remove(c, empty_id);
  ASSERT_EQ(deleted.result_int(), 204);
  EXPECT_TRUE(deleted.body().empty());
  EXPECT_EQ(c.get("/api/pallets/" + empty_id, admin_.auth()).result_int(), 404);
  EXPECT_EQ(remove(c, empty_id).result_int(), 404);
  EXPECT_EQ(json_object(c.get("/api/pallets", admin_.auth())).at("total").as_int64(), 2);  // invalidated
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM pallets WHERE is_deleted = TRUE"), 1);

  // Emptied, a pallet can go.
  const std::string line_id = str(detail(c, pallet_id).at("pallet_lots").as_array().at(0).at("id"));
  ASSERT_EQ(deallocate(c, pallet_id, line_id).result_int(), 200);
  EXPECT_EQ(remove(c, pallet_id).result_int(), 204);
  EXPECT_EQ(palletized(c, a), 0);
}

TEST_F(PalletsHttpTest, OtherTenantsAndUnknownIdsAreNotFound) {
  auto c = client();
  for (auto method : {verb::get, verb::patch, verb::delete_}) {
    auto res = c.request(method, "/api/pallets/" + kUnknown, R"({"notes": "x"})", admin_.auth());
    ASSERT_EQ(res.result_int(), 404) << res.body();
    EXPECT_EQ(detail_of(res), "Pallet not found");
  }
  Account other = register_account(c, "pallet-other@example.com");
  create_enterprise(c, other, "Other Pallet Co");
  onboard(other.enterprise_id);
  auto theirs = create_loaded_pallet(c, other);
  ASSERT_FALSE(theirs.empty());
  const std::string their_id = id_of(theirs);
  const std::string their_line = str(theirs.at("pallet_lots").as_array().at(0).at("id"));
  const std::string their_lot = str(theirs.at("pallet_lots").as_array().at(0).at("lot_id"));
  for (auto method : {verb::get, verb::patch, verb::delete_}) {
    auto res = c.request(method, "/api/pallets/" + their_id, R"({"notes": "mine"})", admin_.auth());
    EXPECT_EQ(res.result_int(), 404) << res.body();
  }
  auto mine = lot(c, 10);
  auto cross = allocate(c, their_id, json::object{{"lot_assignments", json::array{assign(mine, 1)}}});
  EXPECT_EQ(cross.result_int(), 404);
  EXPECT_EQ(deallocate(c, their_id, their_line).result_int(), 404);
  auto their_lot_here = build(c, from_lots_body(json::array{json::object{{"lot_id", their_lot}, {"box_count", 1}}}));
  ASSERT_EQ(their_lot_here.result_int(), 404);
  EXPECT_EQ(detail_of(their_lot_here), "Lot " + their_lot + " not found");
  EXPECT_EQ(json_object(c.get("/api/pallets/", admin_.auth())).at("total").as_int64(), 0);
  auto still = json_object(c.get("/api/pallets/" + their_id, other.auth()));
  EXPECT_TRUE(still.at("notes").is_null());
  EXPECT_EQ(still.at("current_boxes").as_int64(), 10);
  EXPECT_EQ(still.at("pallet_lots").as_array().size(), 1u);
}

TEST_F(PalletsHttpTest, ListAndDetailIssueTheSameQueriesAtAnySizeAndFilter) {
  auto c = client();
  auto one = lot(c, 1);
  ASSERT_EQ(build(c, from_lots_body(json::array{assign(one, 1)})).result_int(), 201);
  auto at_one = c.get("/api/pallets/?limit=100", admin_.auth());
  ASSERT_EQ(at_one.result_int(), 200);
  EXPECT_EQ(json_object(at_one).at("total").as_int64(), 1);
  const std::string one_id = id_of(json_object(at_one).at("items").as_array()[0].as_object());
  auto one_line = c.get("/api/pallets/" + one_id, admin_.auth());
  ASSERT_EQ(one_line.result_int(), 200);

  // 19 boxes at one a pallet: 19 more pallets in one request.
  auto many = lot(c, 19);
  auto built = build(c, from_lots_body(json::array{assign(many, 19)}, 1));
  ASSERT_EQ(built.result_int(), 201) << built.body();
  EXPECT_EQ(parse_json(built.body()).as_array().size(), 19u);
  // A pallet with 20 allocations.
  auto twenty = lot(c, 20);
  auto big = empty_pallet(c);
  ASSERT_EQ(big.result_int(), 201);
  const std::string big_id = id_of(json_object(big));
  json::array ones;
  for (int i = 0; i < 20; ++i) ones.emplace_back(assign(twenty, 1));
  ASSERT_EQ(allocate(c, big_id, json::object{{"lot_assignments", ones}}).result_int(), 200);

  auto at_twenty_one = c.get("/api/pallets/?limit=100", admin_.auth());
  ASSERT_EQ(at_twenty_one.result_int(), 200);
  auto page = json_object(at_twenty_one);
  EXPECT_EQ(page.size(), 4u);
  EXPECT_EQ(page.at("total").as_int64(), 21);
  auto items = page.at("items").as_array();
  ASSERT_EQ(items.size(), 21u);
  EXPECT_EQ(items[0].at("id").as_string(), big_id);  // newest first
  EXPECT_EQ(items[0].at("current_boxes").as_int64(), 20);
  EXPECT_EQ(json::serialize(items[0].at("lot_codes")), json::serialize(json::array{twenty.at("lot_code")}));
  EXPECT_EQ(json::serialize(items[0].at("batch_codes")), json::serialize(json::array{twenty.at("batch_code")}));
  EXPECT_EQ(items[20].at("id").as_string(), one_id);
  EXPECT_EQ(at_one["X-Query-Count"], "1");
  EXPECT_EQ(at_twenty_one["X-Query-Count"], "1") << "query count depends on the number of pallets";
  auto twenty_lines = c.get("/api/pallets/" + big_id, admin_.auth());
  ASSERT_EQ(twenty_lines.result_int(), 200);
  EXPECT_EQ(json_object(twenty_lines).at("pallet_lots").as_array().size(), 20u);
  EXPECT_EQ(one_line["X-Query-Count"], "1");
  EXPECT_EQ(twenty_lines["X-Query-Count"], "1") << "query count depends on the number of allocations";

  auto limited = json_object(c.get("/api/pallets/?limit=5&offset=1", admin_.auth()));
  EXPECT_EQ(limited.at("items").as_array().size(), 5u);
  EXPECT_EQ(limited.at("total").as_int64(), 21);
  EXPECT_EQ(limited.at("limit").as_int64(), 5);
  EXPECT_EQ(limited.at("offset").as_int64(), 1);
  auto past_end = json_object(c.get("/api/pallets/?offset=500", admin_.auth()));
  EXPECT_EQ(past_end.at("total").as_int64(), 21);
  EXPECT_TRUE(past_end.at("items").as_array().empty());

  auto total = [&](const std::string& query) {
    auto res = c.get("/api/pallets/?" + query, admin_.auth());
    EXPECT_EQ(res.result_int(), 200) << query << " " << res.body();
    return json_object(res).at("total").as_int64();
  };
  EXPECT_EQ(total("status=closed"), 19);  // the 1-box pallets are full; the first and the Euro one are not
  EXPECT_EQ(total("status=open"), 2);
  EXPECT_EQ(total("pallet_type=Euro"), 1);
  EXPECT_EQ(total("pallet_type=Standard"), 20);
  EXPECT_EQ(total("search=pal-"), 21);
  EXPECT_EQ(total("search=" + code(2)), 1);
  EXPECT_EQ(total("search=pal-" + day_ + "-00"), 9);  // -001 to -009
  std::string lower_lot = str(one.at("lot_code"));
  for (auto& ch : lower_lot) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  EXPECT_EQ(total("search=" + lower_lot), 1);
  EXPECT_EQ(total("search=" + str(many.at("batch_code"))), 19);
  EXPECT_EQ(total("search=%25"), 0);  // a literal %, not a wildcard
  EXPECT_EQ(total("search=nothing-like-it"), 0);
  for (const char* bad : {"limit=0", "limit=101", "offset=-1"}) {
    EXPECT_EQ(c.get(std::string("/api/pallets/?") + bad, admin_.auth()).result_int(), 422) << bad;
  }
}

TEST_F(PalletsHttpTest, IdempotencyKeyReplaysTheFirstBuild) {
  auto c = client();
  auto a = lot(c, 10);
  Headers headers = admin_.auth();
  headers["Idempotency-Key"] = "pallets-2026-0001";
  const auto body = from_lots_body(json::array{assign(a, 4)});
  auto first = build(c, body, headers);
  ASSERT_EQ(first.result_int(), 201) << first.body();
  auto again = build(c, body, headers);
  EXPECT_EQ(again.result_int(), 201);
  EXPECT_EQ(again.body(), first.body());
  EXPECT_EQ(again["Idempotent-Replayed"], "true");
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM pallets"), 1);
  EXPECT_EQ(palletized(c, a), 4);
}

TEST_F(PalletsHttpTest, QrCodeAndConfigLists) {
  auto c = client();
  const std::string box_b = insert_box_size("Box B");
  const std::string box_a = insert_box_size("Box A");
  sql("INSERT INTO pallet_types (id, enterprise_id, name, capacity_boxes, notes, created_at)"
      " VALUES ($1, $2, 'Euro', 200, 'wooden', '2026-03-01T08:00:00')",
      db::Params{util::uuid4(), admin_.enterprise_id});
  Account op = add_member(c, admin_, "pallet-config@example.com", "operator");
  auto boxes = c.get("/api/pallets/config/box-sizes", op.auth());
  ASSERT_EQ(boxes.result_int(), 200) << boxes.body();
  auto listed = parse_json(boxes.body()).as_array();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(json::serialize(listed[0]), json::serialize(json::object{{"id", box_a},
                                                                     {"name", "Box A"},
                                                                     {"size_code", nullptr},
                                                                     {"fruit_count", nullptr},
                                                                     {"weight_kg", 4.5},
                                                                     {"cost_per_unit", nullptr}}));
  EXPECT_EQ(listed[1].at("id").as_string(), box_b);
  auto types = c.get("/api/pallets/config/pallet-types", admin_.auth());
  ASSERT_EQ(types.result_int(), 200) << types.body();
  auto type_list = parse_json(types.body()).as_array();
  ASSERT_EQ(type_list.size(), 1u);
  EXPECT_EQ(type_list[0].as_object().size(), 4u);
  EXPECT_EQ(type_list[0].at("name").as_string(), "Euro");
  EXPECT_EQ(type_list[0].at("capacity_boxes").as_int64(), 200);
  EXPECT_EQ(type_list[0].at("notes").as_string(), "wooden");
  Account other = register_account(c, "pallet-config-other@example.com");
  create_enterprise(c, other, "Other Config Co");
  onboard(other.enterprise_id);
  EXPECT_EQ(c.get("/api/pallets/config/box-sizes", other.auth()).body(), "[]");
  EXPECT_EQ(c.get("/api/pallets/config/pallet-types", other.auth()).body(), "[]");

  auto a = lot(c, 12);
  auto built = build(c, from_lots_body(json::array{assign(a, 12)}));
  ASSERT_EQ(built.result_int(), 201) << built.body();
  const std::string pallet_id = id_of(parse_json(built.body()).as_array().at(0).as_object());
  auto qr = c.get("/api/pallets/" + pallet_id + "/qr", op.auth());
  ASSERT_EQ(qr.result_int(), 200);
  EXPECT_EQ(qr[boost::beast::http::field::content_type], "image/svg+xml");
  EXPECT_NE(qr.body().find("<svg"), std::string::npos);
  EXPECT_NE(qr.body().find("#15803d"), std::string::npos);
  auto missing = c.get("/api/pallets/" + kUnknown + "/qr", admin_.auth());
  ASSERT_EQ(missing.result_int(), 404);
  EXPECT_EQ(detail_of(missing), "Pallet not found");
}

TEST_F(PalletsHttpTest, ConcurrentBuildsNeverAllocateTheSameBoxesTwice) {
  auto c = client();
  auto a = lot(c, 15);
  // Eight requests for 10 of the lot's 15 boxes at once: exactly one gets them.
  const std::string body = json::serialize(from_lots_body(json::array{assign(a, 10)}));
  constexpr int kRequests = 8;
  std::vector<int> statuses(kRequests, 0);
  std::vector<std::thread> threads;
  for (int i = 0; i < kRequests; ++i) {
    threads.emplace_back([&, i] {
      HttpClient own(app().port());
      statuses[static_cast<std::size_t>(i)] = own.post("/api/pallets/from-lots", body, admin_.auth()).result_int();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 201), 1);
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 400), kRequests - 1);
  EXPECT_EQ(palletized(c, a), 10);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM pallets"), 1);
}

}  // namespace
}  // namespace fruitpak::testing
