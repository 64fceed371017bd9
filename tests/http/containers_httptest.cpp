// /api/containers on both engines: ContainerSummary and ContainerDetail shapes, CONT-
// numbers, clients and shipping references, loading from pallets with tallies and
// positions, already-in-another-container, capacity, unloading, the whole state machine
// forward and back (pallets following a dispatch), the empty-seal refusal, hand-entered
// counts, temperature readings, deletes, permissions per role, other tenants' ids,
// Idempotency-Key, constant query counts and cache invalidation.

#include "db/database.hpp"
#include "support/pallet_fixture.hpp"
#include "support/server_fixture.hpp"
#include "util/crypto.hpp"
#include "util/run_sync.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <ctime>
#include <set>
#include <thread>

namespace fruitpak::testing {
namespace {

namespace json = boost::json;
using boost::beast::http::verb;
using Headers = std::map<std::string, std::string>;

constexpr const char* kUnknownId = "00000000-0000-4000-8000-000000000000";

// "20260301" for today in UTC.
std::string utc_day() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[9];
  std::strftime(text, sizeof text, "%Y%m%d", &tm);
  return text;
}

std::string str(const json::value& v) { return std::string(v.as_string()); }

std::vector<std::string> strings(const json::value& v) {
  std::vector<std::string> out;
  for (const auto& item : v.as_array()) out.push_back(str(item));
  return out;
}

struct Pallet {
  std::string id;
  std::string number;
};

class ContainersHttpTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    admin_ = start_with_admin("cont-admin@example.com", "Container Co", Onboarding::kDone);
    auto c = client();
    setup_ = create_intake_setup(c, admin_);
  }

  // `count` full pallets of `boxes` boxes each, built from one new lot (so one batch).
  std::vector<Pallet> pallets(HttpClient& c, int count, std::int64_t boxes) {
    auto lot = pack_lot(c, admin_, setup_, count * boxes);
    last_lot_code_ = str(lot.at("lot_code"));
    last_batch_code_ = str(json_object(c.get("/api/lots/" + str(lot.at("id")), admin_.auth())).at("batch_code"));
    json::array assignments{json::object{{"lot_id", lot.at("id")}, {"box_count", count * boxes}}};
    auto res = post_pallets_from_lots(c, admin_, setup_.packhouse_id, assignments, boxes);
    EXPECT_EQ(res.result_int(), 201) << res.body();
    std::vector<Pallet> out;
    if (res.result_int() != 201) return out;
    const json::value built = parse_json(res.body());
    for (const auto& p : built.as_array()) {
      out.push_back(Pallet{str(p.at("id")), str(p.at("pallet_number"))});
    }
    EXPECT_EQ(out.size(), static_cast<std::size_t>(count));
    return out;
  }

  HttpResponse post(HttpClient& c, const std::string& path, const json::object& body, const Headers& headers = {}) {
    return c.post(path, json::serialize(body), headers.empty() ? admin_.auth() : headers);
  }
  HttpResponse create(HttpClient& c, const json::object& body, const Headers& headers = {}) {
    return post(c, "/api/containers/", body, headers);
  }
  // A new container (201 expected); returns its summary.
  json::object container(HttpClient& c, json::object body = {{"container_type", "reefer_40ft"}}) {
    auto res = create(c, body);
    EXPECT_EQ(res.result_int(), 201) << res.body();
    return json_object(res);
  }
  static json::object ids_body(const std::vector<Pallet>& ps) {
    json::array ids;
    for (const auto& p : ps) ids.emplace_back(p.id);
    return json::object{{"pallet_ids", std::move(ids)}};
  }
  HttpResponse load(HttpClient& c, const std::string& id, const std::vector<Pallet>& ps, const Headers& h = {}) {
    return post(c, "/api/containers/" + id + "/load-pallets", ids_body(ps), h);
  }
  HttpResponse unload(HttpClient& c, const std::string& id, const std::vector<Pallet>& ps) {
    return post(c, "/api/containers/" + id + "/unload-pallets", ids_body(ps));
  }
  HttpResponse step(HttpClient& c, const std::string& id, const std::string& action, const json::object& body = {},
                    const Headers& h = {}) {
    return post(c, "/api/containers/" + id + "/" + action, body, h);
  }
  json::object detail(HttpClient& c, const std::string& id) {
    auto res = c.get("/api/containers/" + id, admin_.auth());
    EXPECT_EQ(res.result_int(), 200) << res.body();
    return json_object(res);
  }

  std::int64_t scalar(const std::string& sql, db::Params params = {}) {
    auto rows = util::run_sync(app().database().execute(sql, std::move(params)));
    EXPECT_TRUE(rows) << rows.error().detail;
    return rows && !rows->empty() ? rows->front().int64(0) : -1;
  }
  std::string text(const std::string& sql, db::Params params = {}) {
    auto rows = util::run_sync(app().database().execute(sql, std::move(params)));
    EXPECT_TRUE(rows) << rows.error().detail;
    return rows && !rows->empty() ? rows->front().string(0) : "<none>";
  }
  void exec(const std::string& sql, db::Params params) {
    auto rows = util::run_sync(app().database().execute(sql, std::move(params)));
    ASSERT_TRUE(rows) << rows.error().detail;
  }
  std::int64_t container_rows() { return scalar("SELECT COUNT(*) FROM containers"); }
  std::string pallet_status(const Pallet& p) { return text("SELECT status FROM pallets WHERE id = $1", {p.id}); }
  std::string pallet_container(const Pallet& p) {
    return text("SELECT COALESCE(container_id, 'none') FROM pallets WHERE id = $1", {p.id});
  }
  std::string pallet_position(const Pallet& p) {
    return text("SELECT COALESCE(position_in_container, 'none') FROM pallets WHERE id = $1", {p.id});
  }

  // A row of a tenant reference table (clients, transporters, shipping_agents,
  // shipping_lines) named `name`; returns its id.
  std::string insert_reference(const std::string& table, const std::string& name, const std::string& enterprise = {}) {
    const std::string id = util::uuid4();
    const std::string owner = enterprise.empty() ? admin_.enterprise_id : enterprise;
    const std::string now = "2026-03-01T08:00:00";
    if (table == "clients") {
      exec("INSERT INTO clients (id, enterprise_id, name, outstanding_balance, is_active, created_at, updated_at)"
           " VALUES ($1, $2, $3, 0, TRUE, $4, $4)",
           {id, owner, name, now});
    } else {
      exec("INSERT INTO " + table + " (id, enterprise_id, name, code, is_active, created_at)"
           " VALUES ($1, $2, $3, $4, TRUE, $5)",
           {id, owner, name, name.substr(0, 3) + id.substr(0, 8), now});
    }
    return id;
  }

  Account admin_;
  IntakeSetup setup_;
  std::string last_lot_code_;
  std::string last_batch_code_;
};

// The `field` of the first validation error of a 422.
std::string first_field(const HttpResponse& res) {
  auto errors = json_object(res).at("error").at("details").at("errors").as_array();
  return errors.empty() ? std::string() : str(errors[0].at("field"));
}

std::string detail_of(const HttpResponse& res) {
  const auto body = json_object(res);
  return body.at("detail").is_string() ? str(body.at("detail")) : json::serialize(body.at("detail"));
}

