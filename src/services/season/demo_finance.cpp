// The demo season's money: monthly grower payments for the GRNs received, weekly labour
// costs, client invoices for the exports and a few credit notes. Apart from the planted
// findings (DemoMismatches) every figure agrees with the operations it pays for.

#include "services/season/catalog.hpp"
#include "services/season/demo_season.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <tuple>

namespace fruitpak::services::season {
namespace {

using std::chrono::days;

struct PaymentPlan {
  int grower = 0;
  std::vector<int> batches;
  Day period_start{}, period_end{};
  Moment created{};
  std::string status;
  std::string type;
  double total_kg = 0;
  double gross = 0;
  std::string ref;
};

struct LabourPlan {
  std::string category;
  std::string description;
  int packhouse = 0;
  std::optional<std::string> line_id, team_id, supplier_id;
  std::optional<double> hours, rate, headcount;
  double total = 0;
  Day work_date{}, period_start{}, period_end{};
  std::optional<std::string> notes;
};

Day month_start(Day d) {
  const std::chrono::year_month_day ymd(d);
  return Day(ymd.year() / ymd.month() / 1);
}

Day next_month(Day d) {
  const std::chrono::year_month_day ymd(month_start(d));
  return Day(std::chrono::year_month_day(ymd.year() / ymd.month() / 1) + std::chrono::months(1));
}

std::string amounts_json(const std::vector<std::pair<std::string, double>>& items) {
  std::string json = "[";
  for (const auto& [description, amount] : items) {
    if (json.size() > 1) json += ',';
    json += fmt::format(R"({{"description":"{}","amount":{}}})", description, amount);
  }
  return json + "]";
}

std::string lines_json(const std::vector<InvoiceLine>& lines) {
  std::string json = "[";
  for (const auto& l : lines) {
    if (json.size() > 1) json += ',';
    json += fmt::format(R"({{"description":"{}","quantity":{},"unit_price":{},"amount":{}}})", l.description,
                        l.cartons, l.unit_price, l.amount);
  }
  return json + "]";
}

// Labour rows move on with age: recorded, approved after a week, then invoiced, then paid.
std::string labour_status(Day work_date, Day today) {
  const auto age = (today - work_date).count();
  if (age > 28) return "paid";
  if (age > 14) return "invoiced";
  if (age > 7) return "approved";
  return "recorded";
}

double hours_step(Rng& rng, double lo, double hi) { return round_places(rng.uniform(lo, hi) * 2, 0) / 2; }

}  // namespace

void DemoSeason::add_grower_payments() {
  std::vector<int> eligible;  // growers with a complete batch
  for (const auto& b : batches_) {
    if (b.closed_at) eligible.push_back(b.draft.grower);
  }
  std::sort(eligible.begin(), eligible.end());
  eligible.erase(std::unique(eligible.begin(), eligible.end()), eligible.end());
  // The planted unpaid-grower findings: complete batches, no payment at all.
  const auto unpaid = choose(rng_, eligible, DemoMismatches::kUnpaidGrowers);
  std::vector<int> paid_growers;
  std::set_difference(eligible.begin(), eligible.end(), unpaid.begin(), unpaid.end(), std::back_inserter(paid_growers));
  const auto miscounted = choose(rng_, paid_growers, DemoMismatches::kGrnVsPayment);

  std::map<std::pair<int, Day>, std::vector<int>> months;  // (grower, month) -> non-rejected batches
  for (std::size_t i = 0; i < batches_.size(); ++i) {
    const auto& b = batches_[i];
    if (b.rejected_at || std::binary_search(unpaid.begin(), unpaid.end(), b.draft.grower)) continue;
    months[{b.draft.grower, month_start(b.draft.day)}].push_back(static_cast<int>(i));
  }
  std::vector<PaymentPlan> payments;
  for (const auto& [key, list] : months) {
    PaymentPlan p;
    p.grower = key.first;
    p.batches = list;
    p.period_start = std::max(key.second, first_day_);
    p.period_end = std::min(next_month(key.second) - days(1), last_day_);
    const Day pay_day = std::min(next_month(key.second) + days(4), last_day_);
    p.created = at(pay_day, 9 * 3600 + key.first * 120);
    const auto age = (last_day_ - pay_day).count();
    p.status = age == 0 ? "pending" : (age >= 10 ? "paid" : "approved");
    p.type = age > 90 ? "final" : "advance";
    for (int b : list) {
      const auto& d = batches_[static_cast<std::size_t>(b)].draft;
      p.total_kg += d.net_kg;
      p.gross += d.net_kg * kFruits[static_cast<std::size_t>(d.fruit)].grower_zar_per_kg;
    }
    payments.push_back(std::move(p));
  }
  // The planted grn-vs-payment findings: the grower's largest payment carries a weighbridge
  // figure 10 % of the season's kg above (or about 8 % below) what the GRNs say.
  for (std::size_t k = 0; k < miscounted.size(); ++k) {
    double received = 0;
    PaymentPlan* largest = nullptr;
    for (auto& p : payments) {
      if (p.grower != miscounted[k]) continue;
      received += p.total_kg;
      if (!largest || p.total_kg > largest->total_kg) largest = &p;
    }
    if (!largest) continue;
    const double delta = k % 2 == 0 ? received * 0.10 : -std::min(received * 0.08, largest->total_kg * 0.5);
    largest->gross += delta * largest->gross / largest->total_kg;
    largest->total_kg += delta;
  }
  number_per_day(
      counters_, "PAY", payments.size(), [&](std::size_t i) { return payments[i].created; },
      [&](std::size_t i, std::string ref) { payments[i].ref = std::move(ref); });

  TableRows rows("grower_payments", {"id", "enterprise_id", "payment_ref", "grower_id", "packhouse_id", "batch_ids",
                                     "currency", "gross_amount", "deductions", "total_deductions", "net_amount",
                                     "rate_per_kg", "total_kg", "period_start", "period_end", "due_date", "paid_date",
                                     "payment_type", "status", "approved_by", "approved_at", "notes", "is_deleted",
                                     "created_at", "updated_at"});
  for (const auto& p : payments) {
    const auto& g = setup_.growers[static_cast<std::size_t>(p.grower)];
    std::string batch_ids = "[";
    for (int b : p.batches) {
      if (batch_ids.size() > 1) batch_ids += ',';
      batch_ids.append("\"").append(batches_[static_cast<std::size_t>(b)].draft.id).append("\"");
    }
    batch_ids += "]";
    const std::vector<std::pair<std::string, double>> deductions{
        {"Packing at R0.85/kg", round_places(p.total_kg * 0.85, 2)},
        {"Transport to packhouse at R0.22/kg", round_places(p.total_kg * 0.22, 2)},
        {"CGA levy at R0.09/kg", round_places(p.total_kg * 0.09, 2)}};
    double deducted = 0;
    for (const auto& [what, amount] : deductions) deducted += amount;
    const double gross = round_places(p.gross, 2);
    const bool approved = p.status != "pending";
    const Moment approved_at = p.created + days(1);
    std::optional<std::string> paid_date;
    Moment updated = approved ? approved_at : p.created;
    if (p.status == "paid") {
      const Day paid = day_of(p.created) + days(7);
      paid_date = iso_day(paid);
      updated = at(paid, 11 * 3600);
    }
    const std::string id = ids_.next("grower_payments");
    if (p.status == "paid") payment_ids_.push_back(id);
    rows.add(id, tenant_.value(), p.ref, g.id, setup_.packhouses[static_cast<std::size_t>(g.packhouse)].id, batch_ids,
             "ZAR", gross, amounts_json(deductions), round_places(deducted, 2), round_places(gross - deducted, 2),
             round_places(gross / p.total_kg, 4), round_places(p.total_kg, 1), iso_day(p.period_start),
             iso_day(p.period_end), iso_day(day_of(p.created) + days(14)),
             paid_date, p.type, p.status,
             approved ? context().user_id : std::nullopt,
             approved ? std::optional<std::string>(stamp(approved_at)) : std::nullopt, nullptr, false,
             stamp(p.created), stamp(updated));
  }
  out_.push_back(std::move(rows));
}

void DemoSeason::add_labour() {
  std::vector<LabourPlan> plans;
  auto costed = [&](LabourPlan plan, double hours, double rate, double headcount) {
    plan.hours = hours;
    plan.rate = rate;
    plan.headcount = headcount;
    plan.total = round_places(hours * rate * headcount, 2);
    plans.push_back(std::move(plan));
  };
  for (Day week = first_day_; week + days(4) <= last_day_; week += days(7)) {
    const LabourPlan base{"", "", 0, {}, {}, {}, {}, {}, {}, 0, week + days(4), week, week + days(6), {}};
    for (std::size_t p = 0; p < setup_.packhouses.size(); ++p) {
      const auto& ph = setup_.packhouses[p];
      const auto town = kPackhouseSites[ph.site].town;
      for (std::size_t k = 0; k < ph.line_ids.size(); ++k) {
        LabourPlan plan = base;
        plan.category = "packing";
        plan.description = fmt::format("Packers, {} line {}, week of {}", town, k + 1, iso_day(week));
        plan.packhouse = static_cast<int>(p);
        plan.line_id = ph.line_ids[k];
        costed(plan, hours_step(rng_, 40, 47.5), round_places(rng_.uniform(31.5, 36), 2),
               static_cast<double>(rng_.between(22, 38)));
      }
      LabourPlan cold = base;
      cold.category = "cold_store";
      cold.description = fmt::format("Cold store shift, {}, week of {}", town, iso_day(week));
      cold.packhouse = static_cast<int>(p);
      costed(cold, hours_step(rng_, 45, 50), round_places(rng_.uniform(34, 38), 2),
             static_cast<double>(rng_.between(4, 7)));
      LabourPlan loading = cold;
      loading.category = "loading";
      loading.description = fmt::format("Container loading, {}, week of {}", town, iso_day(week));
      costed(loading, hours_step(rng_, 40, 45), round_places(rng_.uniform(33, 36), 2),
             static_cast<double>(rng_.between(6, 12)));
    }
    for (const auto& team : setup_.teams) {
      LabourPlan plan = base;
      plan.category = "harvest";
      plan.description = fmt::format("{} pickers, week of {}", team.name, iso_day(week));
      plan.packhouse = team.packhouse;
      plan.team_id = team.id;
      if (team.packhouse == 1) plan.supplier_id = labour_broker_id_;
      costed(plan, hours_step(rng_, 40, 48), round_places(rng_.uniform(28.79, 31), 2), team.size);
    }
  }
  std::vector<int> crews;
  for (std::size_t i = 0; i < plans.size(); ++i) {
    if (plans[i].category == "packing" || plans[i].category == "harvest") crews.push_back(static_cast<int>(i));
  }
  // The planted labour findings: overtime paid but not in the hours, and one cost without
  // any hours or rate.
  for (int i : choose(rng_, crews, DemoMismatches::kLabourVsCost)) {
    auto& plan = plans[static_cast<std::size_t>(i)];
    plan.total = round_places(plan.total + static_cast<double>(rng_.between(1500, 4000)) + 0.5, 2);
    plan.notes = "Total includes overtime paid for the Saturday shift";
  }
  for (int k = 0; k < DemoMismatches::kLabourWithoutHours; ++k) {
    const Day end = next_month(first_day_) - days(1);
    plans.push_back(LabourPlan{"other", "Site security contract, monthly", k % 3, {}, {}, security_id_, {}, {}, {},
                               18'400.0, end, month_start(end), end, {}});
  }
  TableRows rows("labour_costs", {"id", "enterprise_id", "category", "description", "supplier_id", "packhouse_id",
                                  "pack_line_id", "harvest_team_id", "currency", "hours_worked", "rate_per_hour",
                                  "headcount", "total_amount", "extras", "work_date", "period_start", "period_end",
                                  "status", "notes", "recorded_by", "is_deleted", "created_at", "updated_at"});
  for (const auto& plan : plans) {
    const std::string created = stamp(at(plan.work_date, 16 * 3600));
    rows.add(ids_.next("labour_costs"), tenant_.value(), plan.category, plan.description, plan.supplier_id,
             setup_.packhouses[static_cast<std::size_t>(plan.packhouse)].id, plan.line_id, plan.team_id, "ZAR",
             plan.hours, plan.rate, plan.headcount, plan.total, nullptr, iso_day(plan.work_date),
             iso_day(plan.period_start), iso_day(plan.period_end), labour_status(plan.work_date, last_day_),
             plan.notes, context().user_id, false, created, created);
  }
  out_.push_back(std::move(rows));
}

std::vector<InvoiceLine> DemoSeason::invoice_lines(const ExportPlan& e) const {
  std::map<std::tuple<int, int, int, int>, std::int64_t> cartons;  // (fruit, cultivar, grade, box)
  for (int c : e.containers) {
    for (int pi : containers_[static_cast<std::size_t>(c)].pallets) {
      const auto& p = pallets_[static_cast<std::size_t>(pi)];
      cartons[{p.fruit, p.cultivar, p.grade, p.box}] += p.boxes;
    }
  }
  const auto& market = kExportMarkets[static_cast<std::size_t>(e.market)];
  std::vector<InvoiceLine> lines;
  for (const auto& [key, count] : cartons) {
    const auto& [fruit_index, cultivar, grade, box_index] = key;
    const auto& fruit = kFruits[static_cast<std::size_t>(fruit_index)];
    const auto& box = kBoxSizes[static_cast<std::size_t>(box_index)];
    const double price =
        round_places(fruit.usd_per_kg * box.weight_kg * (grade == 1 ? 1.0 : 0.8) * market.per_usd, 2);
    lines.push_back({fmt::format("{} class {}, {} {} kg", fruit.cultivars[static_cast<std::size_t>(cultivar)].name,
                                 grade, box.code, box.weight_kg),
                     count, price, round_places(static_cast<double>(count) * price, 2)});
  }
  return lines;
}

void DemoSeason::add_invoices() {
  std::vector<InvoicePlan> invoices;
  std::vector<int> sailed;
  for (std::size_t i = 0; i < exports_.size(); ++i) {
    const auto& e = exports_[i];
    if (e.status != "loaded" && e.status != "in_transit" && e.status != "arrived" && e.status != "completed") continue;
    if (e.status != "loaded") sailed.push_back(static_cast<int>(invoices.size()));
    const auto& m = kExportMarkets[static_cast<std::size_t>(e.market)];
    InvoicePlan inv;
    inv.exported = static_cast<int>(i);
    inv.lines = invoice_lines(e);
    inv.issued = e.etd;
    if (e.status == "loaded") {  // a pro-forma draft until the vessel sails
      inv.issued = first_day_;
      for (int c : e.containers) inv.issued = std::max(inv.issued, day_of(containers_[static_cast<std::size_t>(c)].created));
    }
    inv.due = inv.issued + days(m.payment_terms_days);
    inv.status = e.status == "loaded" ? "draft" : "issued";
    invoices.push_back(std::move(inv));
  }
  // The planted export-vs-invoice findings: a line invoiced below the agreed price.
  for (int k : choose(rng_, sailed, DemoMismatches::kExportVsInvoice)) {
    auto& line = invoices[static_cast<std::size_t>(k)].lines.front();
    line.unit_price = round_places(line.unit_price - std::max(line.unit_price * 0.06, 120.0 / static_cast<double>(line.cartons) + 0.01), 2);
    line.amount = round_places(static_cast<double>(line.cartons) * line.unit_price, 2);
  }
  std::vector<int> paid;
  for (std::size_t k = 0; k < invoices.size(); ++k) {
    auto& inv = invoices[k];
    for (const auto& l : inv.lines) inv.total += l.amount;
    inv.total = round_places(inv.total, 2);
    const auto& status = exports_[static_cast<std::size_t>(inv.exported)].status;
    if (status == "arrived" || (status == "completed" && inv.due > last_day_)) {
      inv.status = "partially_paid";
      inv.amount_paid = round_places(inv.total * 0.3, 2);
    } else if (status == "completed") {
      inv.status = "paid";
      inv.paid = std::max(inv.issued, inv.due - days(rng_.between(0, 5)));
      inv.amount_paid = inv.total;
      paid.push_back(static_cast<int>(k));
    }
    inv.id = ids_.next("client_invoices");
  }
  std::vector<std::size_t> order(invoices.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return invoices[a].issued < invoices[b].issued; });
  for (std::size_t n = 0; n < order.size(); ++n) {
    auto& inv = invoices[order[n]];
    const int year = static_cast<int>(std::chrono::year_month_day(inv.issued).year());
    inv.number = fmt::format("INV-{}-{:04}", year, n + 1);
    // The invoices API continues from the counter of the issue year (day "<YYYY>").
    counters_.note("INV", std::to_string(year), static_cast<std::int64_t>(n + 1));
  }
  add_invoice_rows(invoices, paid);
}

void DemoSeason::add_invoice_rows(std::vector<InvoicePlan>& invoices, const std::vector<int>& paid) {
  struct Credit {
    std::string type, reason, detail;
    int invoice = -1;
    std::optional<std::string> payment_id;
    std::string currency;
    double total = 0;
    Day issued{};
    std::optional<Day> applied;
    std::string status;
  };
  std::vector<Credit> credits;
  for (int k : choose(rng_, paid, 2)) {
    auto& inv = invoices[static_cast<std::size_t>(k)];
    const double amount = round_places(inv.total * 0.025, 2);
    inv.amount_paid = round_places(inv.total - amount, 2);
    inv.credited = amount;
    credits.push_back({"client_credit", "quality_claim", "Rind breakdown on arrival in part of the consignment", k, {},
                       std::string(kExportMarkets[static_cast<std::size_t>(exports_[static_cast<std::size_t>(inv.exported)].market)].currency),
                       amount, std::max(inv.issued, *inv.paid - days(3)), inv.paid, "applied"});
  }
  for (std::size_t k = 0; k < invoices.size(); ++k) {
    if (exports_[static_cast<std::size_t>(invoices[k].exported)].status != "arrived") continue;
    const auto& inv = invoices[k];
    credits.push_back({"adjustment", "short_delivery", "Two cartons short per pallet on the tally at discharge",
                       static_cast<int>(k), {},
                       std::string(kExportMarkets[static_cast<std::size_t>(exports_[static_cast<std::size_t>(inv.exported)].market)].currency),
                       round_places(inv.total * 0.015, 2), last_day_, {}, "draft"});
    break;
  }
  if (!payment_ids_.empty()) {
    credits.push_back({"grower_credit", "price_adjustment", "Pool price for class 2 revised after the market report", -1,
                       payment_ids_[rng_.below(payment_ids_.size())], "ZAR", 2350.0, last_day_ - days(10), {},
                       "issued"});
  }

  TableRows rows("client_invoices", {"id", "enterprise_id", "invoice_number", "client_name", "client_ref",
                                     "export_id", "currency", "line_items", "subtotal", "tax_rate_pct", "tax_amount",
                                     "total_amount", "amount_paid", "balance_due", "issue_date", "due_date",
                                     "paid_date", "payment_terms", "incoterm", "status", "notes", "created_by",
                                     "is_deleted", "created_at", "updated_at"});
  for (const auto& inv : invoices) {
    const auto& e = exports_[static_cast<std::size_t>(inv.exported)];
    const auto& m = kExportMarkets[static_cast<std::size_t>(e.market)];
    const std::string created = stamp(at(inv.issued, 10 * 3600));
    rows.add(inv.id, tenant_.value(), inv.number, m.client, fmt::format("PO-{:05}", 40'000 + inv.exported * 3), e.id,
             m.currency, lines_json(inv.lines), inv.total, 0.0, 0.0, inv.total, inv.amount_paid,
             round_places(inv.total - inv.amount_paid - inv.credited, 2), iso_day(inv.issued), iso_day(inv.due),
             inv.paid ? std::optional<std::string>(iso_day(*inv.paid)) : std::nullopt,
             fmt::format("{} days from bill of lading", m.payment_terms_days), m.incoterm, inv.status, nullptr,
             context().user_id, false, created, inv.paid ? stamp(at(*inv.paid, 12 * 3600)) : created);
  }
  out_.push_back(std::move(rows));

  std::stable_sort(credits.begin(), credits.end(), [](const Credit& a, const Credit& b) { return a.issued < b.issued; });
  TableRows credit_rows("credits", {"id", "enterprise_id", "credit_number", "credit_type", "reason", "reason_detail",
                                    "invoice_id", "grower_payment_id", "export_id", "currency", "line_items",
                                    "total_amount", "issue_date", "applied_date", "status", "approved_by",
                                    "approved_at", "notes", "created_by", "is_deleted", "created_at", "updated_at"});
  for (std::size_t n = 0; n < credits.size(); ++n) {
    const auto& c = credits[n];
    std::optional<std::string> invoice_id, export_id;
    if (c.invoice >= 0) {
      invoice_id = invoices[static_cast<std::size_t>(c.invoice)].id;
      export_id = exports_[static_cast<std::size_t>(invoices[static_cast<std::size_t>(c.invoice)].exported)].id;
    }
    const bool approved = c.status != "draft";
    const std::string created = stamp(at(c.issued, 14 * 3600));
    const int year = static_cast<int>(std::chrono::year_month_day(c.issued).year());
    counters_.note("CN", std::to_string(year), static_cast<std::int64_t>(n + 1));
    credit_rows.add(ids_.next("credits"), tenant_.value(), fmt::format("CN-{}-{:03}", year, n + 1), c.type,
             c.reason, c.detail, invoice_id, c.payment_id, export_id, c.currency,
             amounts_json({{c.detail, c.total}}), c.total, iso_day(c.issued),
             c.applied ? std::optional<std::string>(iso_day(*c.applied)) : std::nullopt, c.status,
             approved ? context().user_id : std::nullopt, approved ? std::optional<std::string>(created) : std::nullopt,
             nullptr, context().user_id, false, created, created);
  }
  out_.push_back(std::move(credit_rows));
}

}  // namespace fruitpak::services::season
