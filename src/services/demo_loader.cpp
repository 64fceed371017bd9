#include "services/demo_loader.hpp"

#include "db/database.hpp"
#include "db/user_repository.hpp"
#include "domain/account.hpp"
#include "services/auth/password_hasher.hpp"
#include "util/clock.hpp"
#include "util/crypto.hpp"

namespace fruitpak::services {
namespace {

const std::vector<DemoLogin>& demo_logins() {
  // Published demo credentials: only for the local demo database.
  static const std::vector<DemoLogin> logins{
      {"administrator", "admin@demo-packhouse.example", "demo-admin-2026"},
      {"operator", "operator@demo-packhouse.example", "demo-operator-2026"},
  };
  return logins;
}

constexpr const char* kEnterpriseName = "Demo Citrus Packhouse";

}  // namespace

net::awaitable<Result<DemoOutcome>> load_demo(db::Database& db, util::BlockingPool& blocking, int bcrypt_cost) {
  DemoOutcome outcome{false, kEnterpriseName, demo_logins()};
  auto existing = co_await db::users::find_by_email(db::Runner(db, nullptr), demo_logins().front().email);
  if (!existing) co_return existing.error();
  if (*existing) co_return outcome;

  std::vector<std::string> hashes;
  for (const auto& login : demo_logins()) {
    const std::string password = login.password;
    auto work = [password, bcrypt_cost] { return auth::hash_password(password, bcrypt_cost); };
    auto hashed = co_await blocking.run(work);
    if (!hashed) co_return hashed.error();
    hashes.push_back(std::move(*hashed));
  }

  const auto now = util::iso_utc_now();
  domain::Enterprise enterprise{util::uuid4(), kEnterpriseName, "ZA", "", true, true, now};
  enterprise.tenant_schema = domain::tenant_schema_for(enterprise.id);
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<int>> {
    db::Runner run(tx);
    if (auto inserted = co_await db::enterprises::insert(run, enterprise, now); !inserted) co_return inserted.error();
    std::string admin_id;
    for (std::size_t i = 0; i < demo_logins().size(); ++i) {
      domain::User user;
      user.id = util::uuid4();
      user.email = demo_logins()[i].email;
      user.hashed_password = hashes[i];
      user.full_name = i == 0 ? "Demo Administrator" : "Demo Operator";
      user.role = *domain::parse_role(demo_logins()[i].role);
      user.enterprise_id = enterprise.id;
      if (!admin_id.empty()) user.created_by = admin_id;
      user.created_at = user.updated_at = now;
      if (auto added = co_await db::users::insert(run, user); !added) co_return added.error();
      if (admin_id.empty()) admin_id = user.id;
    }
    co_return 1;
  };
  auto stored = co_await db.transaction(work);
  if (!stored) co_return stored.error();
  outcome.created = true;
  co_return outcome;
}

}  // namespace fruitpak::services
