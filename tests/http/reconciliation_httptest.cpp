// /api/reconciliation on both engines (contract 2.8, D8, D13, issue 8): run -> list ->
// acknowledge -> resolve, the dashboard, filters, validation, permissions, re-runs that do
// not duplicate, and another tenant's alerts staying invisible.

#include "support/batch_fixture.hpp"
#include "support/server_fixture.hpp"

#include <boost/json/serialize.hpp>

namespace fruitpak::testing {
namespace {

namespace json = boost::json;
using boost::beast::http::verb;

class ReconciliationHttpTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    admin_ = start_with_admin("recon@example.com", "Recon Packers", Onboarding::kDone);
    auto c = client();
    setup_ = create_intake_setup(c, admin_);
  }

  // A GRN of 1000 kg gross, 50 kg tare (950 kg net) packed into one 100 kg lot, and never
  // paid for: a lot-vs-batch and a GRN-vs-payment mismatch.
  json::object mismatched_batch(HttpClient& c) {
    auto grn = post_grn(c, admin_, setup_, 1000, 50);
    EXPECT_EQ(grn.result_int(), 201) << grn.body();
    json::object batch = json_object(grn).at("batch").as_object();
    auto lots = c.post("/api/lots/from-batch/" + std::string(batch.at("id").as_string()),
                       R"({"lots":[{"grade":"1","carton_count":10,"weight_kg":100}]})", admin_.auth());
    EXPECT_EQ(lots.result_int(), 201) << lots.body();
    return batch;
  }

  json::object run(HttpClient& c, const Account& who, const std::string& query = "") {
    auto res = c.post("/api/reconciliation/run" + query, "", who.auth());
    EXPECT_EQ(res.result_int(), 201) << res.body();
    return json_object(res);
  }

  json::object get(HttpClient& c, const std::string& path, const Account& who) {
    auto res = c.get(path, who.auth());
    EXPECT_EQ(res.result_int(), 200) << path << ": " << res.body();
    return json_object(res);
  }

  HttpResponse review(HttpClient& c, const std::string& id, const std::string& body) {
    return c.request(verb::patch, "/api/reconciliation/alerts/" + id, body, admin_.auth());
  }

  Account admin_;
  IntakeSetup setup_;
};

TEST_F(ReconciliationHttpTest, RunListAcknowledgeResolve) {
  auto c = client();
  const json::object batch = mismatched_batch(c);

  const json::object summary = run(c, admin_);
  EXPECT_EQ(summary.at("total_alerts").as_int64(), 2);
  EXPECT_EQ(json::serialize(summary.at("by_type")), R"({"grn_vs_payment":1,"lot_vs_batch":1})");
  EXPECT_EQ(json::serialize(summary.at("by_severity")), R"({"critical":2})");
  const std::string run_id(summary.at("run_id").as_string());

  // 950 kg expected, 100 kg packed: -850 kg, 850 / 950 = 89.47 %.
  json::object listed = get(c, "/api/reconciliation/alerts?alert_type=lot_vs_batch", admin_);
  EXPECT_EQ(listed.at("total").as_int64(), 1);
  const json::object alert = listed.at("items").as_array().at(0).as_object();
  EXPECT_EQ(alert.size(), 20u);  // every AlertOut key, always present
  EXPECT_EQ(alert.at("severity").as_string(), "critical");
  EXPECT_EQ(alert.at("unit").as_string(), "kg");
  EXPECT_DOUBLE_EQ(alert.at("expected_value").to_number<double>(), 950.0);
  EXPECT_DOUBLE_EQ(alert.at("actual_value").to_number<double>(), 100.0);
  EXPECT_DOUBLE_EQ(alert.at("variance").to_number<double>(), -850.0);
  EXPECT_DOUBLE_EQ(alert.at("variance_pct").to_number<double>(), 89.47);
  EXPECT_EQ(alert.at("entity_refs").at("batch_id"), batch.at("id"));
  EXPECT_EQ(alert.at("entity_refs").at("batch_code"), batch.at("batch_code"));
  EXPECT_EQ(alert.at("status").as_string(), "open");
  EXPECT_EQ(alert.at("run_id").as_string(), run_id);
  EXPECT_TRUE(alert.at("resolved_at").is_null());
  const std::string title(alert.at("title").as_string());
  EXPECT_NE(title.find(std::string(batch.at("batch_code").as_string())), std::string::npos) << title;
  const std::string id(alert.at("id").as_string());

  // Filters: by run, by grower (D8), by status.
  EXPECT_EQ(get(c, "/api/reconciliation/alerts?run_id=" + run_id, admin_).at("total").as_int64(), 2);
  EXPECT_EQ(get(c, "/api/reconciliation/alerts?grower_id=" + setup_.grower_id, admin_).at("total").as_int64(), 2);
  EXPECT_EQ(get(c, "/api/reconciliation/alerts?status=resolved", admin_).at("total").as_int64(), 0);

  auto acknowledged = review(c, id, R"({"status":"acknowledged","resolution_note":"checking the scale"})");
  ASSERT_EQ(acknowledged.result_int(), 200) << acknowledged.body();
  EXPECT_EQ(json_object(acknowledged).at("status").as_string(), "acknowledged");
  EXPECT_TRUE(json_object(acknowledged).at("resolved_at").is_null());
  // The cached list follows the review.
  EXPECT_EQ(get(c, "/api/reconciliation/alerts?status=acknowledged", admin_).at("total").as_int64(), 1);

  auto resolved = review(c, id, R"({"status":"resolved"})");
  ASSERT_EQ(resolved.result_int(), 200) << resolved.body();
  const json::object done = json_object(resolved);
  EXPECT_EQ(done.at("status").as_string(), "resolved");
  EXPECT_EQ(done.at("resolved_by").as_string(), admin_.user_id);
  EXPECT_FALSE(done.at("resolved_at").is_null());
  EXPECT_EQ(done.at("resolution_note").as_string(), "checking the scale");  // an empty note keeps the old one

  const json::object dashboard = get(c, "/api/reconciliation/", admin_);
  EXPECT_EQ(dashboard.at("total_open").as_int64(), 1);
  EXPECT_EQ(dashboard.at("total_acknowledged").as_int64(), 0);
  EXPECT_EQ(dashboard.at("total_resolved_30d").as_int64(), 1);
  EXPECT_EQ(json::serialize(dashboard.at("by_type")), R"({"grn_vs_payment":1})");
  EXPECT_EQ(dashboard.at("latest_run_id").as_string(), run_id);
  EXPECT_EQ(dashboard.at("alerts").as_array().size(), 1u);
}

