// The cache routes the /dashboard page drives, on both engines (with the suite's Redis as L2
// when present): POST /api/cache/invalidate and /api/cache/clear act on the caller's tenant
// only and make its next read miss; unknown prefixes are 422; only administrators may call
// them; GET /api/cache/stats carries the per-prefix L1 split and the HTTP figures.

#include "support/api_client.hpp"
#include "support/server_fixture.hpp"

#include <boost/json/serialize.hpp>

namespace fruitpak::testing {
namespace {

namespace json = boost::json;

class CacheAdminHttpTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    admin_ = start_with_admin("cache-ops@example.com", "Cache Ops Co");
  }
  HttpResponse invalidate(HttpClient& c, const Account& who, const std::string& prefix) {
    return c.post("/api/cache/invalidate", json::serialize(json::object{{"prefix", prefix}}), who.auth());
  }
  // Reads `target` twice; the second answer must come from L1.
  void warm(HttpClient& c, const Account& who, const std::string& target) {
    ASSERT_EQ(c.get(target, who.auth())["X-Cache"], "MISS") << target;
    ASSERT_EQ(c.get(target, who.auth())["X-Cache"], "HIT-L1") << target;
  }
  json::object stats(HttpClient& c) {
    auto res = c.get("/api/cache/stats", admin_.auth());
    EXPECT_EQ(res.result_int(), 200) << res.body();
    return json_object(res);
  }
  Account admin_;
};

TEST_F(CacheAdminHttpTest, InvalidatingAPrefixMakesOnlyThatPrefixOfTheCallersTenantMiss) {
  auto c = client();
  Account other = register_account(c, "cache-ops-other@example.com");
  create_enterprise(c, other, "Other Ops Co");
  onboard(other.enterprise_id);
  warm(c, admin_, "/api/growers/");
  warm(c, admin_, "/api/packhouses/");
  warm(c, other, "/api/growers/");

  auto res = invalidate(c, admin_, "growers");
  ASSERT_EQ(res.result_int(), 200) << res.body();
  EXPECT_GE(json_object(res).at("invalidated").to_number<std::int64_t>(), 1);

  EXPECT_EQ(c.get("/api/growers/", admin_.auth())["X-Cache"], "MISS");
  EXPECT_EQ(c.get("/api/growers/", admin_.auth())["X-Cache"], "HIT-L1");   // cached again
  EXPECT_EQ(c.get("/api/packhouses/", admin_.auth())["X-Cache"], "HIT-L1");  // another prefix
  EXPECT_EQ(c.get("/api/growers/", other.auth())["X-Cache"], "HIT-L1");     // another tenant
}

TEST_F(CacheAdminHttpTest, ClearDropsEveryPrefixOfTheCallersTenantOnly) {
  auto c = client();
  Account other = register_account(c, "cache-ops-clear@example.com");
  create_enterprise(c, other, "Clear Other Co");
  onboard(other.enterprise_id);
  warm(c, admin_, "/api/growers/");
  warm(c, admin_, "/api/packhouses/");
  warm(c, other, "/api/packhouses/");

  auto res = c.post("/api/cache/clear", "", admin_.auth());
  ASSERT_EQ(res.result_int(), 200) << res.body();
  EXPECT_GE(json_object(res).at("invalidated").to_number<std::int64_t>(), 2);

  EXPECT_EQ(c.get("/api/growers/", admin_.auth())["X-Cache"], "MISS");
  EXPECT_EQ(c.get("/api/packhouses/", admin_.auth())["X-Cache"], "MISS");
  EXPECT_EQ(c.get("/api/packhouses/", other.auth())["X-Cache"], "HIT-L1");
}

