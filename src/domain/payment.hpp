#pragma once
// Payments to growers (contract 2.7, 3.4; 11.11's grower_code and packhouse_id). Money and
// weights are doubles, as the contract's float columns are; what we compute from money is
// rounded to cents.

#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fruitpak::domain {

inline constexpr std::string_view kPaymentRefPrefix = "PAY";  // PAY-YYYYMMDD-NNN (D12)
inline constexpr std::string_view kDefaultCurrency = "ZAR";

// The only payment types the contract accepts (section 3.5: validated).
inline bool is_payment_type(std::string_view type) { return type == "advance" || type == "final"; }

struct GrowerPayment {
  std::string id;
  std::string payment_ref;
  std::string grower_id;
  std::optional<std::string> grower_name;  // from the grower, not stored on the payment
  std::optional<std::string> grower_code;  // likewise
  std::optional<std::string> packhouse_id;  // copied from the grower (11.11)
  std::vector<std::string> batch_ids;
  std::string currency{kDefaultCurrency};
  double gross_amount = 0;
  double total_deductions = 0;
  double net_amount = 0;
  std::optional<double> rate_per_kg;
  std::optional<double> total_kg;
  std::string payment_type = "final";
  std::optional<std::string> paid_date;  // YYYY-MM-DD
  std::string status = "paid";
  std::optional<std::string> notes;
  std::string created_at;
  std::string updated_at;
};

// What a client asks for in POST /api/payments/grower, already validated by the api layer:
// amount > 0, currency of 3 letters, payment_type advance|final, payment_date a real
// YYYY-MM-DD date, batch_ids without duplicates.
struct GrowerPaymentRequest {
  std::string grower_id;
  double amount = 0;
  std::string currency{kDefaultCurrency};
  std::string payment_type = "final";
  std::string payment_date;
  std::optional<std::string> notes;
  std::vector<std::string> batch_ids;  // empty: every live, non-rejected batch of the grower
};

// The weight a batch counts with in a payment: net, else gross, else nothing.
struct CoveredBatch {
  std::string id;
  std::optional<double> net_weight_kg;
  std::optional<double> gross_weight_kg;

  double payable_kg() const { return net_weight_kg ? *net_weight_kg : gross_weight_kg.value_or(0.0); }
};

inline double round_to_cents(double amount) { return std::round(amount * 100.0) / 100.0; }

// Σ payable kg of the batches; nullopt when it is 0 (stored as NULL, contract 2.7).
inline std::optional<double> total_kg_of(const std::vector<CoveredBatch>& batches) {
  double total = 0;
  for (const auto& b : batches) total += b.payable_kg();
  if (total == 0) return std::nullopt;
  return total;
}

// amount / total_kg in cents; nullopt without a weight (contract 2.7).
inline std::optional<double> rate_per_kg_of(double amount, const std::optional<double>& total_kg) {
  if (!total_kg || *total_kg == 0) return std::nullopt;
  return round_to_cents(amount / *total_kg);
}

}  // namespace fruitpak::domain
