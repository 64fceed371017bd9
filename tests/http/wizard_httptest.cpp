// /api/wizard on both engines: the full walk that onboards a tenant, prerequisites, drafts,
// the complete=true rules, each step's table effects, permissions, validation that writes
// nothing, and tenant isolation.

#include "db/database.hpp"
#include "support/api_client.hpp"
#include "support/server_fixture.hpp"
#include "util/run_sync.hpp"

#include <boost/json/serialize.hpp>

namespace fruitpak::testing {
namespace {

namespace json = boost::json;
using Headers = std::map<std::string, std::string>;
using boost::beast::http::verb;

json::object company() {
  return {{"trading_name", "Cape Citrus"}, {"legal_name", "Cape Citrus (Pty) Ltd"}, {"city", "Paarl"}};
}

json::object packhouses(const json::array& items) { return {{"packhouses", items}}; }

json::object main_packhouse() {
  return {{"name", "Main"},
          {"location", "Paarl"},
          {"capacity_tons_per_day", 120},
          {"cold_rooms", 4},
          {"pack_lines",
           json::array{json::object{{"name", "Line 1"},
                                    {"line_number", 1},
                                    {"stations", json::array{json::object{{"name", "Sort"}, {"position", 1}}}},
                                    {"custom_units", json::array{"bins"}}}}}};
}

json::object suppliers() {
  return {{"suppliers", json::array{json::object{{"name", "BoxCo"}, {"tags", json::array{"packaging"}}}}}};
}

json::object growers(const json::array& items) { return {{"growers", items}}; }

json::object two_growers() {
  return growers(
      json::array{json::object{{"name", "Van der Merwe Boerdery"},
                               {"grower_code", "VDM01"},
                               {"region", "Citrusdal"},
                               {"globalg_ap_certified", true},
                               {"fields", json::array{json::object{{"name", "Block A"}, {"hectares", 12.5}}}}},
                  json::object{{"name", "Abrahams Farms"}, {"grower_code", ""}, {"total_hectares", 40}}});
}

json::object harvest_teams() {
  return {{"harvest_teams", json::array{json::object{{"name", "Team A"}, {"team_size", 12}}}}};
}

json::object products() {
  return {{"products", json::array{json::object{{"fruit_type", "Citrus"},
                                                {"variety", "Navel"},
                                                {"grades", json::array{"1", "2"}},
                                                {"sizes", json::array{"64"}}}}},
          {"pack_specs", json::array{json::object{{"name", "15kg carton"}, {"weight_kg", 15}}}}};
}

json::object transport() {
  return {{"transport_configs", json::array{json::object{{"name", "Reefer 40"},
                                                         {"container_type", "reefer_40ft"},
                                                         {"temp_setpoint_c", -0.5},
                                                         {"pallet_capacity", 20}}}}};
}

std::string detail(const HttpResponse& res) { return std::string(json_object(res).at("detail").as_string()); }

class WizardHttpTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    admin_ = start_with_admin("wizard-admin@example.com", "Wizard Co", Onboarding::kPending);
  }

