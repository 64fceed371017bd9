#include "services/enterprise_directory.hpp"

#include "db/database.hpp"
#include "db/user_repository.hpp"

namespace fruitpak::services {

EnterpriseDirectory::EnterpriseDirectory(db::Database& db, std::chrono::seconds negative_ttl)
    : db_(db), negative_ttl_(negative_ttl) {}

net::awaitable<Result<bool>> EnterpriseDirectory::is_onboarded(domain::TenantId tenant) {
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(tenant.value());
    if (it != entries_.end() && (it->second.onboarded || now - it->second.checked_at < negative_ttl_)) {
      co_return it->second.onboarded;
    }
  }
  auto enterprise = co_await db::enterprises::find_by_id(db::Runner(db_, nullptr), tenant.value());
  if (!enterprise) co_return enterprise.error();
  if (!*enterprise) co_return make_error(Errc::kNotFound, "enterprise " + tenant.value() + " not found");
  const bool onboarded = (*enterprise)->is_onboarded;
  std::lock_guard lock(mutex_);
  entries_[tenant.value()] = Entry{onboarded, now};
  co_return onboarded;
}

net::awaitable<Result<std::vector<domain::TenantId>>> EnterpriseDirectory::onboarded_tenants() {
  auto ids = co_await db::enterprises::active_onboarded_ids(db::Runner(db_, nullptr));
  if (!ids) co_return ids.error();
  std::vector<domain::TenantId> tenants;
  tenants.reserve(ids->size());
  for (auto& id : *ids) tenants.emplace_back(std::move(id));
  co_return tenants;
}

void EnterpriseDirectory::mark_onboarded(const domain::TenantId& tenant) {
  std::lock_guard lock(mutex_);
  entries_[tenant.value()] = Entry{true, std::chrono::steady_clock::now()};
}

}  // namespace fruitpak::services