TEST_F(ContainersHttpTest, CreateReturnsTheSummaryWithNumberClientAndReferences) {
  auto c = client();
  const std::string client_id = insert_reference("clients", "Fresh Imports BV");
  const std::string transporter = insert_reference("transporters", "Road Kings");
  const std::string agent = insert_reference("shipping_agents", "Port Agents");
  const std::string line = insert_reference("shipping_lines", "Maersk");
  json::object body{{"container_type", "reefer_40ft"},
                    {"capacity_pallets", 21},
                    {"client_id", client_id},
                    {"customer_name", "ignored when a client is given"},
                    {"shipping_container_number", "MSKU1234567"},
                    {"destination", "Rotterdam"},
                    {"export_date", "2026-03-05T10:30:00"},
                    {"transporter_id", transporter},
                    {"shipping_agent_id", agent},
                    {"shipping_line_id", line},
                    {"vessel_name", "MSC Anna"},
                    {"voyage_number", "V-12"},
                    {"etd", "2026-03-06"},
                    {"eta", "2026-03-30"},
                    {"notes", "reefer at -0.5"}};
  auto res = create(c, body);
  ASSERT_EQ(res.result_int(), 201) << res.body();
  auto s = json_object(res);
  EXPECT_EQ(s.size(), 28u);
  EXPECT_EQ(str(s.at("container_number")), "CONT-" + utc_day() + "-001");
  EXPECT_EQ(str(s.at("container_type")), "reefer_40ft");
  EXPECT_EQ(s.at("capacity_pallets").as_int64(), 21);
  EXPECT_EQ(s.at("pallet_count").as_int64(), 0);
  EXPECT_EQ(s.at("total_cartons").as_int64(), 0);
  EXPECT_TRUE(s.at("gross_weight_kg").is_null());
  EXPECT_EQ(str(s.at("client_id")), client_id);
  EXPECT_EQ(str(s.at("customer_name")), "Fresh Imports BV");
  EXPECT_EQ(str(s.at("destination")), "Rotterdam");
  EXPECT_EQ(str(s.at("shipping_container_number")), "MSKU1234567");
  EXPECT_EQ(str(s.at("transporter_id")), transporter);
  EXPECT_EQ(str(s.at("transporter_name")), "Road Kings");
  EXPECT_EQ(str(s.at("shipping_agent_id")), agent);
  EXPECT_EQ(str(s.at("shipping_agent_name")), "Port Agents");
  EXPECT_EQ(str(s.at("shipping_line_id")), line);
  EXPECT_EQ(str(s.at("shipping_line_name")), "Maersk");
  EXPECT_EQ(str(s.at("vessel_name")), "MSC Anna");
  EXPECT_EQ(str(s.at("voyage_number")), "V-12");
  EXPECT_EQ(str(s.at("etd")), "2026-03-06");
  EXPECT_EQ(str(s.at("eta")), "2026-03-30");
  EXPECT_FALSE(s.at("is_overdue").as_bool());
  EXPECT_EQ(str(s.at("status")), "open");
  for (const char* key : {"pallet_numbers", "lot_codes", "batch_codes", "locked_fields"}) {
    EXPECT_TRUE(s.at(key).as_array().empty()) << key;
  }
  EXPECT_TRUE(s.at("created_at").is_string());

  auto d = detail(c, str(s.at("id")));
  EXPECT_EQ(d.size(), 47u);
  EXPECT_EQ(str(d.at("export_date")), "2026-03-05T10:30:00");  // a whole second reads without a fraction
  EXPECT_EQ(str(d.at("notes")), "reefer at -0.5");
  for (const char* key : {"seal_number", "sealed_at", "sealed_by", "packhouse_id", "transport_config_id",
                          "temp_setpoint_c", "dispatched_at", "arrived_at", "delivered_at", "qr_code_url",
                          "export_id"}) {
    EXPECT_TRUE(d.at(key).is_null()) << key;
  }
  for (const char* key : {"pallets", "traceability", "capacity_warnings", "temp_readings"}) {
    EXPECT_TRUE(d.at(key).as_array().empty()) << key;
  }
  EXPECT_FALSE(d.at("counts_manual").as_bool());
  EXPECT_TRUE(d.at("updated_at").is_string());

  // Numbers continue per day; without a client the sent customer name is kept; the
  // capacity defaults to 20.
  auto second = container(c, json::object{{"container_type", "dry_20ft"}, {"customer_name", "Walk-in"}});
  EXPECT_EQ(str(second.at("container_number")), "CONT-" + utc_day() + "-002");
  EXPECT_EQ(str(second.at("customer_name")), "Walk-in");
  EXPECT_TRUE(second.at("client_id").is_null());
  EXPECT_EQ(second.at("capacity_pallets").as_int64(), 20);
}

TEST_F(ContainersHttpTest, InvalidCreatesAreRefusedAndWriteNothing) {
  auto c = client();
  auto missing = create(c, json::object{});
  ASSERT_EQ(missing.result_int(), 422);
  EXPECT_EQ(first_field(missing), "body -> container_type");
  const std::string bad_bodies[] = {
      R"({"container_type": "reefer", "capacity_pallets": 0})",
      R"({"container_type": "reefer", "capacity_pallets": null})",
      R"({"container_type": ")" + std::string(51, 'x') + R"("})",
      R"({"container_type": "reefer", "export_date": "tomorrow"})",
      R"({"container_type": "reefer", "export_date": "2026-03-05T10:30:00+02:00"})",
      R"({"container_type": "reefer", "eta": "2026-02-30"})",
      R"({"container_type": "reefer", "destination": ")" + std::string(256, 'd') + R"("})",
  };
  for (const auto& bad : bad_bodies) {
    auto res = c.post("/api/containers/", bad, admin_.auth());
    EXPECT_EQ(res.result_int(), 422) << bad << " " << res.body();
  }
  Account other = register_account(c, "cont-ref-other@example.com");
  create_enterprise(c, other, "Other Ref Co");
  const std::string their_client = insert_reference("clients", "Not yours", other.enterprise_id);
  const std::string their_line = insert_reference("shipping_lines", "Their line", other.enterprise_id);
  const std::pair<json::object, std::string> refused[] = {
      {json::object{{"container_type", "reefer"}, {"client_id", their_client}}, "Client not found"},
      {json::object{{"container_type", "reefer"}, {"client_id", kUnknownId}}, "Client not found"},
      {json::object{{"container_type", "reefer"}, {"transporter_id", kUnknownId}}, "Transporter not found"},
      {json::object{{"container_type", "reefer"}, {"shipping_agent_id", kUnknownId}}, "Shipping agent not found"},
      {json::object{{"container_type", "reefer"}, {"shipping_line_id", their_line}}, "Shipping line not found"},
  };
  for (const auto& [body, message] : refused) {
    auto res = create(c, body);
    ASSERT_EQ(res.result_int(), 400) << res.body();
    EXPECT_EQ(detail_of(res), message);
  }
  EXPECT_EQ(container_rows(), 0);
  // Nothing burnt a number either.
  EXPECT_EQ(str(container(c).at("container_number")), "CONT-" + utc_day() + "-001");
}

