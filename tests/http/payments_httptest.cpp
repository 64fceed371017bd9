// /api/payments/grower on both engines: shape and computed weights, the batches a payment
// covers, validation, 404s, foreign batches, race-free PAY- references, permissions, the
// grower filter and constant query counts.

#include "db/database.hpp"
#include "support/api_client.hpp"
#include "support/server_fixture.hpp"
#include "util/crypto.hpp"
#include "util/run_sync.hpp"

#include <boost/json/serialize.hpp>

#include <mutex>
#include <regex>
#include <set>
#include <thread>

namespace fruitpak::testing {
namespace {

namespace json = boost::json;
using Headers = std::map<std::string, std::string>;

// What a test batch looks like; the GRN endpoint is not used so that these tests stand alone.
struct BatchRow {
  std::string grower_id;
  std::optional<double> gross_weight_kg;
  std::optional<double> net_weight_kg;
  std::string status = "received";
  bool is_deleted = false;
};

db::Param opt(const std::optional<double>& v) {
  if (!v) return nullptr;
  return *v;
}

class PaymentsHttpTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    admin_ = start_with_admin("pay-admin@example.com", "Payments Co", Onboarding::kDone);
    auto c = client();
    packhouse_id_ = created_id(c.post("/api/packhouses/", R"({"name":"Main"})", admin_.auth()));
    grower_id_ = create_grower(c, admin_, R"({"name":"Van der Merwe Boerdery","grower_code":"VDM01"})");
  }

  static std::string created_id(const HttpResponse& res) {
    EXPECT_EQ(res.result_int(), 201) << res.body();
    return std::string(json_object(res).at("id").as_string());
  }
  static std::string create_grower(HttpClient& c, const Account& owner, const std::string& body) {
    return created_id(c.post("/api/growers/", body, owner.auth()));
  }

  // Inserts a batch of this tenant directly; created_at increases with each call, so
  // "oldest first" is insertion order.
  std::string insert_batch(const BatchRow& b, const std::string& enterprise_id = {},
                           const std::string& packhouse_id = {}) {
    const std::string id = util::uuid4();
    const std::string created_at = "2026-02-01T08:00:" + std::string(batch_seq_ < 10 ? "0" : "") +
                                   std::to_string(batch_seq_);
    db::Params params{id,
                      enterprise_id.empty() ? admin_.enterprise_id : enterprise_id,
                      "GRN-TEST-" + std::to_string(batch_seq_++) + "-" + id.substr(0, 8),
                      b.grower_id,
                      packhouse_id.empty() ? packhouse_id_ : packhouse_id,
                      std::string("citrus"),
                      std::string("2026-02-01"),
                      opt(b.gross_weight_kg),
                      opt(b.net_weight_kg),
                      b.status,
                      b.is_deleted,
                      created_at};
    auto inserted = util::run_sync(app().database().execute(
        "INSERT INTO batches (id, enterprise_id, batch_code, grower_id, packhouse_id, fruit_type, intake_date,"
        " tare_weight_kg, gross_weight_kg, net_weight_kg, status, is_deleted, created_at, updated_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9, $10, $11, $12, $12)",
        params));
    EXPECT_TRUE(inserted) << inserted.error().detail;
    return id;
  }

  std::int64_t payment_rows() {
    auto rows = util::run_sync(app().database().execute("SELECT COUNT(*) FROM grower_payments"));
    EXPECT_TRUE(rows) << rows.error().detail;
    return rows ? rows->front().int64(0) : -1;
  }

  // The stored columns the response does not show.
  struct StoredExtras {
    std::optional<double> rate_per_kg;
    double total_deductions = -1;
    std::optional<std::string> packhouse_id;
  };
  StoredExtras stored(const std::string& payment_id) {
    db::Params id{payment_id};
    auto rows = util::run_sync(app().database().execute(
        "SELECT rate_per_kg, total_deductions, packhouse_id FROM grower_payments WHERE id = $1", id));
    EXPECT_TRUE(rows && rows->size() == 1);
    if (!rows || rows->size() != 1) return {};
    return {rows->front().optional_number(0), rows->front().number(1), rows->front().optional_string(2)};
  }

