#include "domain/export.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace fruitpak::domain {
namespace {

const std::vector<std::string> kPath{"draft", "booked", "loaded", "in_transit", "arrived", "completed"};

TEST(ExportStatusTest, RanksFollowThePathAndCancelledIsOffIt) {
  for (std::size_t i = 0; i < kPath.size(); ++i) EXPECT_EQ(export_status_rank(kPath[i]), static_cast<int>(i));
  EXPECT_EQ(export_status_rank("cancelled"), 6);
  EXPECT_EQ(export_status_rank("shipped"), -1);
  EXPECT_EQ(export_status_rank(""), -1);
  EXPECT_EQ(export_status_rank("Draft"), -1);
  EXPECT_TRUE(is_export_status("in_transit"));
  EXPECT_FALSE(is_export_status("paid"));
}

TEST(ExportStatusTest, OneOrMoreStepsForwardAreAllowed) {
  for (std::size_t from = 0; from < kPath.size(); ++from) {
    for (std::size_t to = from + 1; to < kPath.size(); ++to) {
      EXPECT_TRUE(is_export_transition_allowed(kPath[from], kPath[to])) << kPath[from] << " -> " << kPath[to];
    }
  }
}

TEST(ExportStatusTest, BackwardsIsRefusedAndStayingPutIsAllowed) {
  for (std::size_t from = 0; from < kPath.size(); ++from) {
    for (std::size_t to = 0; to < from; ++to) {
      EXPECT_FALSE(is_export_transition_allowed(kPath[from], kPath[to])) << kPath[from] << " -> " << kPath[to];
    }
    EXPECT_TRUE(is_export_transition_allowed(kPath[from], kPath[from]));
  }
  EXPECT_TRUE(is_export_transition_allowed("cancelled", "cancelled"));
}

TEST(ExportStatusTest, CancellingIsAllowedBeforeTheShipSails) {
  EXPECT_TRUE(is_export_transition_allowed("draft", "cancelled"));
  EXPECT_TRUE(is_export_transition_allowed("booked", "cancelled"));
  EXPECT_TRUE(is_export_transition_allowed("loaded", "cancelled"));
  EXPECT_FALSE(is_export_transition_allowed("in_transit", "cancelled"));
  EXPECT_FALSE(is_export_transition_allowed("arrived", "cancelled"));
  EXPECT_FALSE(is_export_transition_allowed("completed", "cancelled"));
}

TEST(ExportStatusTest, NothingLeavesAClosedExport) {
  for (const auto& to : kPath) EXPECT_FALSE(is_export_transition_allowed("cancelled", to)) << to;
  for (const auto& to : kPath) {
    if (to != "completed") {
      EXPECT_FALSE(is_export_transition_allowed("completed", to)) << to;
    }
  }
  EXPECT_TRUE(is_export_closed("completed"));
  EXPECT_TRUE(is_export_closed("cancelled"));
  EXPECT_FALSE(is_export_closed("arrived"));
}

TEST(ExportStatusTest, UnknownStatusesAreNeverAllowed) {
  EXPECT_FALSE(is_export_transition_allowed("draft", "shipped"));
  EXPECT_FALSE(is_export_transition_allowed("shipped", "draft"));
}

TEST(ExportStatusTest, MessageNamesBothStatuses) {
  EXPECT_EQ(export_transition_message("arrived", "booked"), "Cannot move export from 'arrived' to 'booked'");
}

TEST(MoveExportTest, EnteringInTransitSetsTheDepartureOnce) {
  Export e;
  e.status = "loaded";
  move_export(e, "in_transit", "2026-03-10");
  EXPECT_EQ(e.status, "in_transit");
  EXPECT_EQ(e.actual_departure, "2026-03-10");
  EXPECT_FALSE(e.actual_arrival);
  move_export(e, "arrived", "2026-04-02");
  EXPECT_EQ(e.actual_departure, "2026-03-10");
  EXPECT_EQ(e.actual_arrival, "2026-04-02");
  move_export(e, "completed", "2026-04-05");
  EXPECT_EQ(e.actual_arrival, "2026-04-02");
}

TEST(MoveExportTest, ADateAlreadyEnteredIsKept) {
  Export e;
  e.status = "booked";
  e.actual_departure = "2026-03-08";
  move_export(e, "in_transit", "2026-03-10");
  EXPECT_EQ(e.actual_departure, "2026-03-08");
}

TEST(MoveExportTest, JumpingPastBothStepsSetsBothDates) {
  Export e;
  e.status = "draft";
  move_export(e, "completed", "2026-05-01");
  EXPECT_EQ(e.actual_departure, "2026-05-01");
  EXPECT_EQ(e.actual_arrival, "2026-05-01");
}

TEST(MoveExportTest, EarlierStepsAndCancellingSetNoDates) {
  Export e;
  e.status = "draft";
  move_export(e, "loaded", "2026-05-01");
  EXPECT_FALSE(e.actual_departure);
  move_export(e, "cancelled", "2026-05-02");
  EXPECT_EQ(e.status, "cancelled");
  EXPECT_FALSE(e.actual_departure);
  EXPECT_FALSE(e.actual_arrival);
}

TEST(ExportMoneyTest, AmountsAreKeptToCents) {
  EXPECT_EQ(to_cents(12.346), 1235);
  EXPECT_EQ(to_cents(12.344), 1234);
  EXPECT_EQ(to_cents(0.1 + 0.2), 30);
  EXPECT_EQ(to_cents(1999.99), 199999);
  EXPECT_EQ(to_cents(0), 0);
  EXPECT_DOUBLE_EQ(from_cents(199999), 1999.99);
}

}  // namespace
}  // namespace fruitpak::domain