  HttpResponse save(HttpClient& c, int step, const json::object& body, bool complete, const Account& who) {
    return c.request(verb::patch,
                     "/api/wizard/step/" + std::to_string(step) + "?complete=" + (complete ? "true" : "false"),
                     json::serialize(body), who.auth());
  }
  HttpResponse save(HttpClient& c, int step, const json::object& body, bool complete = true) {
    return save(c, step, body, complete, admin_);
  }
  // Saves with complete=true and requires 200.
  json::object done(HttpClient& c, int step, const json::object& body) {
    auto res = save(c, step, body);
    EXPECT_EQ(res.result_int(), 200) << "step " << step << ": " << res.body();
    return json_object(res);
  }
  json::object progress(HttpClient& c, const Account& who) {
    auto res = c.get("/api/wizard/", who.auth());
    EXPECT_EQ(res.result_int(), 200) << res.body();
    return json_object(res);
  }
  std::int64_t count(const std::string& table, const std::string& enterprise_id, const std::string& where = "") {
    db::Params params{enterprise_id};
    auto rows = util::run_sync(
        app().database().execute("SELECT COUNT(*) FROM " + table + " WHERE enterprise_id = $1" + where, params));
    EXPECT_TRUE(rows) << rows.error().detail;
    return rows ? rows->front().int64(0) : -1;
  }
  std::string sql_text(const std::string& sql, const std::string& enterprise_id) {
    db::Params params{enterprise_id};
    auto rows = util::run_sync(app().database().execute(sql, params));
    EXPECT_TRUE(rows && !rows->empty());
    return rows && !rows->empty() ? rows->front().string(0) : "";
  }
  // A batch of the tenant that refers to the packhouse and grower (its only required links).
  void add_batch(const std::string& enterprise_id, const std::string& packhouse_id, const std::string& grower_id) {
    db::Params params{"b-" + packhouse_id.substr(0, 20), enterprise_id, packhouse_id, grower_id};
    auto rows = util::run_sync(app().database().execute(
        "INSERT INTO batches (id, enterprise_id, batch_code, grower_id, packhouse_id, fruit_type, intake_date,"
        " created_at, updated_at) VALUES ($1, $2, $1, $4, $3, 'Citrus', '2026-01-05', '2026-01-05T08:00:00',"
        " '2026-01-05T08:00:00')",
        params));
    ASSERT_TRUE(rows) << rows.error().detail;
  }
  // Step 1 and step 2 completed (most steps need them).
  void basics(HttpClient& c) {
    done(c, 1, company());
    done(c, 2, packhouses(json::array{main_packhouse()}));
  }

  Account admin_;
};

TEST_F(WizardHttpTest, FullWalkOnboardsTheTenant) {
  auto c = client();
  auto gated = c.get("/api/packhouses/", admin_.auth());
  EXPECT_EQ(gated.result_int(), 403);
  EXPECT_EQ(detail(gated), "Complete onboarding wizard first");

  auto start = progress(c, admin_);
  EXPECT_EQ(json::serialize(start),
            R"({"current_step":1,"completed_steps":[],"is_complete":false,"draft_data":null,"completed_data":{}})");

  const std::vector<json::object> bodies{
      company(),  packhouses(json::array{main_packhouse()}), suppliers(), two_growers(), harvest_teams(), products(),
      transport()};
  for (int step = 1; step <= 7; ++step) {
    auto p = done(c, step, bodies[step - 1]);
    EXPECT_EQ(p.at("current_step").as_int64(), step + 1);
    EXPECT_EQ(p.at("completed_steps").as_array().size(), static_cast<std::size_t>(step));
    EXPECT_FALSE(p.at("is_complete").as_bool());
  }
  auto finished = c.post("/api/wizard/complete", "", admin_.auth());
  ASSERT_EQ(finished.result_int(), 200) << finished.body();
  auto p = json_object(finished);
  EXPECT_TRUE(p.at("is_complete").as_bool());
  EXPECT_TRUE(p.at("draft_data").is_null());
  EXPECT_EQ(json::serialize(p.at("completed_steps")), "[1,2,3,4,5,6,7]");
  EXPECT_EQ(p.at("completed_data").at("2"), bodies[1]);  // the body as sent
  EXPECT_EQ(p.at("completed_data").at("4"), bodies[3]);

  // Onboarded at once, with the same token.
  auto listed = c.get("/api/packhouses/", admin_.auth());
  ASSERT_EQ(listed.result_int(), 200) << listed.body();
  auto items = json_object(listed).at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].at("name").as_string(), "Main");
  EXPECT_EQ(items[0].at("capacity_tons_per_day").as_int64(), 120);
  EXPECT_EQ(json_object(c.get("/api/growers/", admin_.auth())).at("total").as_int64(), 2);
  EXPECT_EQ(progress(c, admin_), p);
  EXPECT_EQ(sql_text("SELECT COUNT(*) FROM enterprises WHERE id = $1 AND is_onboarded = TRUE", admin_.enterprise_id),
            "1");

  // The tables each step wrote.
  const auto& e = admin_.enterprise_id;
  EXPECT_EQ(sql_text("SELECT trading_name FROM company_profile WHERE enterprise_id = $1", e), "Cape Citrus");
  EXPECT_EQ(count("pack_lines", e), 1);
  EXPECT_EQ(count("suppliers", e), 1);
  EXPECT_EQ(count("harvest_teams", e), 1);
  EXPECT_EQ(count("product_configs", e), 1);
  EXPECT_EQ(count("pack_specs", e), 1);
  EXPECT_EQ(count("transport_configs", e), 1);
  EXPECT_EQ(sql_text("SELECT container_type FROM transport_configs WHERE enterprise_id = $1", e), "reefer_40ft");
}

