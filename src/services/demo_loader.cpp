#include "services/demo_loader.hpp"

#include "db/batch_repository.hpp"
#include "db/database.hpp"
#include "db/grower_repository.hpp"
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

const std::vector<DemoLogin>& bench_logins() {
  // Published benchmark credentials, like the demo's.
  static const std::vector<DemoLogin> logins{{"administrator", "bench@bench.example", "bench-admin-2026"}};
  return logins;
}

constexpr const char* kEnterpriseName = "Demo Citrus Packhouse";
constexpr const char* kBenchEnterpriseName = "Bench Packhouse";
constexpr std::uint64_t kDemoSeed = 2026;

// An onboarded enterprise and its users; the first login is the administrator, who is
// recorded as the creator of the others.
struct NewEnterprise {
  domain::Enterprise enterprise;
  std::vector<domain::User> users;
};

NewEnterprise new_enterprise(std::string name, const std::vector<DemoLogin>& logins,
                             const std::vector<std::string>& hashes, const std::vector<std::string>& full_names) {
  const auto now = util::iso_utc_now();
  NewEnterprise made{domain::Enterprise{util::uuid4(), std::move(name), "ZA", "", true, true, now}, {}};
  made.enterprise.tenant_schema = domain::tenant_schema_for(made.enterprise.id);
  for (std::size_t i = 0; i < logins.size(); ++i) {
    domain::User user;
    user.id = util::uuid4();
    user.email = logins[i].email;
    user.hashed_password = hashes[i];
    user.full_name = full_names[i];
    user.role = *domain::parse_role(logins[i].role);
    user.enterprise_id = made.enterprise.id;
    if (i > 0) user.created_by = made.users.front().id;
    user.created_at = user.updated_at = now;
    made.users.push_back(std::move(user));
  }
  return made;
}

net::awaitable<Result<void>> insert_enterprise(db::Runner run, const NewEnterprise& made) {
  const auto& e = made.enterprise;
  if (auto inserted = co_await db::enterprises::insert(run, e, e.created_at); !inserted) co_return inserted.error();
  for (const auto& user : made.users) {
    if (auto added = co_await db::users::insert(run, user); !added) co_return added.error();
  }
  co_return Result<void>{};
}

// bcrypt is slow by design, so the hashes are made on the blocking pool, before any
// transaction opens.
net::awaitable<Result<std::vector<std::string>>> hash_passwords(util::BlockingPool& blocking,
                                                                const std::vector<DemoLogin>& logins, int cost) {
  std::vector<std::string> hashes;
  for (const auto& login : logins) {
    const std::string password = login.password;
    auto work = [password, cost] { return auth::hash_password(password, cost); };
    auto hashed = co_await blocking.run(work);
    if (!hashed) co_return hashed.error();
    hashes.push_back(std::move(*hashed));
  }
  co_return hashes;
}

// Whether the tenant has its season: the generator always writes growers, and the demo
// enterprise gets none otherwise.
net::awaitable<Result<bool>> has_season(db::Runner run, domain::TenantId tenant) {
  const domain::PageRequest first{1, 0};
  auto growers = co_await db::growers::list(run, std::move(tenant), first);
  if (!growers) co_return growers.error();
  co_return growers->total > 0;
}

SeasonOptions demo_options(const std::string& operator_id) {
  SeasonOptions options;
  options.profile = SeasonProfile::kDemo;
  options.seed = kDemoSeed;
  options.user_id = operator_id;
  options.company_name = kEnterpriseName;
  return options;
}

