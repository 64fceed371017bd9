#include "db/user_repository.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace fruitpak::db {
namespace {

namespace json = boost::json;

#define FP_USER_COLUMNS                                                                            \
  "id, email, hashed_password, full_name, phone, role, is_active, otp_verified, enterprise_id, " \
  "custom_permissions, assigned_packhouses, created_by, created_at, updated_at"

constexpr std::string_view kSelectUserById = "SELECT " FP_USER_COLUMNS " FROM users WHERE id = $1";
constexpr std::string_view kSelectUserByEmail = "SELECT " FP_USER_COLUMNS " FROM users WHERE email = $1";
constexpr std::string_view kSelectUserByPhone = "SELECT " FP_USER_COLUMNS " FROM users WHERE phone = $1";
constexpr std::string_view kSelectUsersOfTenant =
    "SELECT " FP_USER_COLUMNS " FROM users WHERE enterprise_id = $1 ORDER BY created_at DESC, id";
constexpr std::string_view kInsertUser =
    "INSERT INTO users (" FP_USER_COLUMNS ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";
constexpr std::string_view kJoinEnterprise =
    "UPDATE users SET enterprise_id = $2, role = $3, updated_at = $4 WHERE id = $1";
constexpr std::string_view kMarkOtpVerified = "UPDATE users SET otp_verified = $2, updated_at = $3 WHERE id = $1";

constexpr std::string_view kUpdateMembership =
    "UPDATE users SET full_name = $3, phone = $4, role = $5, custom_permissions = $6, assigned_packhouses = $7,"
    " is_active = $8, updated_at = $9 WHERE id = $1 AND enterprise_id = $2";
#undef FP_USER_COLUMNS

constexpr std::string_view kInsertEnterprise =
    "INSERT INTO enterprises (id, name, country, tenant_schema, is_active, is_onboarded, created_at, updated_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $7)";
constexpr std::string_view kSelectEnterpriseById =
    "SELECT id, name, country, tenant_schema, is_active, is_onboarded, created_at FROM enterprises WHERE id = $1";

constexpr std::string_view kSelectActiveOnboardedIds =
    "SELECT id FROM enterprises WHERE is_active = TRUE AND is_onboarded = TRUE ORDER BY created_at, id";

std::map<std::string, bool> parse_overrides(const std::optional<std::string>& text) {
  std::map<std::string, bool> out;
  if (!text) return out;
  boost::system::error_code ec;
  auto value = json::parse(*text, ec);
  if (ec || !value.is_object()) return out;
  for (const auto& [key, flag] : value.as_object()) {
    if (flag.is_bool()) out[std::string(key)] = flag.as_bool();
  }
  return out;
}

std::optional<std::vector<std::string>> parse_string_list(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  boost::system::error_code ec;
  auto value = json::parse(*text, ec);
  if (ec || !value.is_array()) return std::nullopt;
  std::vector<std::string> out;
  for (const auto& item : value.as_array()) {
    if (item.is_string()) out.emplace_back(item.as_string());
  }
  return out;
}

Param overrides_param(const std::map<std::string, bool>& overrides) {
  if (overrides.empty()) return nullptr;
  json::object o;
  for (const auto& [k, v] : overrides) o[k] = v;
  return json::serialize(o);
}

Param list_param(const std::optional<std::vector<std::string>>& list) {
  if (!list) return nullptr;
  json::array a;
  for (const auto& s : *list) a.emplace_back(s);
  return json::serialize(a);
}

domain::User user_from(const Row& r) {
  domain::User u;
  u.id = r.string(0);
  u.email = r.string(1);
  u.hashed_password = r.optional_string(2);
  u.full_name = r.string(3);
  u.phone = r.optional_string(4);
  u.role = domain::parse_role(r.string(5)).value_or(domain::Role::kOperator);
  u.is_active = r.boolean(6);
  u.otp_verified = r.boolean(7);
  u.enterprise_id = r.optional_string(8);
  u.custom_permissions = parse_overrides(r.optional_string(9));
  u.assigned_packhouses = parse_string_list(r.optional_string(10));
  u.created_by = r.optional_string(11);
  u.created_at = r.timestamp(12).value_or("");
  u.updated_at = r.timestamp(13).value_or("");
  return u;
}

net::awaitable<Result<std::optional<domain::User>>> find_one(Runner run, std::string_view sql, std::string key) {
  Params params{std::move(key)};
  auto rows = co_await run.execute(sql, std::move(params));
  if (!rows) co_return rows.error();
  if (rows->empty()) co_return std::optional<domain::User>();
  co_return std::optional<domain::User>(user_from(rows->front()));
}

net::awaitable<Result<void>> expect_one_row(Runner run, std::string_view sql, Params params) {
  auto rows = co_await run.execute(sql, std::move(params));
  if (!rows) co_return rows.error();
  if (rows->affected() != 1) co_return make_error(Errc::kNotFound, "no row updated");
  co_return Result<void>{};
}

}  // namespace