TEST_F(ContainersHttpTest, FromPalletsAndLoadPalletsLinkPalletsAndKeepTalliesConsistent) {
  auto c = client();
  auto ps = pallets(c, 3, 40);
  ASSERT_EQ(ps.size(), 3u);
  // Weights: the first has a gross weight, the second only a net one, the third none.
  exec("UPDATE pallets SET gross_weight_kg = 512.5, net_weight_kg = 480 WHERE id = $1", {ps[0].id});
  exec("UPDATE pallets SET net_weight_kg = 400.25 WHERE id = $1", {ps[1].id});

  json::object body = ids_body({ps[1], ps[0]});
  body["container_type"] = "reefer_40ft";
  body["customer_name"] = "Harbour Fresh";
  auto res = post(c, "/api/containers/from-pallets", body);
  ASSERT_EQ(res.result_int(), 201) << res.body();
  auto s = json_object(res);
  EXPECT_EQ(s.size(), 28u);
  const std::string id = str(s.at("id"));
  EXPECT_EQ(str(s.at("status")), "loading");
  EXPECT_EQ(str(s.at("customer_name")), "Harbour Fresh");
  EXPECT_EQ(s.at("pallet_count").as_int64(), 2);
  EXPECT_EQ(s.at("total_cartons").as_int64(), 80);
  EXPECT_DOUBLE_EQ(s.at("gross_weight_kg").as_double(), 912.75);  // 512.5 gross + 400.25 net
  EXPECT_EQ(strings(s.at("pallet_numbers")), (std::vector<std::string>{ps[1].number, ps[0].number}));
  EXPECT_EQ(strings(s.at("lot_codes")), std::vector<std::string>{last_lot_code_});
  EXPECT_EQ(strings(s.at("batch_codes")), std::vector<std::string>{last_batch_code_});
  EXPECT_EQ(pallet_container(ps[0]), id);
  EXPECT_EQ(pallet_position(ps[1]), "1");  // the order sent
  EXPECT_EQ(pallet_position(ps[0]), "2");
  EXPECT_EQ(pallet_status(ps[0]), "loaded");
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM pallets WHERE id = $1 AND loaded_at IS NOT NULL", {ps[0].id}), 1);

  auto more = load(c, id, {ps[2]});
  ASSERT_EQ(more.result_int(), 200) << more.body();
  s = json_object(more);
  EXPECT_EQ(s.size(), 28u);
  EXPECT_EQ(s.at("pallet_count").as_int64(), 3);
  EXPECT_EQ(s.at("total_cartons").as_int64(), 120);
  EXPECT_DOUBLE_EQ(s.at("gross_weight_kg").as_double(), 912.75);
  EXPECT_EQ(pallet_position(ps[2]), "3");
  EXPECT_EQ(pallet_status(ps[2]), "loaded");

  // The detail shows the pallets in loading order and what each holds.
  auto d = detail(c, id);
  auto listed = d.at("pallets").as_array();
  ASSERT_EQ(listed.size(), 3u);
  auto first = listed[0].as_object();
  EXPECT_EQ(first.size(), 8u);
  EXPECT_EQ(str(first.at("id")), ps[1].id);
  EXPECT_EQ(str(first.at("pallet_number")), ps[1].number);
  EXPECT_EQ(first.at("current_boxes").as_int64(), 40);
  EXPECT_EQ(str(first.at("fruit_type")), "citrus");
  EXPECT_EQ(str(first.at("grade")), "Class 1");
  EXPECT_EQ(str(first.at("status")), "loaded");
  EXPECT_EQ(str(listed[2].at("id")), ps[2].id);
  auto trace = d.at("traceability").as_array();
  ASSERT_EQ(trace.size(), 3u);
  auto t = trace[0].as_object();
  EXPECT_EQ(t.size(), 4u);
  EXPECT_EQ(str(t.at("pallet_number")), ps[1].number);
  EXPECT_EQ(t.at("current_boxes").as_int64(), 40);
  ASSERT_EQ(t.at("lots").as_array().size(), 1u);
  auto lot = t.at("lots").as_array()[0].as_object();
  EXPECT_EQ(lot.size(), 5u);
  EXPECT_EQ(str(lot.at("lot_code")), last_lot_code_);
  EXPECT_EQ(str(lot.at("grade")), "Class 1");
  EXPECT_EQ(lot.at("box_count").as_int64(), 40);
  EXPECT_TRUE(lot.at("box_size_name").is_null());
  ASSERT_EQ(t.at("batches").as_array().size(), 1u);
  auto batch = t.at("batches").as_array()[0].as_object();
  EXPECT_EQ(batch.size(), 5u);
  EXPECT_EQ(str(batch.at("batch_code")), last_batch_code_);
  EXPECT_EQ(str(batch.at("grower_name")), "Intake grower");
  EXPECT_TRUE(batch.at("grower_code").is_null());
  EXPECT_EQ(str(batch.at("fruit_type")), "citrus");
  EXPECT_EQ(str(batch.at("intake_date")).size(), 10u);
  EXPECT_EQ(d.at("pallet_count").as_int64(), 3);
}

TEST_F(ContainersHttpTest, PalletsAlreadyInAContainerMissingOrRepeatedAreRefusedWithNothingWritten) {
  auto c = client();
  auto ps = pallets(c, 2, 30);
  ASSERT_EQ(ps.size(), 2u);
  const std::string first = str(container(c).at("id"));
  ASSERT_EQ(load(c, first, {ps[0]}).result_int(), 200);
  const std::string second = str(container(c).at("id"));

  auto taken = load(c, second, {ps[1], ps[0]});
  ASSERT_EQ(taken.result_int(), 422) << taken.body();
  EXPECT_EQ(detail_of(taken), "Already in a container: " + ps[0].number);
  EXPECT_EQ(pallet_container(ps[0]), first);
  EXPECT_EQ(pallet_container(ps[1]), "none");  // the free one was not loaded either
  EXPECT_EQ(pallet_status(ps[1]), "closed");
  auto untouched = detail(c, second);
  EXPECT_EQ(str(untouched.at("status")), "open");
  EXPECT_EQ(untouched.at("pallet_count").as_int64(), 0);

  json::object body = ids_body({ps[0]});
  body["container_type"] = "reefer";
  const auto rows = container_rows();
  auto from_taken = post(c, "/api/containers/from-pallets", body);
  ASSERT_EQ(from_taken.result_int(), 422);
  EXPECT_EQ(detail_of(from_taken), "Already in a container: " + ps[0].number);
  EXPECT_EQ(container_rows(), rows);

  auto missing = post(c, "/api/containers/" + second + "/load-pallets",
                      json::object{{"pallet_ids", json::array{json::value(ps[1].id), json::value(kUnknownId)}}});
  ASSERT_EQ(missing.result_int(), 404);
  EXPECT_EQ(detail_of(missing), std::string("Pallets not found: ") + kUnknownId);
  EXPECT_EQ(pallet_container(ps[1]), "none");

  Account other = register_account(c, "cont-pallet-other@example.com");
  create_enterprise(c, other, "Other Pallet Co");
  onboard(other.enterprise_id);
  auto theirs = create_loaded_pallet(c, other);
  ASSERT_FALSE(theirs.empty());
  auto foreign = post(c, "/api/containers/" + second + "/load-pallets",
                      json::object{{"pallet_ids", json::array{theirs.at("id")}}});
  ASSERT_EQ(foreign.result_int(), 404);
  EXPECT_EQ(detail_of(foreign), "Pallets not found: " + str(theirs.at("id")));

  const std::string bad_bodies[] = {R"({})", R"({"pallet_ids": []})", R"({"pallet_ids": "p"})",
                                    R"({"pallet_ids": [")" + ps[1].id + R"(", ")" + ps[1].id + R"("]})"};
  for (const auto& bad : bad_bodies) {
    auto res = c.post("/api/containers/" + second + "/load-pallets", bad, admin_.auth());
    EXPECT_EQ(res.result_int(), 422) << bad << " " << res.body();
    EXPECT_EQ(first_field(res), "body -> pallet_ids") << bad;
  }
  EXPECT_EQ(pallet_container(ps[1]), "none");
}