TEST_F(WizardHttpTest, PrerequisitesAreCheckedOnEverySave) {
  auto c = client();
  auto early = save(c, 6, products());
  ASSERT_EQ(early.result_int(), 422) << early.body();
  EXPECT_EQ(detail(early), "Complete these first: Step 2 (Packhouse setup), Step 4 (Growers)");
  EXPECT_EQ(json_object(early).at("error").at("code").as_string(), "HTTP_422");
  auto draft = save(c, 2, packhouses(json::array{main_packhouse()}), false);
  EXPECT_EQ(draft.result_int(), 422);
  EXPECT_EQ(detail(draft), "Complete these first: Step 1 (Company basics)");
  EXPECT_EQ(count("packhouses", admin_.enterprise_id), 0);  // a refused save writes nothing

  done(c, 1, company());
  auto teams = save(c, 5, harvest_teams());
  EXPECT_EQ(detail(teams), "Complete these first: Step 4 (Growers)");
  // Step 1 alone opens 2, 3 and 4; a draft does not satisfy a prerequisite.
  EXPECT_EQ(save(c, 2, packhouses(json::array{main_packhouse()}), false).result_int(), 200);
  EXPECT_EQ(detail(save(c, 7, transport())), "Complete these first: Step 2 (Packhouse setup)");
  EXPECT_EQ(save(c, 3, suppliers()).result_int(), 200);
}

TEST_F(WizardHttpTest, CompleteListsTheIncompleteStepsAndChangesNothing) {
  auto c = client();
  basics(c);
  done(c, 4, two_growers());
  auto refused = c.post("/api/wizard/complete", "", admin_.auth());
  ASSERT_EQ(refused.result_int(), 422);
  EXPECT_EQ(detail(refused),
            "Incomplete steps: Step 3: Suppliers, Step 5: Harvest teams, Step 6: Product config, Step 7: Transport");
  EXPECT_FALSE(progress(c, admin_).at("is_complete").as_bool());
  EXPECT_EQ(c.get("/api/packhouses/", admin_.auth()).result_int(), 403);
}

