#pragma once
// Reconciliation on a real engine (issue 8): a hand-built tenant with one case on each side
// of every tolerance, whose expected alerts are worked out below by hand; re-runs that do
// not duplicate (D13), auto-resolution, acknowledged alerts kept, and another tenant's rows
// never looked at. Run by reconciliation_sqlitetest.cpp and reconciliation_pgtest.cpp,
// which also compares the two engines' alerts.

#include "db/database.hpp"
#include "db/migrations.hpp"
#include "services/reconciliation_service.hpp"
#include "util/crypto.hpp"
#include "util/run_sync.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <cmath>
#include <random>
#include <thread>
#include <tuple>
#include <vector>

namespace fruitpak::testing {

// Inserts the rows of one tenant straight into the tables the checks read.
class ReconciliationFixture {
 public:
  ReconciliationFixture(db::Database& db, std::string tenant)
      : db_(db), tenant_(std::move(tenant)), packhouse_(id("packhouse")) {}

  void exec(const std::string& sql, db::Params params) {
    auto done = util::run_sync(db_.execute(sql, std::move(params)));
    ASSERT_TRUE(done) << sql << ": " << done.error().detail;
  }

  void enterprise() {
    exec("INSERT INTO enterprises (id, name, country, tenant_schema, is_active, is_onboarded, created_at, updated_at)"
         " VALUES ($1, $2, 'ZA', $3, TRUE, TRUE, $4, $4)",
         {tenant_, "Recon " + tenant_, "tenant_" + tenant_, kNow});
    exec("INSERT INTO packhouses (id, enterprise_id, name, created_at, updated_at) VALUES ($1, $2, 'Ceres', $3, $3)",
         {packhouse_, tenant_, kNow});
  }

  std::string grower(const std::string& name) {
    const std::string g = id("grower-" + name);
    exec("INSERT INTO growers (id, enterprise_id, name, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)",
         {g, tenant_, name, kNow});
    return g;
  }

  // A batch with the given weights (a negative value stores NULL).
  std::string batch(const std::string& code, const std::string& grower, const std::string& status, double gross,
                    double net, bool deleted = false) {
    const std::string b = id("batch-" + code);
    exec("INSERT INTO batches (id, enterprise_id, batch_code, grower_id, packhouse_id, fruit_type, intake_date,"
         " gross_weight_kg, tare_weight_kg, net_weight_kg, status, is_deleted, created_at, updated_at)"
         " VALUES ($1, $2, $3, $4, $5, 'Citrus', '2026-03-02', $6, 0, $7, $8, $9, $10, $10)",
         {b, tenant_, code, grower, packhouse_, weight(gross), weight(net), status, deleted, kNow});
    return b;
  }

  void lot(const std::string& batch_id, const std::string& grower, const std::string& code, double kg,
           bool deleted = false) {
    exec("INSERT INTO lots (id, enterprise_id, lot_code, batch_id, grower_id, packhouse_id, fruit_type, weight_kg,"
         " intake_date, is_deleted, created_at, updated_at)"
         " VALUES ($1, $2, $3, $4, $5, $6, 'Citrus', $7, $8, $9, $8, $8)",
         {id("lot-" + code), tenant_, code, batch_id, grower, packhouse_, kg, kNow, deleted});
  }

  std::string payment(const std::string& ref, const std::string& grower, double total_kg,
                      const std::string& status = "paid") {
    const std::string p = id("payment-" + ref);
    exec("INSERT INTO grower_payments (id, enterprise_id, payment_ref, grower_id, gross_amount, net_amount,"
         " total_kg, status, created_at, updated_at) VALUES ($1, $2, $3, $4, 1000, 1000, $5, $6, $7, $7)",
         {p, tenant_, ref, grower, total_kg, status, kNow});
    return p;
  }

  std::string export_(const std::string& ref, const std::string& status, double kg, double value) {
    const std::string e = id("export-" + ref);
    exec("INSERT INTO exports (id, enterprise_id, booking_ref, client_name, currency, total_weight_kg, total_value,"
         " status, created_at, updated_at) VALUES ($1, $2, $3, 'Fresh BV', 'USD', $4, $5, $6, $7, $7)",
         {e, tenant_, ref, weight(kg), weight(value), status, kNow});
    return e;
  }

  std::string container(const std::string& number, const std::string& status, std::int64_t pallet_count,
                        std::int64_t cartons, double gross_kg, const std::string& export_id = {}) {
    const std::string c = id("container-" + number);
    db::Params p{c, tenant_, number, status, pallet_count, cartons, weight(gross_kg), kNow};
    p.push_back(export_id.empty() ? db::Param(nullptr) : db::Param(export_id));
    exec("INSERT INTO containers (id, enterprise_id, container_number, container_type, status, pallet_count,"
         " total_cartons, gross_weight_kg, created_at, updated_at, export_id)"
         " VALUES ($1, $2, $3, 'reefer', $4, $5, $6, $7, $8, $8, $9)",
         std::move(p));
    return c;
  }