TEST_F(CacheAdminHttpTest, UnknownOrMissingPrefixIsAValidationError) {
  auto c = client();
  warm(c, admin_, "/api/growers/");
  auto unknown = invalidate(c, admin_, "no-such-prefix");
  ASSERT_EQ(unknown.result_int(), 422) << unknown.body();
  const auto error = json_object(unknown).at("detail").as_array().at(0).as_object();
  EXPECT_EQ(error.at("type").as_string(), "enum");
  EXPECT_EQ(error.at("loc").as_array(), (json::array{"body", "prefix"}));
  EXPECT_NE(error.at("msg").as_string().find("'growers'"), json::string::npos) << error.at("msg").as_string();

  auto missing = c.post("/api/cache/invalidate", "{}", admin_.auth());
  ASSERT_EQ(missing.result_int(), 422) << missing.body();
  EXPECT_EQ(json_object(missing).at("detail").as_array().at(0).at("type").as_string(), "missing");
  EXPECT_EQ(c.post("/api/cache/invalidate", "not json", admin_.auth()).result_int(), 400);
  // A refused invalidation dropped nothing.
  EXPECT_EQ(c.get("/api/growers/", admin_.auth())["X-Cache"], "HIT-L1");
}

TEST_F(CacheAdminHttpTest, OnlyAdministratorsMayReadOrDriveTheCache) {
  auto c = client();
  Account op = add_member(c, admin_, "cache-ops-operator@example.com", "operator");
  warm(c, admin_, "/api/growers/");
  EXPECT_EQ(c.get("/api/cache/stats", op.auth()).result_int(), 403);
  EXPECT_EQ(invalidate(c, op, "growers").result_int(), 403);
  EXPECT_EQ(c.post("/api/cache/clear", "", op.auth()).result_int(), 403);
  EXPECT_EQ(c.post("/api/cache/clear", "").result_int(), 401);
  EXPECT_EQ(c.get("/api/growers/", admin_.auth())["X-Cache"], "HIT-L1");  // nothing was dropped
}

TEST_F(CacheAdminHttpTest, StatsCarryTheL1SplitByPrefixAndTheHttpFigures) {
  auto c = client();
  const auto before = stats(c);
  warm(c, admin_, "/api/growers/");
  ASSERT_EQ(c.get("/no/such/route").result_int(), 404);
  const auto after = stats(c);

  EXPECT_GT(after.at("uptime_s").to_number<double>(), 0);
  const auto& growers = after.at("prefixes").at("growers").as_object();
  EXPECT_GT(growers.at("l1_bytes").to_number<std::int64_t>(), 0);
  EXPECT_EQ(growers.at("l1_entries").to_number<std::int64_t>(), 1);
  EXPECT_EQ(growers.at("l1_evictions").to_number<std::int64_t>(), 0);
  EXPECT_EQ(growers.at("hit_ratio").to_number<double>(), 0.5);
  EXPECT_LE(growers.at("l1_bytes").to_number<std::int64_t>(), after.at("l1").at("bytes").to_number<std::int64_t>());
  EXPECT_EQ(after.at("l1").at("tenant_bytes").to_number<std::int64_t>(),
            after.at("l1").at("bytes").to_number<std::int64_t>());  // the only tenant with entries

  // Three requests between the polls; the polls themselves are left out. One connection:
  // a request is counted before the next one is read.
  const auto total = [](const json::object& s) { return s.at("http").at("requests_total").to_number<std::int64_t>(); };
  const auto in_class = [](const json::object& s, const char* cls) {
    return s.at("http").at("by_status_class").at(cls).to_number<std::int64_t>();
  };
  EXPECT_EQ(total(after) - total(before), 3);
  EXPECT_EQ(in_class(after, "2xx") - in_class(before, "2xx"), 2);
  EXPECT_EQ(in_class(after, "4xx") - in_class(before, "4xx"), 1);
  const auto& latency = after.at("http").at("latency").as_object();
  std::int64_t bucketed = 0;
  for (const auto& n : latency.at("buckets").as_array()) bucketed += n.to_number<std::int64_t>();
  EXPECT_EQ(bucketed, latency.at("count").to_number<std::int64_t>());
  EXPECT_EQ(latency.at("buckets").as_array().size(), latency.at("bounds_ms").as_array().size() + 1);
  EXPECT_LE(latency.at("p50_ms").to_number<double>(), latency.at("p99_ms").to_number<double>());
}

}  // namespace
}  // namespace fruitpak::testing
