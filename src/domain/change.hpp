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
  kPallet,      // pallets built, edited, deleted; lots allocated to or taken off them
  kContainer,   // containers created, loaded, moved along their steps, edited, deleted
  kExport,      // export bookings and the containers attached to them
  kInvoice,     // client invoices, their payments, and credit notes
  kReconciliation,  // a reconciliation run, an alert reviewed
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
    case Change::kPallet: return "pallet";
    case Change::kContainer: return "container";
    case Change::kExport: return "export";
    case Change::kInvoice: return "invoice";
    case Change::kReconciliation: return "reconciliation";
  }
  return "unknown";
}

}  // namespace fruitpak::domain