  void pallets(const std::string& container_id, const std::string& prefix, int count, std::int64_t boxes,
               bool deleted = false) {
    for (int i = 1; i <= count; ++i) {
      const std::string number = prefix + "-" + std::to_string(i);
      exec("INSERT INTO pallets (id, enterprise_id, pallet_number, packhouse_id, current_boxes, container_id,"
           " status, is_deleted, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'loaded', $7, $8, $8)",
           {id("pallet-" + number), tenant_, number, packhouse_, boxes, container_id, deleted, kNow});
    }
  }

  void invoice(const std::string& number, const std::string& export_id, double total,
               const std::string& status = "issued") {
    exec("INSERT INTO client_invoices (id, enterprise_id, invoice_number, client_name, export_id, subtotal,"
         " total_amount, balance_due, issue_date, status, created_at, updated_at)"
         " VALUES ($1, $2, $3, 'Fresh BV', $4, $5, $5, $5, '2026-03-10', $6, $7, $7)",
         {id("invoice-" + number), tenant_, number, export_id, total, status, kNow});
  }

  // A labour cost; a negative hours, rate or headcount stores NULL.
  std::string labour(const std::string& name, double hours, double rate, double headcount, double total,
                     const std::string& status = "recorded") {
    const std::string l = id("labour-" + name);
    exec("INSERT INTO labour_costs (id, enterprise_id, category, hours_worked, rate_per_hour, headcount,"
         " total_amount, work_date, status, created_at, updated_at)"
         " VALUES ($1, $2, 'packing', $3, $4, $5, $6, '2026-03-05', $7, $8, $8)",
         {l, tenant_, weight(hours), weight(rate), weight(headcount), total, status, kNow});
    return l;
  }

  // Ids readable in failure output, unique per tenant.
  std::string id(const std::string& name) const { return tenant_ + "-" + name; }

  static constexpr const char* kNow = "2026-03-20T10:00:00.000000";

 private:
  static db::Param weight(double v) { return v < 0 ? db::Param(nullptr) : db::Param(v); }