TEST_F(ContainersHttpTest, ConcurrentLoadsOfTheSamePalletsLetExactlyOneWin) {
  auto c = client();
  auto ps = pallets(c, 3, 20);
  ASSERT_EQ(ps.size(), 3u);
  constexpr int kRacers = 4;
  std::vector<std::string> ids;
  for (int i = 0; i < kRacers; ++i) ids.push_back(str(container(c).at("id")));
  const std::string body = json::serialize(ids_body(ps));
  std::vector<int> statuses(kRacers);
  std::vector<std::thread> threads;
  for (int t = 0; t < kRacers; ++t) {
    threads.emplace_back([&, t] {
      HttpClient racer(app().port());
      statuses[t] = racer.post("/api/containers/" + ids[t] + "/load-pallets", body, admin_.auth()).result_int();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 200), 1);
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 422), kRacers - 1);
  const auto winner = std::find(statuses.begin(), statuses.end(), 200) - statuses.begin();
  ASSERT_LT(winner, kRacers);
  for (const auto& p : ps) EXPECT_EQ(pallet_container(p), ids[winner]);
  for (int t = 0; t < kRacers; ++t) {
    EXPECT_EQ(detail(c, ids[t]).at("pallet_count").as_int64(), t == winner ? 3 : 0) << t;
  }
}

TEST_F(ContainersHttpTest, CapacityPalletsIsEnforced) {
  auto c = client();
  auto ps = pallets(c, 3, 20);
  ASSERT_EQ(ps.size(), 3u);
  auto small = container(c, json::object{{"container_type", "dry_20ft"}, {"capacity_pallets", 2}});
  const std::string id = str(small.at("id"));
  auto over = load(c, id, ps);
  ASSERT_EQ(over.result_int(), 422) << over.body();
  EXPECT_EQ(detail_of(over), "Container " + str(small.at("container_number")) +
                                 " holds at most 2 pallet(s): it has 0, cannot load 3 more");
  EXPECT_EQ(pallet_container(ps[0]), "none");
  ASSERT_EQ(load(c, id, {ps[0], ps[1]}).result_int(), 200);
  auto full = load(c, id, {ps[2]});
  ASSERT_EQ(full.result_int(), 422);
  EXPECT_EQ(detail_of(full), "Container " + str(small.at("container_number")) +
                                 " holds at most 2 pallet(s): it has 2, cannot load 1 more");
  auto shrink = c.request(verb::patch, "/api/containers/" + id, R"({"capacity_pallets": 1})", admin_.auth());
  ASSERT_EQ(shrink.result_int(), 422);
  EXPECT_EQ(detail_of(shrink), "Capacity cannot be less than the pallets loaded (2)");
  EXPECT_EQ(detail(c, id).at("capacity_pallets").as_int64(), 2);
  auto grow = c.request(verb::patch, "/api/containers/" + id, R"({"capacity_pallets": 3})", admin_.auth());
  ASSERT_EQ(grow.result_int(), 200) << grow.body();
  EXPECT_EQ(load(c, id, {ps[2]}).result_int(), 200);
}

TEST_F(ContainersHttpTest, UnloadingReturnsPalletsAndTalliesFollow) {
  auto c = client();
  auto full = pallets(c, 2, 25);
  ASSERT_EQ(full.size(), 2u);
  // A pallet below capacity: 10 boxes on a 25-box pallet.
  auto lot = pack_lot(c, admin_, setup_, 10);
  auto built = post_pallets_from_lots(c, admin_, setup_.packhouse_id,
                                      json::array{json::object{{"lot_id", lot.at("id")}, {"box_count", 10}}}, 25);
  ASSERT_EQ(built.result_int(), 201) << built.body();
  const Pallet partial{str(parse_json(built.body()).as_array()[0].at("id")),
                       str(parse_json(built.body()).as_array()[0].at("pallet_number"))};
  EXPECT_EQ(pallet_status(partial), "open");

  const std::string id = str(container(c).at("id"));
  ASSERT_EQ(load(c, id, {full[0], full[1], partial}).result_int(), 200);
  auto out = unload(c, id, {full[0], partial});
  ASSERT_EQ(out.result_int(), 200) << out.body();
  auto s = json_object(out);
  EXPECT_EQ(s.size(), 28u);
  EXPECT_EQ(s.at("pallet_count").as_int64(), 1);
  EXPECT_EQ(s.at("total_cartons").as_int64(), 25);
  EXPECT_EQ(strings(s.at("pallet_numbers")), std::vector<std::string>{full[1].number});
  EXPECT_EQ(str(s.at("status")), "loading");
  EXPECT_EQ(pallet_status(full[0]), "closed");  // full
  EXPECT_EQ(pallet_status(partial), "open");    // room left
  EXPECT_EQ(pallet_container(full[0]), "none");
  EXPECT_EQ(pallet_position(full[0]), "none");
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM pallets WHERE id = $1 AND loaded_at IS NULL", {partial.id}), 1);

  // Loading again continues after the highest position held.
  ASSERT_EQ(load(c, id, {partial}).result_int(), 200);
  EXPECT_EQ(pallet_position(partial), "3");

  auto not_here = unload(c, id, {full[0]});
  ASSERT_EQ(not_here.result_int(), 422);
  EXPECT_EQ(detail_of(not_here),
            "Not in container " + str(s.at("container_number")) + ": " + full[0].number);
  auto unknown = post(c, "/api/containers/" + id + "/unload-pallets",
                      json::object{{"pallet_ids", json::array{json::value(kUnknownId)}}});
  EXPECT_EQ(unknown.result_int(), 404);

  ASSERT_EQ(step(c, id, "mark-loaded").result_int(), 200);
  auto closed = unload(c, id, {partial});
  ASSERT_EQ(closed.result_int(), 422);
  EXPECT_EQ(detail_of(closed), "Cannot unload pallets \u2014 container is loaded");
  EXPECT_EQ(pallet_container(partial), id);
  auto no_load = load(c, id, {full[0]});
  ASSERT_EQ(no_load.result_int(), 422);
  EXPECT_EQ(detail_of(no_load), "Cannot load pallets \u2014 container is loaded");
  EXPECT_EQ(pallet_container(full[0]), "none");
}

