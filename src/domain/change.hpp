#pragma once
// What a committed write changed, in domain terms. Write routes announce their changes;
// cached read routes say which changes make them stale (api::RouteSpec). The cache maps
// one to the other, so neither side names the other's cache prefixes.

#include <string_view>

namespace fruitpak::domain {

enum class Change {
  kPackhouse,   // a packhouse created or edited
  kGrower,      // a grower created, edited or deleted
  kBatch,       // a GRN intake, a batch edit, lots of a batch (status, waste)
  kLot,         // lots created, edited or deleted
  kPayment,     // a grower payment (and the batches it links)
  kSetup,       // wizard steps: company, packhouses, growers, configuration
  kEnterprise,  // enterprise created, onboarding completed
  kLabour,      // a labour cost recorded, changed or deleted
};

constexpr std::string_view change_name(Change c) {
  switch (c) {
    case Change::kPackhouse: return "packhouse";
    case Change::kGrower: return "grower";
    case Change::kBatch: return "batch";
    case Change::kLot: return "lot";
    case Change::kPayment: return "payment";
    case Change::kSetup: return "setup";
    case Change::kEnterprise: return "enterprise";
    case Change::kLabour: return "labour";
  }
  return "unknown";
}

}  // namespace fruitpak::domain
