// The lot repository contract (round trip, list, totals, allocations, code ranges) on SQLite.

#include "integration/db/lot_repository_contract.hpp"
#include "support/test_env.hpp"

namespace fruitpak::testing {
namespace {

class LotRepositorySqliteTest : public ::testing::Test {
 protected:
  std::unique_ptr<db::Database> open() { return db::open_database(test_config(file_.url()), blocking_); }
  TempSqliteFile file_;
  util::BlockingPool blocking_{2};
};

TEST_F(LotRepositorySqliteTest, LotsRoundTripAndListNewestFirst) { expect_lots_round_trip_and_list_newest_first(*open()); }

TEST_F(LotRepositorySqliteTest, AllocatedLotsResistSoftDelete) { expect_allocated_lots_resist_soft_delete(*open()); }

TEST_F(LotRepositorySqliteTest, CodeRangesFollowEachOther) { expect_code_ranges_follow_each_other(*open()); }

}  // namespace
}  // namespace fruitpak::testing
