#include "domain/export.hpp"

namespace fruitpak::domain {
namespace {

constexpr std::string_view kPath[] = {"draft", "booked", "loaded", "in_transit", "arrived", "completed"};
constexpr int kCancelledRank = 6;

}  // namespace

int export_status_rank(std::string_view status) {
  for (int i = 0; i < 6; ++i) {
    if (kPath[i] == status) return i;
  }
  if (status == kExportCancelled) return kCancelledRank;
  return -1;
}

bool is_export_transition_allowed(std::string_view from, std::string_view to) {
  const int a = export_status_rank(from);
  const int b = export_status_rank(to);
  if (a < 0 || b < 0) return false;
  if (a == b) return true;
  if (is_export_closed(from)) return false;
  if (b == kCancelledRank) return a <= export_status_rank("loaded");
  return b > a;
}

std::string export_transition_message(std::string_view from, std::string_view to) {
  return "Cannot move export from '" + std::string(from) + "' to '" + std::string(to) + "'";
}

void move_export(Export& e, std::string_view to, const std::string& today) {
  const int before = export_status_rank(e.status);
  const int after = export_status_rank(to);
  e.status = std::string(to);
  if (after == kCancelledRank || after <= before) return;
  const int departed = export_status_rank(kExportInTransit);
  const int arrived = export_status_rank(kExportArrived);
  if (before < departed && after >= departed && !e.actual_departure) e.actual_departure = today;
  if (before < arrived && after >= arrived && !e.actual_arrival) e.actual_arrival = today;
}

}  // namespace fruitpak::domain
