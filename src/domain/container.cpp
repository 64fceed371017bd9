#include "domain/container.hpp"

#include <algorithm>
#include <charconv>

namespace fruitpak::domain {

bool is_container_status(std::string_view s) {
  return s == kContainerOpen || s == kContainerLoading || s == kContainerLoaded || s == kContainerSealed ||
         s == kContainerDispatched || s == kContainerInTransit || s == kContainerArrived || s == kContainerDelivered;
}

StepRule step_rule(ContainerStep step) {
  switch (step) {
    case ContainerStep::kMarkLoaded: return {kContainerLoading, kContainerLoaded, "Cannot mark as loaded"};
    case ContainerStep::kSeal: return {kContainerLoaded, kContainerSealed, "Cannot seal"};
    case ContainerStep::kDispatch: return {kContainerSealed, kContainerDispatched, "Cannot dispatch"};
    case ContainerStep::kExport: return {kContainerDispatched, kContainerInTransit, "Cannot export"};
    case ContainerStep::kArrive: return {kContainerInTransit, kContainerArrived, "Cannot mark as arrived"};
    case ContainerStep::kDeliver: return {kContainerArrived, kContainerDelivered, "Cannot mark as delivered"};
  }
  return {};
}

std::string step_refusal(ContainerStep step, std::string_view status) {
  const StepRule rule = step_rule(step);
  return std::string(rule.refusal_prefix) + " \u2014 container is '" + std::string(status) + "', expected '" +
         std::string(rule.from) + "'";
}

std::optional<std::string_view> previous_status(std::string_view s) {
  if (s == kContainerLoaded) return kContainerLoading;
  if (s == kContainerSealed) return kContainerLoaded;
  if (s == kContainerDispatched) return kContainerSealed;
  if (s == kContainerInTransit) return kContainerDispatched;
  if (s == kContainerArrived) return kContainerInTransit;
  return std::nullopt;
}

std::string revert_refusal(std::string_view status) {
  return "Cannot revert \u2014 container status '" + std::string(status) + "' has no previous step";
}

std::string pallet_status_on_load(std::string_view status) {
  if (status == "open" || status == "closed" || status == "stored" || status == "allocated") {
    return std::string(kPalletLoaded);
  }
  return std::string(status);
}

std::optional<PalletCascade> pallet_cascade(std::string_view container_from, std::string_view container_to) {
  if (container_from == kContainerSealed && container_to == kContainerDispatched) {
    return PalletCascade{kPalletLoaded, kPalletExported};
  }
  if (container_from == kContainerDispatched && container_to == kContainerSealed) {
    return PalletCascade{kPalletExported, kPalletLoaded};
  }
  return std::nullopt;
}

bool is_overdue(std::string_view status, const std::optional<std::string>& eta, std::string_view today) {
  if (status != kContainerDispatched && status != kContainerInTransit) return false;
  return eta && std::string_view(*eta) < today;
}

std::int64_t next_position(const std::vector<LoadablePallet>& loaded) {
  std::int64_t highest = 0;
  for (const auto& p : loaded) {
    if (!p.position_in_container) continue;
    const std::string& text = *p.position_in_container;
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec == std::errc() && end == text.data() + text.size()) highest = std::max(highest, value);
  }
  return std::max<std::int64_t>(highest, static_cast<std::int64_t>(loaded.size())) + 1;
}

void apply(const ContainerUpdate& u, Container& c) {
  const Container& v = u.values;
  if (u.has("container_type")) c.container_type = v.container_type;
  if (u.has("capacity_pallets")) c.capacity_pallets = v.capacity_pallets;
  if (u.has("customer_name")) c.customer_name = v.customer_name;
  if (u.has("destination")) c.destination = v.destination;
  if (u.has("shipping_container_number")) c.shipping_container_number = v.shipping_container_number;
  if (u.has("export_date")) c.export_date = v.export_date;
  if (u.has("seal_number")) c.seal_number = v.seal_number;
  if (u.has("vessel_name")) c.vessel_name = v.vessel_name;
  if (u.has("voyage_number")) c.voyage_number = v.voyage_number;
  if (u.has("etd")) c.etd = v.etd;
  if (u.has("eta")) c.eta = v.eta;
  if (u.has("notes")) c.notes = v.notes;
}

std::string list_some(const std::vector<std::string>& items, std::size_t limit) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < limit; ++i) {
    if (i > 0) out += ", ";
    out += items[i];
  }
  if (items.size() > limit) out += " (+" + std::to_string(items.size() - limit) + " more)";
  return out;
}

}  // namespace fruitpak::domain
