#pragma once
// What the season generator (services/season_generator.hpp) and the demo loader must
// guarantee on every engine. Each engine's test file runs these checks against a fresh
// database of its own (season_generator_sqlitetest.cpp, season_generator_pgtest.cpp).

#include "db/batch_repository.hpp"
#include "db/code_counter.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"
#include "db/runner.hpp"
#include "services/demo_loader.hpp"
#include "services/reconciliation_service.hpp"
#include "services/season_generator.hpp"
#include "util/run_sync.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace fruitpak::testing {

// Every tenant table the demo season fills.
inline const std::vector<std::string>& demo_season_tables() {
  static const std::vector<std::string> tables{
      "company_profile", "financial_config", "packhouses",      "pack_lines",      "suppliers",
      "growers",         "harvest_teams",    "product_configs", "pack_specs",      "box_sizes",
      "pallet_types",    "transport_configs", "clients",        "shipping_lines",  "transporters",
      "shipping_agents", "shipping_schedules", "batches",       "batch_history",   "lots",
      "exports",         "containers",       "pallets",         "pallet_lots",     "grower_payments",
      "labour_costs",    "client_invoices",  "credits",         "code_counters",   "batch_day_counts",
      "batch_day_totals"};
  return tables;
}

inline constexpr const char* kSeasonLastDay = "2026-06-30";

inline std::int64_t scalar(db::Database& db, const std::string& sql, db::Params params = {}) {
  auto rows = util::run_sync(db.execute(sql, std::move(params)));
  EXPECT_TRUE(rows) << sql << ": " << rows.error().detail;
  if (!rows || rows->empty()) return -1;
  return rows->front().int64(0);
}

// Rows of a two-column (text key, count) query as a map.
inline std::map<std::string, std::int64_t> counts_by(db::Database& db, const std::string& sql, db::Params params) {
  std::map<std::string, std::int64_t> out;
  auto rows = util::run_sync(db.execute(sql, std::move(params)));
  EXPECT_TRUE(rows) << sql << ": " << rows.error().detail;
  if (!rows) return out;
  for (std::size_t i = 0; i < rows->size(); ++i) out[(*rows)[i].string(0)] = (*rows)[i].int64(1);
  return out;
}

inline std::int64_t tenant_rows(db::Database& db, const std::string& table, const std::string& tenant) {
  return scalar(db, "SELECT COUNT(*) FROM " + table + " WHERE enterprise_id = $1", {tenant});
}

// A migrated database with one onboarded enterprise `id`.
inline void add_enterprise(db::Database& db, const std::string& id) {
  auto migrated = util::run_sync(db::migrate(db));
  ASSERT_TRUE(migrated) << migrated.error().detail;
  db::Params row{id, "Season test " + id, std::string("ZA"), "tenant_" + id, std::string("2026-01-01T00:00:00")};
  auto inserted = util::run_sync(db.execute(
      "INSERT INTO enterprises (id, name, country, tenant_schema, is_active, is_onboarded, created_at, updated_at)"
      " VALUES ($1, $2, $3, $4, TRUE, TRUE, $5, $5)",
      std::move(row)));
  ASSERT_TRUE(inserted) << inserted.error().detail;
}

inline Result<services::SeasonSummary> generate(db::Database& db, const std::string& tenant,
                                                services::SeasonOptions options) {
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<services::SeasonSummary>> {
    const domain::TenantId id(tenant);
    const services::SeasonProgress none;
    co_return co_await services::generate_season(tx, id, options, none);
  };
  return util::run_sync(db.transaction(work));
}

inline services::SeasonOptions bench_options(std::int64_t batches, std::uint64_t seed = 7) {
  services::SeasonOptions options;
  options.profile = services::SeasonProfile::kBench;
  options.batches = batches;
  options.seed = seed;
  options.last_day = kSeasonLastDay;
  return options;
}