namespace users {

net::awaitable<Result<std::optional<domain::User>>> find_by_id(Runner run, std::string id) {
  return find_one(run, kSelectUserById, std::move(id));
}

net::awaitable<Result<std::optional<domain::User>>> find_by_email(Runner run, std::string email) {
  return find_one(run, kSelectUserByEmail, std::move(email));
}

net::awaitable<Result<std::optional<domain::User>>> find_by_phone(Runner run, std::string phone) {
  return find_one(run, kSelectUserByPhone, std::move(phone));
}

net::awaitable<Result<void>> insert(Runner run, domain::User u) {
  Params params{u.id,
                u.email,
                nullable(u.hashed_password),
                u.full_name,
                nullable(u.phone),
                std::string(domain::to_string(u.role)),
                u.is_active,
                u.otp_verified,
                nullable(u.enterprise_id),
                overrides_param(u.custom_permissions),
                list_param(u.assigned_packhouses),
                nullable(u.created_by),
                u.created_at,
                u.updated_at};
  auto rows = co_await run.execute(kInsertUser, std::move(params));
  if (!rows) co_return rows.error();
  co_return Result<void>{};
}

net::awaitable<Result<void>> join_enterprise(Runner run, std::string user_id, std::string enterprise_id,
                                             domain::Role role, std::string now) {
  Params params{std::move(user_id), std::move(enterprise_id), std::string(domain::to_string(role)), std::move(now)};
  return expect_one_row(run, kJoinEnterprise, std::move(params));
}

net::awaitable<Result<void>> mark_otp_verified(Runner run, std::string user_id, std::string now) {
  Params params{std::move(user_id), true, std::move(now)};
  return expect_one_row(run, kMarkOtpVerified, std::move(params));
}

net::awaitable<Result<std::vector<domain::User>>> list_for_tenant(Runner run, domain::TenantId tenant) {
  Params params{tenant.value()};
  auto rows = co_await run.execute(kSelectUsersOfTenant, std::move(params));
  if (!rows) co_return rows.error();
  std::vector<domain::User> out;
  for (std::size_t i = 0; i < rows->size(); ++i) out.push_back(user_from((*rows)[i]));
  co_return out;
}

net::awaitable<Result<void>> update_membership(Runner run, domain::TenantId tenant, domain::User u, std::string now) {
  Params params{u.id,
                tenant.value(),
                u.full_name,
                nullable(u.phone),
                std::string(domain::to_string(u.role)),
                overrides_param(u.custom_permissions),
                list_param(u.assigned_packhouses),
                u.is_active,
                std::move(now)};
  auto rows = co_await run.execute(kUpdateMembership, std::move(params));
  if (!rows) co_return rows.error();
  if (rows->affected() != 1) co_return make_error(Errc::kNotFound, "user vanished during update");
  co_return Result<void>{};
}

}  // namespace users

namespace enterprises {

net::awaitable<Result<void>> insert(Runner run, domain::Enterprise e, std::string now) {
  Params params{e.id, e.name, e.country, e.tenant_schema, e.is_active, e.is_onboarded, std::move(now)};
  auto rows = co_await run.execute(kInsertEnterprise, std::move(params));
  if (!rows) co_return rows.error();
  co_return Result<void>{};
}

net::awaitable<Result<std::optional<domain::Enterprise>>> find_by_id(Runner run, std::string id) {
  Params params{std::move(id)};
  auto rows = co_await run.execute(kSelectEnterpriseById, std::move(params));
  if (!rows) co_return rows.error();
  if (rows->empty()) co_return std::optional<domain::Enterprise>();
  auto r = rows->front();
  domain::Enterprise e{r.string(0), r.string(1), r.string(2), r.string(3), r.boolean(4), r.boolean(5),
                       r.timestamp(6).value_or("")};
  co_return std::optional<domain::Enterprise>(std::move(e));
}

net::awaitable<Result<std::vector<std::string>>> active_onboarded_ids(Runner run) {
  auto rows = co_await run.execute(kSelectActiveOnboardedIds, {});
  if (!rows) co_return rows.error();
  std::vector<std::string> ids;
  ids.reserve(rows->size());
  for (std::size_t i = 0; i < rows->size(); ++i) ids.push_back((*rows)[i].string(0));
  co_return ids;
}

}  // namespace enterprises
}  // namespace fruitpak::db