TEST_F(WizardHttpTest, DraftsAndCompletedSaves) {
  auto c = client();
  json::object draft{{"trading_name", "Draft Co"}, {"unknown_key", 1}};
  auto p = json_object(save(c, 1, draft, false));
  EXPECT_EQ(p.at("current_step").as_int64(), 1);
  EXPECT_EQ(p.at("draft_data"), draft);
  EXPECT_TRUE(p.at("completed_steps").as_array().empty());
  EXPECT_TRUE(p.at("completed_data").as_object().empty());
  EXPECT_EQ(sql_text("SELECT trading_name FROM company_profile WHERE enterprise_id = $1", admin_.enterprise_id),
            "Draft Co");  // a draft writes the tables too

  p = done(c, 1, company());
  EXPECT_EQ(p.at("current_step").as_int64(), 2);
  EXPECT_TRUE(p.at("draft_data").is_null());
  EXPECT_EQ(p.at("completed_data").at("1"), company());
  p = done(c, 1, json::object{{"trading_name", "Renamed"}});
  EXPECT_EQ(json::serialize(p.at("completed_steps")), "[1]");  // recorded once
  EXPECT_EQ(p.at("completed_data").at("1"), (json::object{{"trading_name", "Renamed"}}));
  // Only the sent keys change.
  EXPECT_EQ(sql_text("SELECT legal_name FROM company_profile WHERE enterprise_id = $1", admin_.enterprise_id),
            "Cape Citrus (Pty) Ltd");

  p = json_object(save(c, 2, packhouses(json::array{}), false));
  EXPECT_EQ(p.at("current_step").as_int64(), 2);
  EXPECT_EQ(json::serialize(p.at("completed_steps")), "[1]");
  EXPECT_EQ(p.at("draft_data"), packhouses(json::array{}));

  // Step 8 stays on 8 when completed.
  done(c, 2, packhouses(json::array{main_packhouse()}));
  EXPECT_EQ(done(c, 8, json::object{{"currency", "USD"}}).at("current_step").as_int64(), 8);
}

TEST_F(WizardHttpTest, CompleteTrueRulesAreValidationErrors) {
  auto c = client();
  auto no_name = save(c, 1, json::object{{"city", "Paarl"}});
  ASSERT_EQ(no_name.result_int(), 422);
  auto body = json_object(no_name);
  EXPECT_EQ(body.at("error").at("code").as_string(), "VALIDATION_ERROR");
  EXPECT_EQ(json::serialize(body.at("detail").as_array()[0].at("loc")), R"(["body","trading_name"])");
  // The same body as a draft is saved, but the first profile needs a trading name.
  auto draft = save(c, 1, json::object{{"city", "Paarl"}}, false);
  EXPECT_EQ(draft.result_int(), 422);
  EXPECT_EQ(json_object(draft).at("error").at("code").as_string(), "INTEGRITY_ERROR");
  done(c, 1, company());

  auto empty = save(c, 2, packhouses(json::array{}));
  ASSERT_EQ(empty.result_int(), 422);
  auto d = json_object(empty).at("detail").as_array()[0];
  EXPECT_EQ(d.at("msg").as_string(), "Value error, At least one packhouse is required");
  EXPECT_EQ(json::serialize(d.at("loc")), R"(["body"])");
  auto missing = save(c, 2, json::object{});
  EXPECT_EQ(json_object(missing).at("detail").as_array()[0].at("type").as_string(), "list_type");
  EXPECT_EQ(json::serialize(progress(c, admin_).at("completed_steps")), "[1]");
  done(c, 2, packhouses(json::array{main_packhouse()}));

  auto no_growers = save(c, 4, growers(json::array{}));
  EXPECT_EQ(json_object(no_growers).at("detail").as_array()[0].at("msg").as_string(),
            "Value error, At least one grower is required");
  auto no_products = save(c, 6, json::object{{"products", json::array{}}});
  EXPECT_EQ(detail(no_products), "Complete these first: Step 4 (Growers)");  // prerequisites come first
  done(c, 4, two_growers());
  no_products = save(c, 6, json::object{{"products", json::array{}}});
  EXPECT_EQ(json_object(no_products).at("detail").as_array()[0].at("msg").as_string(),
            "Value error, At least one product configuration is required");
  // Steps 3, 5, 7 and 8 have no completion rule.
  EXPECT_EQ(save(c, 3, json::object{}).result_int(), 200);
}