TEST_F(ContainersHttpTest, TheStateMachineRunsForwardAndRevertsOneStepAtATime) {
  auto c = client();
  auto ps = pallets(c, 2, 30);
  ASSERT_EQ(ps.size(), 2u);
  const std::string id = str(container(c).at("id"));

  auto expect_refusal = [&](const std::string& action, const std::string& message) {
    auto res = step(c, id, action, action == "seal" ? json::object{{"seal_number", "S-1"}} : json::object{});
    EXPECT_EQ(res.result_int(), 422) << action << " " << res.body();
    EXPECT_EQ(detail_of(res), message) << action;
  };
  expect_refusal("mark-loaded", "Cannot mark as loaded \u2014 container is 'open', expected 'loading'");
  expect_refusal("seal", "Cannot seal \u2014 container is 'open', expected 'loaded'");
  expect_refusal("dispatch", "Cannot dispatch \u2014 container is 'open', expected 'sealed'");
  expect_refusal("export", "Cannot export \u2014 container is 'open', expected 'dispatched'");
  expect_refusal("arrive", "Cannot mark as arrived \u2014 container is 'open', expected 'in_transit'");
  expect_refusal("deliver", "Cannot mark as delivered \u2014 container is 'open', expected 'arrived'");
  expect_refusal("revert", "Cannot revert \u2014 container status 'open' has no previous step");

  ASSERT_EQ(load(c, id, ps).result_int(), 200);
  expect_refusal("revert", "Cannot revert \u2014 container status 'loading' has no previous step");
  auto loaded = step(c, id, "mark-loaded");
  ASSERT_EQ(loaded.result_int(), 200) << loaded.body();
  EXPECT_EQ(json_object(loaded).size(), 28u);
  EXPECT_EQ(str(json_object(loaded).at("status")), "loaded");

  auto no_seal = step(c, id, "seal", json::object{});
  ASSERT_EQ(no_seal.result_int(), 422);
  EXPECT_EQ(first_field(no_seal), "body -> seal_number");
  EXPECT_EQ(step(c, id, "seal", json::object{{"seal_number", ""}}).result_int(), 422);
  EXPECT_EQ(step(c, id, "seal", json::object{{"seal_number", "S"}, {"temp_setpoint_c", 99}}).result_int(), 422);
  auto sealed = step(c, id, "seal", json::object{{"seal_number", "SEAL-77"}, {"temp_setpoint_c", -0.5}});
  ASSERT_EQ(sealed.result_int(), 200) << sealed.body();
  auto d = detail(c, id);
  EXPECT_EQ(str(d.at("status")), "sealed");
  EXPECT_EQ(str(d.at("seal_number")), "SEAL-77");
  EXPECT_EQ(str(d.at("sealed_by")), "Test cont-admin@example.com");  // the full name
  EXPECT_TRUE(d.at("sealed_at").is_string());
  EXPECT_DOUBLE_EQ(d.at("temp_setpoint_c").as_double(), -0.5);

  // Back to loaded clears the seal; sealing again.
  auto unsealed = step(c, id, "revert");
  ASSERT_EQ(unsealed.result_int(), 200);
  d = detail(c, id);
  EXPECT_EQ(str(d.at("status")), "loaded");
  EXPECT_TRUE(d.at("seal_number").is_null());
  EXPECT_TRUE(d.at("sealed_at").is_null());
  EXPECT_TRUE(d.at("sealed_by").is_null());
  ASSERT_EQ(step(c, id, "seal", json::object{{"seal_number", "SEAL-78"}}).result_int(), 200);

  // Dispatch ships the pallets; reverting it brings them back.
  ASSERT_EQ(step(c, id, "dispatch").result_int(), 200);
  d = detail(c, id);
  EXPECT_EQ(str(d.at("status")), "dispatched");
  EXPECT_TRUE(d.at("dispatched_at").is_string());
  EXPECT_EQ(pallet_status(ps[0]), "exported");
  EXPECT_EQ(str(d.at("pallets").as_array()[1].at("status")), "exported");
  ASSERT_EQ(step(c, id, "revert").result_int(), 200);
  d = detail(c, id);
  EXPECT_EQ(str(d.at("status")), "sealed");
  EXPECT_TRUE(d.at("dispatched_at").is_null());
  EXPECT_EQ(str(d.at("seal_number")), "SEAL-78");
  EXPECT_EQ(pallet_status(ps[0]), "loaded");
  ASSERT_EQ(step(c, id, "dispatch").result_int(), 200);

  // The export step applies the voyage fields it is given.
  const std::string line = insert_reference("shipping_lines", "CMA CGM");
  EXPECT_EQ(step(c, id, "export", json::object{{"shipping_line_id", kUnknownId}}).result_int(), 400);
  EXPECT_EQ(str(detail(c, id).at("status")), "dispatched");
  auto shipped = step(c, id, "export",
                      json::object{{"vessel_name", "CMA Star"}, {"shipping_line_id", line}, {"eta", "2000-01-01"}});
  ASSERT_EQ(shipped.result_int(), 200) << shipped.body();
  auto s = json_object(shipped);
  EXPECT_EQ(str(s.at("status")), "in_transit");
  EXPECT_EQ(str(s.at("vessel_name")), "CMA Star");
  EXPECT_EQ(str(s.at("shipping_line_name")), "CMA CGM");
  EXPECT_TRUE(s.at("is_overdue").as_bool());  // in transit past its ETA

  ASSERT_EQ(step(c, id, "arrive").result_int(), 200);
  d = detail(c, id);
  EXPECT_EQ(str(d.at("status")), "arrived");
  EXPECT_TRUE(d.at("arrived_at").is_string());
  EXPECT_FALSE(d.at("is_overdue").as_bool());
  ASSERT_EQ(step(c, id, "revert").result_int(), 200);
  d = detail(c, id);
  EXPECT_EQ(str(d.at("status")), "in_transit");
  EXPECT_TRUE(d.at("arrived_at").is_null());
  ASSERT_EQ(step(c, id, "arrive").result_int(), 200);
  auto delivered = step(c, id, "deliver");
  ASSERT_EQ(delivered.result_int(), 200);
  d = detail(c, id);
  EXPECT_EQ(str(d.at("status")), "delivered");
  EXPECT_TRUE(d.at("delivered_at").is_string());
  EXPECT_EQ(pallet_status(ps[1]), "exported");
  expect_refusal("revert", "Cannot revert \u2014 container status 'delivered' has no previous step");
  expect_refusal("deliver", "Cannot mark as delivered \u2014 container is 'delivered', expected 'arrived'");
  EXPECT_EQ(str(detail(c, id).at("status")), "delivered");
}

TEST_F(ContainersHttpTest, AnEmptyContainerCannotBeMarkedLoadedOrSealed) {
  auto c = client();
  auto ps = pallets(c, 1, 30);
  ASSERT_EQ(ps.size(), 1u);
  const std::string id = str(container(c).at("id"));
  ASSERT_EQ(load(c, id, ps).result_int(), 200);
  ASSERT_EQ(unload(c, id, ps).result_int(), 200);
  auto empty_loaded = step(c, id, "mark-loaded");
  ASSERT_EQ(empty_loaded.result_int(), 422);
  EXPECT_EQ(detail_of(empty_loaded), "Cannot mark as loaded \u2014 container has no pallets");
  EXPECT_EQ(str(detail(c, id).at("status")), "loading");

  // A container left "loaded" without pallets (as an old row might be) cannot be sealed.
  exec("UPDATE containers SET status = 'loaded' WHERE id = $1", {id});
  auto empty_seal = step(c, id, "seal", json::object{{"seal_number", "SEAL-1"}});
  ASSERT_EQ(empty_seal.result_int(), 422);
  EXPECT_EQ(detail_of(empty_seal), "Cannot seal \u2014 container has no pallets");
  EXPECT_EQ(text("SELECT COALESCE(seal_number, 'none') FROM containers WHERE id = $1", {id}), "none");
  EXPECT_EQ(text("SELECT status FROM containers WHERE id = $1", {id}), "loaded");
}

