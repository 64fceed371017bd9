// /api/packhouses on both engines: shapes, validation, 404s, permissions, onboarding,
// pagination and constant query counts.

#include "support/api_client.hpp"
#include "support/server_fixture.hpp"

#include <boost/json/serialize.hpp>

namespace fruitpak::testing {
namespace {

namespace json = boost::json;
using Headers = std::map<std::string, std::string>;

class PackhousesHttpTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    admin_ = start_with_admin("ph-admin@example.com", "Packhouse Co", Onboarding::kPending);
  }
  HttpResponse create(HttpClient& c, const json::object& body) {
    return c.post("/api/packhouses/", json::serialize(body), admin_.auth());
  }
  Account admin_;
};

TEST_F(PackhousesHttpTest, NotOnboardedTenantIsRefused) {
  auto c = client();
  auto res = c.get("/api/packhouses/", admin_.auth());
  EXPECT_EQ(res.result_int(), 403);
  EXPECT_EQ(json_object(res).at("detail").as_string(), "Complete onboarding wizard first");
}

TEST_F(PackhousesHttpTest, CreateThenGetAndListWithExactShape) {
  onboard(admin_.enterprise_id);
  auto c = client();
  auto created = create(c, {{"name", "Main"}, {"location", "Citrusdal"}, {"capacity_tons_per_day", 120}, {"cold_rooms", 4}});
  ASSERT_EQ(created.result_int(), 201) << created.body();
  auto p = json_object(created);
  EXPECT_EQ(p.size(), 5u);
  EXPECT_EQ(p.at("id").as_string().size(), 36u);
  EXPECT_EQ(p.at("name").as_string(), "Main");
  EXPECT_EQ(p.at("location").as_string(), "Citrusdal");
  EXPECT_EQ(p.at("capacity_tons_per_day").as_int64(), 120);
  EXPECT_EQ(p.at("cold_rooms").as_int64(), 4);

  auto minimal = create(c, {{"name", "Annex"}});
  ASSERT_EQ(minimal.result_int(), 201);
  EXPECT_TRUE(json_object(minimal).at("location").is_null());
  EXPECT_TRUE(json_object(minimal).at("cold_rooms").is_null());

  const std::string id(p.at("id").as_string());
  auto got = c.get("/api/packhouses/" + id, admin_.auth());
  ASSERT_EQ(got.result_int(), 200);
  EXPECT_EQ(json_object(got), p);

  auto page = json_object(c.get("/api/packhouses", admin_.auth()));
  EXPECT_EQ(page.at("total").as_int64(), 2);
  EXPECT_EQ(page.at("limit").as_int64(), 50);
  EXPECT_EQ(page.at("offset").as_int64(), 0);
  ASSERT_EQ(page.at("items").as_array().size(), 2u);
  EXPECT_EQ(page.at("items").as_array()[0].at("name").as_string(), "Annex");  // by name
}

TEST_F(PackhousesHttpTest, ValidationRejectsAndWritesNothing) {
  onboard(admin_.enterprise_id);
  auto c = client();
  auto missing = create(c, {{"location", "x"}});
  EXPECT_EQ(missing.result_int(), 422);
  auto negative = create(c, {{"name", "x"}, {"cold_rooms", -1}});
  EXPECT_EQ(negative.result_int(), 422);
  auto too_long = create(c, {{"name", std::string(256, 'x')}});
  EXPECT_EQ(too_long.result_int(), 422);
  auto wrong_type = create(c, {{"name", "x"}, {"capacity_tons_per_day", "lots"}});
  EXPECT_EQ(wrong_type.result_int(), 422);
  EXPECT_EQ(json_object(c.get("/api/packhouses/", admin_.auth())).at("total").as_int64(), 0);
  auto bad_page = c.get("/api/packhouses/?limit=101", admin_.auth());
  EXPECT_EQ(bad_page.result_int(), 422);
  EXPECT_EQ(c.get("/api/packhouses/?offset=-1", admin_.auth()).result_int(), 422);
}

TEST_F(PackhousesHttpTest, UnknownIdIs404) {
  onboard(admin_.enterprise_id);
  auto c = client();
  auto res = c.get("/api/packhouses/00000000-0000-4000-8000-000000000000", admin_.auth());
  EXPECT_EQ(res.result_int(), 404);
  EXPECT_EQ(json_object(res).at("detail").as_string(), "Packhouse not found");
}

TEST_F(PackhousesHttpTest, OperatorsMayReadButNotCreate) {
  onboard(admin_.enterprise_id);
  auto c = client();
  const auto op = add_member(c, admin_, "ph-op@example.com", "operator").auth();
  EXPECT_EQ(c.get("/api/packhouses/", op).result_int(), 200);
  auto refused = c.post("/api/packhouses/", R"({"name":"Nope"})", op);
  EXPECT_EQ(refused.result_int(), 403);
  EXPECT_EQ(json_object(refused).at("detail").as_string(), "Missing permissions: packhouse.write");
}

TEST_F(PackhousesHttpTest, ListIssuesTheSameNumberOfQueriesAtAnyPageSize) {
  onboard(admin_.enterprise_id);
  auto c = client();
  for (int i = 0; i < 120; ++i) ASSERT_EQ(create(c, {{"name", "P" + std::to_string(i)}}).result_int(), 201);
  std::set<std::string> counts;
  for (int limit : {1, 50, 100}) {
    auto res = c.get("/api/packhouses/?limit=" + std::to_string(limit), admin_.auth());
    ASSERT_EQ(res.result_int(), 200);
    EXPECT_EQ(json_object(res).at("items").as_array().size(), static_cast<std::size_t>(limit));
    EXPECT_EQ(json_object(res).at("total").as_int64(), 120);
    counts.insert(std::string(res["X-Query-Count"]));
  }
  EXPECT_EQ(counts.size(), 1u) << "query count depends on the page size";
  EXPECT_EQ(*counts.begin(), "1");
}

}  // namespace
}  // namespace fruitpak::testing