TEST_F(WizardHttpTest, Step2UpsertsByNameAndDeletesUnlistedPackhouses) {
  onboard(admin_.enterprise_id);
  auto c = client();
  done(c, 1, company());
  done(c, 2,
       packhouses(json::array{json::object{{"name", "A"}, {"location", "Paarl"}}, json::object{{"name", "B"}},
                              json::object{{"name", "Kept"}}}));
  auto first = json_object(c.get("/api/packhouses/", admin_.auth())).at("items").as_array();
  ASSERT_EQ(first.size(), 3u);
  const std::string a_id(first[0].at("id").as_string());
  const std::string kept_id(first[2].at("id").as_string());
  done(c, 4, growers(json::array{json::object{{"name", "G"}}}));
  const std::string grower_id(
      json_object(c.get("/api/growers/", admin_.auth())).at("items").at(0).at("id").as_string());
  add_batch(admin_.enterprise_id, kept_id, grower_id);

  done(c, 2,
       packhouses(json::array{json::object{{"name", "A"}, {"location", "Ceres"}, {"cold_rooms", 2}},
                              json::object{{"name", "C"}}}));
  auto second = json_object(c.get("/api/packhouses/", admin_.auth())).at("items").as_array();
  ASSERT_EQ(second.size(), 3u) << json::serialize(second);
  EXPECT_EQ(second[0].at("id").as_string(), a_id);  // updated in place
  EXPECT_EQ(second[0].at("location").as_string(), "Ceres");
  EXPECT_EQ(second[0].at("cold_rooms").as_int64(), 2);
  EXPECT_EQ(second[1].at("name").as_string(), "C");
  EXPECT_EQ(second[2].at("id").as_string(), kept_id);       // a batch refers to it: not deleted
  EXPECT_EQ(count("pack_lines", admin_.enterprise_id), 0);  // the lines are replaced wholesale

  // An empty list leaves the tables alone.
  done(c, 2, packhouses(json::array{main_packhouse()}));
  EXPECT_EQ(save(c, 2, packhouses(json::array{}), false).result_int(), 200);
  EXPECT_EQ(count("pack_lines", admin_.enterprise_id), 1);
}

TEST_F(WizardHttpTest, Step4GrowersShowInTheGrowersApi) {
  onboard(admin_.enterprise_id);
  auto c = client();
  done(c, 1, company());
  done(c, 4, two_growers());  // two codes: "VDM01" and "" (null, D10)
  auto page = json_object(c.get("/api/growers/", admin_.auth()));
  ASSERT_EQ(page.at("total").as_int64(), 2);
  auto abrahams = page.at("items").at(0).as_object();
  auto vdm = page.at("items").at(1).as_object();
  EXPECT_EQ(abrahams.at("name").as_string(), "Abrahams Farms");
  EXPECT_TRUE(abrahams.at("grower_code").is_null());
  EXPECT_DOUBLE_EQ(abrahams.at("total_hectares").as_double(), 40);
  EXPECT_EQ(vdm.at("grower_code").as_string(), "VDM01");
  EXPECT_TRUE(vdm.at("globalg_ap_certified").as_bool());
  EXPECT_EQ(vdm.at("fields").at(0).at("name").as_string(), "Block A");

  // Upsert by name: every column but the name is overwritten; the unlisted grower goes.
  done(c, 4,
       growers(json::array{json::object{{"name", "Van der Merwe Boerdery"}, {"region", "Ceres"}},
                           json::object{{"name", "New"}, {"grower_code", ""}}}));
  page = json_object(c.get("/api/growers/", admin_.auth()));
  ASSERT_EQ(page.at("total").as_int64(), 2) << json::serialize(page);
  auto updated = page.at("items").at(1).as_object();
  EXPECT_EQ(updated.at("id"), vdm.at("id"));
  EXPECT_EQ(updated.at("region").as_string(), "Ceres");
  EXPECT_TRUE(updated.at("grower_code").is_null());
  EXPECT_FALSE(updated.at("globalg_ap_certified").as_bool());
  EXPECT_EQ(c.get("/api/growers/" + std::string(abrahams.at("id").as_string()), admin_.auth()).result_int(), 404);
}

