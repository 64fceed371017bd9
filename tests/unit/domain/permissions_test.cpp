#include "domain/permissions.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace fruitpak::domain {
namespace {

bool has(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool is_sorted_unique(const std::vector<std::string>& names) {
  return std::adjacent_find(names.begin(), names.end(), [](const auto& a, const auto& b) {
           return !(a < b);
         }) == names.end();
}

TEST(PermissionsTest, CatalogueHas29SortedNames) {
  const auto& all = permission_catalogue();
  EXPECT_EQ(all.size(), 29u);
  EXPECT_TRUE(is_sorted_unique(all));
  EXPECT_TRUE(has(all, "enterprise.manage"));
  EXPECT_TRUE(has(all, "reports.export"));
}

TEST(PermissionsTest, RoleDefaultCountsMatchTheContract) {
  EXPECT_EQ(default_permissions(Role::kAdministrator).size(), 29u);
  EXPECT_EQ(default_permissions(Role::kSupervisor).size(), 17u);
  EXPECT_EQ(default_permissions(Role::kOperator).size(), 9u);
}

TEST(PermissionsTest, AdministratorHasTheWholeCatalogue) {
  EXPECT_EQ(default_permissions(Role::kAdministrator), permission_catalogue());
}

TEST(PermissionsTest, DefaultsAreSorted) {
  for (Role role : {Role::kAdministrator, Role::kSupervisor, Role::kOperator}) {
    EXPECT_TRUE(is_sorted_unique(default_permissions(role))) << to_string(role);
  }
}

TEST(PermissionsTest, SupervisorWritesButDoesNotDelete) {
  const auto perms = default_permissions(Role::kSupervisor);
  EXPECT_TRUE(has(perms, "packhouse.write"));
  EXPECT_FALSE(has(perms, "packhouse.delete"));
  EXPECT_TRUE(has(perms, "users.read"));
  EXPECT_FALSE(has(perms, "users.write"));
  EXPECT_TRUE(has(perms, "export.write"));
  EXPECT_TRUE(has(perms, "reports.export"));
  EXPECT_TRUE(has(perms, "storage.write"));
}

TEST(PermissionsTest, OperatorReadsAndRecordsProduceOnly) {
  const auto perms = default_permissions(Role::kOperator);
  EXPECT_EQ(perms, (std::vector<std::string>{"batch.read", "batch.write", "grower.read",
                                             "lot.read", "lot.write", "packhouse.read",
                                             "pallet.read", "pallet.write", "storage.read"}));
  EXPECT_FALSE(has(perms, "grower.write"));
  EXPECT_FALSE(has(perms, "export.read"));
  EXPECT_FALSE(has(perms, "users.read"));
}

TEST(PermissionsTest, OnlyAdministratorsHaveFinancialsAndEnterprise) {
  for (Role role : {Role::kSupervisor, Role::kOperator}) {
    const auto perms = default_permissions(role);
    EXPECT_FALSE(has(perms, "financials.read")) << to_string(role);
    EXPECT_FALSE(has(perms, "financials.write")) << to_string(role);
    EXPECT_FALSE(has(perms, "enterprise.manage")) << to_string(role);
    EXPECT_FALSE(has(perms, "enterprise.delete")) << to_string(role);
  }
  const auto admin = default_permissions(Role::kAdministrator);
  EXPECT_TRUE(has(admin, "financials.write"));
  EXPECT_TRUE(has(admin, "enterprise.manage"));
}

TEST(PermissionsTest, OverridesAddAndRemove) {
  const auto perms = resolve_permissions(
      Role::kOperator, {{"grower.write", true}, {"batch.write", false}, {"batch.read", true}});
  EXPECT_EQ(perms.size(), 9u);
  EXPECT_TRUE(has(perms, "grower.write"));
  EXPECT_FALSE(has(perms, "batch.write"));
  EXPECT_TRUE(has(perms, "batch.read"));
  EXPECT_TRUE(is_sorted_unique(perms));
}

TEST(PermissionsTest, UnknownOverridesAreIgnored) {
  const auto perms = resolve_permissions(
      Role::kSupervisor, {{"*", true}, {"payments.write", true}, {"Batch.Read", false}});
  EXPECT_EQ(perms, default_permissions(Role::kSupervisor));
}

TEST(PermissionsTest, NoOverridesGiveTheDefaults) {
  EXPECT_EQ(resolve_permissions(Role::kAdministrator, {}),
            default_permissions(Role::kAdministrator));
}

TEST(PermissionsTest, MissingPermissionsKeepsRequiredOrder) {
  const std::vector<std::string> granted{"batch.read", "grower.read"};
  EXPECT_EQ(missing_permissions(granted, {"lot.write", "batch.read", "export.read"}),
            (std::vector<std::string>{"lot.write", "export.read"}));
  EXPECT_TRUE(missing_permissions(granted, {"grower.read"}).empty());
  EXPECT_TRUE(missing_permissions(granted, {}).empty());
}

TEST(PermissionsTest, WildcardGrantsNothing) {
  EXPECT_EQ(missing_permissions({"*"}, {"batch.read"}), (std::vector<std::string>{"batch.read"}));
  EXPECT_EQ(missing_permissions({"batch.*"}, {"batch.read"}),
            (std::vector<std::string>{"batch.read"}));
}

TEST(PermissionsTest, ParseRoleAcceptsApiValuesAndStoredNames) {
  EXPECT_EQ(parse_role("administrator"), Role::kAdministrator);
  EXPECT_EQ(parse_role("supervisor"), Role::kSupervisor);
  EXPECT_EQ(parse_role("operator"), Role::kOperator);
  EXPECT_EQ(parse_role("ADMINISTRATOR"), Role::kAdministrator);
  EXPECT_EQ(parse_role("SUPERVISOR"), Role::kSupervisor);
  EXPECT_EQ(parse_role("OPERATOR"), Role::kOperator);
}

TEST(PermissionsTest, ParseRoleRejectsEverythingElse) {
  EXPECT_FALSE(parse_role(""));
  EXPECT_FALSE(parse_role("Administrator"));
  EXPECT_FALSE(parse_role("admin"));
  EXPECT_FALSE(parse_role(" operator"));
  EXPECT_FALSE(parse_role("operator "));
  EXPECT_FALSE(parse_role("owner"));
}

TEST(PermissionsTest, RoleToStringIsTheApiValue) {
  EXPECT_EQ(to_string(Role::kAdministrator), "administrator");
  EXPECT_EQ(to_string(Role::kSupervisor), "supervisor");
  EXPECT_EQ(to_string(Role::kOperator), "operator");
  for (Role role : {Role::kAdministrator, Role::kSupervisor, Role::kOperator}) {
    EXPECT_EQ(parse_role(to_string(role)), role);
  }
}

}  // namespace
}  // namespace fruitpak::domain
