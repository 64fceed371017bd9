#pragma once
// The batch list on a real engine at a size where the deep-offset path is taken: every page,
// by plain offset, by deep offset through batch_day_counts and by keyset cursor, must show
// exactly the rows a straightforward sort of the inserted batches puts there. Run by
// batch_list_sqlitetest.cpp and batch_list_pgtest.cpp.

#include "db/batch_repository.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"
#include "db/user_repository.hpp"
#include "util/clock.hpp"
#include "util/crypto.hpp"
#include "util/run_sync.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>

namespace fruitpak::testing {

struct ListedBatch {
  std::string created_at;
  std::string id;
  std::string status;
};

// A tenant with `count` batches created over `days` days (several per second, so ties in
// created_at happen and the id must break them), with a mix of statuses. Returns the
// expected newest-first order.
inline std::vector<ListedBatch> seed_batches(db::Database& db, const domain::TenantId& tenant, int count, int days) {
  std::vector<ListedBatch> batches;
  std::mt19937_64 random(42);
  const std::vector<std::string> statuses{"received", "packing", "complete", "rejected"};
  const auto start = std::chrono::sys_days{std::chrono::year{2026} / 1 / 1};
  for (int i = 0; i < count; ++i) {
    const auto seconds = std::chrono::seconds(random() % (static_cast<std::uint64_t>(days) * 86'400));
    // Whole seconds only for a third of them: equal created_at values must sort by id.
    const auto micros = i % 3 == 0 ? std::chrono::microseconds(0) : std::chrono::microseconds(random() % 1'000'000);
    batches.push_back({util::iso_utc(start + seconds + micros), util::uuid4(), statuses[random() % statuses.size()]});
  }
  const std::string now = util::iso_utc_now();
  db::BulkRows enterprise_rows{"enterprises", {"id", "name", "country", "tenant_schema", "is_active", "is_onboarded",
                                               "created_at", "updated_at"}, {}};
  enterprise_rows.values = {tenant.value(), std::string("Bench ") + tenant.value().substr(0, 8), std::string("ZA"),
                            domain::tenant_schema_for(tenant.value()), true, true, now, now};
  db::BulkRows packhouse{"packhouses", {"id", "enterprise_id", "name", "created_at", "updated_at"},
                         {std::string("ph-") + tenant.value().substr(0, 8), tenant.value(), std::string("Ceres"), now, now}};
  db::BulkRows grower{"growers", {"id", "enterprise_id", "name", "created_at", "updated_at"},
                      {std::string("gr-") + tenant.value().substr(0, 8), tenant.value(), std::string("Mouton Boerdery"),
                       now, now}};
  db::BulkRows rows{"batches",
                    {"id", "enterprise_id", "batch_code", "grower_id", "packhouse_id", "fruit_type", "intake_date",
                     "tare_weight_kg", "status", "is_deleted", "created_at", "updated_at"},
                    {}};
  for (std::size_t i = 0; i < batches.size(); ++i) {
    const auto& b = batches[i];
    rows.values.insert(rows.values.end(),
                       {b.id, tenant.value(), "GRN-T-" + tenant.value().substr(0, 8) + "-" + std::to_string(i),
                        std::get<std::string>(grower.values[0]), std::get<std::string>(packhouse.values[0]),
                        std::string("Citrus"), b.created_at.substr(0, 10), 0.0, b.status, false, b.created_at,
                        b.created_at});
  }
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<int>> {
    for (const db::BulkRows* table : {&enterprise_rows, &packhouse, &grower, &rows}) {
      auto written = co_await tx.bulk_insert(*table);
      if (!written) co_return written.error();
      if (*written != static_cast<std::int64_t>(table->row_count())) {
        co_return make_error(Errc::kInternal, "bulk_insert reported a wrong row count");
      }
    }
    auto rebuilt = co_await db::batches::rebuild_counts(db::Runner(tx), tenant);
    if (!rebuilt) co_return rebuilt.error();
    co_return 1;
  };
  auto stored = util::run_sync(db.transaction(work));
  EXPECT_TRUE(stored) << stored.error().detail;
  std::sort(batches.begin(), batches.end(), [](const ListedBatch& a, const ListedBatch& b) {
    return std::tie(a.created_at, a.id) > std::tie(b.created_at, b.id);
  });
  return batches;
}

inline std::vector<std::string> ids_of(const domain::BatchListing& listing) {
  std::vector<std::string> ids;
  for (const auto& item : listing.page.items) ids.push_back(item.batch.id);
  return ids;
}

inline std::vector<std::string> expected_ids(const std::vector<ListedBatch>& order, std::int64_t offset, int limit) {
  std::vector<std::string> ids;
  for (std::int64_t i = offset; i < static_cast<std::int64_t>(order.size()) && i < offset + limit; ++i) {
    ids.push_back(order[static_cast<std::size_t>(i)].id);
  }
  return ids;
}

inline void expect_every_offset_path_matches_sorted_order(db::Database& db) {
  ASSERT_TRUE(util::run_sync(db::migrate(db)));
  const domain::TenantId tenant(util::uuid4());
  const domain::TenantId other(util::uuid4());
  const auto order = seed_batches(db, tenant, 4'400, 40);
  (void)seed_batches(db, other, 300, 40);  // another tenant's rows never show up or count
  const db::Runner run(db, nullptr);
  const std::int64_t total = static_cast<std::int64_t>(order.size());

  for (std::int64_t offset : {0L, 1L, 999L, 1000L, 1001L, 1377L, 2000L, 4349L, 4350L, 4399L, 4400L, 6000L}) {
    for (int limit : {1, 50, 100}) {
      auto listed = util::run_sync(db::batches::list(run, tenant, {}, {limit, offset}, std::nullopt));
      ASSERT_TRUE(listed) << listed.error().detail;
      EXPECT_EQ(listed->page.total, total);
      EXPECT_EQ(ids_of(*listed), expected_ids(order, offset, limit)) << "offset " << offset << " limit " << limit;
      EXPECT_EQ(listed->has_more, offset + limit < total) << "offset " << offset;
    }
  }

  // The status filter reads its own day counts.
  std::vector<ListedBatch> packing;
  std::copy_if(order.begin(), order.end(), std::back_inserter(packing),
               [](const ListedBatch& b) { return b.status == "packing"; });
  ASSERT_GT(packing.size(), 1'050u);  // deep offsets under the filter take the day path too
  for (std::int64_t offset : {0L, 10L, 999L, 1000L, 1049L, static_cast<std::int64_t>(packing.size()) - 3}) {
    domain::BatchFilter filter;
    filter.status = "packing";
    auto listed = util::run_sync(db::batches::list(run, tenant, filter, {50, offset}, std::nullopt));
    ASSERT_TRUE(listed) << listed.error().detail;
    EXPECT_EQ(listed->page.total, static_cast<std::int64_t>(packing.size()));
    EXPECT_EQ(ids_of(*listed), expected_ids(packing, offset, 50)) << "packing offset " << offset;
  }
}

// count_batch moves the three count tables together: per status, per status and day, and
// per day (which the unfiltered deep offsets read).
inline void expect_count_batch_keeps_counts_in_step(db::Database& db) {
  ASSERT_TRUE(util::run_sync(db::migrate(db)));
  const domain::TenantId tenant(util::uuid4());
  (void)seed_batches(db, tenant, 200, 3);
  const db::Runner run(db, nullptr);
  auto count = [&](std::string status, std::string created_at, std::int64_t delta) {
    auto counted = util::run_sync(db::batches::count_batch(run, tenant, std::move(status), std::move(created_at), delta));
    ASSERT_TRUE(counted) << counted.error().detail;
  };
  count("received", "2026-01-02T08:00:00.000000Z", 1);    // an intake on a day that has rows
  count("received", "2026-03-09T08:00:00.000000Z", 1);    // and on a new day
  count("received", "2026-03-09T08:00:00.000000Z", -1);   // a status change on that day
  count("packing", "2026-03-09T08:00:00.000000Z", 1);
  auto rows = [&](const std::string& sql) {
    std::map<std::string, std::int64_t> out;
    auto read = util::run_sync(db.execute(sql, {tenant.value()}));
    EXPECT_TRUE(read) << read.error().detail;
    for (std::size_t i = 0; read && i < read->size(); ++i) out[(*read)[i].string(0)] = (*read)[i].int64(1);
    return out;
  };
  const auto totals = rows("SELECT day, count FROM batch_day_totals WHERE enterprise_id = $1");
  EXPECT_EQ(totals, rows("SELECT day, SUM(count) FROM batch_day_counts WHERE enterprise_id = $1 GROUP BY day"));
  EXPECT_EQ(totals.at("2026-03-09"), 1);
  EXPECT_EQ(rows("SELECT status, count FROM batch_status_counts WHERE enterprise_id = $1"),
            rows("SELECT status, SUM(count) FROM batch_day_counts WHERE enterprise_id = $1 GROUP BY status"));
  std::int64_t sum = 0;
  for (const auto& [day, n] : totals) sum += n;
  EXPECT_EQ(sum, 202);
}

inline void expect_keyset_walk_visits_every_row_once(db::Database& db) {
  ASSERT_TRUE(util::run_sync(db::migrate(db)));
  const domain::TenantId tenant(util::uuid4());
  const auto order = seed_batches(db, tenant, 1'234, 5);
  const db::Runner run(db, nullptr);
  std::vector<std::string> walked;
  // The first page has no cursor; it is the offset-0 page, whose next key starts the walk.
  auto page = util::run_sync(db::batches::list(run, tenant, {}, {100, 0}, std::nullopt));
  ASSERT_TRUE(page);
  for (int guard = 0; guard < 100; ++guard) {
    for (auto& id : ids_of(*page)) walked.push_back(id);
    EXPECT_EQ(page->has_more, page->next.has_value());
    if (!page->has_more) break;
    page = util::run_sync(db::batches::list(run, tenant, {}, {100, 0}, page->next));
    ASSERT_TRUE(page) << page.error().detail;
    EXPECT_EQ(page->page.total, static_cast<std::int64_t>(order.size()));
  }
  EXPECT_EQ(walked, expected_ids(order, 0, static_cast<int>(order.size())));
}

// COPY's text format needs escapes for tabs, newlines and backslashes; NULL stays NULL and
// the literal text "\N" stays text.
inline void expect_bulk_insert_round_trips_awkward_text(db::Database& db) {
  ASSERT_TRUE(util::run_sync(db.execute("CREATE TABLE t_bulk (id INTEGER PRIMARY KEY, note TEXT, ok BOOLEAN)")));
  const std::vector<std::optional<std::string>> notes{"tab\there", "line\nbreak\r\n", "back\\slash", "\\N",
                                                      std::nullopt, "", "ünïcödé ✓"};
  db::BulkRows rows{"t_bulk", {"id", "note", "ok"}, {}};
  for (std::size_t i = 0; i < notes.size(); ++i) {
    db::Param note = notes[i] ? db::Param(*notes[i]) : db::Param(nullptr);
    rows.values.insert(rows.values.end(), {static_cast<std::int64_t>(i), note, i % 2 == 0});
  }
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<std::int64_t>> { co_return co_await tx.bulk_insert(rows); };
  auto written = util::run_sync(db.transaction(work));
  ASSERT_TRUE(written) << written.error().detail;
  EXPECT_EQ(*written, static_cast<std::int64_t>(notes.size()));
  auto read = util::run_sync(db.execute("SELECT id, note, ok FROM t_bulk ORDER BY id"));
  ASSERT_TRUE(read);
  ASSERT_EQ(read->size(), notes.size());
  for (std::size_t i = 0; i < notes.size(); ++i) {
    EXPECT_EQ((*read)[i].optional_string(1), notes[i]) << "row " << i;
    EXPECT_EQ((*read)[i].boolean(2), i % 2 == 0) << "row " << i;
  }

  // A refused COPY (unknown column) is an error value and leaves the connection usable.
  db::BulkRows wrong{"t_bulk", {"id", "no_such_column"}, {std::int64_t{99}, std::string("x")}};
  auto bad_work = [&](db::Lease& tx) -> net::awaitable<Result<std::int64_t>> { co_return co_await tx.bulk_insert(wrong); };
  EXPECT_FALSE(util::run_sync(db.transaction(bad_work)));
  auto after = util::run_sync(db.execute("SELECT COUNT(*) FROM t_bulk"));
  ASSERT_TRUE(after) << after.error().detail;
  EXPECT_EQ(after->front().int64(0), static_cast<std::int64_t>(notes.size()));
}

}  // namespace fruitpak::testing