TEST_F(ReconciliationHttpTest, ReRunsUpdateLiveAlertsAndReopenResolvedMismatches) {
  auto c = client();
  mismatched_batch(c);
  EXPECT_EQ(run(c, admin_).at("kind").as_string(), "full");  // the first run of the tenant
  const json::object again = run(c, admin_, "?full=true");
  EXPECT_EQ(again.at("kind").as_string(), "full");
  EXPECT_EQ(again.at("total_alerts").as_int64(), 0);
  EXPECT_EQ(again.at("alerts_unchanged").as_int64(), 2);
  EXPECT_EQ(get(c, "/api/reconciliation/alerts", admin_).at("total").as_int64(), 2);
  // Nothing changed since: an incremental run has nothing to look at.
  const json::object idle = run(c, admin_);
  EXPECT_EQ(idle.at("kind").as_string(), "incremental");
  EXPECT_EQ(idle.at("entities_checked").as_int64(), 0);
  EXPECT_EQ(idle.at("alerts_unchanged").as_int64(), 0);
  EXPECT_EQ(idle.at("alerts_resolved").as_int64(), 0);

  // A human resolves the lot alert while the mismatch is still there: the next run opens a
  // new one. Paying the grower for 950 kg resolves the payment alert by itself.
  const std::string lot_alert(
      get(c, "/api/reconciliation/alerts?alert_type=lot_vs_batch", admin_).at("items").at(0).at("id").as_string());
  ASSERT_EQ(review(c, lot_alert, R"({"status":"resolved"})").result_int(), 200);
  auto paid = c.post("/api/payments/grower",
                     R"({"grower_id":")" + setup_.grower_id + R"(","amount":1900,"payment_date":"2026-03-01"})",
                     admin_.auth());
  ASSERT_EQ(paid.result_int(), 201) << paid.body();
  const json::object third = run(c, admin_);
  EXPECT_EQ(third.at("kind").as_string(), "incremental");
  EXPECT_EQ(third.at("entities_checked").as_int64(), 2);  // the reviewed batch and the paid grower
  EXPECT_EQ(third.at("total_alerts").as_int64(), 1);
  EXPECT_EQ(third.at("alerts_resolved").as_int64(), 1);
  const json::object open = get(c, "/api/reconciliation/alerts?status=open", admin_);
  ASSERT_EQ(open.at("total").as_int64(), 1);
  EXPECT_EQ(open.at("items").at(0).at("alert_type").as_string(), "lot_vs_batch");
  EXPECT_NE(open.at("items").at(0).at("id").as_string(), lot_alert);
  const json::object auto_resolved = get(c, "/api/reconciliation/alerts?alert_type=grn_vs_payment", admin_);
  EXPECT_EQ(auto_resolved.at("items").at(0).at("status").as_string(), "resolved");
  EXPECT_EQ(auto_resolved.at("items").at(0).at("resolution_note").as_string(),
            "Auto-resolved: mismatch no longer detected");
}

