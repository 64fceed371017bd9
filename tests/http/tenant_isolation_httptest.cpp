// Two enterprises side by side: no request authenticated for one ever reads, lists, changes
// or deletes the other's rows. Table-driven over every registered tenant route, so a new
// endpoint joins this test by being registered; a route whose path parameter has no
// fixture below fails the test until one is added.

#include "http/router.hpp"
#include "support/api_client.hpp"
#include "support/batch_fixture.hpp"
#include "support/pallet_fixture.hpp"
#include "support/export_fixture.hpp"
#include "support/server_fixture.hpp"

#include <boost/json/serialize.hpp>

#include <functional>
#include <set>

namespace fruitpak::testing {
namespace {

using Headers = std::map<std::string, std::string>;

// Creates a resource in the given enterprise through the API and returns its id, for the
// path parameter of the same name. Later issues add entries as they add resources.
using Fixture = std::function<std::string(HttpClient&, const Account&)>;
std::string created_id(const HttpResponse& res) {
  EXPECT_EQ(res.result_int(), 201) << res.body();
  return std::string(json_object(res).at("id").as_string());
}

const std::map<std::string, Fixture>& fixtures() {
  static const std::map<std::string, Fixture> table{
      {"batch_id",
       [](HttpClient& c, const Account& owner) {
         auto setup = create_intake_setup(c, owner);
         auto res = post_grn(c, owner, setup);
         EXPECT_EQ(res.result_int(), 201) << res.body();
         return std::string(json_object(res).at("batch").at("id").as_string());
       }},
      {"lot_id",
       [](HttpClient& c, const Account& owner) {
         auto setup = create_intake_setup(c, owner);
         auto grn = post_grn(c, owner, setup);
         EXPECT_EQ(grn.result_int(), 201) << grn.body();
         const std::string batch_id(json_object(grn).at("batch").at("id").as_string());
         auto res = c.post("/api/lots/from-batch/" + batch_id, R"({"lots":[{"grade":"Isolated"}]})", owner.auth());
         EXPECT_EQ(res.result_int(), 201) << res.body();
         return std::string(parse_json(res.body()).as_array().at(0).at("id").as_string());
       }},
      {"alert_id",
       [](HttpClient& c, const Account& owner) {
         // A batch packed far below its weight and never paid: the run raises alerts.
         auto setup = create_intake_setup(c, owner);
         auto grn = post_grn(c, owner, setup);
         EXPECT_EQ(grn.result_int(), 201) << grn.body();
         const std::string batch_id(json_object(grn).at("batch").at("id").as_string());
         EXPECT_EQ(c.post("/api/lots/from-batch/" + batch_id, R"({"lots":[{"grade":"1","weight_kg":1}]})", owner.auth())
                       .result_int(),
                   201);
         EXPECT_EQ(c.post("/api/reconciliation/run", "", owner.auth()).result_int(), 201);
         auto alerts = c.get("/api/reconciliation/alerts?alert_type=lot_vs_batch&limit=1", owner.auth());
         return std::string(json_object(alerts).at("items").as_array().at(0).at("id").as_string());
       }},
      {"export_id",
       [](HttpClient& c, const Account& owner) {
         static int exports = 0;
         return create_export(c, owner, "ISO-BOOKING-" + std::to_string(++exports));
       }},
      {"container_id",
       [](HttpClient& c, const Account& owner) {
         return created_id(c.post("/api/containers/", R"({"container_type":"reefer_40ft"})", owner.auth()));
       }},
      {"pallet_id",
       [](HttpClient& c, const Account& owner) {
         auto pallet = create_loaded_pallet(c, owner);
         return pallet.empty() ? std::string() : std::string(pallet.at("id").as_string());
       }},
      {"pallet_lot_id",
       [](HttpClient& c, const Account& owner) {
         auto pallet = create_loaded_pallet(c, owner);
         return pallet.empty() ? std::string() : std::string(pallet.at("pallet_lots").at(0).at("id").as_string());
       }},
      {"invoice_id",
       [](HttpClient& c, const Account& owner) {
         return created_id(c.post(
             "/api/client-invoices/",
             R"({"client_name":"Isolated client","line_items":[{"description":"Oranges","quantity":1,"unit_price":10}]})",
             owner.auth()));
       }},
      {"credit_id",
       [](HttpClient& c, const Account& owner) {
         return created_id(c.post("/api/credits/",
                                  R"({"credit_type":"adjustment","reason":"other","currency":"USD","total_amount":5})",
                                  owner.auth()));
       }},
      {"grower_id",
       [](HttpClient& c, const Account& owner) {
         return created_id(c.post("/api/growers/", R"({"name":"Isolated grower"})", owner.auth()));
       }},
      {"labour_cost_id",
       [](HttpClient& c, const Account& owner) {
         return created_id(c.post("/api/labour-costs/",
                                  R"({"category":"packing","total_amount":120,"work_date":"2026-02-10"})",
                                  owner.auth()));
       }},
      {"user_id",
       [](HttpClient& c, const Account& owner) {
         static int members = 0;
         return add_member(c, owner, "isolated-" + std::to_string(++members) + "@example.com", "operator").user_id;
       }},
      {"packhouse_id",
       [](HttpClient& c, const Account& owner) {
         return created_id(c.post("/api/packhouses/", R"({"name":"Isolated packhouse"})", owner.auth()));
       }},
  };
  return table;
}

class TenantIsolationHttpTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    config_.rate_limit_user_per_minute = 100000;
    config_.rate_limit_anonymous_per_minute = 100000;
    start();
    auto c = client();
    a_ = register_account(c, "a@tenant-a.example");
    create_enterprise(c, a_, "Tenant A");
    b_ = register_account(c, "b@tenant-b.example");
    create_enterprise(c, b_, "Tenant B");
    onboard(a_.enterprise_id);
    onboard(b_.enterprise_id);
    loner_ = register_account(c, "loner@nowhere.example");
  }