  db::Database& db_;
  std::string tenant_;
  std::string packhouse_;
};

// The ids a test needs after building the standard case.
struct ReconciliationCase {
  std::string b2, g1, g3, p1, l3;
};

// The standard case. Expected alerts, worked out by hand:
//   lot_vs_batch  B2: net 1,000 kg vs lots 970 kg: -30 kg, 3.00 % > 2 % -> low
//   lot_vs_batch  B3: net NULL -> gross 500 kg vs lots 400 kg: 20.00 % -> critical
//                 (B1: 1,000 vs 500 + 480 = 980 kg is exactly 2.00 %: no alert; its deleted
//                 100 kg lot does not count; B4 is received, B8 deleted: not examined)
//   grn_vs_payment G1: B1 + B2 = 2,000 kg received, paid 1,950 kg (the cancelled 50 kg
//                 payment does not count): 2.50 % -> low
//   grn_vs_payment G3: 600 kg received, nothing paid: 100 % -> critical
//                 (G2: B3 gross 500 + B4 800 = 1,300 kg, paid 1,300; G4: the rejected 300 kg
//                 batch is left out, 700 paid for 700)
//   grn_vs_payment unpaid G3: 1 complete batch of 600 kg with no payment -> high
//   export_vs_invoice E1 weight: booked 20,000 kg, containers 19,500 kg: 2.50 % -> low
//                 (E1 value: 50,000.00 vs 30,000.00 + 20,050.00 = exactly 50.00 over: no
//                 alert; the cancelled invoice does not count)
//   export_vs_invoice E2 value: 20,000.00 vs 19,900.00: -100.00 > 50, 0.50 % -> low
//                 (E3 is a draft; E4 has neither weight nor value)
//   pallet_vs_container C3: records 5 pallets, 2 loaded: 3 apart -> high
//   pallet_vs_container C4: records 1, 2 live pallets loaded (a deleted third does not
//                 count): 1 apart -> medium (C1 matches; C5 is open, C2 delivered)
//   labour_vs_cost L3: 10 h x 100.00 x 2 = 2,000.00 vs 2,100.01: +100.01, 5.0005 % -> 5.00 %
//                 -> medium (L1 matches; L2 is exactly 50.00 off; L5 has no rate; L6 is
//                 cancelled)
//   labour_vs_cost L4: 60.00 without hours or rate -> medium, 100 % (L7's 50.00 is not above
//                 the tolerance)
inline ReconciliationCase build_standard_case(ReconciliationFixture& f) {
  ReconciliationCase c;
  f.enterprise();
  c.g1 = f.grower("Alpha Farms");
  const std::string g2 = f.grower("Bravo Orchards");
  c.g3 = f.grower("Charlie Estates");
  const std::string g4 = f.grower("Delta Groves");

  const std::string b1 = f.batch("B1", c.g1, "packing", 1000, 1000);
  f.lot(b1, c.g1, "B1-L01", 500);
  f.lot(b1, c.g1, "B1-L02", 480);
  f.lot(b1, c.g1, "B1-L03", 100, true);
  c.b2 = f.batch("B2", c.g1, "packing", 1000, 1000);
  f.lot(c.b2, c.g1, "B2-L01", 970);
  f.batch("B8", c.g1, "packing", 100, 100, true);
  const std::string b3 = f.batch("B3", g2, "complete", 500, -1);
  f.lot(b3, g2, "B3-L01", 400);
  f.batch("B4", g2, "received", 800, 800);
  const std::string b5 = f.batch("B5", c.g3, "complete", 600, 600);
  f.lot(b5, c.g3, "B5-L01", 600);
  f.batch("B6", g4, "rejected", 300, 300);
  f.batch("B7", g4, "received", 700, 700);

  c.p1 = f.payment("P1", c.g1, 1950);
  f.payment("P2", c.g1, 50, "cancelled");
  f.payment("P3", g2, 1300);
  f.payment("P4", g4, 700);

  const std::string e1 = f.export_("E1", "in_transit", 20000, 50000);
  const std::string c1 = f.container("C1", "dispatched", 2, 120, 19500, e1);
  f.pallets(c1, "C1", 2, 60);
  f.invoice("I1", e1, 30000);
  f.invoice("I2", e1, 20050);
  f.invoice("I3", e1, 999, "cancelled");
  const std::string e2 = f.export_("E2", "completed", 10000, 20000);
  f.container("C2", "delivered", 0, 0, 10000, e2);
  f.invoice("I4", e2, 19900);
  f.export_("E3", "draft", 5000, 1);
  f.export_("E4", "loaded", -1, -1);

  const std::string c3 = f.container("C3", "loading", 5, 500, -1);
  f.pallets(c3, "C3", 2, 60);
  const std::string c4 = f.container("C4", "sealed", 1, 60, -1);
  f.pallets(c4, "C4", 2, 60);
  f.pallets(c4, "C4x", 1, 60, true);
  f.container("C5", "open", 9, 0, -1);

  f.labour("L1", 8, 45.50, 12, 4368.00);
  f.labour("L2", 10, 100, -1, 1050.00);
  c.l3 = f.labour("L3", 10, 100, 2, 2100.01);
  f.labour("L4", -1, -1, -1, 60.00);
  f.labour("L5", 5, 0, 1, 999);
  f.labour("L6", 1, 1, 1, 5000, "cancelled");
  f.labour("L7", -1, -1, -1, 50.00);
  return c;
}

// One alert as the tests compare it: type, entity, severity, expected, actual, variance,
// variance %, status.
using AlertKey = std::tuple<std::string, std::string, std::string, double, double, double, double, std::string>;

inline std::set<AlertKey> stored_alerts(db::Database& db, const std::string& tenant, bool live_only = true) {
  std::set<AlertKey> out;
  auto rows = util::run_sync(db.execute(
      std::string("SELECT alert_type, entity_key, severity, expected_value, actual_value, variance, variance_pct,"
                  " status FROM reconciliation_alerts WHERE enterprise_id = $1") +
          (live_only ? " AND status IN ('open', 'acknowledged')" : ""),
      {tenant}));
  EXPECT_TRUE(rows) << rows.error().detail;
  if (!rows) return out;
  for (std::size_t i = 0; i < rows->size(); ++i) {
    const auto& r = (*rows)[i];
    out.emplace(r.string(0), r.string(1), r.string(2), r.number(3), r.number(4), r.number(5), r.number(6), r.string(7));
  }
  return out;
}

inline std::set<AlertKey> expected_standard_alerts(ReconciliationFixture& f) {
  auto key = [&](std::string type, std::string entity, std::string severity, double e, double a, double v,
                 double pct) {
    return AlertKey{std::move(type), std::move(entity), std::move(severity), e, a, v, pct, "open"};
  };
  return {
      key("lot_vs_batch", "batch:" + f.id("batch-B2"), "low", 1000, 970, -30, 3.00),
      key("lot_vs_batch", "batch:" + f.id("batch-B3"), "critical", 500, 400, -100, 20.00),
      key("grn_vs_payment", "grower:" + f.id("grower-Alpha Farms"), "low", 2000, 1950, -50, 2.50),
      key("grn_vs_payment", "grower:" + f.id("grower-Charlie Estates"), "critical", 600, 0, -600, 100.00),
      key("grn_vs_payment", "unpaid:" + f.id("grower-Charlie Estates"), "high", 600, 0, -600, 100.00),
      key("export_vs_invoice", "export:" + f.id("export-E1") + ":weight", "low", 20000, 19500, -500, 2.50),
      key("export_vs_invoice", "export:" + f.id("export-E2") + ":value", "low", 20000, 19900, -100, 0.50),
      key("pallet_vs_container", "container:" + f.id("container-C3"), "high", 5, 2, -3, 60.00),
      key("pallet_vs_container", "container:" + f.id("container-C4"), "medium", 1, 2, 1, 100.00),
      key("labour_vs_cost", "labour:" + f.id("labour-L3"), "medium", 2000.00, 2100.01, 100.01, 5.00),
      key("labour_vs_cost", "labour:" + f.id("labour-L4"), "medium", 0, 60.00, 60.00, 100.00),
  };
}

inline Result<domain::RunSummary> run_reconciliation(services::ReconciliationService& service,
                                                     const std::string& tenant,
                                                     services::RunScope scope = services::RunScope::kFull) {
  return util::run_sync(service.run(domain::TenantId(tenant), services::RunTrigger::kCli, scope, std::nullopt,
                                    nullptr, nullptr));
}

// A migrated database with the standard case in tenant "recon-a" and a mismatch of every
// kind in tenant "recon-b".
inline ReconciliationCase seed_two_tenants(db::Database& db) {
  auto migrated = util::run_sync(db::migrate(db));
  EXPECT_TRUE(migrated) << migrated.error().detail;
  ReconciliationFixture other(db, "recon-b");
  build_standard_case(other);
  ReconciliationFixture f(db, "recon-a");
  return build_standard_case(f);
}

inline void expect_first_run_finds_the_hand_worked_mismatches(db::Database& db) {
  seed_two_tenants(db);
  ReconciliationFixture f(db, "recon-a");
  services::ReconciliationService service(db, domain::Tolerances{});
  auto summary = run_reconciliation(service, "recon-a");
  ASSERT_TRUE(summary) << summary.error().detail;
  EXPECT_EQ(summary->total_alerts, 11);
  const domain::AlertCounts by_type{{"export_vs_invoice", 2}, {"grn_vs_payment", 3}, {"labour_vs_cost", 2},
                                    {"lot_vs_batch", 2},      {"pallet_vs_container", 2}};
  EXPECT_EQ(summary->by_type, by_type);
  const domain::AlertCounts by_severity{{"critical", 2}, {"high", 2}, {"low", 4}, {"medium", 3}};
  EXPECT_EQ(summary->by_severity, by_severity);
  EXPECT_EQ(stored_alerts(db, "recon-a"), expected_standard_alerts(f));
  // The other tenant was not run: nothing of it is stored.
  EXPECT_TRUE(stored_alerts(db, "recon-b", false).empty());
}

inline void expect_rerun_updates_instead_of_duplicating(db::Database& db) {
  const ReconciliationCase c = seed_two_tenants(db);
  ReconciliationFixture f(db, "recon-a");
  services::ReconciliationService service(db, domain::Tolerances{});
  ASSERT_TRUE(run_reconciliation(service, "recon-a"));
  auto again = run_reconciliation(service, "recon-a");
  ASSERT_TRUE(again) << again.error().detail;
  EXPECT_EQ(again->total_alerts, 0);
  EXPECT_EQ(again->alerts_unchanged, 11);
  EXPECT_EQ(again->alerts_updated, 0);
  EXPECT_EQ(again->alerts_resolved, 0);
  EXPECT_EQ(stored_alerts(db, "recon-a", false), expected_standard_alerts(f));  // still 11 rows in all

  // B2 gets the 30 kg it missed (1,000 vs 1,000): its alert resolves. G1's alert is
  // acknowledged, then P1 drops to 1,900 kg (5.00 % -> medium): the same alert is updated
  // and stays acknowledged.
  f.lot(c.b2, c.g1, "B2-L02", 30);
  f.exec("UPDATE reconciliation_alerts SET status = 'acknowledged' WHERE entity_key = $1",
         {"grower:" + c.g1});
  f.exec("UPDATE grower_payments SET total_kg = 1900 WHERE id = $1", {c.p1});
  auto third = run_reconciliation(service, "recon-a");
  ASSERT_TRUE(third) << third.error().detail;
  EXPECT_EQ(third->total_alerts, 0);
  EXPECT_EQ(third->alerts_updated, 1);
  EXPECT_EQ(third->alerts_resolved, 1);
  EXPECT_EQ(third->alerts_unchanged, 9);

  auto expected = expected_standard_alerts(f);
  std::erase_if(expected, [&](const AlertKey& k) {
    return std::get<1>(k) == "batch:" + c.b2 || std::get<1>(k) == "grower:" + c.g1;
  });
  expected.emplace("grn_vs_payment", "grower:" + c.g1, "medium", 2000, 1900, -100, 5.00, "acknowledged");
  EXPECT_EQ(stored_alerts(db, "recon-a"), expected);
  auto resolved = util::run_sync(db.execute(
      "SELECT status, resolution_note, resolved_at FROM reconciliation_alerts WHERE entity_key = $1",
      {"batch:" + c.b2}));
  ASSERT_TRUE(resolved && resolved->size() == 1);
  EXPECT_EQ(resolved->front().string(0), "resolved");
  EXPECT_EQ(resolved->front().string(1), "Auto-resolved: mismatch no longer detected");
  EXPECT_TRUE(resolved->front().timestamp(2).has_value());

  // The mismatch comes back (the lot is deleted): a new open alert, next to the resolved one.
  f.exec("UPDATE lots SET is_deleted = TRUE WHERE lot_code = 'B2-L02'", {});
  auto fourth = run_reconciliation(service, "recon-a");
  ASSERT_TRUE(fourth) << fourth.error().detail;
  EXPECT_EQ(fourth->total_alerts, 1);
  EXPECT_EQ(stored_alerts(db, "recon-a", false).size(), 12u);  // 11 + the reopened B2
}

inline void expect_tolerances_come_from_configuration(db::Database& db) {
  seed_two_tenants(db);
  domain::Tolerances loose;
  loose.weight_bp = 300;         // 3.00 % passes: B2, G1 and E1 (2.5-3 %) no longer alert
  loose.amount_cents = 10'001;   // L3's 100.01 passes; E2's 100.00 passes
  services::ReconciliationService service(db, loose);
  auto summary = run_reconciliation(service, "recon-a");
  ASSERT_TRUE(summary) << summary.error().detail;
  EXPECT_EQ(summary->total_alerts, 11 - 6);  // and L4's 60.00 is below 100.01
}

// The ids of a tenant's rows in `table`, oldest first.
inline std::vector<std::string> ids_of(db::Database& db, const std::string& table, const std::string& tenant) {
  std::vector<std::string> out;
  auto rows = util::run_sync(
      db.execute("SELECT id FROM " + table + " WHERE enterprise_id = $1 ORDER BY created_at, id", {tenant}));
  EXPECT_TRUE(rows) << rows.error().detail;
  if (!rows) return out;
  for (std::size_t i = 0; i < rows->size(); ++i) out.push_back((*rows)[i].string(0));
  return out;
}

// Issue 8 point 4: after random changes of every kind a check reads (in both tenants, by
// plain SQL, so only the change journal's triggers can tell the run), an incremental run
// leaves the alerts a full run would: a full run straight after it finds nothing to open,
// update or resolve, and the live alerts stay as they are.
inline void expect_incremental_matches_full(db::Database& db) {
  seed_two_tenants(db);
  services::ReconciliationService service(db, domain::Tolerances{});
  ASSERT_TRUE(run_reconciliation(service, "recon-a"));
  ReconciliationFixture a(db, "recon-a");
  std::mt19937 random(20261126);
  auto pick = [&random](const std::vector<std::string>& ids) {
    return ids[std::uniform_int_distribution<std::size_t>(0, ids.size() - 1)(random)];
  };
  auto between = [&random](double lo, double hi) {
    // Whole tenths, so that values land on and around the tolerances.
    return std::round(std::uniform_real_distribution<double>(lo, hi)(random) * 10) / 10;
  };
  auto chance = [&random](int percent) { return std::uniform_int_distribution<int>(1, 100)(random) <= percent; };

  std::int64_t opened = 0, resolved = 0, refreshed = 0;
  bool scoped = false;
  for (int round = 0; round < 12; ++round) {
    for (const std::string tenant : {"recon-a", "recon-b"}) {
      ReconciliationFixture f(db, tenant);
      const auto batches = ids_of(db, "batches", tenant);
      const auto growers = ids_of(db, "growers", tenant);
      const auto lots = ids_of(db, "lots", tenant);
      const auto payments = ids_of(db, "grower_payments", tenant);
      const auto exports = ids_of(db, "exports", tenant);
      const auto containers = ids_of(db, "containers", tenant);
      const auto pallets = ids_of(db, "pallets", tenant);
      const auto invoices = ids_of(db, "client_invoices", tenant);
      const auto labour = ids_of(db, "labour_costs", tenant);
      for (int change = 0; change < 4; ++change) {
        switch (std::uniform_int_distribution<int>(0, 13)(random)) {
          case 0:
            f.exec("UPDATE batches SET net_weight_kg = $2 WHERE id = $1", {pick(batches), between(300, 1100)});
            break;
          case 1: {
            const char* statuses[] = {"received", "packing", "complete", "rejected"};
            f.exec("UPDATE batches SET status = $2 WHERE id = $1", {pick(batches), std::string(statuses[random() % 4])});
            break;
          }
          case 2:
            f.exec("UPDATE batches SET grower_id = $2, is_deleted = $3 WHERE id = $1",
                   {pick(batches), pick(growers), chance(20)});
            break;
          case 3:
            f.lot(pick(batches), pick(growers), "R" + std::to_string(round) + "-" + std::to_string(change),
                  between(10, 600));
            break;
          case 4:
            if (chance(50)) {
              f.exec("UPDATE lots SET weight_kg = $2, is_deleted = $3 WHERE id = $1",
                     {pick(lots), between(10, 600), chance(30)});
            } else {
              f.exec("DELETE FROM lots WHERE id = $1", {pick(lots)});
            }
            break;
          case 5:
            f.exec("UPDATE grower_payments SET total_kg = $2, status = $3 WHERE id = $1",
                   {pick(payments), between(0, 2100), std::string(chance(25) ? "cancelled" : "paid")});
            break;
          case 6:
            f.payment("RP" + std::to_string(round) + "-" + std::to_string(change), pick(growers), between(50, 900));
            break;
          case 7:
            f.exec("UPDATE growers SET name = $2 WHERE id = $1", {pick(growers), "Renamed " + std::to_string(round)});
            break;
          case 8: {
            const char* statuses[] = {"draft", "loaded", "in_transit", "completed", "cancelled"};
            f.exec("UPDATE exports SET status = $2, total_weight_kg = $3, total_value = $4 WHERE id = $1",
                   {pick(exports), std::string(statuses[random() % 5]), between(9000, 21000), between(19000, 51000)});
            break;
          }
          case 9:
            f.exec("UPDATE containers SET export_id = $2, gross_weight_kg = $3 WHERE id = $1",
                   {pick(containers), pick(exports), between(9000, 21000)});
            break;
          case 10: {
            const char* statuses[] = {"open", "loading", "sealed", "delivered"};
            f.exec("UPDATE containers SET status = $2, pallet_count = $3 WHERE id = $1",
                   {pick(containers), statuses[random() % 4], static_cast<std::int64_t>(random() % 6)});
            break;
          }
          case 11:
            f.exec("UPDATE pallets SET container_id = $2, is_deleted = $3 WHERE id = $1",
                   {pick(pallets), pick(containers), chance(20)});
            break;
          case 12:
            f.exec("UPDATE client_invoices SET total_amount = $2, status = $3 WHERE id = $1",
                   {pick(invoices), between(19000, 31000), std::string(chance(20) ? "cancelled" : "issued")});
            break;
          case 13:
            f.exec("UPDATE labour_costs SET hours_worked = $2, total_amount = $3 WHERE id = $1",
                   {pick(labour), between(0, 12), between(0, 2200)});
            break;
        }
      }
    }
    // Now and then a person dismisses or resolves an open alert: a full run would open it
    // again while the mismatch lasts, so the incremental one must too.
    if (round % 3 == 1) {
      auto open = util::run_sync(db.execute(
          "SELECT id FROM reconciliation_alerts WHERE enterprise_id = 'recon-a' AND status = 'open' ORDER BY id"));
      ASSERT_TRUE(open);
      if (!open->empty()) {
        auto reviewed = util::run_sync(service.review(domain::TenantId("recon-a"), open->front().string(0),
                                                      round % 2 ? "dismissed" : "resolved", std::nullopt,
                                                      "reviewer", nullptr));
        ASSERT_TRUE(reviewed) << reviewed.error().detail;
      }
    }

    auto incremental = run_reconciliation(service, "recon-a", services::RunScope::kChanged);
    ASSERT_TRUE(incremental) << incremental.error().detail;
    EXPECT_EQ(incremental->kind, "incremental");
    opened += incremental->total_alerts;
    resolved += incremental->alerts_resolved;
    refreshed += incremental->alerts_updated;
    scoped = scoped || (incremental->entities_checked > 0 && incremental->entities_checked < 10);
    const auto after_incremental = stored_alerts(db, "recon-a", false);

    auto full = run_reconciliation(service, "recon-a", services::RunScope::kFull);
    ASSERT_TRUE(full) << full.error().detail;
    EXPECT_EQ(full->total_alerts, 0) << "round " << round << ": the full run opened alerts the incremental missed";
    EXPECT_EQ(full->alerts_updated, 0) << "round " << round;
    EXPECT_EQ(full->alerts_resolved, 0) << "round " << round;
    EXPECT_EQ(stored_alerts(db, "recon-a", false), after_incremental) << "round " << round;
    EXPECT_TRUE(stored_alerts(db, "recon-b", false).empty());
  }
  // The changes did move alerts both ways, and some runs looked at a few entities only.
  EXPECT_GT(opened, 0);
  EXPECT_GT(resolved, 0);
  EXPECT_GT(refreshed, 0);
  EXPECT_TRUE(scoped);

  // With nothing changed, an incremental run checks nothing; other settings make it full.
  auto idle = run_reconciliation(service, "recon-a", services::RunScope::kChanged);
  ASSERT_TRUE(idle) << idle.error().detail;
  EXPECT_EQ(idle->kind, "incremental");
  EXPECT_EQ(idle->entities_checked, 0);
  domain::Tolerances looser;
  looser.weight_bp = 300;
  services::ReconciliationService reconfigured(db, looser);
  auto after_change = run_reconciliation(reconfigured, "recon-a", services::RunScope::kChanged);
  ASSERT_TRUE(after_change) << after_change.error().detail;
  EXPECT_EQ(after_change->kind, "full");
}

// The per-grower intake table the grower checks read (migration 0009) equals the batches
// it is kept from, after every kind of batch change.
inline void expect_grower_intake_days_follow_batches(db::Database& db) {
  seed_two_tenants(db);
  ReconciliationFixture f(db, "recon-a");
  const auto growers = ids_of(db, "growers", "recon-a");
  f.exec("UPDATE batches SET net_weight_kg = 1234.5678 WHERE enterprise_id = 'recon-a' AND batch_code = 'B1'", {});
  f.exec("UPDATE batches SET status = 'complete' WHERE enterprise_id = 'recon-a' AND batch_code = 'B4'", {});
  f.exec("UPDATE batches SET grower_id = $1 WHERE enterprise_id = 'recon-a' AND batch_code = 'B7'", {growers.front()});
  f.exec("UPDATE batches SET is_deleted = TRUE WHERE enterprise_id = 'recon-a' AND batch_code = 'B2'", {});
  f.exec("UPDATE batches SET payment_routing = 'harvest_team' WHERE enterprise_id = 'recon-a' AND batch_code = 'B5'", {});
  f.exec("UPDATE batches SET status = 'received' WHERE enterprise_id = 'recon-a' AND batch_code = 'B6'", {});
  f.exec("UPDATE batches SET intake_date = '2026-03-09' WHERE enterprise_id = 'recon-a' AND batch_code = 'B3'", {});
  f.exec("DELETE FROM lots WHERE batch_id IN (SELECT id FROM batches WHERE enterprise_id = 'recon-a' AND batch_code = 'B8')", {});
  f.exec("DELETE FROM batches WHERE enterprise_id = 'recon-a' AND batch_code = 'B8'", {});
  const std::string recount =
      "SELECT enterprise_id, grower_id, intake_date, COUNT(*),"
      " SUM(CAST(FLOOR(COALESCE(CASE WHEN net_weight_kg IS NOT NULL THEN net_weight_kg ELSE gross_weight_kg END, 0)"
      " * 1000 + 0.5) AS BIGINT)), SUM(CASE WHEN status = 'complete' THEN 1 ELSE 0 END)"
      " FROM batches WHERE is_deleted = FALSE AND status <> 'rejected' AND payment_routing = 'grower'"
      " GROUP BY enterprise_id, grower_id, intake_date ORDER BY 1, 2, 3";
  // Every row, so a day left without received batches must be gone, not zero.
  const std::string kept =
      "SELECT enterprise_id, grower_id, intake_date, received_batches, received_grams, complete_batches"
      " FROM grower_intake_days ORDER BY 1, 2, 3";
  auto expected = util::run_sync(db.execute(recount));
  auto actual = util::run_sync(db.execute(kept));
  ASSERT_TRUE(expected && actual);
  ASSERT_EQ(expected->size(), actual->size());
  for (std::size_t i = 0; i < expected->size(); ++i) {
    for (std::size_t c = 0; c < 3; ++c) EXPECT_EQ((*expected)[i].string(c), (*actual)[i].string(c)) << i;
    for (std::size_t c = 3; c < 6; ++c) EXPECT_EQ((*expected)[i].int64(c), (*actual)[i].int64(c)) << i;
  }
  // The per-grower totals are the sums of the grower's days.
  auto totals = util::run_sync(db.execute(
      "SELECT enterprise_id, grower_id, received_batches, received_grams, complete_batches, complete_grams"
      " FROM grower_intake_totals WHERE received_batches <> 0 ORDER BY 1, 2"));
  auto summed = util::run_sync(db.execute(
      "SELECT enterprise_id, grower_id, SUM(received_batches), SUM(received_grams), SUM(complete_batches),"
      " SUM(complete_grams) FROM grower_intake_days GROUP BY enterprise_id, grower_id ORDER BY 1, 2"));
  ASSERT_TRUE(totals && summed);
  ASSERT_EQ(totals->size(), summed->size());
  for (std::size_t i = 0; i < totals->size(); ++i) {
    for (std::size_t c = 0; c < 2; ++c) EXPECT_EQ((*totals)[i].string(c), (*summed)[i].string(c)) << i;
    for (std::size_t c = 2; c < 6; ++c) EXPECT_EQ((*totals)[i].int64(c), (*summed)[i].int64(c)) << i;
  }
  // B1's 1,234.5678 kg is 1,234,568 g (half up) in its grower's day.
  auto b1 = util::run_sync(db.execute(
      "SELECT received_grams FROM grower_intake_days WHERE grower_id = $1 AND intake_date = '2026-03-02'",
      {growers.front()}));
  ASSERT_TRUE(b1) << b1.error().detail;
  ASSERT_EQ(b1->size(), 1u) << growers.front();
  EXPECT_EQ(b1->front().int64(0), 1'234'568 + 700'000);  // B1 + B7 (moved to Alpha; B2 deleted)
}

// batches.packed_grams (migrations 0011, 0012), which the lot check reads, equals the live
// lots it is kept from after every kind of lot change, single-row and multi-row.
inline void expect_batch_packed_grams_follow_lots(db::Database& db) {
  seed_two_tenants(db);
  ReconciliationFixture f(db, "recon-a");
  const std::string in_a = " WHERE enterprise_id = 'recon-a' AND lot_code ";
  f.exec("UPDATE lots SET weight_kg = 12.3456" + in_a + "= 'B1-L02'", {});
  f.exec("UPDATE lots SET is_deleted = FALSE" + in_a + "= 'B1-L03'", {});
  f.exec("UPDATE lots SET batch_id = (SELECT id FROM batches WHERE enterprise_id = 'recon-a' AND batch_code = 'B3')" +
             in_a + "= 'B2-L01'",
         {});
  f.exec("UPDATE lots SET is_deleted = TRUE" + in_a + "= 'B5-L01'", {});
  const auto batch_id = [&](const std::string& code) {
    auto found = util::run_sync(
        db.execute("SELECT id FROM batches WHERE enterprise_id = 'recon-a' AND batch_code = $1", {code}));
    EXPECT_TRUE(found && found->size() == 1) << code;
    return found && found->size() == 1 ? found->front().string(0) : std::string();
  };
  const auto grower = ids_of(db, "growers", "recon-a").front();
  f.lot(batch_id("B4"), grower, "B4-L01", 300.25);
  f.lot(batch_id("B4"), grower, "B4-L02", 250, true);
  f.exec("INSERT INTO lots (id, enterprise_id, lot_code, batch_id, grower_id, packhouse_id, fruit_type, weight_kg,"
         " intake_date, created_at, updated_at) SELECT 'lot-null-weight', enterprise_id, 'B4-L03', batch_id,"
         " grower_id, packhouse_id, fruit_type, NULL, intake_date, created_at, updated_at FROM lots" +
             in_a + "= 'B4-L01'",
         {});
  f.exec("UPDATE lots SET weight_kg = weight_kg + 1" + in_a + "IN ('B1-L01', 'B3-L01')", {});
  f.exec("DELETE FROM lots" + in_a + "= 'B1-L03'", {});

  // Worked by hand from the standard case: B1 500 + 1 and 12.3456 (12,346 g half up), its
  // 100 kg lot revived then deleted; B2's lot moved to B3 (400 + 1 + 970); B5's lot deleted;
  // B4 gained 300.25 kg, a deleted lot and one without weight.
  const std::vector<std::pair<std::string, std::int64_t>> by_hand = {
      {"B1", 513'346}, {"B2", 0}, {"B3", 1'371'000}, {"B4", 300'250}, {"B5", 0}};
  for (const auto& [code, grams] : by_hand) {
    auto kept = util::run_sync(db.execute(
        "SELECT packed_grams FROM batches WHERE enterprise_id = 'recon-a' AND batch_code = $1", {code}));
    ASSERT_TRUE(kept && kept->size() == 1) << code;
    EXPECT_EQ(kept->front().int64(0), grams) << code;
  }
  // And every batch of both tenants equals a recount.
  auto recount = util::run_sync(db.execute(
      "SELECT b.id, CAST(COALESCE(SUM(CAST(FLOOR(COALESCE(l.weight_kg, 0) * 1000 + 0.5) AS BIGINT)), 0) AS BIGINT)"
      " FROM batches b LEFT JOIN lots l ON l.enterprise_id = b.enterprise_id AND l.batch_id = b.id"
      " AND l.is_deleted = FALSE GROUP BY b.id ORDER BY b.id"));
  auto kept = util::run_sync(db.execute("SELECT id, packed_grams FROM batches ORDER BY id"));
  ASSERT_TRUE(recount && kept);
  ASSERT_EQ(recount->size(), kept->size());
  for (std::size_t i = 0; i < kept->size(); ++i) {
    EXPECT_EQ((*recount)[i].string(0), (*kept)[i].string(0)) << i;
    EXPECT_EQ((*recount)[i].int64(1), (*kept)[i].int64(1)) << (*kept)[i].string(0);
  }
}

// Two instances wake for the same daily slot at once: exactly one runs it.
inline void expect_scheduled_slot_runs_once(db::Database& db) {
  seed_two_tenants(db);
  services::ReconciliationService service(db, domain::Tolerances{});
  const std::string slot = "2026-03-20T02:00:00.000000";
  // Both runs on one io_context served by two threads, as in the server.
  using Outcome = Result<std::optional<domain::RunSummary>>;
  net::io_context context;
  std::optional<Outcome> first, second;
  net::co_spawn(context, service.run_scheduled(domain::TenantId("recon-a"), slot),
                [&first](std::exception_ptr, Outcome r) { first.emplace(std::move(r)); });
  net::co_spawn(context, service.run_scheduled(domain::TenantId("recon-a"), slot),
                [&second](std::exception_ptr, Outcome r) { second.emplace(std::move(r)); });
  std::thread helper([&context] { context.run(); });
  context.run();
  helper.join();
  ASSERT_TRUE(first && second) << "a scheduled run did not finish";
  ASSERT_TRUE(*first) << first->error().detail;
  ASSERT_TRUE(*second) << second->error().detail;
  EXPECT_EQ((*first)->has_value() + (*second)->has_value(), 1);
  const auto& ran = (*first)->has_value() ? **first : **second;
  EXPECT_EQ(ran->total_alerts, 11);
  auto runs = util::run_sync(db.execute(
      "SELECT COUNT(*) FROM reconciliation_runs WHERE enterprise_id = 'recon-a' AND trigger_source = 'scheduler'"));
  ASSERT_TRUE(runs);
  EXPECT_EQ(runs->front().int64(0), 1);
  // The next day's slot runs again; an API run in between does not count as the daily one.
  ASSERT_TRUE(run_reconciliation(service, "recon-a"));
  auto next = util::run_sync(service.run_scheduled(domain::TenantId("recon-a"), "2026-03-21T02:00:00.000000"));
  ASSERT_TRUE(next) << next.error().detail;
  EXPECT_TRUE(next->has_value());
}

}  // namespace fruitpak::testing