TEST_F(ContainersHttpTest, HandEnteredCountsAreKeptThroughLaterLoads) {
  auto c = client();
  auto ps = pallets(c, 2, 40);
  ASSERT_EQ(ps.size(), 2u);
  const std::string id = str(container(c).at("id"));
  ASSERT_EQ(load(c, id, {ps[0]}).result_int(), 200);
  auto patched = c.request(verb::patch, "/api/containers/" + id,
                           R"({"pallet_count": 5, "total_cartons": 999, "destination": "Hamburg"})", admin_.auth());
  ASSERT_EQ(patched.result_int(), 200) << patched.body();
  auto s = json_object(patched);
  EXPECT_EQ(s.size(), 28u);
  EXPECT_EQ(s.at("pallet_count").as_int64(), 5);
  EXPECT_EQ(s.at("total_cartons").as_int64(), 999);
  EXPECT_EQ(str(s.at("destination")), "Hamburg");
  EXPECT_TRUE(detail(c, id).at("counts_manual").as_bool());

  exec("UPDATE pallets SET gross_weight_kg = 700 WHERE id = $1", {ps[1].id});
  auto loaded = load(c, id, {ps[1]});
  ASSERT_EQ(loaded.result_int(), 200);
  s = json_object(loaded);
  EXPECT_EQ(s.at("pallet_count").as_int64(), 5);  // as entered, not the 2 loaded
  EXPECT_EQ(s.at("total_cartons").as_int64(), 999);
  EXPECT_DOUBLE_EQ(s.at("gross_weight_kg").as_double(), 700.0);  // weights still follow the pallets
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM pallets WHERE container_id = $1", {id}), 2);
  ASSERT_EQ(unload(c, id, {ps[0]}).result_int(), 200);
  EXPECT_EQ(detail(c, id).at("pallet_count").as_int64(), 5);

  auto mixed = c.request(verb::patch, "/api/containers/" + id, R"({"pallet_count": null, "total_cartons": 3})",
                         admin_.auth());
  EXPECT_EQ(mixed.result_int(), 422);
  EXPECT_EQ(c.request(verb::patch, "/api/containers/" + id, R"({"pallet_count": -1})", admin_.auth()).result_int(),
            422);
  // null returns them to the pallets' tallies: 1 pallet of 40 boxes.
  auto counted = c.request(verb::patch, "/api/containers/" + id, R"({"pallet_count": null, "total_cartons": null})",
                           admin_.auth());
  ASSERT_EQ(counted.result_int(), 200) << counted.body();
  s = json_object(counted);
  EXPECT_EQ(s.at("pallet_count").as_int64(), 1);
  EXPECT_EQ(s.at("total_cartons").as_int64(), 40);
  EXPECT_FALSE(detail(c, id).at("counts_manual").as_bool());
}

TEST_F(ContainersHttpTest, PatchResolvesReferencesAndKeepsAbsentKeys) {
  auto c = client();
  const std::string client_id = insert_reference("clients", "Citrus Direct");
  const std::string id = str(container(c, json::object{{"container_type", "reefer"}, {"notes", "keep"}}).at("id"));
  auto patched = c.request(verb::patch, "/api/containers/" + id,
                           R"({"client_id": ")" + client_id + R"(", "customer_name": "ignored", "eta": ""})",
                           admin_.auth());
  ASSERT_EQ(patched.result_int(), 200) << patched.body();
  auto s = json_object(patched);
  EXPECT_EQ(str(s.at("customer_name")), "Citrus Direct");
  EXPECT_TRUE(s.at("eta").is_null());
  EXPECT_EQ(str(detail(c, id).at("notes")), "keep");
  auto refused = c.request(verb::patch, "/api/containers/" + id,
                           R"({"notes": "changed", "transporter_id": ")" + std::string(kUnknownId) + R"("})",
                           admin_.auth());
  ASSERT_EQ(refused.result_int(), 400);
  EXPECT_EQ(detail_of(refused), "Transporter not found");
  EXPECT_EQ(str(detail(c, id).at("notes")), "keep");
  EXPECT_EQ(c.request(verb::patch, "/api/containers/" + id, R"({"container_type": null})", admin_.auth()).result_int(),
            422);
}

TEST_F(ContainersHttpTest, TemperatureReadingsAreAppendedInTimeOrder) {
  auto c = client();
  const std::string id = str(container(c).at("id"));
  const std::string path = "/api/containers/" + id + "/temperature-readings";
  auto first = c.post(path, R"({"temp_c": -0.8, "recorded_at": "2026-03-02T06:00:00", "location": "return air"})",
                      admin_.auth());
  ASSERT_EQ(first.result_int(), 201) << first.body();
  auto r = json_object(first);
  EXPECT_EQ(r.size(), 5u);
  EXPECT_DOUBLE_EQ(r.at("temp_c").as_double(), -0.8);
  EXPECT_EQ(str(r.at("recorded_at")), "2026-03-02T06:00:00");
  EXPECT_EQ(str(r.at("location")), "return air");
  EXPECT_TRUE(r.at("notes").is_null());
  EXPECT_EQ(str(r.at("recorded_by")), admin_.user_id);
  ASSERT_EQ(c.post(path, R"({"temp_c": "1.5", "recorded_at": "2026-03-01T06:00:00Z", "notes": "door"})",
                   admin_.auth())
                .result_int(),
            201);
  auto now_reading = c.post(path, R"({"temp_c": 2})", admin_.auth());
  ASSERT_EQ(now_reading.result_int(), 201);
  EXPECT_TRUE(json_object(now_reading).at("recorded_at").is_string());

  const std::string bad_bodies[] = {R"({})", R"({"temp_c": null})", R"({"temp_c": 41})", R"({"temp_c": -40.5})",
                                    R"({"temp_c": 1, "recorded_at": "later"})",
                                    R"({"temp_c": 1, "recorded_at": "2199-01-01T00:00:00"})",
                                    R"({"temp_c": 1, "recorded_at": "2999-01-01T00:00:00"})",
                                    R"({"temp_c": 1, "location": ")" + std::string(101, 'l') + R"("})"};
  for (const auto& bad : bad_bodies) EXPECT_EQ(c.post(path, bad, admin_.auth()).result_int(), 422) << bad;

  auto readings = detail(c, id).at("temp_readings").as_array();
  ASSERT_EQ(readings.size(), 3u);
  EXPECT_EQ(str(readings[0].at("recorded_at")), "2026-03-01T06:00:00");
  EXPECT_DOUBLE_EQ(readings[0].at("temp_c").as_double(), 1.5);
  EXPECT_EQ(str(readings[0].at("notes")), "door");
  EXPECT_EQ(str(readings[1].at("recorded_at")), "2026-03-02T06:00:00");

  // At most 1000 readings per container.
  std::string full = "[";
  for (int i = 0; i < 1000; ++i) {
    full += std::string(i ? "," : "") + R"({"temp_c":1,"recorded_at":"2026-03-01T00:00:00","location":null,)" +
            R"("notes":null,"recorded_by":"x"})";
  }
  exec("UPDATE containers SET temp_readings = $1 WHERE id = $2", {full + "]", id});
  auto too_many = c.post(path, R"({"temp_c": 1})", admin_.auth());
  ASSERT_EQ(too_many.result_int(), 422);
  EXPECT_NE(detail_of(too_many).find("already has 1000 temperature readings"), std::string::npos);
  EXPECT_EQ(c.post("/api/containers/" + std::string(kUnknownId) + "/temperature-readings", R"({"temp_c": 1})",
                   admin_.auth())
                .result_int(),
            404);
}

