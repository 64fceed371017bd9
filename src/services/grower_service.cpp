#include "services/grower_service.hpp"

#include "db/database.hpp"
#include "db/grower_repository.hpp"
#include "util/clock.hpp"
#include "util/crypto.hpp"

#include <boost/json/parse.hpp>

#include <cmath>

namespace fruitpak::services {
namespace {

Error not_found() { return client_error(Errc::kNotFound, "Grower not found"); }


}  // namespace

std::optional<double> total_hectares_of(const std::optional<std::string>& fields_json) {
  if (!fields_json) return std::nullopt;
  boost::system::error_code ec;
  auto value = boost::json::parse(*fields_json, ec);
  if (ec || !value.is_array()) return std::nullopt;
  double sum = 0;
  for (const auto& field : value.as_array()) {
    if (!field.is_object()) continue;
    const auto* hectares = field.as_object().if_contains("hectares");
    if (hectares && hectares->is_number()) sum += hectares->to_number<double>();
  }
  if (sum <= 0) return std::nullopt;
  return std::round(sum * 100.0) / 100.0;
}

net::awaitable<Result<domain::Page<domain::Grower>>> GrowerService::list(domain::TenantId tenant,
                                                                         domain::PageRequest page,
                                                                         util::QueryCounter* counter) {
  co_return co_await db::growers::list(db::Runner(db_, counter), std::move(tenant), page);
}

net::awaitable<Result<domain::Grower>> GrowerService::get(domain::TenantId tenant, std::string id,
                                                          util::QueryCounter* counter) {
  auto found = co_await db::growers::find(db::Runner(db_, counter), std::move(tenant), std::move(id));
  if (!found) co_return found.error();
  if (!*found) co_return not_found();
  co_return std::move(**found);
}

net::awaitable<Result<domain::Grower>> GrowerService::create(domain::TenantId tenant, domain::Grower grower,
                                                             util::QueryCounter* counter) {
  grower.id = util::uuid4();
  grower.created_at = util::iso_utc_now();
  if (auto total = total_hectares_of(grower.fields_json); total && !grower.total_hectares) grower.total_hectares = total;
  auto inserted = co_await db::growers::insert(db::Runner(db_, counter), std::move(tenant), grower);
  if (!inserted) co_return inserted.error();  // kConflict: grower_code taken (DUPLICATE_RECORD)
  co_return grower;
}

net::awaitable<Result<domain::Grower>> GrowerService::update(domain::TenantId tenant, std::string id,
                                                             GrowerPatch patch, bool fields_sent,
                                                             util::QueryCounter* counter) {
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<domain::Grower>> {
    db::Runner run(tx);
    auto found = co_await db::growers::find(run, tenant, id);
    if (!found) co_return found.error();
    if (!*found) co_return not_found();
    domain::Grower grower = std::move(**found);
    patch(grower);
    if (fields_sent) {
      if (auto total = total_hectares_of(grower.fields_json)) grower.total_hectares = total;
    }
    auto updated = co_await db::growers::update(run, tenant, grower, util::iso_utc_now());
    if (!updated) co_return updated.error();
    co_return grower;
  };
  co_return co_await db_.transaction(work, counter);
}

net::awaitable<Result<void>> GrowerService::remove(domain::TenantId tenant, std::string id,
                                                   util::QueryCounter* counter) {
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<int>> {
    db::Runner run(tx);
    auto found = co_await db::growers::find(run, tenant, id);
    if (!found) co_return found.error();
    if (!*found) co_return not_found();
    auto batches = co_await db::growers::active_batch_count(run, tenant, id);
    if (!batches) co_return batches.error();
    if (*batches > 0) {
      co_return client_error(Errc::kInvalidInput, "Cannot delete grower with " + std::to_string(*batches) +
                                                      " active batch(es). Delete or reassign batches first.");
    }
    auto deleted = co_await db::growers::soft_delete(run, tenant, id, util::iso_utc_now());
    if (!deleted) co_return deleted.error();
    co_return 1;
  };
  auto done = co_await db_.transaction(work, counter);
  if (!done) co_return done.error();
  co_return Result<void>{};
}

}  // namespace fruitpak::services