  HttpResponse pay(HttpClient& c, const json::object& body, const Account* who = nullptr) {
    return c.post("/api/payments/grower", json::serialize(body), (who ? *who : admin_).auth());
  }
  json::object payment_body(double amount = 1000.0) {
    return {{"grower_id", grower_id_}, {"amount", amount}, {"payment_date", "2026-02-10"}};
  }

  Account admin_;
  std::string packhouse_id_;
  std::string grower_id_;
  int batch_seq_ = 0;
};

std::vector<std::string> strings(const json::value& list) {
  std::vector<std::string> out;
  for (const auto& v : list.as_array()) out.emplace_back(v.as_string());
  return out;
}

std::string first_error_detail(const HttpResponse& res) {
  auto detail = json_object(res).at("detail");
  if (!detail.is_array() || detail.as_array().empty()) return {};
  return json::serialize(detail.as_array()[0]);
}

TEST_F(PaymentsHttpTest, CreateWithListedBatchesHasContractShape) {
  auto c = client();
  const auto with_net = insert_batch({grower_id_, 1000.0, 950.0});
  const auto gross_only = insert_batch({grower_id_, 500.0, std::nullopt});
  const auto no_weight = insert_batch({grower_id_, std::nullopt, std::nullopt});
  auto body = payment_body(2900.0);
  body["currency"] = "USD";
  body["payment_type"] = "advance";
  body["notes"] = "first tranche";
  body["batch_ids"] = json::array{json::string(with_net), json::string(gross_only), json::string(no_weight)};
  auto res = pay(c, body);
  ASSERT_EQ(res.result_int(), 201) << res.body();
  auto p = json_object(res);
  std::set<std::string> keys;
  for (const auto& kv : p) keys.insert(std::string(kv.key()));
  EXPECT_EQ(keys, (std::set<std::string>{"id", "payment_ref", "grower_id", "grower_name", "grower_code", "batch_ids",
                                         "currency", "gross_amount", "net_amount", "total_kg", "payment_type",
                                         "paid_date", "status", "notes", "created_at"}));
  EXPECT_EQ(p.at("id").as_string().size(), 36u);
  EXPECT_EQ(p.at("grower_id").as_string(), grower_id_);
  EXPECT_EQ(p.at("grower_name").as_string(), "Van der Merwe Boerdery");
  EXPECT_EQ(p.at("grower_code").as_string(), "VDM01");
  EXPECT_EQ(strings(p.at("batch_ids")), (std::vector<std::string>{with_net, gross_only, no_weight}));
  EXPECT_EQ(p.at("currency").as_string(), "USD");
  EXPECT_DOUBLE_EQ(p.at("gross_amount").to_number<double>(), 2900.0);
  EXPECT_DOUBLE_EQ(p.at("net_amount").to_number<double>(), 2900.0);
  EXPECT_DOUBLE_EQ(p.at("total_kg").to_number<double>(), 1450.0);  // net 950 + gross 500 + 0
  EXPECT_EQ(p.at("payment_type").as_string(), "advance");
  EXPECT_EQ(p.at("paid_date").as_string(), "2026-02-10");
  EXPECT_EQ(p.at("status").as_string(), "paid");
  EXPECT_EQ(p.at("notes").as_string(), "first tranche");
  const std::string created_at(p.at("created_at").as_string());
  EXPECT_TRUE(std::regex_match(created_at, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?)"))) << created_at;
  const std::string day = created_at.substr(0, 4) + created_at.substr(5, 2) + created_at.substr(8, 2);
  EXPECT_EQ(p.at("payment_ref").as_string(), "PAY-" + day + "-001");

  auto extras = stored(std::string(p.at("id").as_string()));
  ASSERT_TRUE(extras.rate_per_kg);
  EXPECT_DOUBLE_EQ(*extras.rate_per_kg, 2.0);  // 2900 / 1450
  EXPECT_DOUBLE_EQ(extras.total_deductions, 0.0);
  EXPECT_FALSE(extras.packhouse_id);  // copied from the grower, which has none

  auto page = json_object(c.get("/api/payments/grower", admin_.auth()));
  EXPECT_EQ(page.at("total").as_int64(), 1);
  ASSERT_EQ(page.at("items").as_array().size(), 1u);
  EXPECT_EQ(page.at("items").as_array()[0].as_object(), p);  // same shape and values when read back
}

TEST_F(PaymentsHttpTest, RatePerKgIsRoundedToCentsAndDefaultsApply) {
  auto c = client();
  const auto batch = insert_batch({grower_id_, std::nullopt, 1450.0});
  auto body = payment_body(1000.0);
  body["batch_ids"] = json::array{json::string(batch)};
  auto res = pay(c, body);
  ASSERT_EQ(res.result_int(), 201) << res.body();
  auto p = json_object(res);
  EXPECT_EQ(p.at("currency").as_string(), "ZAR");
  EXPECT_EQ(p.at("payment_type").as_string(), "final");
  EXPECT_TRUE(p.at("notes").is_null());
  auto extras = stored(std::string(p.at("id").as_string()));
  ASSERT_TRUE(extras.rate_per_kg);
  EXPECT_DOUBLE_EQ(*extras.rate_per_kg, 0.69);  // 1000 / 1450 = 0.6896...
}

TEST_F(PaymentsHttpTest, EmptyBatchIdsCoverTheGrowersLiveNonRejectedBatches) {
  auto c = client();
  const auto other_grower = create_grower(c, admin_, R"({"name":"Abrahams Farms"})");
  const auto net = insert_batch({grower_id_, 120.0, 100.0});
  const auto gross = insert_batch({grower_id_, 200.0, std::nullopt});
  const auto rejected = insert_batch({grower_id_, 300.0, 300.0, "rejected"});
  insert_batch({grower_id_, 400.0, 400.0, "received", true});  // soft-deleted
  insert_batch({other_grower, 500.0, 500.0});
  auto res = pay(c, payment_body(600.0));
  ASSERT_EQ(res.result_int(), 201) << res.body();
  auto p = json_object(res);
  EXPECT_EQ(strings(p.at("batch_ids")), (std::vector<std::string>{net, gross}));
  EXPECT_DOUBLE_EQ(p.at("total_kg").to_number<double>(), 300.0);
  EXPECT_DOUBLE_EQ(*stored(std::string(p.at("id").as_string())).rate_per_kg, 2.0);

  // A rejected batch is covered when listed explicitly (contract 2.7).
  auto listed = payment_body(10.0);
  listed["batch_ids"] = json::array{json::string(rejected)};
  auto with_rejected = pay(c, listed);
  ASSERT_EQ(with_rejected.result_int(), 201) << with_rejected.body();
  EXPECT_DOUBLE_EQ(json_object(with_rejected).at("total_kg").to_number<double>(), 300.0);

  // A grower without batches: no weight, so total_kg and rate_per_kg are null.
  auto none = json_object(pay(c, {{"grower_id", other_grower}, {"amount", 5}, {"payment_date", "2026-02-11"},
                                  {"batch_ids", json::array{}}}));
  auto without = create_grower(c, admin_, R"({"name":"No Batches"})");
  auto empty = pay(c, {{"grower_id", without}, {"amount", 5}, {"payment_date", "2026-02-11"}});
  ASSERT_EQ(empty.result_int(), 201) << empty.body();
  auto e = json_object(empty);
  EXPECT_TRUE(e.at("batch_ids").as_array().empty());
  EXPECT_TRUE(e.at("total_kg").is_null());
  EXPECT_FALSE(stored(std::string(e.at("id").as_string())).rate_per_kg);
  EXPECT_DOUBLE_EQ(none.at("total_kg").to_number<double>(), 500.0);
}

TEST_F(PaymentsHttpTest, EachValidationRuleIs422WithItsFieldAndWritesNothing) {
  auto c = client();
  struct Case {
    std::string name;
    json::object body;
    std::string field;
    std::string type;
    std::string msg;  // empty: not checked
  };
  auto without = [&](const char* key) {
    auto b = payment_body();
    b.erase(key);
    return b;
  };
  auto with = [&](const char* key, json::value v) {
    auto b = payment_body();
    b[key] = std::move(v);
    return b;
  };
  const std::vector<Case> cases{
      {"grower_id missing", without("grower_id"), "grower_id", "missing", "Field required"},
      {"amount missing", without("amount"), "amount", "missing", "Field required"},
      {"amount zero", with("amount", 0), "amount", "value_error", "Value error, Amount must be positive"},
      {"amount negative", with("amount", -12.5), "amount", "value_error", "Value error, Amount must be positive"},
      {"amount text", with("amount", "lots"), "amount", "float_parsing", ""},
      {"amount null", with("amount", nullptr), "amount", "float_type", ""},
      {"amount absurd", with("amount", 1e15), "amount", "less_than_equal", ""},
      {"currency too long", with("currency", "ZARR"), "currency", "string_too_long", ""},
      {"currency too short", with("currency", "ZA"), "currency", "string_too_short", ""},
      {"currency not letters", with("currency", "Z1R"), "currency", "string_pattern_mismatch", ""},
      {"currency not text", with("currency", 710), "currency", "string_type", ""},
      {"payment_type unknown", with("payment_type", "partial"), "payment_type", "literal_error",
       "Input should be 'advance' or 'final'"},
      {"payment_date missing", without("payment_date"), "payment_date", "missing", "Field required"},
      {"payment_date not a day", with("payment_date", "2026-02-30"), "payment_date", "date_parsing", ""},
      {"payment_date format", with("payment_date", "10/02/2026"), "payment_date", "date_parsing", ""},
      {"payment_date number", with("payment_date", 20260210), "payment_date", "date_type", ""},
      {"batch_ids not a list", with("batch_ids", "all"), "batch_ids", "list_type", ""},
      {"notes not text", with("notes", 5), "notes", "string_type", ""},
  };
  for (const auto& tc : cases) {
    SCOPED_TRACE(tc.name);
    auto res = pay(c, tc.body);
    ASSERT_EQ(res.result_int(), 422) << res.body();
    auto o = json_object(res);
    EXPECT_EQ(o.at("error").at("code").as_string(), "VALIDATION_ERROR");
    const auto& detail = o.at("detail").as_array();
    ASSERT_EQ(detail.size(), 1u) << res.body();
    EXPECT_EQ(detail[0].at("loc"), (json::array{"body", json::string(tc.field)}));
    EXPECT_EQ(detail[0].at("type").as_string(), tc.type) << first_error_detail(res);
    if (!tc.msg.empty()) {
      EXPECT_EQ(detail[0].at("msg").as_string(), tc.msg);
    }
  }
  auto bad_item = pay(c, with("batch_ids", json::array{1}));
  ASSERT_EQ(bad_item.result_int(), 422);
  EXPECT_EQ(json_object(bad_item).at("detail").as_array()[0].at("loc"), (json::array{"body", "batch_ids", "0"}));
  EXPECT_EQ(c.get("/api/payments/grower?limit=101", admin_.auth()).result_int(), 422);
  EXPECT_EQ(c.get("/api/payments/grower?offset=-1", admin_.auth()).result_int(), 422);
  EXPECT_EQ(payment_rows(), 0);
}

TEST_F(PaymentsHttpTest, UnknownDeletedAndOtherTenantsGrowersAre404) {
  auto c = client();
  auto other = register_account(c, "pay-other@example.com");
  create_enterprise(c, other, "Other Co");
  onboard(other.enterprise_id);
  const auto foreign = create_grower(c, other, R"({"name":"Not yours"})");
  const auto gone = create_grower(c, admin_, R"({"name":"Gone"})");
  ASSERT_EQ(c.request(boost::beast::http::verb::delete_, "/api/growers/" + gone, "", admin_.auth()).result_int(), 204);
  for (const std::string& id : {std::string("00000000-0000-4000-8000-000000000000"), foreign, gone}) {
    SCOPED_TRACE(id);
    auto body = payment_body();
    body["grower_id"] = id;
    auto res = pay(c, body);
    EXPECT_EQ(res.result_int(), 404) << res.body();
    EXPECT_EQ(json_object(res).at("detail").as_string(), "Grower not found");
  }
  EXPECT_EQ(payment_rows(), 0);
}

TEST_F(PaymentsHttpTest, BatchesNotOfTheGrowerAre422ListingThem) {
  auto c = client();
  auto other = register_account(c, "pay-foreign@example.com");
  create_enterprise(c, other, "Foreign Co");
  onboard(other.enterprise_id);
  const auto other_grower = create_grower(c, admin_, R"({"name":"Abrahams Farms"})");
  const auto own = insert_batch({grower_id_, 100.0, 100.0});
  const auto neighbours = insert_batch({other_grower, 100.0, 100.0});
  const auto deleted = insert_batch({grower_id_, 100.0, 100.0, "received", true});
  const auto foreign_packhouse =
      created_id(c.post("/api/packhouses/", R"({"name":"Elsewhere"})", other.auth()));
  const auto foreign_grower = create_grower(c, other, R"({"name":"Foreign"})");
  const auto foreign = insert_batch({foreign_grower, 100.0, 100.0}, other.enterprise_id, foreign_packhouse);
  const std::string unknown = "00000000-0000-4000-8000-000000000001";
  auto body = payment_body();
  body["batch_ids"] = json::array{json::string(own), json::string(neighbours), json::string(deleted),
                                  json::string(foreign), json::string(unknown), json::string(own)};
  auto res = pay(c, body);
  ASSERT_EQ(res.result_int(), 422) << res.body();
  auto o = json_object(res);
  const std::string expected = "Batches not found or don't belong to this grower: " + neighbours + ", " + deleted +
                               ", " + foreign + ", " + unknown;
  EXPECT_EQ(o.at("detail").as_string(), expected);
  EXPECT_EQ(o.at("error").at("message").as_string(), expected);
  EXPECT_EQ(payment_rows(), 0);

  // A repeated id counts once.
  body["batch_ids"] = json::array{json::string(own), json::string(own)};
  auto twice = pay(c, body);
  ASSERT_EQ(twice.result_int(), 201) << twice.body();
  EXPECT_EQ(strings(json_object(twice).at("batch_ids")), std::vector<std::string>{own});
}

TEST_F(PaymentsHttpTest, ConcurrentCreatesGetDistinctSequentialRefs) {
  constexpr int kPayments = 20;
  constexpr int kConnections = 20;  // each on its own thread, all open before the first create
  std::mutex mutex;
  std::vector<std::string> refs;
  std::vector<std::string> failures;
  std::vector<std::thread> threads;
  const std::string body = json::serialize(payment_body(100.0));
  std::vector<std::unique_ptr<HttpClient>> clients;
  for (int t = 0; t < kConnections; ++t) clients.push_back(std::make_unique<HttpClient>(app().port()));
  for (auto& client : clients) {
    threads.emplace_back([&, c = client.get()] {
      for (int i = 0; i < kPayments / kConnections; ++i) {
        auto res = c->post("/api/payments/grower", body, admin_.auth());
        std::lock_guard lock(mutex);
        if (res.result_int() != 201) {
          failures.push_back(std::to_string(res.result_int()) + " " + res.body());
          continue;
        }
        auto o = json_object(res);
        const std::string created(o.at("created_at").as_string());
        refs.push_back(std::string(o.at("payment_ref").as_string()) + "@" + created.substr(0, 4) +
                       created.substr(5, 2) + created.substr(8, 2));
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_TRUE(failures.empty()) << failures.front();
  ASSERT_EQ(refs.size(), static_cast<std::size_t>(kPayments));
  std::set<std::string> numbers;
  for (const auto& tagged : refs) {
    const auto at = tagged.find('@');
    const std::string ref = tagged.substr(0, at);
    const std::string day = tagged.substr(at + 1);
    EXPECT_TRUE(std::regex_match(ref, std::regex("PAY-" + day + R"(-\d{3})"))) << ref;
    numbers.insert(ref.substr(ref.size() - 3));
  }
  std::set<std::string> expected;
  for (int n = 1; n <= kPayments; ++n) expected.insert((n < 10 ? "00" : "0") + std::to_string(n));
  EXPECT_EQ(numbers, expected);  // 20 distinct references, 001..020
  EXPECT_EQ(payment_rows(), kPayments);
}

TEST_F(PaymentsHttpTest, SupervisorsLackFinancialPermissions) {
  auto c = client();
  const auto sup = add_member(c, admin_, "pay-sup@example.com", "supervisor").auth();
  auto write = c.post("/api/payments/grower", json::serialize(payment_body()), sup);
  EXPECT_EQ(write.result_int(), 403);
  EXPECT_EQ(json_object(write).at("detail").as_string(), "Missing permissions: financials.write");
  auto read = c.get("/api/payments/grower", sup);
  EXPECT_EQ(read.result_int(), 403);
  EXPECT_EQ(json_object(read).at("detail").as_string(), "Missing permissions: financials.read");
  EXPECT_EQ(payment_rows(), 0);
}

TEST_F(PaymentsHttpTest, ListFiltersByGrowerAndIssuesTheSameQueriesAtAnyPageSize) {
  auto c = client();
  const auto other_grower = create_grower(c, admin_, R"({"name":"Abrahams Farms"})");
  std::string newest_ref;
  for (int i = 0; i < 110; ++i) {
    auto body = payment_body(10.0 + i);
    if (i % 3 == 0) body["grower_id"] = other_grower;
    auto res = pay(c, body);
    ASSERT_EQ(res.result_int(), 201) << res.body();
    newest_ref = std::string(json_object(res).at("payment_ref").as_string());
  }
  std::set<std::string> counts;
  for (int limit : {1, 50, 100}) {
    auto res = c.get("/api/payments/grower?limit=" + std::to_string(limit), admin_.auth());
    ASSERT_EQ(res.result_int(), 200);
    auto page = json_object(res);
    EXPECT_EQ(page.at("items").as_array().size(), static_cast<std::size_t>(limit));
    EXPECT_EQ(page.at("total").as_int64(), 110);
    EXPECT_EQ(page.at("limit").as_int64(), limit);
    EXPECT_EQ(page.at("items").as_array()[0].at("payment_ref").as_string(), newest_ref);  // newest first
    counts.insert(std::string(res["X-Query-Count"]));
  }
  EXPECT_EQ(counts, std::set<std::string>{"1"}) << "query count depends on the page size";

  auto filtered = c.get("/api/payments/grower?grower_id=" + other_grower + "&limit=100", admin_.auth());
  ASSERT_EQ(filtered.result_int(), 200);
  EXPECT_EQ(filtered["X-Query-Count"], "1");
  auto page = json_object(filtered);
  EXPECT_EQ(page.at("total").as_int64(), 37);  // i = 0, 3, ..., 108
  ASSERT_EQ(page.at("items").as_array().size(), 37u);
  for (const auto& item : page.at("items").as_array()) {
    EXPECT_EQ(item.at("grower_id").as_string(), other_grower);
    EXPECT_EQ(item.at("grower_name").as_string(), "Abrahams Farms");
  }

  auto past_end = c.get("/api/payments/grower?grower_id=" + grower_id_ + "&offset=500", admin_.auth());
  ASSERT_EQ(past_end.result_int(), 200);
  EXPECT_EQ(json_object(past_end).at("total").as_int64(), 73);
  EXPECT_TRUE(json_object(past_end).at("items").as_array().empty());
  EXPECT_EQ(past_end["X-Query-Count"], "2");
  auto unknown = json_object(c.get("/api/payments/grower?grower_id=nobody", admin_.auth()));
  EXPECT_EQ(unknown.at("total").as_int64(), 0);
}

}  // namespace
}  // namespace fruitpak::testing
