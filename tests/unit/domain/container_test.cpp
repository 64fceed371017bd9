#include "domain/container.hpp"

#include <gtest/gtest.h>

#include <string>

namespace fruitpak::domain {
namespace {

TEST(ContainerTest, EachForwardStepStartsFromExactlyOneStatus) {
  EXPECT_EQ(step_rule(ContainerStep::kMarkLoaded).from, "loading");
  EXPECT_EQ(step_rule(ContainerStep::kMarkLoaded).to, "loaded");
  EXPECT_EQ(step_rule(ContainerStep::kSeal).from, "loaded");
  EXPECT_EQ(step_rule(ContainerStep::kSeal).to, "sealed");
  EXPECT_EQ(step_rule(ContainerStep::kDispatch).from, "sealed");
  EXPECT_EQ(step_rule(ContainerStep::kDispatch).to, "dispatched");
  EXPECT_EQ(step_rule(ContainerStep::kExport).from, "dispatched");
  EXPECT_EQ(step_rule(ContainerStep::kExport).to, "in_transit");
  EXPECT_EQ(step_rule(ContainerStep::kArrive).from, "in_transit");
  EXPECT_EQ(step_rule(ContainerStep::kArrive).to, "arrived");
  EXPECT_EQ(step_rule(ContainerStep::kDeliver).from, "arrived");
  EXPECT_EQ(step_rule(ContainerStep::kDeliver).to, "delivered");
}

TEST(ContainerTest, RefusalsNameTheStatusAndTheExpectedOne) {
  EXPECT_EQ(step_refusal(ContainerStep::kSeal, "open"), "Cannot seal \u2014 container is 'open', expected 'loaded'");
  EXPECT_EQ(step_refusal(ContainerStep::kMarkLoaded, "sealed"),
            "Cannot mark as loaded \u2014 container is 'sealed', expected 'loading'");
  EXPECT_EQ(revert_refusal("delivered"), "Cannot revert \u2014 container status 'delivered' has no previous step");
}

TEST(ContainerTest, RevertGoesOneStepBackExceptFromTheEnds) {
  EXPECT_EQ(previous_status("loaded"), std::optional<std::string_view>("loading"));
  EXPECT_EQ(previous_status("sealed"), std::optional<std::string_view>("loaded"));
  EXPECT_EQ(previous_status("dispatched"), std::optional<std::string_view>("sealed"));
  EXPECT_EQ(previous_status("in_transit"), std::optional<std::string_view>("dispatched"));
  EXPECT_EQ(previous_status("arrived"), std::optional<std::string_view>("in_transit"));
  EXPECT_FALSE(previous_status("open"));
  EXPECT_FALSE(previous_status("loading"));
  EXPECT_FALSE(previous_status("delivered"));
  EXPECT_FALSE(previous_status("lost"));
}

TEST(ContainerTest, OnlyOpenAndLoadingContainersTakeOrGivePallets) {
  EXPECT_TRUE(accepts_pallets("open"));
  EXPECT_TRUE(accepts_pallets("loading"));
  for (const char* s : {"loaded", "sealed", "dispatched", "in_transit", "arrived", "delivered"}) {
    EXPECT_FALSE(accepts_pallets(s)) << s;
    EXPECT_TRUE(is_container_status(s)) << s;
  }
  EXPECT_FALSE(is_container_status("Open"));
}

TEST(ContainerTest, PalletStatusesFollowLoadingUnloadingAndDispatch) {
  EXPECT_EQ(pallet_status_on_load("open"), "loaded");
  EXPECT_EQ(pallet_status_on_load("closed"), "loaded");
  EXPECT_EQ(pallet_status_on_load("stored"), "loaded");
  EXPECT_EQ(pallet_status_on_load("allocated"), "loaded");
  EXPECT_EQ(pallet_status_on_load("exported"), "exported");
  EXPECT_EQ(pallet_status_on_unload(240, 240), "closed");
  EXPECT_EQ(pallet_status_on_unload(239, 240), "open");
  EXPECT_EQ(pallet_status_on_unload(0, 240), "open");
  auto ship = pallet_cascade("sealed", "dispatched");
  ASSERT_TRUE(ship);
  EXPECT_EQ(ship->from, "loaded");
  EXPECT_EQ(ship->to, "exported");
  auto back = pallet_cascade("dispatched", "sealed");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->from, "exported");
  EXPECT_EQ(back->to, "loaded");
  EXPECT_FALSE(pallet_cascade("loading", "loaded"));
  EXPECT_FALSE(pallet_cascade("dispatched", "in_transit"));
}

TEST(ContainerTest, OverdueOnlyOnTheWayAndPastTheEta) {
  const std::optional<std::string> eta("2026-03-10");
  EXPECT_TRUE(is_overdue("dispatched", eta, "2026-03-11"));
  EXPECT_TRUE(is_overdue("in_transit", eta, "2026-03-11"));
  EXPECT_FALSE(is_overdue("in_transit", eta, "2026-03-10"));
  EXPECT_FALSE(is_overdue("arrived", eta, "2026-04-01"));
  EXPECT_FALSE(is_overdue("in_transit", std::nullopt, "2026-04-01"));
}

TEST(ContainerTest, PositionsContinueAfterTheHighestHeld) {
  EXPECT_EQ(next_position({}), 1);
  std::vector<LoadablePallet> held(2);
  held[0].position_in_container = "1";
  held[1].position_in_container = "7";
  EXPECT_EQ(next_position(held), 8);
  held[1].position_in_container = "x";
  EXPECT_EQ(next_position(held), 3);  // never behind the number held
}

TEST(ContainerTest, ListSomeNamesAFewAndCountsTheRest) {
  EXPECT_EQ(list_some({}), "");
  EXPECT_EQ(list_some({"a", "b"}), "a, b");
  EXPECT_EQ(list_some({"a", "b", "c", "d", "e"}), "a, b, c (+2 more)");
  EXPECT_EQ(list_some({"a", "b", "c", "d"}, 10), "a, b, c, d");
}

TEST(ContainerTest, ApplyCopiesOnlyTheSentPlainKeys) {
  Container c;
  c.container_type = "reefer";
  c.notes = "keep";
  c.destination = "Durban";
  ContainerUpdate u;
  u.sent = {"destination", "capacity_pallets"};
  u.values.destination = std::nullopt;
  u.values.capacity_pallets = 22;
  u.values.notes = "ignored";
  apply(u, c);
  EXPECT_FALSE(c.destination);
  EXPECT_EQ(c.capacity_pallets, 22);
  EXPECT_EQ(c.notes, std::optional<std::string>("keep"));
  EXPECT_EQ(c.container_type, "reefer");
}

}  // namespace
}  // namespace fruitpak::domain