TEST_F(ReconciliationHttpTest, BadInputIsRefusedAndChangesNothing) {
  auto c = client();
  mismatched_batch(c);
  run(c, admin_);
  const std::string id(get(c, "/api/reconciliation/alerts", admin_).at("items").at(0).at("id").as_string());

  // The status is checked before the alert is looked up (2.8).
  for (const std::string& target : {id, std::string("no-such-alert")}) {
    auto bad = review(c, target, R"({"status":"open"})");
    EXPECT_EQ(bad.result_int(), 400) << bad.body();
    EXPECT_EQ(json_object(bad).at("detail").as_string(), "Status must be one of: acknowledged, resolved, dismissed");
  }
  EXPECT_EQ(review(c, id, R"({"resolution_note":"x"})").result_int(), 422);
  EXPECT_EQ(review(c, id, R"({"status":5})").result_int(), 422);
  EXPECT_EQ(review(c, id, "not json").result_int(), 400);  // malformed JSON, as everywhere
  auto missing = review(c, "no-such-alert", R"({"status":"dismissed"})");
  EXPECT_EQ(missing.result_int(), 404);
  EXPECT_EQ(json_object(missing).at("detail").as_string(), "Alert not found");
  EXPECT_EQ(c.get("/api/reconciliation/alerts/no-such-alert", admin_.auth()).result_int(), 404);

  for (const std::string query : {"severity=urgent", "status=closed", "alert_type=weights", "date_from=yesterday",
                                  "limit=0", "limit=101", "offset=-1"}) {
    EXPECT_EQ(c.get("/api/reconciliation/alerts?" + query, admin_.auth()).result_int(), 422) << query;
  }
  EXPECT_EQ(c.post("/api/reconciliation/run?full=maybe", "", admin_.auth()).result_int(), 422);
  EXPECT_EQ(get(c, "/api/reconciliation/alerts?status=open", admin_).at("total").as_int64(), 2);
}

TEST_F(ReconciliationHttpTest, PermissionsAndTenantsAreEnforced) {
  auto c = client();
  mismatched_batch(c);
  run(c, admin_);
  const std::string id(get(c, "/api/reconciliation/alerts", admin_).at("items").at(0).at("id").as_string());

  const Account supervisor = add_member(c, admin_, "sup@recon.example", "supervisor");
  auto denied = c.post("/api/reconciliation/run", "", supervisor.auth());
  EXPECT_EQ(denied.result_int(), 403);
  EXPECT_EQ(json_object(denied).at("detail").as_string(), "Missing permissions: financials.write");
  const Account op = add_member(c, admin_, "op@recon.example", "operator");
  EXPECT_EQ(c.get("/api/reconciliation/alerts", op.auth()).result_int(), 403);

  // Another enterprise sees none of it, and its run finds nothing of ours.
  Account other = register_account(c, "other@recon.example");
  create_enterprise(c, other, "Other Packers");
  onboard(other.enterprise_id);
  EXPECT_EQ(run(c, other).at("total_alerts").as_int64(), 0);
  EXPECT_EQ(get(c, "/api/reconciliation/alerts", other).at("total").as_int64(), 0);
  EXPECT_EQ(c.get("/api/reconciliation/alerts/" + id, other.auth()).result_int(), 404);
  EXPECT_EQ(c.request(verb::patch, "/api/reconciliation/alerts/" + id, R"({"status":"dismissed"})", other.auth())
                .result_int(),
            404);
  EXPECT_EQ(get(c, "/api/reconciliation/", other).at("total_open").as_int64(), 0);
  EXPECT_EQ(get(c, "/api/reconciliation/alerts/" + id, admin_).at("status").as_string(), "open");
}

}  // namespace
}  // namespace fruitpak::testing
