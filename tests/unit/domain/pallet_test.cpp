// The pure pallet rules of contract 11.4: filling pallets in order with overflow, codes,
// mixed sizes and box types, the status that follows the fill, container locks.

#include "domain/pallet.hpp"

#include <gtest/gtest.h>

namespace fruitpak::domain {
namespace {

LotAssignment assignment(std::string lot_id, std::int64_t boxes) {
  return LotAssignment{.lot_id = std::move(lot_id), .box_count = boxes, .size = std::nullopt};
}

TEST(PalletFillTest, FillsInOrderAndOverflowsIntoNewPallets) {
  // 100 + 130 boxes at 120 a pallet: [A 100, B 20] and [B 110].
  auto plan = fill_pallets({assignment("A", 100), assignment("B", 130)}, 120);
  ASSERT_EQ(plan.size(), 2u);
  ASSERT_EQ(plan[0].size(), 2u);
  EXPECT_EQ(plan[0][0].assignment, 0u);
  EXPECT_EQ(plan[0][0].boxes, 100);
  EXPECT_EQ(plan[0][1].assignment, 1u);
  EXPECT_EQ(plan[0][1].boxes, 20);
  ASSERT_EQ(plan[1].size(), 1u);
  EXPECT_EQ(plan[1][0].assignment, 1u);
  EXPECT_EQ(plan[1][0].boxes, 110);
}

TEST(PalletFillTest, ExactMultiplesLeaveNoEmptyPallet) {
  // 5 boxes at 1 a pallet: 5 pallets; 240 at 240: one.
  EXPECT_EQ(fill_pallets({assignment("A", 5)}, 1).size(), 5u);
  auto one = fill_pallets({assignment("A", 200), assignment("B", 40)}, 240);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].size(), 2u);
  // A lot larger than three pallets: 3 full pallets and 10 boxes.
  auto spread = fill_pallets({assignment("A", 70)}, 20);
  ASSERT_EQ(spread.size(), 4u);
  EXPECT_EQ(spread[3][0].boxes, 10);
}

TEST(PalletCodeTest, PadsToThreeDigitsAndGrows) {
  EXPECT_EQ(pallet_code("20260301", 7), "PAL-20260301-007");
  EXPECT_EQ(pallet_code("20260301", 1234), "PAL-20260301-1234");
}

TEST(PalletMixingTest, NamesTheDistinctSortedSizes) {
  EXPECT_EQ(mixed_sizes_problem({"64", "64"}), "");
  EXPECT_EQ(mixed_sizes_problem({}), "");
  EXPECT_EQ(mixed_sizes_problem({"72", "64", "72"}), "Mixed sizes on pallet (64, 72). Use allow_mixed_sizes to override.");
  EXPECT_EQ(mixed_box_types_problem({"Box 1"}), "");
  EXPECT_EQ(mixed_box_types_problem({"Box 2", "Box 1"}),
            "Mixed box types on pallet (Box 1, Box 2). Use allow_mixed_box_types to override.");
}

TEST(PalletStatusTest, OpenAndClosedFollowTheFillOthersStay) {
  EXPECT_EQ(status_for_fill("open", 240, 240), "closed");
  EXPECT_EQ(status_for_fill("closed", 239, 240), "open");
  EXPECT_EQ(status_for_fill("open", 0, 240), "open");
  EXPECT_EQ(status_for_fill("loaded", 0, 240), "loaded");
}

TEST(PalletLockTest, OnlyPalletsInAContainerAreLocked) {
  EXPECT_TRUE(pallet_locked_fields(std::nullopt).empty());
  EXPECT_EQ(pallet_locked_fields(std::string("c1")).size(), 7u);
  EXPECT_EQ(pallet_lock_message("grade", "CONT-1"),
            "Cannot edit grade: Pallet loaded in container CONT-1. Unload pallet from container first.");
  EXPECT_EQ(shortfall_message("L1", 5, 6), "Lot L1 has only 5 unallocated box(es), cannot assign 6");
}

TEST(PalletCodesTest, LotAndBatchCodesAreDistinctInAllocationOrder) {
  Pallet p;
  p.lines.push_back(PalletLine{.id = "1", .lot_code = std::string("L2"), .batch_code = std::string("B1")});
  p.lines.push_back(PalletLine{.id = "2", .lot_code = std::string("L1"), .batch_code = std::string("B1")});
  p.lines.push_back(PalletLine{.id = "3", .lot_code = std::string("L2"), .batch_code = std::string("B1")});
  EXPECT_EQ(p.lot_codes(), (std::vector<std::string>{"L2", "L1"}));
  EXPECT_EQ(p.batch_codes(), (std::vector<std::string>{"B1"}));
}

}  // namespace
}  // namespace fruitpak::domain