TEST_F(ContainersHttpTest, DeleteIsSoftAndOnlyForOpenOrEmptyContainers) {
  auto c = client();
  auto ps = pallets(c, 1, 30);
  ASSERT_EQ(ps.size(), 1u);
  const std::string open = str(container(c).at("id"));
  EXPECT_EQ(json_object(c.get("/api/containers/", admin_.auth())).at("total").as_int64(), 1);  // cached
  auto deleted = c.request(verb::delete_, "/api/containers/" + open, {}, admin_.auth());
  ASSERT_EQ(deleted.result_int(), 204);
  EXPECT_TRUE(deleted.body().empty());
  EXPECT_EQ(c.get("/api/containers/" + open, admin_.auth()).result_int(), 404);
  EXPECT_EQ(c.request(verb::delete_, "/api/containers/" + open, {}, admin_.auth()).result_int(), 404);
  EXPECT_EQ(json_object(c.get("/api/containers/", admin_.auth())).at("total").as_int64(), 0);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM containers WHERE is_deleted = TRUE"), 1);

  const std::string loading = str(container(c).at("id"));
  ASSERT_EQ(load(c, loading, ps).result_int(), 200);
  auto with_pallets = c.request(verb::delete_, "/api/containers/" + loading, {}, admin_.auth());
  ASSERT_EQ(with_pallets.result_int(), 400);
  EXPECT_EQ(detail_of(with_pallets), "Cannot delete container with 1 loaded pallet(s). Unload all pallets first.");
  ASSERT_EQ(step(c, loading, "mark-loaded").result_int(), 200);
  auto loaded = c.request(verb::delete_, "/api/containers/" + loading, {}, admin_.auth());
  ASSERT_EQ(loaded.result_int(), 400);
  EXPECT_EQ(detail_of(loaded),
            "Cannot delete container with status 'loaded'. Only open or empty loading containers can be deleted.");
  ASSERT_EQ(step(c, loading, "revert").result_int(), 200);
  ASSERT_EQ(unload(c, loading, ps).result_int(), 200);
  EXPECT_EQ(c.request(verb::delete_, "/api/containers/" + loading, {}, admin_.auth()).result_int(), 204);
  EXPECT_EQ(pallet_container(ps[0]), "none");
}

TEST_F(ContainersHttpTest, PermissionsFollowBatchReadWriteAndPalletDelete) {
  auto c = client();
  auto ps = pallets(c, 1, 30);
  ASSERT_EQ(ps.size(), 1u);
  // Operators and supervisors create, load and dispatch (batch.write) but cannot delete.
  for (const std::string role : {"operator", "supervisor"}) {
    Account member = add_member(c, admin_, "cont-" + role + "@example.com", role);
    auto made = create(c, json::object{{"container_type", "reefer"}}, member.auth());
    ASSERT_EQ(made.result_int(), 201) << role << " " << made.body();
    const std::string id = str(json_object(made).at("id"));
    EXPECT_EQ(c.get("/api/containers/", member.auth()).result_int(), 200);
    EXPECT_EQ(c.get("/api/containers/" + id, member.auth()).result_int(), 200);
    auto no_delete = c.request(verb::delete_, "/api/containers/" + id, {}, member.auth());
    EXPECT_EQ(no_delete.result_int(), 403) << role;
    EXPECT_EQ(detail_of(no_delete), "Missing permissions: pallet.delete");
    EXPECT_EQ(c.get("/api/containers/" + id, admin_.auth()).result_int(), 200);
  }
  Account op = add_member(c, admin_, "cont-op2@example.com", "operator");
  const std::string id = str(container(c).at("id"));
  ASSERT_EQ(load(c, id, ps, op.auth()).result_int(), 200);
  ASSERT_EQ(step(c, id, "mark-loaded", {}, op.auth()).result_int(), 200);
  ASSERT_EQ(step(c, id, "seal", json::object{{"seal_number", "OP-1"}}, op.auth()).result_int(), 200);
  EXPECT_EQ(str(detail(c, id).at("sealed_by")), "Member cont-op2@example.com");
  ASSERT_EQ(step(c, id, "dispatch", {}, op.auth()).result_int(), 200);

  // Without batch.write: reads only.
  Account reader = add_member(c, admin_, "cont-reader@example.com", "operator");
  exec("UPDATE users SET custom_permissions = $1 WHERE email = $2",
       {std::string(R"({"batch.write": false})"), std::string("cont-reader@example.com")});
  auto relog = json_object(c.post("/api/auth/login", R"({"email":"cont-reader@example.com","password":")" +
                                                         reader.password + R"("})"));
  const Headers read_only{{"Authorization", "Bearer " + str(relog.at("access_token"))}};
  const auto rows = container_rows();
  auto no_write = create(c, json::object{{"container_type", "reefer"}}, read_only);
  EXPECT_EQ(no_write.result_int(), 403);
  EXPECT_EQ(detail_of(no_write), "Missing permissions: batch.write");
  EXPECT_EQ(step(c, id, "arrive", {}, read_only).result_int(), 403);
  EXPECT_EQ(c.post("/api/containers/" + id + "/temperature-readings", R"({"temp_c": 1})", read_only).result_int(),
            403);
  EXPECT_EQ(c.get("/api/containers/" + id, read_only).result_int(), 200);
  EXPECT_EQ(container_rows(), rows);
  EXPECT_EQ(str(detail(c, id).at("status")), "dispatched");

  Account pending = register_account(c, "cont-pending@example.com");
  create_enterprise(c, pending, "Not Yet Onboarded");
  for (auto res : {c.get("/api/containers/", pending.auth()),
                   c.post("/api/containers/", R"({"container_type": "reefer"})", pending.auth())}) {
    EXPECT_EQ(res.result_int(), 403);
    EXPECT_EQ(detail_of(res), "Complete onboarding wizard first");
  }
}

TEST_F(ContainersHttpTest, OtherTenantsContainersAreNotFound) {
  auto c = client();
  Account other = register_account(c, "cont-other@example.com");
  create_enterprise(c, other, "Other Container Co");
  onboard(other.enterprise_id);
  auto theirs = json_object(c.post("/api/containers/", R"({"container_type": "reefer", "notes": "theirs"})",
                                   other.auth()));
  const std::string their_id = str(theirs.at("id"));
  for (const std::string& id : {their_id, std::string(kUnknownId)}) {
    for (auto method : {verb::get, verb::patch, verb::delete_}) {
      auto res = c.request(method, "/api/containers/" + id, R"({"notes": "mine"})", admin_.auth());
      ASSERT_EQ(res.result_int(), 404) << res.body();
      EXPECT_EQ(detail_of(res), "Container not found");
    }
    for (const char* action : {"load-pallets", "unload-pallets"}) {
      auto res = c.post("/api/containers/" + id + "/" + action,
                        R"({"pallet_ids": [")" + std::string(kUnknownId) + R"("]})", admin_.auth());
      EXPECT_EQ(res.result_int(), 404) << action;
      EXPECT_EQ(detail_of(res), "Container not found") << action;
    }
    for (const char* action : {"mark-loaded", "dispatch", "export", "arrive", "deliver", "revert"}) {
      auto res = c.post("/api/containers/" + id + "/" + action, "{}", admin_.auth());
      EXPECT_EQ(res.result_int(), 404) << action;
    }
    EXPECT_EQ(c.post("/api/containers/" + id + "/seal", R"({"seal_number": "X"})", admin_.auth()).result_int(), 404);
  }
  EXPECT_EQ(json_object(c.get("/api/containers/", admin_.auth())).at("total").as_int64(), 0);
  auto still = json_object(c.get("/api/containers/" + their_id, other.auth()));
  EXPECT_EQ(str(still.at("notes")), "theirs");
}

