#include "db/reconciliation_checks.hpp"

namespace fruitpak::db::reconciliation {
namespace {

using domain::Check;
using domain::CheckRow;

// Parameters: $1 is the tenant; the tolerances each statement uses follow (see kChecks).
//
// GRAMS(x) / CENTS(x): a nullable kg or money column as a whole number of grams or cents,
// half up. BP(e, a): contract 4.1's pct(e, a) in basis points, in integer arithmetic
// (PostgreSQL sums BIGINT into NUMERIC, hence the casts back to BIGINT after each SUM).
#define GRAMS(x) "CAST(FLOOR(COALESCE(" x ", 0) * 1000 + 0.5) AS BIGINT)"
#define CENTS(x) "CAST(FLOOR(COALESCE(" x ", 0) * 100 + 0.5) AS BIGINT)"
#define BP(e, a) "(CASE WHEN " e " = 0 THEN 10000 ELSE (ABS(" a " - " e ") * 20000 + ABS(" e ")) / (2 * ABS(" e ")) END)"

// Each check is written once as a macro of SCOPE(column, kind), which a full run expands
// to nothing and an incremental run to "only the entities in the change journal".
#define ALL(column, kind) ""
#define JOURNAL(column, kind) \
  " AND " column " IN (SELECT entity_id FROM reconciliation_dirty WHERE enterprise_id = $1 AND kind = '" kind "')"

// 1. Packed lot weight vs intake weight per batch in packing or complete. Expected is the
// net weight, or the gross when the net is missing or 0; actual the live lots' weight,
// kept on the batch row as packed_grams by triggers on lots (migrations 0011, 0012): a
// full run is one scan of batches, a journal-scoped run one lookup per marked batch.
#define LOT_VS_BATCH(SCOPE)                                                                                      \
  "WITH compared AS ("                                                                                            \
  " SELECT id, batch_code, fruit_type, grower_id, intake_date,"                                                   \
  " CASE WHEN COALESCE(net_weight_kg, 0) <> 0 THEN " GRAMS("net_weight_kg") " ELSE " GRAMS(                      \
      "gross_weight_kg") " END AS expected, packed_grams AS actual"                                               \
  " FROM batches WHERE enterprise_id = $1 AND is_deleted = FALSE AND status IN ('packing', 'complete')" SCOPE(   \
      "id", "batch") ")"                                                                                          \
  " SELECT id, batch_code, fruit_type, grower_id, intake_date, expected, actual FROM compared"                    \
  " WHERE (expected <> 0 OR actual <> 0) AND " BP("expected", "actual") " > $2"                                  \
  " ORDER BY batch_code, id"

// The first or last intake day of the grower of totals row `t` among its day rows that
// match `filter` (migration 0009: two probes at the ends of the grower's index range).
#define GROWER_DAY(fn, filter)                                                                   \
  "(SELECT " fn "(d.intake_date) FROM grower_intake_days d WHERE d.enterprise_id = $1"          \
  " AND d.grower_id = t.grower_id" filter ")"

// 2. Received kg vs paid kg per grower (batches routed to the grower, not rejected;
// payments not cancelled), the received side from grower_intake_totals (migration 0009),
// the paid side summed per examined grower by index (a grouped CTE of all payments was
// re-aggregated for every grower of a scoped run: 20 ms of a 99 ms incremental run).
// Growers with payments but no batches are not examined.
#define GRN_VS_PAYMENT(SCOPE)                                                                                     \
  "WITH compared AS ("                                                                                            \
  " SELECT t.grower_id, t.received_grams AS expected,"                                                            \
  " CAST(COALESCE((SELECT SUM(" GRAMS("p.total_kg") ") FROM grower_payments p WHERE p.enterprise_id = $1"          \
  " AND p.grower_id = t.grower_id AND p.is_deleted = FALSE AND p.status <> 'cancelled'), 0) AS BIGINT) AS actual," \
  " " GROWER_DAY("MIN", "") " AS first_day, " GROWER_DAY("MAX", "") " AS last_day"                              \
  " FROM grower_intake_totals t WHERE t.enterprise_id = $1 AND t.received_batches > 0" SCOPE("t.grower_id",      \
                                                                                             "grower") ")"       \
  " SELECT c.grower_id, g.name, g.grower_code, c.expected, c.actual, c.first_day, c.last_day"                     \
  " FROM compared c JOIN growers g ON g.id = c.grower_id"                                                         \
  " WHERE (c.expected <> 0 OR c.actual <> 0) AND " BP("c.expected", "c.actual") " > $2"                          \
  " ORDER BY g.name, c.grower_id"

// 3. Per export that has shipped (loaded or later): (a) booked kg vs the gross weight of its
// containers, (b) its value vs its invoices that are not cancelled.
#define EXPORT_VS_INVOICE(SCOPE)                                                                                  \
  "WITH shipped AS ("                                                                                             \
  " SELECT export_id, SUM(" GRAMS("gross_weight_kg") ") AS grams FROM containers"                                 \
  " WHERE enterprise_id = $1 AND is_deleted = FALSE AND export_id IS NOT NULL" SCOPE("export_id", "export")      \
  " GROUP BY export_id),"                                                                                         \
  " invoiced AS ("                                                                                                \
  " SELECT export_id, SUM(" CENTS("total_amount") ") AS cents FROM client_invoices"                               \
  " WHERE enterprise_id = $1 AND is_deleted = FALSE AND status <> 'cancelled' AND export_id IS NOT NULL" SCOPE(  \
      "export_id", "export") " GROUP BY export_id),"                                                              \
  " compared AS ("                                                                                                \
  " SELECT e.id, e.booking_ref, e.currency, e.etd, e.eta, " GRAMS("e.total_weight_kg") " AS booked,"              \
  " CAST(COALESCE(s.grams, 0) AS BIGINT) AS shipped, " CENTS("e.total_value") " AS value,"                        \
  " CAST(COALESCE(i.cents, 0) AS BIGINT) AS invoiced"                                                             \
  " FROM exports e LEFT JOIN shipped s ON s.export_id = e.id LEFT JOIN invoiced i ON i.export_id = e.id"         \
  " WHERE e.enterprise_id = $1 AND e.is_deleted = FALSE"                                                          \
  " AND e.status IN ('loaded', 'in_transit', 'arrived', 'completed')" SCOPE("e.id", "export") ")"                \
  " SELECT 'weight' AS part, id, booking_ref, currency, etd, eta, booked AS expected, shipped AS actual"          \
  " FROM compared WHERE (booked <> 0 OR shipped <> 0) AND " BP("booked", "shipped") " > $2"                      \
  " UNION ALL"                                                                                                    \
  " SELECT 'value' AS part, id, booking_ref, currency, etd, eta, value, invoiced FROM compared"                   \
  " WHERE (value <> 0 OR invoiced <> 0) AND ABS(invoiced - value) > $3"                                           \
  " ORDER BY booking_ref, id, part DESC"

// 4. A container's recorded pallet count vs its live pallets, while pallets are on board
// (loading to in transit; the contract's loading/sealed/dispatched plus the later
// upstream's loaded and in_transit steps).
#define PALLET_VS_CONTAINER(SCOPE)                                                                                \
  "WITH loaded AS ("                                                                                              \
  " SELECT container_id, COUNT(*) AS pallets, SUM(current_boxes) AS cartons FROM pallets"                         \
  " WHERE enterprise_id = $1 AND is_deleted = FALSE AND container_id IS NOT NULL" SCOPE("container_id",          \
                                                                                         "container")            \
  " GROUP BY container_id)"                                                                                       \
  " SELECT c.id, c.container_number, c.pallet_count, CAST(COALESCE(l.pallets, 0) AS BIGINT),"                     \
  " c.total_cartons, CAST(COALESCE(l.cartons, 0) AS BIGINT), c.created_at"                                        \
  " FROM containers c LEFT JOIN loaded l ON l.container_id = c.id"                                                \
  " WHERE c.enterprise_id = $1 AND c.is_deleted = FALSE"                                                          \
  " AND c.status IN ('loading', 'loaded', 'sealed', 'dispatched', 'in_transit')" SCOPE("c.id", "container")      \
  " AND ABS(COALESCE(l.pallets, 0) - c.pallet_count) > $2"                                                        \
  " ORDER BY c.container_number, c.id"

// 5. Labour costs that are not cancelled: (a) total vs hours x rate x headcount (headcount
// 1 when unset) where hours and rate are both given, (b) a total above the tolerance with
// neither hours nor rate.
#define LABOUR_VS_COST(SCOPE)                                                                                     \
  "WITH costs AS ("                                                                                               \
  " SELECT id, category, work_date, currency, COALESCE(hours_worked, 0) AS hours,"                                \
  " COALESCE(rate_per_hour, 0) AS rate,"                                                                          \
  " CAST(FLOOR(COALESCE(hours_worked, 0) * COALESCE(rate_per_hour, 0) * COALESCE(headcount, 1) * 100 + 0.5)"      \
  " AS BIGINT) AS expected, " CENTS("total_amount") " AS total"                                                   \
  " FROM labour_costs WHERE enterprise_id = $1 AND is_deleted = FALSE AND status <> 'cancelled'" SCOPE(          \
      "id", "labour") ")"                                                                                         \
  " SELECT 'basis' AS part, id, category, work_date, currency, expected, total FROM costs"                        \
  " WHERE hours > 0 AND rate > 0 AND ABS(total - expected) > $2"                                                  \
  " UNION ALL"                                                                                                    \
  " SELECT 'no_basis' AS part, id, category, work_date, currency, 0, total FROM costs"                            \
  " WHERE total > $2 AND hours = 0 AND rate = 0"                                                                  \
  " ORDER BY work_date, id"

// 6. Growers with complete batches (routed to them) and no payment at all, from
// grower_intake_totals (migration 0009).
#define UNPAID_BATCHES(SCOPE)                                                                                     \
  "SELECT t.grower_id, g.name, g.grower_code, t.complete_batches, t.complete_grams,"                              \
  " " GROWER_DAY("MIN", " AND d.complete_batches > 0") ", " GROWER_DAY("MAX", " AND d.complete_batches > 0")      \
  " FROM grower_intake_totals t JOIN growers g ON g.id = t.grower_id"                                             \
  " WHERE t.enterprise_id = $1 AND t.complete_batches > 0" SCOPE("t.grower_id", "grower") " AND NOT EXISTS ("    \
  " SELECT 1 FROM grower_payments p WHERE p.enterprise_id = $1 AND p.grower_id = t.grower_id"                     \
  " AND p.is_deleted = FALSE AND p.status <> 'cancelled')"                                                        \
  " ORDER BY g.name, t.grower_id"

CheckRow lot_row(const Row& r) {
  CheckRow c;
  c.check = Check::kLotVsBatch;
  c.entity_id = r.string(0);
  c.label = r.string(1);
  c.fruit_type = r.optional_string(2);
  c.grower_id = r.optional_string(3);
  c.first_day = c.last_day = r.date(4);
  c.expected = r.int64(5);
  c.actual = r.int64(6);
  return c;
}

CheckRow grower_row(const Row& r) {
  CheckRow c;
  c.check = Check::kGrnVsPayment;
  c.entity_id = r.string(0);
  c.grower_id = c.entity_id;
  c.label = r.string(1);
  c.code = r.optional_string(2);
  c.expected = r.int64(3);
  c.actual = r.int64(4);
  c.first_day = r.date(5);
  c.last_day = r.date(6);
  return c;
}

CheckRow export_row(const Row& r) {
  CheckRow c;
  c.check = r.string(0) == "weight" ? Check::kExportWeight : Check::kExportValue;
  c.entity_id = r.string(1);
  c.label = r.string(2);
  c.currency = r.optional_string(3);
  c.first_day = r.date(4);
  c.last_day = r.date(5);
  c.expected = r.int64(6);
  c.actual = r.int64(7);
  return c;
}

CheckRow container_row(const Row& r) {
  CheckRow c;
  c.check = Check::kPalletVsContainer;
  c.entity_id = r.string(0);
  c.label = r.string(1);
  c.expected = r.int64(2);
  c.actual = r.int64(3);
  c.expected_cartons = r.int64(4);
  c.actual_cartons = r.int64(5);
  auto created = r.timestamp(6);
  if (created) c.first_day = c.last_day = created->substr(0, 10);
  return c;
}

CheckRow labour_row(const Row& r) {
  CheckRow c;
  c.check = r.string(0) == "basis" ? Check::kLabourVsCost : Check::kLabourWithoutHours;
  c.entity_id = r.string(1);
  c.label = r.string(2);
  c.code = r.date(3);
  c.first_day = c.last_day = c.code;
  c.currency = r.optional_string(4);
  c.expected = r.int64(5);
  c.actual = r.int64(6);
  return c;
}

CheckRow unpaid_row(const Row& r) {
  CheckRow c;
  c.check = Check::kUnpaidBatches;
  c.entity_id = r.string(0);
  c.grower_id = c.entity_id;
  c.label = r.string(1);
  c.code = r.optional_string(2);
  c.batches = r.int64(3);
  c.expected = r.int64(4);
  c.actual = 0;
  c.first_day = r.date(5);
  c.last_day = r.date(6);
  return c;
}

// The tolerances a statement binds after the tenant, in order ($2, $3).
enum class Bind { kWeight, kAmount, kPallets };

struct CheckStatement {
  std::string_view full;     // every entity of the tenant
  std::string_view journal;  // only the entities in the tenant's change journal
  std::vector<Bind> binds;
  CheckRow (*read)(const Row&);
};

const std::array<CheckStatement, 6>& statements() {
  static const std::array<CheckStatement, 6> all{{
      {LOT_VS_BATCH(ALL), LOT_VS_BATCH(JOURNAL), {Bind::kWeight}, lot_row},
      {GRN_VS_PAYMENT(ALL), GRN_VS_PAYMENT(JOURNAL), {Bind::kWeight}, grower_row},
      {EXPORT_VS_INVOICE(ALL), EXPORT_VS_INVOICE(JOURNAL), {Bind::kWeight, Bind::kAmount}, export_row},
      {PALLET_VS_CONTAINER(ALL), PALLET_VS_CONTAINER(JOURNAL), {Bind::kPallets}, container_row},
      {LABOUR_VS_COST(ALL), LABOUR_VS_COST(JOURNAL), {Bind::kAmount}, labour_row},
      {UNPAID_BATCHES(ALL), UNPAID_BATCHES(JOURNAL), {}, unpaid_row},
  }};
  static_assert(std::tuple_size_v<std::array<CheckStatement, 6>> == kCheckNames.size());
  return all;
}

#undef GRAMS
#undef CENTS
#undef BP
#undef ALL
#undef GROWER_DAY
#undef JOURNAL
#undef LOT_VS_BATCH
#undef GRN_VS_PAYMENT
#undef EXPORT_VS_INVOICE
#undef PALLET_VS_CONTAINER
#undef LABOUR_VS_COST
#undef UNPAID_BATCHES

std::int64_t tolerance(Bind b, const domain::Tolerances& t) {
  switch (b) {
    case Bind::kWeight: return t.weight_bp;
    case Bind::kAmount: return t.amount_cents;
    case Bind::kPallets: return t.pallets;
  }
  return 0;
}

}  // namespace

std::string_view check_sql(std::size_t index, Scope scope) {
  const CheckStatement& check = statements().at(index);
  return scope == Scope::kAll ? check.full : check.journal;
}

std::vector<std::int64_t> tolerance_binds(std::size_t index, const domain::Tolerances& tolerances) {
  std::vector<std::int64_t> out;
  for (Bind b : statements().at(index).binds) out.push_back(tolerance(b, tolerances));
  return out;
}

net::awaitable<Result<std::vector<CheckRow>>> run_check(Runner run, domain::TenantId tenant, std::size_t index,
                                                        domain::Tolerances tolerances, Scope scope) {
  const CheckStatement& check = statements().at(index);
  Params params{tenant.value()};
  for (std::int64_t t : tolerance_binds(index, tolerances)) params.emplace_back(t);
  auto rows = co_await run.execute(check_sql(index, scope), std::move(params));
  if (!rows) co_return rows.error();
  std::vector<CheckRow> out;
  out.reserve(rows->size());
  for (std::size_t i = 0; i < rows->size(); ++i) out.push_back(check.read((*rows)[i]));
  co_return out;
}

}  // namespace fruitpak::db::reconciliation