TEST_F(WizardHttpTest, Step8NeedsFinancialsWrite) {
  auto c = client();
  const auto supervisor = add_member(c, admin_, "sup@wizard.example", "supervisor");
  auto refused = save(c, 8, json::object{{"currency", "USD"}}, true, supervisor);
  EXPECT_EQ(refused.result_int(), 403);
  EXPECT_EQ(detail(refused), "Missing permissions: financials.write");
  EXPECT_EQ(detail(c.get("/api/wizard/", supervisor.auth())), "Missing permissions: enterprise.manage");
  EXPECT_EQ(detail(save(c, 1, company(), true, supervisor)), "Missing permissions: enterprise.manage");

  EXPECT_EQ(detail(save(c, 8, json::object{{"currency", "USD"}})), "Complete these first: Step 2 (Packhouse setup)");
  basics(c);
  auto saved = save(
      c, 8,
      json::object{{"currency", "USD"}, {"packing_rate_per_kg", 1.25}, {"additional_rates", json::object{{"x", 1}}}});
  ASSERT_EQ(saved.result_int(), 200) << saved.body();
  EXPECT_EQ(json::serialize(json_object(saved).at("completed_steps")), "[1,2,8]");
  // Only the sent keys change; a null currency is refused (the column is NOT NULL).
  EXPECT_EQ(save(c, 8, json::object{{"labour_rate_per_hour", 30}}).result_int(), 200);
  EXPECT_EQ(sql_text("SELECT currency FROM financial_config WHERE enterprise_id = $1", admin_.enterprise_id), "USD");
  auto null_currency = save(c, 8, json::object{{"currency", nullptr}});
  EXPECT_EQ(null_currency.result_int(), 422);
  EXPECT_EQ(json_object(null_currency).at("error").at("code").as_string(), "INTEGRITY_ERROR");
  EXPECT_EQ(sql_text("SELECT currency FROM financial_config WHERE enterprise_id = $1", admin_.enterprise_id), "USD");
}

TEST_F(WizardHttpTest, BadInputNamesTheFieldAndWritesNothing) {
  auto c = client();
  done(c, 1, company());
  const auto before = progress(c, admin_);

  auto bad =
      save(c, 2,
           packhouses(json::array{json::object{{"name", "ok"}}, json::object{{"location", "x"}},
                                  json::object{{"name", "L"}, {"pack_lines", json::array{json::object{{"name", "1"}}}}},
                                  json::object{{"name", std::string(256, 'n')}, {"cold_rooms", -1}}, "not an object"}));
  ASSERT_EQ(bad.result_int(), 422) << bad.body();
  std::vector<std::string> locs;
  const auto refused = json_object(bad);
  for (const auto& e : refused.at("detail").as_array()) locs.push_back(json::serialize(e.at("loc")));
  EXPECT_EQ(locs,
            (std::vector<std::string>{R"(["body","packhouses","1","name"])",
                                      R"(["body","packhouses","2","pack_lines","0","line_number"])",
                                      R"(["body","packhouses","3","name"])",
                                      R"(["body","packhouses","3","cold_rooms"])", R"(["body","packhouses","4"])"}));

  auto fields = save(
      c, 4, growers(json::array{json::object{{"name", "G"}, {"fields", json::array{json::object{{"hectares", 1}}}}}}));
  ASSERT_EQ(fields.result_int(), 422);
  EXPECT_EQ(json::serialize(json_object(fields).at("detail").at(0).at("loc")),
            R"(["body","growers","0","fields","0","name"])");
  auto query = c.request(verb::patch, "/api/wizard/step/3?complete=maybe", json::serialize(suppliers()), admin_.auth());
  ASSERT_EQ(query.result_int(), 422);
  EXPECT_EQ(json::serialize(json_object(query).at("detail").at(0).at("loc")), R"(["query","complete"])");
  EXPECT_EQ(c.request(verb::patch, "/api/wizard/step/3", "{not json", admin_.auth()).result_int(), 400);

  // Refused part-way through: the first grower was written, then the code collides.
  auto duplicate = save(c, 4,
                        growers(json::array{json::object{{"name", "G1"}, {"grower_code", "X"}},
                                            json::object{{"name", "G2"}, {"grower_code", "X"}}}));
  ASSERT_EQ(duplicate.result_int(), 422);
  EXPECT_EQ(json_object(duplicate).at("error").at("code").as_string(), "DUPLICATE_RECORD");
  // A harvest team naming a grower that does not exist.
  done(c, 4, growers(json::array{json::object{{"name", "G1"}}}));
  auto unknown = save(
      c, 5, json::object{{"harvest_teams", json::array{json::object{{"name", "T"}, {"grower_id", "no-such-id"}}}}});
  ASSERT_EQ(unknown.result_int(), 422);
  EXPECT_EQ(json_object(unknown).at("error").at("code").as_string(), "FOREIGN_KEY_VIOLATION");

  const auto& e = admin_.enterprise_id;
  EXPECT_EQ(count("packhouses", e), 0);
  EXPECT_EQ(count("suppliers", e), 0);
  EXPECT_EQ(count("growers", e), 1);
  EXPECT_EQ(count("harvest_teams", e), 0);
  auto after = progress(c, admin_);
  EXPECT_EQ(json::serialize(after.at("completed_steps")), "[1,4]");
  EXPECT_EQ(after.at("completed_data").at("1"), before.at("completed_data").at("1"));
}