// Adds the season to a demo enterprise made before seasons were generated, unless the
// season is there. Returns the rows written (none when it was there).
net::awaitable<Result<SeasonSummary>> complete_existing(db::Database& db, const domain::User& admin,
                                                        SeasonProgress progress) {
  if (!admin.enterprise_id) co_return make_error(Errc::kInternal, "demo administrator has no enterprise");
  const domain::TenantId tenant(*admin.enterprise_id);
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<SeasonSummary>> {
    auto present = co_await has_season(db::Runner(tx), tenant);
    if (!present) co_return present.error();
    if (*present) co_return SeasonSummary{};
    auto operator_user = co_await db::users::find_by_email(db::Runner(tx), demo_logins().back().email);
    if (!operator_user) co_return operator_user.error();
    const std::string recorder = *operator_user ? (*operator_user)->id : admin.id;
    co_return co_await generate_season(tx, tenant, demo_options(recorder), progress);
  };
  co_return co_await db.transaction(work);
}

}  // namespace

net::awaitable<Result<DemoOutcome>> load_demo(db::Database& db, util::BlockingPool& blocking, int bcrypt_cost,
                                              SeasonProgress progress) {
  DemoOutcome outcome{false, kEnterpriseName, demo_logins(), {}};
  auto existing = co_await db::users::find_by_email(db::Runner(db, nullptr), demo_logins().front().email);
  if (!existing) co_return existing.error();
  if (*existing) {
    auto season = co_await complete_existing(db, **existing, progress);
    if (!season) co_return season.error();
    outcome.created = !season->tables.empty();
    outcome.season = std::move(*season);
    co_return outcome;
  }

  auto hashes = co_await hash_passwords(blocking, demo_logins(), bcrypt_cost);
  if (!hashes) co_return hashes.error();
  const NewEnterprise made = new_enterprise(kEnterpriseName, demo_logins(), *hashes,
                                            {"Demo Administrator", "Demo Operator"});
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<SeasonSummary>> {
    if (auto inserted = co_await insert_enterprise(db::Runner(tx), made); !inserted) co_return inserted.error();
    const domain::TenantId tenant(made.enterprise.id);
    co_return co_await generate_season(tx, tenant, demo_options(made.users.back().id), progress);
  };
  auto stored = co_await db.transaction(work);
  if (!stored) co_return stored.error();
  outcome.created = true;
  outcome.season = std::move(*stored);
  co_return outcome;
}

net::awaitable<Result<BenchOutcome>> load_bench(db::Database& db, util::BlockingPool& blocking, BenchRequest request,
                                                SeasonProgress progress) {
  BenchOutcome outcome{false, kBenchEnterpriseName, bench_logins().front(), 0, {}};
  if (request.batches < 1 || request.batches > kMaxBenchBatches) {
    co_return client_error(Errc::kInvalidInput, "batches must be between 1 and " + std::to_string(kMaxBenchBatches));
  }
  auto existing = co_await db::users::find_by_email(db::Runner(db, nullptr), outcome.login.email);
  if (!existing) co_return existing.error();
  if (*existing && (*existing)->enterprise_id) {
    const domain::TenantId tenant(*(*existing)->enterprise_id);
    const domain::BatchFilter all;
    const domain::PageRequest first{1, 0};
    auto listed = co_await db::batches::list(db::Runner(db, nullptr), tenant, all, first, std::nullopt);
    if (!listed) co_return listed.error();
    outcome.batches = listed->page.total;
    co_return outcome;
  }

  auto hashes = co_await hash_passwords(blocking, bench_logins(), request.bcrypt_cost);
  if (!hashes) co_return hashes.error();
  const NewEnterprise made = new_enterprise(kBenchEnterpriseName, bench_logins(), *hashes, {"Bench Administrator"});
  SeasonOptions options;
  options.profile = SeasonProfile::kBench;
  options.seed = request.seed;
  options.batches = request.batches;
  options.user_id = made.users.front().id;
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<SeasonSummary>> {
    if (auto inserted = co_await insert_enterprise(db::Runner(tx), made); !inserted) co_return inserted.error();
    const domain::TenantId tenant(made.enterprise.id);
    co_return co_await generate_season(tx, tenant, options, progress);
  };
  auto stored = co_await db.transaction(work);
  if (!stored) co_return stored.error();
  outcome.created = true;
  outcome.batches = stored->count("batches");
  outcome.season = std::move(*stored);
  co_return outcome;
}

}  // namespace fruitpak::services