inline void expect_bench_batches_and_counts_agree(db::Database& db) {
  add_enterprise(db, "bench-a");
  auto summary = generate(db, "bench-a", bench_options(20'000));
  ASSERT_TRUE(summary) << summary.error().detail;
  EXPECT_EQ(summary->count("batches"), 20'000);
  EXPECT_EQ(tenant_rows(db, "batches", "bench-a"), 20'000);
  EXPECT_EQ(summary->count("growers"), 50);
  EXPECT_EQ(summary->count("packhouses"), 3);
  EXPECT_EQ(tenant_rows(db, "batch_history", "bench-a"), 0);  // the bench profile writes none

  const db::Params tenant{std::string("bench-a")};
  EXPECT_EQ(scalar(db, "SELECT SUM(count) FROM batch_day_counts WHERE enterprise_id = $1", tenant),
            scalar(db, "SELECT COUNT(*) FROM batches WHERE enterprise_id = $1 AND is_deleted = FALSE", tenant));
  const auto counted = counts_by(
      db, "SELECT status || '/' || day, count FROM batch_day_counts WHERE enterprise_id = $1", tenant);
  const auto actual = counts_by(db,
                                "SELECT status || '/' || SUBSTR(CAST(created_at AS TEXT), 1, 10), COUNT(*) FROM batches"
                                " WHERE enterprise_id = $1 AND is_deleted = FALSE"
                                " GROUP BY status, SUBSTR(CAST(created_at AS TEXT), 1, 10)",
                                tenant);
  EXPECT_EQ(counted, actual);
  const auto by_status = counts_by(
      db, "SELECT status, SUM(count) FROM batch_day_counts WHERE enterprise_id = $1 GROUP BY status", tenant);
  EXPECT_EQ(by_status, counts_by(db,
                                 "SELECT status, COUNT(*) FROM batches WHERE enterprise_id = $1 AND is_deleted = FALSE"
                                 " GROUP BY status",
                                 tenant));
  EXPECT_EQ(counts_by(db, "SELECT status, count FROM batch_status_counts WHERE enterprise_id = $1", tenant),
            by_status);  // the per-status totals agree with the day counts and the rows
  EXPECT_EQ(counts_by(db, "SELECT day, count FROM batch_day_totals WHERE enterprise_id = $1", tenant),
            counts_by(db,
                      "SELECT SUBSTR(CAST(created_at AS TEXT), 1, 10), COUNT(*) FROM batches"
                      " WHERE enterprise_id = $1 AND is_deleted = FALSE GROUP BY SUBSTR(CAST(created_at AS TEXT), 1, 10)",
                      tenant));  // the per-day totals too
  EXPECT_EQ(by_status.size(), 4u);  // received, packing, complete, rejected
  EXPECT_GT(by_status.at("complete"), 15'000);
  EXPECT_GT(by_status.at("rejected"), 300);

  // Spread over two seasons, newest day the one asked for.
  EXPECT_GT(scalar(db, "SELECT COUNT(DISTINCT intake_date) FROM batches WHERE enterprise_id = $1", tenant), 600);
  auto newest = util::run_sync(db.execute("SELECT MAX(intake_date), MIN(intake_date) FROM batches", {}));
  ASSERT_TRUE(newest);
  EXPECT_EQ(newest->front().string(0).substr(0, 10), kSeasonLastDay);
  EXPECT_EQ(newest->front().string(1).substr(0, 10), "2024-07-01");  // 730 days
}

// The bench profile's reconciliation inputs (bench_season.hpp): one lot per packed GRN and
// monthly payments, with the planted mismatches and no others. Expected counts come from
// the stored rows: every 1,000th packed GRN is short; two growers (one unpaid, one paid
// 5 % short) alert in grn_vs_payment, and the unpaid one also in unpaid_batches.
inline void expect_bench_plants_reconciliation_mismatches(db::Database& db) {
  add_enterprise(db, "bench-r");
  auto summary = generate(db, "bench-r", bench_options(20'000));
  ASSERT_TRUE(summary) << summary.error().detail;
  const db::Params tenant{std::string("bench-r")};
  auto packed = util::run_sync(db.execute(
      "SELECT COUNT(*) FROM batches WHERE enterprise_id = $1 AND status IN ('packing', 'complete')", tenant));
  ASSERT_TRUE(packed) << packed.error().detail;
  EXPECT_EQ(tenant_rows(db, "lots", "bench-r"), packed->front().int64(0));
  auto unpaid = util::run_sync(db.execute(
      "SELECT COUNT(*) FROM growers g WHERE g.enterprise_id = $1 AND NOT EXISTS"
      " (SELECT 1 FROM grower_payments p WHERE p.grower_id = g.id)", tenant));
  ASSERT_TRUE(unpaid) << unpaid.error().detail;
  EXPECT_EQ(unpaid->front().int64(0), 1);

  services::ReconciliationService reconciliation(db, domain::Tolerances{});
  auto run = util::run_sync(reconciliation.run(domain::TenantId("bench-r"), services::RunTrigger::kCli,
                                               services::RunScope::kFull, std::nullopt, nullptr, nullptr));
  ASSERT_TRUE(run) << run.error().detail;
  const domain::AlertCounts planted{{"grn_vs_payment", 3}, {"lot_vs_batch", packed->front().int64(0) / 1000}};
  EXPECT_EQ(run->by_type, planted);
}

inline void expect_bench_codes_unique_and_counters_consistent(db::Database& db) {
  add_enterprise(db, "bench-b");
  auto summary = generate(db, "bench-b", bench_options(20'000));
  ASSERT_TRUE(summary) << summary.error().detail;
  const db::Params tenant{std::string("bench-b")};
  EXPECT_EQ(scalar(db, "SELECT COUNT(DISTINCT batch_code) FROM batches WHERE enterprise_id = $1", tenant), 20'000);
  // One counter row per intake day holding that day's last number: the count of its GRNs.
  const auto counters = counts_by(
      db, "SELECT day, value FROM code_counters WHERE enterprise_id = $1 AND prefix = 'GRN'", tenant);
  const auto per_day = counts_by(
      db, "SELECT SUBSTR(batch_code, 5, 8), COUNT(*) FROM batches WHERE enterprise_id = $1 GROUP BY SUBSTR(batch_code, 5, 8)",
      tenant);
  EXPECT_EQ(counters, per_day);
  ASSERT_FALSE(per_day.empty());
  for (const auto& [day, count] : {*per_day.begin(), *per_day.rbegin()}) {
    const std::string code = db::codes::format_code("GRN", day, count);
    EXPECT_EQ(scalar(db, "SELECT COUNT(*) FROM batches WHERE enterprise_id = $1 AND batch_code = $2",
                     {std::string("bench-b"), code}),
              1);
  }
  // The API's next intake on a generated day continues after the generated numbers.
  const std::string busiest =
      std::max_element(per_day.begin(), per_day.end(), [](const auto& a, const auto& b) { return a.second < b.second; })
          ->first;
  auto next = util::run_sync(db::codes::next(db::Runner(db, nullptr), domain::TenantId("bench-b"), "GRN", busiest));
  ASSERT_TRUE(next) << next.error().detail;
  EXPECT_EQ(*next, per_day.at(busiest) + 1);
  EXPECT_EQ(scalar(db, "SELECT COUNT(*) FROM batches WHERE enterprise_id = $1 AND batch_code = $2",
                   {std::string("bench-b"), db::codes::format_code("GRN", busiest, *next)}),
            0);
}

inline void expect_bench_list_reads_generated_batches(db::Database& db) {
  add_enterprise(db, "bench-c");
  ASSERT_TRUE(generate(db, "bench-c", bench_options(3'000)));
  const domain::BatchFilter all;
  const domain::PageRequest page{5, 0};
  auto listed = util::run_sync(
      db::batches::list(db::Runner(db, nullptr), domain::TenantId("bench-c"), all, page, std::nullopt));
  ASSERT_TRUE(listed) << listed.error().detail;
  EXPECT_EQ(listed->page.total, 3'000);
  ASSERT_EQ(listed->page.items.size(), 5u);
  EXPECT_EQ(listed->page.items.front().batch.intake_date, kSeasonLastDay);
  EXPECT_TRUE(listed->page.items.front().grower_name.has_value());
}

inline void expect_bench_rejects_batch_counts_out_of_range(db::Database& db) {
  add_enterprise(db, "bench-d");
  for (const std::int64_t batches : {std::int64_t{0}, std::int64_t{-5}, services::kMaxBenchBatches + 1}) {
    auto refused = generate(db, "bench-d", bench_options(batches));
    ASSERT_FALSE(refused) << batches;
    EXPECT_EQ(refused.error().code, Errc::kInvalidInput);
  }
  auto bad_day = bench_options(10);
  bad_day.last_day = "2026-02-30";
  auto refused = generate(db, "bench-d", bad_day);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::kInvalidInput);
  EXPECT_EQ(tenant_rows(db, "growers", "bench-d"), 0);
}

// (batch_code, weights, status, created_at) in code order: what a seed must reproduce.
inline std::vector<std::string> batch_fingerprint(db::Database& db, const std::string& tenant) {
  std::vector<std::string> out;
  auto rows = util::run_sync(db.execute(
      "SELECT batch_code, gross_weight_kg, net_weight_kg, status, fruit_type, variety FROM batches"
      " WHERE enterprise_id = $1 ORDER BY batch_code",
      {tenant}));
  EXPECT_TRUE(rows) << rows.error().detail;
  if (!rows) return out;
  for (std::size_t i = 0; i < rows->size(); ++i) {
    auto r = (*rows)[i];
    out.push_back(r.string(0) + "|" + std::to_string(r.number(1)) + "|" + std::to_string(r.number(2)) + "|" +
                  r.string(3) + "|" + r.string(4) + "|" + r.string(5));
  }
  return out;
}

inline void expect_same_seed_gives_same_data(db::Database& db) {
  add_enterprise(db, "seed-a");
  add_enterprise(db, "seed-b");
  add_enterprise(db, "seed-c");
  ASSERT_TRUE(generate(db, "seed-a", bench_options(2'000, 11)));
  ASSERT_TRUE(generate(db, "seed-b", bench_options(2'000, 11)));  // same seed, other tenant: no id clash
  ASSERT_TRUE(generate(db, "seed-c", bench_options(2'000, 12)));
  const auto a = batch_fingerprint(db, "seed-a");
  ASSERT_EQ(a.size(), 2'000u);
  EXPECT_EQ(a, batch_fingerprint(db, "seed-b"));
  EXPECT_NE(a, batch_fingerprint(db, "seed-c"));

  services::SeasonOptions demo;
  demo.last_day = kSeasonLastDay;
  demo.seed = 5;
  add_enterprise(db, "demo-a");
  add_enterprise(db, "demo-b");
  auto first = generate(db, "demo-a", demo);
  ASSERT_TRUE(first) << first.error().detail;
  auto second = generate(db, "demo-b", demo);
  ASSERT_TRUE(second) << second.error().detail;
  EXPECT_EQ(first->tables, second->tables);
  EXPECT_EQ(batch_fingerprint(db, "demo-a"), batch_fingerprint(db, "demo-b"));
  EXPECT_EQ(first->count("batches"), services::kDemoBatches);
}

inline std::string demo_tenant(db::Database& db) {
  auto rows = util::run_sync(
      db.execute("SELECT enterprise_id FROM users WHERE email = $1", {std::string("admin@demo-packhouse.example")}));
  EXPECT_TRUE(rows && !rows->empty());
  if (!rows || rows->empty()) return {};
  return rows->front().string(0);
}

inline void expect_demo_fills_every_table(db::Database& db, util::BlockingPool& blocking) {
  ASSERT_TRUE(util::run_sync(db::migrate(db)));
  auto loaded = util::run_sync(services::load_demo(db, blocking, 4));
  ASSERT_TRUE(loaded) << loaded.error().detail;
  EXPECT_TRUE(loaded->created);
  const std::string tenant = demo_tenant(db);
  for (const auto& table : demo_season_tables()) EXPECT_GT(tenant_rows(db, table, tenant), 0) << table;
  EXPECT_EQ(tenant_rows(db, "packhouses", tenant), 3);
  EXPECT_EQ(tenant_rows(db, "growers", tenant), 40);
  EXPECT_EQ(tenant_rows(db, "batches", tenant), services::kDemoBatches);
  // Every batch has its intake event; lots only come from packed batches.
  EXPECT_EQ(scalar(db, "SELECT COUNT(*) FROM batch_history WHERE enterprise_id = $1 AND event_type = 'intake'",
                   {tenant}),
            services::kDemoBatches);
  EXPECT_EQ(scalar(db,
                   "SELECT COUNT(*) FROM lots l JOIN batches b ON b.id = l.batch_id"
                   " WHERE l.enterprise_id = $1 AND b.status NOT IN ('packing', 'complete')",
                   {tenant}),
            0);
  // Pallets hold what their allocations say; containers what their pallets hold.
  EXPECT_EQ(scalar(db,
                   "SELECT COUNT(*) FROM pallets p WHERE p.enterprise_id = $1 AND p.current_boxes <>"
                   " (SELECT SUM(box_count) FROM pallet_lots pl WHERE pl.pallet_id = p.id)",
                   {tenant}),
            0);
  EXPECT_EQ(scalar(db,
                   "SELECT COUNT(*) FROM containers c WHERE c.enterprise_id = $1 AND c.total_cartons <>"
                   " (SELECT COALESCE(SUM(current_boxes), 0) FROM pallets p WHERE p.container_id = c.id)",
                   {tenant}),
            0);
  // The lot codes continue from the counters: one row per batch with lots.
  EXPECT_EQ(scalar(db, "SELECT COUNT(*) FROM code_counters WHERE enterprise_id = $1 AND day = ''", {tenant}),
            scalar(db, "SELECT COUNT(DISTINCT batch_id) FROM lots WHERE enterprise_id = $1", {tenant}));
  for (const char* prefix : {"PAL", "CONT", "PAY", "INV", "CN"}) {
    EXPECT_GT(scalar(db, "SELECT COUNT(*) FROM code_counters WHERE enterprise_id = $1 AND prefix = $2",
                     {tenant, std::string(prefix)}),
              0)
        << prefix;
  }
  // Invoice and credit numbers continue after the demo's: each year's counter is its
  // highest number (INV-<year>-NNNN, CN-<year>-NNN).
  EXPECT_EQ(scalar(db,
                   "SELECT COUNT(*) FROM code_counters k WHERE k.enterprise_id = $1 AND k.prefix = 'INV' AND k.value <>"
                   " (SELECT MAX(CAST(SUBSTR(invoice_number, 10) AS INTEGER)) FROM client_invoices i"
                   " WHERE i.enterprise_id = k.enterprise_id AND SUBSTR(i.invoice_number, 5, 4) = k.day)",
                   {tenant}),
            0);
}

inline void expect_demo_plants_each_mismatch_kind(db::Database& db, util::BlockingPool& blocking) {
  ASSERT_TRUE(util::run_sync(db::migrate(db)));
  ASSERT_TRUE(util::run_sync(services::load_demo(db, blocking, 4)));
  const db::Params t{demo_tenant(db)};
  using M = services::DemoMismatches;
  EXPECT_EQ(scalar(db,
                   "SELECT COUNT(*) FROM batches b LEFT JOIN (SELECT batch_id, SUM(weight_kg) AS kg FROM lots"
                   " WHERE is_deleted = FALSE GROUP BY batch_id) l ON l.batch_id = b.id"
                   " WHERE b.enterprise_id = $1 AND b.is_deleted = FALSE AND b.status IN ('packing', 'complete')"
                   " AND ABS(COALESCE(l.kg, 0) - b.net_weight_kg) > 0.02 * b.net_weight_kg",
                   t),
            M::kLotVsBatch);
  EXPECT_EQ(scalar(db,
                   "SELECT COUNT(*) FROM (SELECT grower_id, SUM(COALESCE(net_weight_kg, gross_weight_kg)) AS kg"
                   " FROM batches WHERE enterprise_id = $1 AND is_deleted = FALSE AND status <> 'rejected'"
                   " GROUP BY grower_id) r JOIN (SELECT grower_id, SUM(total_kg) AS kg FROM grower_payments"
                   " WHERE enterprise_id = $1 AND is_deleted = FALSE AND status <> 'cancelled' GROUP BY grower_id) p"
                   " ON p.grower_id = r.grower_id WHERE ABS(p.kg - r.kg) > 0.02 * r.kg",
                   t),
            M::kGrnVsPayment);
  EXPECT_EQ(scalar(db,
                   "SELECT COUNT(DISTINCT b.grower_id) FROM batches b WHERE b.enterprise_id = $1"
                   " AND b.is_deleted = FALSE AND b.status = 'complete' AND NOT EXISTS (SELECT 1 FROM grower_payments p"
                   " WHERE p.enterprise_id = b.enterprise_id AND p.grower_id = b.grower_id AND p.is_deleted = FALSE"
                   " AND p.status <> 'cancelled')",
                   t),
            M::kUnpaidGrowers);
  const std::string shipped = " AND e.status IN ('loaded', 'in_transit', 'arrived', 'completed')";
  EXPECT_EQ(scalar(db,
                   "SELECT COUNT(*) FROM exports e LEFT JOIN (SELECT export_id, SUM(total_amount) AS amount"
                   " FROM client_invoices WHERE enterprise_id = $1 AND is_deleted = FALSE AND status <> 'cancelled'"
                   " GROUP BY export_id) i ON i.export_id = e.id WHERE e.enterprise_id = $1 AND e.is_deleted = FALSE" +
                       shipped + " AND ABS(COALESCE(i.amount, 0) - COALESCE(e.total_value, 0)) > 50",
                   t),
            M::kExportVsInvoice);
  EXPECT_EQ(scalar(db,
                   "SELECT COUNT(*) FROM exports e LEFT JOIN (SELECT export_id, SUM(gross_weight_kg) AS kg"
                   " FROM containers WHERE enterprise_id = $1 AND is_deleted = FALSE GROUP BY export_id) c"
                   " ON c.export_id = e.id WHERE e.enterprise_id = $1 AND e.is_deleted = FALSE" +
                       shipped + " AND ABS(COALESCE(c.kg, 0) - COALESCE(e.total_weight_kg, 0)) > 0.02 * e.total_weight_kg",
                   t),
            0);  // booked kg and container kg agree everywhere
  EXPECT_EQ(scalar(db,
                   "SELECT COUNT(*) FROM containers c WHERE c.enterprise_id = $1 AND c.is_deleted = FALSE"
                   " AND c.status IN ('loading', 'sealed', 'dispatched') AND c.pallet_count <>"
                   " (SELECT COUNT(*) FROM pallets p WHERE p.container_id = c.id AND p.is_deleted = FALSE)",
                   t),
            M::kPalletVsContainer);
  EXPECT_EQ(scalar(db,
                   "SELECT COUNT(*) FROM labour_costs WHERE enterprise_id = $1 AND is_deleted = FALSE"
                   " AND COALESCE(hours_worked, 0) > 0 AND COALESCE(rate_per_hour, 0) > 0"
                   " AND ABS(total_amount - hours_worked * rate_per_hour * COALESCE(headcount, 1)) > 50",
                   t),
            M::kLabourVsCost);
  EXPECT_EQ(scalar(db,
                   "SELECT COUNT(*) FROM labour_costs WHERE enterprise_id = $1 AND is_deleted = FALSE"
                   " AND total_amount > 50 AND COALESCE(hours_worked, 0) = 0 AND COALESCE(rate_per_hour, 0) = 0",
                   t),
            M::kLabourWithoutHours);

  // The engine's first run finds exactly the planted mismatches: an unpaid grower shows in
  // check 2 (received kg vs nothing paid) as well as in check 6, as the contract says.
  services::ReconciliationService reconciliation(db, domain::Tolerances{});
  auto run = util::run_sync(reconciliation.run(domain::TenantId(demo_tenant(db)), services::RunTrigger::kCli,
                                               services::RunScope::kFull, std::nullopt, nullptr, nullptr));
  ASSERT_TRUE(run) << run.error().detail;
  const domain::AlertCounts planted{
      {"export_vs_invoice", M::kExportVsInvoice},
      {"grn_vs_payment", M::kGrnVsPayment + 2 * M::kUnpaidGrowers},
      {"labour_vs_cost", M::kLabourVsCost + M::kLabourWithoutHours},
      {"lot_vs_batch", M::kLotVsBatch},
      {"pallet_vs_container", M::kPalletVsContainer}};
  EXPECT_EQ(run->by_type, planted);
}

inline std::map<std::string, std::int64_t> table_sizes(db::Database& db) {
  std::map<std::string, std::int64_t> sizes;
  for (const auto& table : demo_season_tables()) sizes[table] = scalar(db, "SELECT COUNT(*) FROM " + table);
  for (const char* table : {"enterprises", "users"}) sizes[table] = scalar(db, std::string("SELECT COUNT(*) FROM ") + table);
  sizes["GRN counter sum"] = scalar(db, "SELECT SUM(value) FROM code_counters");
  return sizes;
}

inline void expect_second_demo_load_changes_nothing(db::Database& db, util::BlockingPool& blocking) {
  ASSERT_TRUE(util::run_sync(db::migrate(db)));
  auto first = util::run_sync(services::load_demo(db, blocking, 4));
  ASSERT_TRUE(first) << first.error().detail;
  const auto before = table_sizes(db);
  auto second = util::run_sync(services::load_demo(db, blocking, 4));
  ASSERT_TRUE(second) << second.error().detail;
  EXPECT_FALSE(second->created);
  EXPECT_TRUE(second->season.tables.empty());
  EXPECT_EQ(second->logins.size(), 2u);
  EXPECT_EQ(table_sizes(db), before);
}

}  // namespace fruitpak::testing