  std::vector<const http::Route*> tenant_routes() {
    std::vector<const http::Route*> out;
    for (const auto* r : app().router().routes()) {
      if (r->info.access == "tenant") out.push_back(r);
    }
    return out;
  }

  Account a_, b_, loner_;
};

// Fills {param} segments with the ids of B's resources; fails if a fixture is missing.
std::string path_for(const http::Route& route, HttpClient& c, const Account& owner, std::set<std::string>& ids) {
  std::string path;
  std::size_t pos = 0;
  const auto& t = route.path_template;
  while (pos < t.size()) {
    auto open = t.find('{', pos);
    if (open == std::string::npos) {
      path += t.substr(pos);
      break;
    }
    auto close = t.find('}', open);
    path += t.substr(pos, open - pos);
    const std::string name = t.substr(open + 1, close - open - 1);
    auto fixture = fixtures().find(name);
    if (fixture == fixtures().end()) {
      ADD_FAILURE() << "no isolation fixture for {" << name << "} of " << route.path_template
                    << ": add one to tenant_isolation_httptest.cpp";
      return {};
    }
    auto id = fixture->second(c, owner);
    ids.insert(id);
    path += id;
    pos = close + 1;
  }
  return path;
}

TEST_F(TenantIsolationHttpTest, EveryTenantRouteRefusesCallersWithoutThatTenant) {
  auto c = client();
  for (const auto* route : tenant_routes()) {
    SCOPED_TRACE(route->path_template);
    std::set<std::string> ids;
    const auto path = path_for(*route, c, b_, ids);
    if (path.empty()) continue;
    auto anonymous = c.request(route->method, path, "{}");
    EXPECT_EQ(anonymous.result_int(), 401);
    auto no_tenant = c.request(route->method, path, "{}", loner_.auth());
    EXPECT_EQ(no_tenant.result_int(), 400);
  }
}

TEST_F(TenantIsolationHttpTest, NoTenantRouteReachesTheOtherTenantsRows) {
  auto c = client();
  for (const auto* route : tenant_routes()) {
    SCOPED_TRACE(route->path_template);
    std::set<std::string> b_ids;
    const auto path = path_for(*route, c, b_, b_ids);
    if (path.empty()) continue;
    auto res = c.request(route->method, path, "{}", a_.auth());
    if (b_ids.empty()) {
      // A collection: whatever A sees, none of it is B's.
      std::set<std::string> listed;
      for (const auto& [name, fixture] : fixtures()) listed.insert(fixture(c, b_));
      auto body = c.request(route->method, path, "{}", a_.auth()).body();
      for (const auto& id : listed) EXPECT_EQ(body.find(id), std::string::npos) << "B's " << id << " leaked";
    } else {
      // An item of B's addressed by A: not found (or refused), never served or changed.
      EXPECT_TRUE(res.result_int() == 404 || res.result_int() == 403 || res.result_int() == 422)
          << res.result_int() << " " << res.body();
    }
  }
}

TEST_F(TenantIsolationHttpTest, TokensCarryTheirOwnTenantOnly) {
  auto c = client();
  auto me_a = json_object(c.get("/api/auth/me", a_.auth()));
  auto me_b = json_object(c.get("/api/auth/me", b_.auth()));
  EXPECT_EQ(me_a.at("enterprise_id").as_string(), a_.enterprise_id);
  EXPECT_EQ(me_b.at("enterprise_id").as_string(), b_.enterprise_id);
  EXPECT_NE(a_.enterprise_id, b_.enterprise_id);
  // A tenant in a body or query is never taken: signup ignores an enterprise_id field.
  auto created = c.post("/api/auth/signup",
                        boost::json::serialize(boost::json::object{{"email", "x@tenant-a.example"},
                                                                   {"full_name", "X"},
                                                                   {"enterprise_id", b_.enterprise_id}}),
                        a_.auth());
  ASSERT_EQ(created.result_int(), 201);
  EXPECT_EQ(json_object(created).at("enterprise_id").as_string(), a_.enterprise_id);
}

}  // namespace
}  // namespace fruitpak::testing
