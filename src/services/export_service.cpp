#include "services/export_service.hpp"

#include "db/database.hpp"
#include "db/export_repository.hpp"
#include "util/clock.hpp"
#include "util/crypto.hpp"

#include <tuple>

namespace fruitpak::services {
namespace {

constexpr std::string_view kNotFound = "Export not found";

// "transporter_id" -> "Transporter not found".
std::string link_not_found(std::string_view field) {
  if (field == "shipping_line_id") return "Shipping line not found";
  if (field == "transporter_id") return "Transporter not found";
  if (field == "shipping_agent_id") return "Shipping agent not found";
  return "Shipping schedule not found";
}

bool same_links(const domain::Export& a, const domain::Export& b) {
  return std::tie(a.shipping_line_id, a.transporter_id, a.shipping_agent_id, a.shipping_schedule_id) ==
         std::tie(b.shipping_line_id, b.transporter_id, b.shipping_agent_id, b.shipping_schedule_id);
}

bool has_links(const domain::Export& e) {
  return e.shipping_line_id || e.transporter_id || e.shipping_agent_id || e.shipping_schedule_id;
}

std::string today() { return util::iso_utc_now().substr(0, 10); }

Error closed(const domain::Export& e, std::string_view action) {
  return client_error(Errc::kStateConflict,
                      "Export " + e.booking_ref + " is " + e.status + ": it cannot " + std::string(action));
}

// Dates that contradict each other, whether sent or stored.
std::optional<Error> date_problem(const domain::Export& e) {
  if (e.etd && e.eta && *e.eta < *e.etd) return client_error(Errc::kUnprocessable, "eta must not be before etd");
  if (e.actual_departure && e.actual_arrival && *e.actual_arrival < *e.actual_departure) {
    return client_error(Errc::kUnprocessable, "actual_arrival must not be before actual_departure");
  }
  return std::nullopt;
}

net::awaitable<Result<void>> check_links(db::Runner run, const domain::TenantId& tenant, const domain::Export& e) {
  auto missing = co_await db::exports::missing_link(run, tenant, e);
  if (!missing) co_return missing.error();
  if (*missing) co_return client_error(Errc::kUnprocessable, link_not_found(**missing));
  co_return Result<void>{};
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

// Attaches the listed containers to `booking` (locked or new) and recounts its tallies.
net::awaitable<Result<void>> attach_containers(db::Runner run, const domain::TenantId& tenant,
                                               const domain::Export& booking, const std::vector<std::string>& ids,
                                               const std::string& now) {
  if (ids.empty()) co_return Result<void>{};
  auto placed = co_await db::exports::lock_containers(run, tenant, ids, now);
  if (!placed) co_return placed.error();
  std::vector<std::string> missing;
  for (const auto& id : ids) {
    bool found = false;
    for (const auto& p : *placed) found = found || p.id == id;
    if (!found) missing.push_back(id);
  }
  if (!missing.empty()) co_return client_error(Errc::kNotFound, "Containers not found: " + joined(missing));
  for (const auto& id : ids) {
    for (const auto& p : *placed) {
      if (p.id != id || !p.export_id || *p.export_id == booking.id) continue;
      co_return client_error(Errc::kStateConflict, "Container " + p.container_number + " is already on export " +
                                                       p.booking_ref.value_or(*p.export_id));
    }
  }
  auto attached = co_await db::exports::attach(run, tenant, booking.id, ids, now);
  if (!attached) co_return attached.error();
  if (*attached != static_cast<std::int64_t>(ids.size())) {
    co_return make_error(Errc::kInternal, "locked containers changed during attach");
  }
  co_return co_await db::exports::recount(run, tenant, booking.id, now);
}

// The detail of an export this transaction has just written.
net::awaitable<Result<domain::ExportDetail>> reread(db::Runner run, const domain::TenantId& tenant,
                                                    const std::string& id) {
  auto found = co_await db::exports::detail(run, tenant, id);
  if (!found) co_return found.error();
  if (!*found) co_return make_error(Errc::kInternal, "export vanished during its write");
  co_return std::move(**found);
}

// The status part of an update: the machine's rule, and no cancelling over live invoices.
net::awaitable<Result<void>> move_status(db::Runner run, const domain::TenantId& tenant, const domain::Export& before,
                                  domain::Export& after, const std::string& to) {
  if (!domain::is_export_transition_allowed(before.status, to)) {
    co_return client_error(Errc::kStateConflict, domain::export_transition_message(before.status, to));
  }
  if (to == domain::kExportCancelled && before.status != to) {
    auto counts = co_await db::exports::invoice_counts(run, tenant, before.id);
    if (!counts) co_return counts.error();
    if (counts->not_cancelled > 0) {
      co_return client_error(Errc::kStateConflict,
                             "Cannot cancel export " + before.booking_ref + ": it has " +
                                 std::to_string(counts->not_cancelled) +
                                 " invoice(s) that are not cancelled. Cancel its invoices first.");
    }
  }
  domain::move_export(after, to, today());
  co_return Result<void>{};
}

}  // namespace

net::awaitable<Result<domain::ExportDetail>> ExportService::create(domain::TenantId tenant, domain::Export draft,
                                                                   std::vector<std::string> container_ids,
                                                                   std::string user_id, util::QueryCounter* counter) {
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<domain::ExportDetail>> {
    db::Runner run(tx);
    if (has_links(draft)) {
      if (auto linked = co_await check_links(run, tenant, draft); !linked) co_return linked.error();
    }
    domain::Export booking = std::move(draft);
    booking.id = util::uuid4();
    booking.status = std::string(domain::kExportDraft);
    booking.container_count = booking.total_pallets = booking.total_cartons = 0;
    booking.created_by = user_id;
    booking.created_at = util::iso_utc_now();
    booking.updated_at = booking.created_at;
    if (auto inserted = co_await db::exports::insert(run, tenant, booking); !inserted) co_return inserted.error();
    auto attached = co_await attach_containers(run, tenant, booking, container_ids, booking.created_at);
    if (!attached) co_return attached.error();
    co_return co_await reread(run, tenant, booking.id);
  };
  co_return co_await db_.transaction(work, counter);
}

net::awaitable<Result<domain::Page<domain::Export>>> ExportService::list(domain::TenantId tenant,
                                                                         domain::ExportFilter filter,
                                                                         domain::PageRequest page,
                                                                         util::QueryCounter* counter) {
  co_return co_await db::exports::list(db::Runner(db_, counter), std::move(tenant), std::move(filter), page);
}

net::awaitable<Result<domain::ExportDetail>> ExportService::get(domain::TenantId tenant, std::string id,
                                                                util::QueryCounter* counter) {
  auto found = co_await db::exports::detail(db::Runner(db_, counter), std::move(tenant), std::move(id));
  if (!found) co_return found.error();
  if (!*found) co_return client_error(Errc::kNotFound, std::string(kNotFound));
  co_return std::move(**found);
}

net::awaitable<Result<domain::ExportDetail>> ExportService::update(domain::TenantId tenant, std::string id,
                                                                   ExportUpdate update, util::QueryCounter* counter) {
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<domain::ExportDetail>> {
    db::Runner run(tx);
    const std::string now = util::iso_utc_now();
    auto found = co_await db::exports::find_for_update(run, tenant, id, now);
    if (!found) co_return found.error();
    if (!*found) co_return client_error(Errc::kNotFound, std::string(kNotFound));
    const domain::Export before = **found;
    if (domain::is_export_closed(before.status)) co_return closed(before, "be edited");
    domain::Export after = before;
    if (update.apply) update.apply(after);
    if (update.status) {
      auto moved = co_await move_status(run, tenant, before, after, *update.status);
      if (!moved) co_return moved.error();
    }
    if (auto problem = date_problem(after)) co_return *problem;
    if (!same_links(before, after)) {
      if (auto linked = co_await check_links(run, tenant, after); !linked) co_return linked.error();
    }
    after.updated_at = now;
    if (auto updated = co_await db::exports::update(run, tenant, after); !updated) co_return updated.error();
    co_return co_await reread(run, tenant, id);
  };
  co_return co_await db_.transaction(work, counter);
}

net::awaitable<Result<domain::ExportDetail>> ExportService::attach(domain::TenantId tenant, std::string id,
                                                                   std::vector<std::string> container_ids,
                                                                   util::QueryCounter* counter) {
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<domain::ExportDetail>> {
    db::Runner run(tx);
    const std::string now = util::iso_utc_now();
    auto found = co_await db::exports::find_for_update(run, tenant, id, now);
    if (!found) co_return found.error();
    if (!*found) co_return client_error(Errc::kNotFound, std::string(kNotFound));
    if (domain::is_export_closed((*found)->status)) co_return closed(**found, "take containers");
    auto attached = co_await attach_containers(run, tenant, **found, container_ids, now);
    if (!attached) co_return attached.error();
    co_return co_await reread(run, tenant, id);
  };
  co_return co_await db_.transaction(work, counter);
}

net::awaitable<Result<domain::ExportDetail>> ExportService::detach(domain::TenantId tenant, std::string id,
                                                                   std::string container_id,
                                                                   util::QueryCounter* counter) {
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<domain::ExportDetail>> {
    db::Runner run(tx);
    const std::string now = util::iso_utc_now();
    auto found = co_await db::exports::find_for_update(run, tenant, id, now);
    if (!found) co_return found.error();
    if (!*found) co_return client_error(Errc::kNotFound, std::string(kNotFound));
    if ((*found)->status == domain::kExportCompleted) co_return closed(**found, "give containers back");
    auto detached = co_await db::exports::detach(run, tenant, id, container_id, now);
    if (!detached) co_return detached.error();
    if (!*detached) co_return client_error(Errc::kNotFound, "Container not found on this export");
    if (auto counted = co_await db::exports::recount(run, tenant, id, now); !counted) co_return counted.error();
    co_return co_await reread(run, tenant, id);
  };
  co_return co_await db_.transaction(work, counter);
}

net::awaitable<Result<void>> ExportService::remove(domain::TenantId tenant, std::string id,
                                                   util::QueryCounter* counter) {
  auto work = [&](db::Lease& tx) -> net::awaitable<Result<int>> {
    db::Runner run(tx);
    const std::string now = util::iso_utc_now();
    auto found = co_await db::exports::find_for_update(run, tenant, id, now);
    if (!found) co_return found.error();
    if (!*found) co_return client_error(Errc::kNotFound, std::string(kNotFound));
    const domain::Export& booking = **found;
    if (booking.status != domain::kExportDraft && booking.status != domain::kExportCancelled) {
      co_return client_error(Errc::kStateConflict, "Export " + booking.booking_ref + " is " + booking.status +
                                                       ": only draft or cancelled exports can be deleted");
    }
    auto counts = co_await db::exports::invoice_counts(run, tenant, id);
    if (!counts) co_return counts.error();
    if (counts->live > 0) {
      co_return client_error(Errc::kStateConflict, "Cannot delete export " + booking.booking_ref + ": it has " +
                                                       std::to_string(counts->live) + " invoice(s)");
    }
    if (auto detached = co_await db::exports::detach_all(run, tenant, id, now); !detached) co_return detached.error();
    auto deleted = co_await db::exports::soft_delete(run, tenant, id, now);
    if (!deleted) co_return deleted.error();
    co_return 1;
  };
  auto removed = co_await db_.transaction(work, counter);
  if (!removed) co_return removed.error();
  co_return Result<void>{};
}

}  // namespace fruitpak::services
