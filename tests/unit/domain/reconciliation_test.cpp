// Tolerance and severity rules of reconciliation (contract 4.1) at every boundary.

#include "domain/reconciliation.hpp"

#include <gtest/gtest.h>

namespace fruitpak::domain {
namespace {

const Tolerances kDefaults{};

TEST(ReconciliationRulesTest, VariancePercentIsRelativeToExpectedAndRoundsHalfUp) {
  EXPECT_EQ(variance_bp(1'000'000, 1'000'000), 0);
  EXPECT_EQ(variance_bp(1'000'000, 980'000), 200);    // 1,000 kg vs 980 kg: 2.00 %
  EXPECT_EQ(variance_bp(1'000'000, 1'020'000), 200);  // the sign does not matter
  EXPECT_EQ(variance_bp(-1'000, -1'100), 1'000);      // |expected| below the line
  // 3 g off 2,000 g is 0.15 %; 1 g off 3,000 g is 0.0333 % -> 0.03 %; 1 g off 1,600 g is
  // 0.0625 % -> 0.06 %; 5 g off 80,000 g is 0.00625 % -> 0.01 % (half up).
  EXPECT_EQ(variance_bp(2'000, 2'003), 15);
  EXPECT_EQ(variance_bp(3'000, 3'001), 3);
  EXPECT_EQ(variance_bp(1'600, 1'601), 6);
  EXPECT_EQ(variance_bp(80'000, 80'005), 1);
  // Three times the expected weight is 200 %.
  EXPECT_EQ(variance_bp(500, 1'500), 20'000);
}

TEST(ReconciliationRulesTest, NothingExpectedIsAHundredPercentOffUnlessNothingArrived) {
  EXPECT_EQ(variance_bp(0, 0), 0);
  EXPECT_EQ(variance_bp(0, 1), 10'000);
  EXPECT_EQ(variance_bp(0, -250'000), 10'000);
}

TEST(ReconciliationRulesTest, WeightAlertsOnlyAboveTwoPercentAfterRounding) {
  EXPECT_FALSE(weight_mismatch(1'000'000, 980'000, kDefaults));  // exactly 2.00 %
  EXPECT_FALSE(weight_mismatch(1'000'000, 979'951, kDefaults));  // 2.0049 % rounds to 2.00 %
  EXPECT_TRUE(weight_mismatch(1'000'000, 979'950, kDefaults));   // 2.005 % rounds to 2.01 %
  EXPECT_TRUE(weight_mismatch(1'000'000, 1'020'100, kDefaults));
  EXPECT_FALSE(weight_mismatch(0, 0, kDefaults));
  EXPECT_TRUE(weight_mismatch(0, 1, kDefaults));
}

TEST(ReconciliationRulesTest, SeverityStepsAtFiveTenAndTwentyPercent) {
  EXPECT_EQ(severity_of(0, kDefaults), Severity::kLow);
  EXPECT_EQ(severity_of(499, kDefaults), Severity::kLow);
  EXPECT_EQ(severity_of(500, kDefaults), Severity::kMedium);   // exactly 5 %
  EXPECT_EQ(severity_of(999, kDefaults), Severity::kMedium);
  EXPECT_EQ(severity_of(1'000, kDefaults), Severity::kHigh);   // exactly 10 %
  EXPECT_EQ(severity_of(1'999, kDefaults), Severity::kHigh);
  EXPECT_EQ(severity_of(2'000, kDefaults), Severity::kCritical);  // exactly 20 %
  EXPECT_EQ(severity_of(10'000, kDefaults), Severity::kCritical);
}

TEST(ReconciliationRulesTest, SeverityFollowsConfiguredThresholds) {
  Tolerances strict;
  strict.medium_bp = 100;
  strict.high_bp = 200;
  strict.critical_bp = 300;
  EXPECT_EQ(severity_of(99, strict), Severity::kLow);
  EXPECT_EQ(severity_of(100, strict), Severity::kMedium);
  EXPECT_EQ(severity_of(200, strict), Severity::kHigh);
  EXPECT_EQ(severity_of(300, strict), Severity::kCritical);
}

TEST(ReconciliationRulesTest, MoneyAlertsOnlyAboveFiftyUnits) {
  EXPECT_FALSE(amount_mismatch(100'000, 105'000, kDefaults));  // exactly 50.00 over
  EXPECT_FALSE(amount_mismatch(100'000, 95'000, kDefaults));   // exactly 50.00 under
  EXPECT_TRUE(amount_mismatch(100'000, 105'001, kDefaults));   // 50.01 over
  EXPECT_TRUE(amount_mismatch(100'000, 94'999, kDefaults));
  EXPECT_FALSE(amount_mismatch(0, 5'000, kDefaults));
  EXPECT_TRUE(amount_mismatch(0, 5'001, kDefaults));
}

TEST(ReconciliationRulesTest, PalletCountsAreHighWhenMoreThanTwoApart) {
  EXPECT_EQ(pallet_severity(20, 19), Severity::kMedium);
  EXPECT_EQ(pallet_severity(20, 18), Severity::kMedium);  // exactly 2 apart
  EXPECT_EQ(pallet_severity(20, 17), Severity::kHigh);
  EXPECT_EQ(pallet_severity(0, 3), Severity::kHigh);
}

TEST(ReconciliationRulesTest, SeverityNamesRoundTrip) {
  for (auto s : {Severity::kLow, Severity::kMedium, Severity::kHigh, Severity::kCritical}) {
    EXPECT_EQ(severity_from(severity_name(s)), s);
  }
  EXPECT_EQ(severity_name(Severity::kCritical), "critical");
  EXPECT_FALSE(severity_from("urgent"));
  EXPECT_FALSE(severity_from("Critical"));
}

TEST(ReconciliationRulesTest, FiguresReadAsTheContractDescribes) {
  EXPECT_EQ(format_quantity(950'000, AlertUnit::kKg), "950.0 kg");
  EXPECT_EQ(format_quantity(1'234'567'890, AlertUnit::kKg), "1,234,567.9 kg");  // 0.89 kg rounds up
  EXPECT_EQ(format_quantity(1'234'549, AlertUnit::kKg), "1,234.5 kg");
  EXPECT_EQ(format_quantity(-275'000, AlertUnit::kKg, true), "-275.0 kg");
  EXPECT_EQ(format_quantity(275'000, AlertUnit::kKg, true), "+275.0 kg");
  EXPECT_EQ(format_quantity(0, AlertUnit::kKg, true), "0.0 kg");
  EXPECT_EQ(format_quantity(478'400, AlertUnit::kCurrency), "4,784.00");
  EXPECT_EQ(format_quantity(100'000'005, AlertUnit::kCurrency), "1,000,000.05");
  EXPECT_EQ(format_quantity(-5'001, AlertUnit::kCurrency, true), "-50.01");
  EXPECT_EQ(format_quantity(1, AlertUnit::kPallets), "1 pallet");
  EXPECT_EQ(format_quantity(3, AlertUnit::kPallets, true), "+3 pallets");
  EXPECT_EQ(format_percent(1'234), "12.3%");
  EXPECT_EQ(format_percent(1'235), "12.4%");  // half up
  EXPECT_EQ(format_percent(10'000), "100.0%");
  EXPECT_EQ(format_percent(4), "0.0%");
}

TEST(ReconciliationRulesTest, StoredValuesAreInTheUnitsOfTheAlert) {
  EXPECT_DOUBLE_EQ(unit_value(950'125, AlertUnit::kKg), 950.125);
  EXPECT_DOUBLE_EQ(unit_value(478'401, AlertUnit::kCurrency), 4784.01);
  EXPECT_DOUBLE_EQ(unit_value(-3, AlertUnit::kPallets), -3.0);
  EXPECT_EQ(unit_name(AlertUnit::kCurrency), "currency");
}

}  // namespace
}  // namespace fruitpak::domain