TEST_F(WizardHttpTest, TenantsDoNotTouchEachOthersWizard) {
  auto c = client();
  Account other = register_account(c, "other-wizard@example.com");
  create_enterprise(c, other, "Other Co");
  done(c, 1, company());
  auto b1 = save(c, 1, json::object{{"trading_name", "B Farms"}}, true, other);
  ASSERT_EQ(b1.result_int(), 200);
  ASSERT_EQ(save(c, 2, packhouses(json::array{json::object{{"name", "Main"}}}), true, other).result_int(), 200);
  ASSERT_EQ(save(c, 4, growers(json::array{json::object{{"name", "B grower"}, {"grower_code", "VDM01"}}}), true, other)
                .result_int(),
            200);
  const auto b_before = progress(c, other);
  const auto b_growers = count("growers", other.enterprise_id);

  // A replaces its own packhouses and growers (same names and codes as B's) and completes.
  done(c, 2, packhouses(json::array{main_packhouse()}));
  done(c, 2, packhouses(json::array{json::object{{"name", "Only A"}}}));
  done(c, 4, two_growers());
  done(c, 4, growers(json::array{json::object{{"name", "A grower"}}}));
  auto b_grower_id = sql_text("SELECT id FROM growers WHERE enterprise_id = $1", other.enterprise_id);
  auto stolen =
      save(c, 5, json::object{{"harvest_teams", json::array{json::object{{"name", "T"}, {"grower_id", b_grower_id}}}}});
  EXPECT_EQ(stolen.result_int(), 422);  // another tenant's grower is unknown here

  EXPECT_EQ(progress(c, other), b_before);
  EXPECT_EQ(count("packhouses", other.enterprise_id), 1);
  EXPECT_EQ(sql_text("SELECT name FROM packhouses WHERE enterprise_id = $1", other.enterprise_id), "Main");
  EXPECT_EQ(count("growers", other.enterprise_id, " AND is_deleted = FALSE"), b_growers);
  EXPECT_EQ(sql_text("SELECT trading_name FROM company_profile WHERE enterprise_id = $1", other.enterprise_id),
            "B Farms");
  EXPECT_EQ(count("harvest_teams", other.enterprise_id), 0);
  EXPECT_NE(progress(c, admin_), b_before);
}

}  // namespace
}  // namespace fruitpak::testing
