#include "services/batch_service.hpp"

#include "db/batch_repository.hpp"
#include "db/code_counter.hpp"
#include "db/database.hpp"
#include "db/grower_repository.hpp"
#include "db/packhouse_repository.hpp"
#include "util/clock.hpp"
#include "util/crypto.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace fruitpak::services {
namespace {

namespace bj = boost::json;

template <class T>
bj::value nullable(const std::optional<T>& v) {
  if (!v) return nullptr;
  return bj::value(*v);
}

// "20260212" for the UTC day of `iso` ("2026-02-12T...").
std::string compact_day(const std::string& iso) { return iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2); }

std::string intake_event(const domain::Batch& b, const GrnInput& in) {
  return bj::serialize(bj::object{{"gross_weight_kg", nullable(b.gross_weight_kg)},
                                  {"tare_weight_kg", b.tare_weight_kg},
                                  {"net_weight_kg", nullable(b.net_weight_kg)},
                                  {"bin_count", nullable(b.bin_count)},
                                  {"quality_grade", nullable(in.quality_grade)},
                                  {"arrival_temp_c", nullable(b.arrival_temp_c)}});
}

// {"field": {"from": old, "to": new}} for every column the patch changed.
std::string changes_of(const domain::Batch& before, const domain::Batch& after) {
  bj::object changes;
  auto note = [&](const char* name, bj::value from, bj::value to) {
    if (from != to) changes[name] = bj::object{{"from", std::move(from)}, {"to", std::move(to)}};
  };
  note("variety", nullable(before.variety), nullable(after.variety));
  note("harvest_date", nullable(before.harvest_date), nullable(after.harvest_date));
  note("gross_weight_kg", nullable(before.gross_weight_kg), nullable(after.gross_weight_kg));
  note("tare_weight_kg", before.tare_weight_kg, after.tare_weight_kg);
  note("net_weight_kg", nullable(before.net_weight_kg), nullable(after.net_weight_kg));
  note("arrival_temp_c", nullable(before.arrival_temp_c), nullable(after.arrival_temp_c));
  note("brix_reading", nullable(before.brix_reading), nullable(after.brix_reading));
  note("quality_assessment", nullable(before.quality_assessment_json), nullable(after.quality_assessment_json));
  note("status", bj::value(before.status), bj::value(after.status));
  note("rejection_reason", nullable(before.rejection_reason), nullable(after.rejection_reason));
  note("bin_count", nullable(before.bin_count), nullable(after.bin_count));
  note("bin_type", nullable(before.bin_type), nullable(after.bin_type));
  note("notes", nullable(before.notes), nullable(after.notes));
  return bj::serialize(changes);
}

}  // namespace

net::awaitable<Result<domain::GrnReceipt>> BatchService::intake(domain::TenantId tenant, std::string user_id,
                                                                GrnInput input, util::QueryCounter* counter) {
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<domain::GrnReceipt>> {
    db::Runner run(tx);
    auto grower = co_await db::growers::find(run, tenant, input.grower_id);
    if (!grower) co_return grower.error();
    if (!*grower || !(*grower)->is_active) {
      co_return client_error(Errc::kUnprocessable, "Grower not found or inactive: " + input.grower_id);
    }
    auto packhouse = co_await db::packhouses::find(run, tenant, input.packhouse_id);
    if (!packhouse) co_return packhouse.error();
    if (!*packhouse) co_return client_error(Errc::kUnprocessable, "Packhouse not found: " + input.packhouse_id);
    if (input.harvest_team_id) {
      auto team = co_await db::batches::harvest_team_exists(run, tenant, *input.harvest_team_id);
      if (!team) co_return team.error();
      if (!*team) co_return client_error(Errc::kUnprocessable, "Harvest team not found: " + *input.harvest_team_id);
    }

    const std::string now = util::iso_utc_now();
    const std::string day = compact_day(now);
    auto number = co_await db::codes::next(run, tenant, "GRN", day);
    if (!number) co_return number.error();

    domain::Batch b;
    b.id = util::uuid4();
    b.batch_code = db::codes::format_code("GRN", day, *number);
    b.grower_id = input.grower_id;
    b.harvest_team_id = input.harvest_team_id;
    b.packhouse_id = input.packhouse_id;
    b.fruit_type = input.fruit_type;
    b.variety = input.variety;
    b.harvest_date = input.harvest_date;
    b.intake_date = now.substr(0, 10);
    b.gross_weight_kg = input.gross_weight_kg;
    b.tare_weight_kg = input.tare_weight_kg;
    b.recompute_net();
    b.arrival_temp_c = input.arrival_temp_c;
    b.brix_reading = input.brix_reading;
    b.quality_assessment_json = input.quality_assessment_json;
    b.bin_count = input.bin_count;
    b.bin_type = input.bin_type;
    b.notes = input.delivery_notes;
    b.received_by = user_id;
    b.created_at = b.updated_at = now;
    if (auto inserted = co_await db::batches::insert(run, tenant, b); !inserted) co_return inserted.error();

    domain::BatchHistoryEntry event{util::uuid4(), b.id, "intake", "grn_received", b.packhouse_id,
                                    intake_event(b, input), "Intake area", input.delivery_notes, user_id, now};
    if (auto added = co_await db::batches::add_history(run, tenant, event); !added) co_return added.error();
    auto counted = co_await db::batches::count_batch(run, tenant, b.status, b.created_at, 1);
    if (!counted) co_return counted.error();
    auto advance = co_await db::batches::link_pending_advance(run, tenant, b.grower_id, b.id, b.net_weight_kg, now);
    if (!advance) co_return advance.error();
    const bool linked = advance->has_value();
    co_return domain::GrnReceipt{std::move(b), linked, std::move(*advance)};
  };
  co_return co_await db_.transaction(work, counter);
}