TEST_F(ContainersHttpTest, IdempotencyKeyReplaysTheFirstCreate) {
  auto c = client();
  Headers headers = admin_.auth();
  headers["Idempotency-Key"] = "containers-2026-0001";
  const json::object body{{"container_type", "reefer"}};
  auto first = create(c, body, headers);
  ASSERT_EQ(first.result_int(), 201) << first.body();
  auto again = create(c, body, headers);
  EXPECT_EQ(again.result_int(), 201);
  EXPECT_EQ(again.body(), first.body());
  EXPECT_EQ(again["Idempotent-Replayed"], "true");
  EXPECT_EQ(container_rows(), 1);
}

TEST_F(ContainersHttpTest, ListFiltersAndIssuesTheSameQueriesAtAnyPageSize) {
  auto c = client();
  const std::string client_id = insert_reference("clients", "Fresh Imports BV");
  auto ps = pallets(c, 2, 30);
  ASSERT_EQ(ps.size(), 2u);
  const std::string lot_code = last_lot_code_;
  const std::string batch_code = last_batch_code_;
  for (int i = 0; i < 4; ++i) container(c, json::object{{"container_type", "dry"}, {"destination", "Durban"}});
  const std::string with_client =
      str(container(c, json::object{{"container_type", "reefer"}, {"client_id", client_id}}).at("id"));
  const std::string loaded = str(container(c, json::object{{"container_type", "reefer"}}).at("id"));
  ASSERT_EQ(load(c, loaded, {ps[0]}).result_int(), 200);
  const std::string other_loaded = str(container(c, json::object{{"container_type", "reefer"}}).at("id"));
  ASSERT_EQ(load(c, other_loaded, {ps[1]}).result_int(), 200);

  std::set<std::string> counts;
  for (int limit : {1, 50, 100}) {
    auto res = c.get("/api/containers/?limit=" + std::to_string(limit), admin_.auth());
    ASSERT_EQ(res.result_int(), 200) << res.body();
    auto page = json_object(res);
    EXPECT_EQ(page.size(), 4u);
    EXPECT_EQ(page.at("items").as_array().size(), static_cast<std::size_t>(std::min(limit, 7)));
    EXPECT_EQ(page.at("total").as_int64(), 7);
    auto item = page.at("items").as_array()[0].as_object();
    EXPECT_EQ(item.size(), 28u);
    EXPECT_EQ(str(item.at("id")), other_loaded);  // newest first
    EXPECT_EQ(strings(item.at("pallet_numbers")), std::vector<std::string>{ps[1].number});
    EXPECT_EQ(strings(item.at("lot_codes")), std::vector<std::string>{lot_code});
    EXPECT_EQ(strings(item.at("batch_codes")), std::vector<std::string>{batch_code});
    counts.insert(std::string(res["X-Query-Count"]));
  }
  EXPECT_EQ(counts, std::set<std::string>{"2"}) << "query count depends on the page size";

  auto ids = [&](const std::string& query) {
    auto res = c.get("/api/containers/?" + query, admin_.auth());
    EXPECT_EQ(res.result_int(), 200) << query << " " << res.body();
    std::set<std::string> out;
    const json::object page = json_object(res);
    for (const auto& item : page.at("items").as_array()) out.insert(str(item.at("id")));
    return out;
  };
  EXPECT_EQ(ids("status=loading"), (std::set<std::string>{loaded, other_loaded}));
  EXPECT_EQ(ids("status=sealed"), std::set<std::string>{});
  EXPECT_EQ(ids("client_id=" + client_id), std::set<std::string>{with_client});
  EXPECT_EQ(ids("customer=imports"), std::set<std::string>{with_client});
  EXPECT_EQ(ids("search=" + ps[0].number), std::set<std::string>{loaded});
  EXPECT_EQ(ids("search=" + batch_code), (std::set<std::string>{loaded, other_loaded}));
  EXPECT_EQ(ids("search=" + lot_code + "&client_id=" + client_id), std::set<std::string>{});
  EXPECT_EQ(ids("search=durBAN").size(), 4u);
  EXPECT_EQ(ids("search=%25").size(), 0u);  // a literal "%", not a wildcard
  auto past_end = c.get("/api/containers/?offset=50&status=loading", admin_.auth());
  EXPECT_EQ(json_object(past_end).at("total").as_int64(), 2);
  EXPECT_TRUE(json_object(past_end).at("items").as_array().empty());
  for (const char* bad : {"limit=0", "limit=101", "offset=-1", "status=lost"}) {
    EXPECT_EQ(c.get(std::string("/api/containers/?") + bad, admin_.auth()).result_int(), 422) << bad;
  }
}

TEST_F(ContainersHttpTest, DetailIssuesTheSameQueriesForOneOrTenPallets) {
  auto c = client();
  auto one = pallets(c, 1, 50);
  auto ten = pallets(c, 10, 10);
  ASSERT_EQ(one.size(), 1u);
  ASSERT_EQ(ten.size(), 10u);
  const std::string small = str(container(c).at("id"));
  ASSERT_EQ(load(c, small, one).result_int(), 200);
  const std::string large = str(container(c).at("id"));
  ASSERT_EQ(load(c, large, ten).result_int(), 200);

  auto small_res = c.get("/api/containers/" + small, admin_.auth());
  auto large_res = c.get("/api/containers/" + large, admin_.auth());
  ASSERT_EQ(small_res.result_int(), 200);
  ASSERT_EQ(large_res.result_int(), 200);
  EXPECT_EQ(std::string(small_res["X-Query-Count"]), "2");
  EXPECT_EQ(std::string(large_res["X-Query-Count"]), "2");
  auto d = json_object(large_res);
  EXPECT_EQ(d.at("pallets").as_array().size(), 10u);
  EXPECT_EQ(d.at("traceability").as_array().size(), 10u);
  EXPECT_EQ(d.at("pallet_count").as_int64(), 10);
  EXPECT_EQ(d.at("total_cartons").as_int64(), 100);
  EXPECT_EQ(strings(d.at("pallet_numbers")).front(), ten[0].number);
  EXPECT_EQ(strings(d.at("pallet_numbers")).back(), ten[9].number);
  // Cached until something changes.
  EXPECT_EQ(std::string(c.get("/api/containers/" + large, admin_.auth())["X-Query-Count"]), "0");
}

TEST_F(ContainersHttpTest, ACachedListChangesAfterALoad) {
  auto c = client();
  auto ps = pallets(c, 1, 30);
  ASSERT_EQ(ps.size(), 1u);
  const std::string id = str(container(c).at("id"));
  auto before = c.get("/api/containers/", admin_.auth());
  EXPECT_EQ(json_object(before).at("items").as_array()[0].at("pallet_count").as_int64(), 0);
  auto cached = c.get("/api/containers/", admin_.auth());
  EXPECT_EQ(std::string(cached["X-Query-Count"]), "0");
  EXPECT_EQ(c.get("/api/containers/" + id, admin_.auth()).result_int(), 200);
  ASSERT_EQ(load(c, id, ps).result_int(), 200);
  auto after = json_object(c.get("/api/containers/", admin_.auth())).at("items").as_array()[0].as_object();
  EXPECT_EQ(after.at("pallet_count").as_int64(), 1);
  EXPECT_EQ(after.at("total_cartons").as_int64(), 30);
  EXPECT_EQ(str(after.at("status")), "loading");
  EXPECT_EQ(detail(c, id).at("pallets").as_array().size(), 1u);
}

}  // namespace
}  // namespace fruitpak::testing
