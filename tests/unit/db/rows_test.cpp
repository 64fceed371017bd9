#include "db/rows.hpp"

#include <gtest/gtest.h>

namespace fruitpak::db {
namespace {

Rows one_cell(std::optional<std::string> value) { return Rows({"c"}, {std::move(value)}, 0); }

TEST(RowsTest, TimestampsReadTheSameFromBothEngines) {
  EXPECT_EQ(one_cell("2026-02-12 14:03:22.1234").front().timestamp(0), "2026-02-12T14:03:22.123400");  // PostgreSQL
  EXPECT_EQ(one_cell("2026-02-12T14:03:22.123400").front().timestamp(0), "2026-02-12T14:03:22.123400");  // SQLite
  // A whole second reads without a fraction on both engines, as Python's isoformat prints it.
  EXPECT_EQ(one_cell("2026-02-12 14:03:22").front().timestamp(0), "2026-02-12T14:03:22");
  EXPECT_EQ(one_cell("2026-02-12T14:03:22.000000").front().timestamp(0), "2026-02-12T14:03:22");  // SQLite
  EXPECT_FALSE(one_cell(std::nullopt).front().timestamp(0));
}

TEST(RowsTest, BooleansOfBothEngines) {
  EXPECT_TRUE(one_cell("t").front().boolean(0));
  EXPECT_TRUE(one_cell("1").front().boolean(0));
  EXPECT_FALSE(one_cell("f").front().boolean(0));
  EXPECT_FALSE(one_cell("0").front().boolean(0));
}

TEST(RowsTest, NumbersAndNulls) {
  EXPECT_EQ(one_cell("42").front().int64(0), 42);
  EXPECT_DOUBLE_EQ(one_cell("2.5").front().number(0), 2.5);
  EXPECT_FALSE(one_cell(std::nullopt).front().optional_number(0));
  EXPECT_EQ(one_cell(std::nullopt).front().string(0), "");
}

}  // namespace
}  // namespace fruitpak::db
