#pragma once
// The lot repository and the batch code ranges it relies on, on a real engine: a
// multi-row insert reads back as written, the list is newest first with its total (and
// past the end), totals and allocations, and a soft delete refused while boxes are on a
// pallet. Run by lot_repository_sqlitetest.cpp and lot_repository_pgtest.cpp.

#include "db/code_counter.hpp"
#include "db/database.hpp"
#include "db/lot_repository.hpp"
#include "db/migrations.hpp"
#include "util/clock.hpp"
#include "util/crypto.hpp"
#include "util/run_sync.hpp"

#include <gtest/gtest.h>

namespace fruitpak::testing {

struct LotTenant {
  domain::TenantId tenant{std::string()};
  std::string packhouse_id;
  std::string grower_id;
  std::string batch_id;
};

// A migrated database with one tenant, packhouse, grower and batch.
inline LotTenant seed_lot_tenant(db::Database& db) {
  auto migrated = util::run_sync(db::migrate(db));
  EXPECT_TRUE(migrated) << migrated.error().detail;
  LotTenant t{domain::TenantId(util::uuid4()), util::uuid4(), util::uuid4(), util::uuid4()};
  const std::string now = "2026-03-01T08:00:00.000000";
  const std::string id = t.tenant.value();
  const std::vector<std::pair<std::string, db::Params>> rows{
      {"INSERT INTO enterprises (id, name, country, tenant_schema, is_active, is_onboarded, created_at, updated_at)"
       " VALUES ($1, $2, 'ZA', $3, TRUE, TRUE, $4, $4)",
       {id, "Lots " + id.substr(0, 8), "tenant_" + id.substr(0, 12), now}},
      {"INSERT INTO packhouses (id, enterprise_id, name, created_at, updated_at) VALUES ($1, $2, 'Ceres', $3, $3)",
       {t.packhouse_id, id, now}},
      {"INSERT INTO growers (id, enterprise_id, name, grower_code, created_at, updated_at)"
       " VALUES ($1, $2, 'Mouton', 'MT1', $3, $3)",
       {t.grower_id, id, now}},
      {"INSERT INTO batches (id, enterprise_id, batch_code, grower_id, packhouse_id, fruit_type, intake_date,"
       " tare_weight_kg, status, is_deleted, created_at, updated_at)"
       " VALUES ($1, $2, 'GRN-20260301-001', $3, $4, 'Citrus', '2026-03-01', 0, 'received', FALSE, $5, $5)",
       {t.batch_id, id, t.grower_id, t.packhouse_id, now}},
  };
  for (const auto& [sql, params] : rows) {
    auto done = util::run_sync(db.execute(sql, params));
    EXPECT_TRUE(done) << done.error().detail;
  }
  return t;
}

inline domain::Lot lot_of(const LotTenant& t, int n, double weight_kg) {
  domain::Lot l;
  l.id = util::uuid4();
  l.lot_code = domain::lot_code("GRN-20260301-001", n);
  l.batch_id = t.batch_id;
  l.grower_id = t.grower_id;
  l.packhouse_id = t.packhouse_id;
  l.fruit_type = "Citrus";
  l.grade = n % 2 == 0 ? "Class 2" : "Class 1";
  l.carton_count = n;
  l.weight_kg = weight_kg;
  l.waste_kg = 1.5;
  l.pack_date = "2026-03-02";
  l.intake_date = "2026-03-01T00:00:00";
  l.quality_data_json = R"({"brix":11})";
  // Distinct creation times, one second apart, so the newest-first order is known.
  l.created_at = l.updated_at = "2026-03-01T09:00:" + std::string(n < 10 ? "0" : "") + std::to_string(n) + ".250000";
  return l;
}

inline void expect_lots_round_trip_and_list_newest_first(db::Database& db) {
  const LotTenant t = seed_lot_tenant(db);
  std::vector<domain::Lot> lots;
  for (int n = 1; n <= 12; ++n) lots.push_back(lot_of(t, n, 10.0 * n));
  auto inserted = util::run_sync(db::lots::insert(db::Runner(db, nullptr), t.tenant, lots));
  ASSERT_TRUE(inserted) << inserted.error().detail;

  auto found = util::run_sync(db::lots::find(db::Runner(db, nullptr), t.tenant, lots[2].id));
  ASSERT_TRUE(found && *found);
  const domain::Lot& l = **found;
  EXPECT_EQ(l.lot_code, "GRN-20260301-001-L03");
  EXPECT_EQ(l.pack_date, "2026-03-02");
  EXPECT_EQ(l.intake_date, "2026-03-01T00:00:00");
  EXPECT_EQ(l.created_at, "2026-03-01T09:00:03.250000");
  EXPECT_EQ(l.quality_data_json, R"({"brix":11})");
  EXPECT_EQ(l.batch_code, "GRN-20260301-001");
  EXPECT_EQ(l.grower_code, "MT1");
  EXPECT_DOUBLE_EQ(l.weight_kg.value_or(0), 30.0);

  domain::LotFilter odd;
  odd.grade = "Class 1";
  auto page = util::run_sync(db::lots::list(db::Runner(db, nullptr), t.tenant, odd, domain::PageRequest{4, 1}));
  ASSERT_TRUE(page) << page.error().detail;
  EXPECT_EQ(page->total, 6);
  ASSERT_EQ(page->items.size(), 4u);
  EXPECT_EQ(page->items[0].lot_code, "GRN-20260301-001-L09");  // L11 skipped by the offset
  EXPECT_EQ(page->items[3].lot_code, "GRN-20260301-001-L03");
  auto past = util::run_sync(db::lots::list(db::Runner(db, nullptr), t.tenant, {}, domain::PageRequest{10, 50}));
  ASSERT_TRUE(past);
  EXPECT_EQ(past->total, 12);
  EXPECT_TRUE(past->items.empty());

  auto totals = util::run_sync(db::lots::totals(db::Runner(db, nullptr), t.tenant, t.batch_id));
  ASSERT_TRUE(totals);
  EXPECT_DOUBLE_EQ(totals->weight_kg, 780.0);  // 10 x (1 + ... + 12)
  EXPECT_DOUBLE_EQ(totals->waste_kg, 18.0);
  auto other = util::run_sync(db::lots::list(db::Runner(db, nullptr), domain::TenantId(util::uuid4()), {},
                                             domain::PageRequest{}));
  ASSERT_TRUE(other);
  EXPECT_EQ(other->total, 0);
}

inline void expect_allocated_lots_resist_soft_delete(db::Database& db) {
  const LotTenant t = seed_lot_tenant(db);
  const domain::Lot kept = lot_of(t, 1, 5), dropped = lot_of(t, 2, 5);
  std::vector<domain::Lot> lots{kept, dropped};
  ASSERT_TRUE(util::run_sync(db::lots::insert(db::Runner(db, nullptr), t.tenant, lots)));
  const std::string pallet = util::uuid4();
  db::Params p{pallet, t.tenant.value(), t.packhouse_id};
  ASSERT_TRUE(util::run_sync(db.execute(
      "INSERT INTO pallets (id, enterprise_id, pallet_number, packhouse_id, status, is_deleted, created_at, updated_at)"
      " VALUES ($1, $2, 'PAL-20260301-001', $3, 'open', FALSE, '2026-03-01T10:00:00', '2026-03-01T10:00:00')", p)));
  db::Params link{util::uuid4(), t.tenant.value(), pallet, kept.id};
  ASSERT_TRUE(util::run_sync(db.execute(
      "INSERT INTO pallet_lots (id, enterprise_id, pallet_id, lot_id, box_count, is_deleted, created_at)"
      " VALUES ($1, $2, $3, $4, 7, FALSE, '2026-03-01T10:00:00')", link)));

  auto allocations = util::run_sync(db::lots::allocations(db::Runner(db, nullptr), t.tenant, kept.id));
  ASSERT_TRUE(allocations);
  ASSERT_EQ(allocations->size(), 1u);
  EXPECT_EQ((*allocations)[0].pallet_number, "PAL-20260301-001");
  EXPECT_EQ((*allocations)[0].box_count, 7);
  const std::string now = util::iso_utc_now();
  auto refused = util::run_sync(db::lots::soft_delete(db::Runner(db, nullptr), t.tenant, kept.id, now));
  ASSERT_TRUE(refused);
  EXPECT_FALSE(*refused);
  auto deleted = util::run_sync(db::lots::soft_delete(db::Runner(db, nullptr), t.tenant, dropped.id, now));
  ASSERT_TRUE(deleted);
  EXPECT_TRUE(*deleted);
  auto gone = util::run_sync(db::lots::find(db::Runner(db, nullptr), t.tenant, dropped.id));
  ASSERT_TRUE(gone);
  EXPECT_FALSE(gone->has_value());
  auto kept_found = util::run_sync(db::lots::find(db::Runner(db, nullptr), t.tenant, kept.id));
  ASSERT_TRUE(kept_found && *kept_found);
  EXPECT_EQ((*kept_found)->palletized_boxes, 7);
}

inline void expect_code_ranges_follow_each_other(db::Database& db) {
  const LotTenant t = seed_lot_tenant(db);
  auto first = util::run_sync(db::codes::reserve(db::Runner(db, nullptr), t.tenant, "GRN-20260301-001", "", 3));
  ASSERT_TRUE(first) << first.error().detail;
  EXPECT_EQ(*first, 1);
  auto second = util::run_sync(db::codes::reserve(db::Runner(db, nullptr), t.tenant, "GRN-20260301-001", "", 2));
  ASSERT_TRUE(second);
  EXPECT_EQ(*second, 4);
  auto single = util::run_sync(db::codes::next(db::Runner(db, nullptr), t.tenant, "GRN-20260301-001", ""));
  ASSERT_TRUE(single);
  EXPECT_EQ(*single, 6);
}

}  // namespace fruitpak::testing