net::awaitable<Result<domain::BatchListing>> BatchService::list(domain::TenantId tenant, domain::BatchFilter filter,
                                                               domain::PageRequest page,
                                                               std::optional<domain::BatchKey> after,
                                                               util::QueryCounter* counter) {
  co_return co_await db::batches::list(db::Runner(db_, counter), std::move(tenant), std::move(filter), page,
                                       std::move(after));
}

net::awaitable<Result<domain::BatchDetail>> BatchService::detail(domain::TenantId tenant, std::string id,
                                                                util::QueryCounter* counter) {
  auto found = co_await db::batches::detail(db::Runner(db_, counter), std::move(tenant), std::move(id));
  if (!found) co_return found.error();
  if (!*found) co_return client_error(Errc::kNotFound, "Batch not found");
  co_return std::move(**found);
}

net::awaitable<Result<domain::BatchDetail>> BatchService::update(domain::TenantId tenant, std::string user_id,
                                                                std::string id, BatchPatch patch, bool weight_sent,
                                                                util::QueryCounter* counter) {
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<domain::BatchDetail>> {
    db::Runner run(tx);
    auto found = co_await db::batches::find(run, tenant, id);
    if (!found) co_return found.error();
    if (!*found) co_return client_error(Errc::kNotFound, "Batch not found");
    const domain::Batch before = **found;
    domain::Batch after = before;
    patch(after);
    if (weight_sent && after.gross_weight_kg) after.recompute_net();
    if (after.gross_weight_kg && after.tare_weight_kg > *after.gross_weight_kg) {
      co_return client_error(Errc::kUnprocessable, "tare_weight_kg cannot exceed gross_weight_kg");
    }
    const std::string now = util::iso_utc_now();
    after.updated_at = now;
    if (auto updated = co_await db::batches::update(run, tenant, after); !updated) co_return updated.error();
    if (before.status != after.status) {
      auto down = co_await db::batches::count_batch(run, tenant, before.status, before.created_at, -1);
      if (!down) co_return down.error();
      auto up = co_await db::batches::count_batch(run, tenant, after.status, after.created_at, 1);
      if (!up) co_return up.error();
    }
    domain::BatchHistoryEntry event{util::uuid4(), after.id, "note", "batch_updated", std::nullopt,
                                    changes_of(before, after), std::nullopt, std::nullopt, user_id, now};
    if (auto added = co_await db::batches::add_history(run, tenant, event); !added) co_return added.error();
    auto detail = co_await db::batches::detail(run, tenant, id);
    if (!detail) co_return detail.error();
    co_return std::move(**detail);
  };
  co_return co_await db_.transaction(work, counter);
}

}  // namespace fruitpak::services
