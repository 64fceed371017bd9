#include "domain/invoice.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace fruitpak::domain {
namespace {

ClientInvoice invoice_with(std::string status, Cents total, Cents paid = 0, Cents credited = 0) {
  ClientInvoice i;
  i.invoice_number = "INV-2026-0001";
  i.status = std::move(status);
  i.total_amount = total;
  i.amount_paid = paid;
  i.credited_amount = credited;
  i.balance_due = total - paid - credited;
  return i;
}

TEST(InvoiceTest, LineAmountsRoundHalfUpToTheCent) {
  EXPECT_EQ(line_amount(3'000, 3'400), 102);     // 3 x 0.34 = 1.02 exactly
  EXPECT_EQ(line_amount(3'000, 3'350), 101);     // 3 x 0.335 = 1.005 -> 1.01
  EXPECT_EQ(line_amount(335, 30'000), 101);      // 0.335 x 3.00 = 1.005 -> 1.01
  EXPECT_EQ(line_amount(3'000, 3'349), 100);     // 3 x 0.3349 = 1.0047 -> 1.00
  EXPECT_EQ(line_amount(1'005, 10'000), 101);    // 1.005 x 1.00 -> 1.01
  EXPECT_EQ(line_amount(1'004, 10'000), 100);    // 1.004 -> 1.00
  EXPECT_EQ(line_amount(1, 100), 0);             // 0.001 x 0.01 = 0.00001 -> 0.00
  EXPECT_EQ(line_amount(500, 100), 1);           // 0.5 x 0.01 = 0.005 -> 0.01
  EXPECT_EQ(line_amount(1'200'000, 125'000), 1'500'000);  // 1,200 x 12.50 = 15,000.00
  // Products beyond 64 bits are computed exactly, and saturate only when the amount does not fit.
  EXPECT_EQ(line_amount(1'000'000'000'000, 100'000'000), 1'000'000'000'000'000);  // 10^9 x 10^4
  EXPECT_EQ(line_amount(1'000'000'000'000, 10'000'000'000'000), std::numeric_limits<Cents>::max());  // 10^9 x 10^9
}

TEST(InvoiceTest, TaxRoundsHalfUpToTheCent) {
  EXPECT_EQ(tax_of(5, 150'000), 1);            // 15 % of 0.05 = 0.0075 -> 0.01
  EXPECT_EQ(tax_of(3, 150'000), 0);            // 15 % of 0.03 = 0.0045 -> 0.00
  EXPECT_EQ(tax_of(10, 50'000), 1);            // 5 % of 0.10 = 0.005 -> 0.01
  EXPECT_EQ(tax_of(1'512'400, 150'000), 226'860);  // 15 % of 15,124.00 = 2,268.60
  EXPECT_EQ(tax_of(1'000, 0), 0);
  EXPECT_EQ(tax_of(1'000, 1'000'000), 1'000);  // 100 %
  EXPECT_EQ(tax_of(10'000, 72'500), 725);      // 7.25 % of 100.00
}

TEST(InvoiceTest, TotalsOfTheWorkedExample) {
  // 1,200 x 12.50 and 40 x 3.10 with 15 % tax.
  const std::vector<InvoiceLine> lines{make_line("Oranges 15 kg", 1'200'000, "carton", 125'000),
                                       make_line("Pallet wrap", 40'000, std::nullopt, 31'000)};
  EXPECT_EQ(lines[1].amount, 12'400);
  const auto t = invoice_totals(lines, rate_e4_of(15.0));
  EXPECT_EQ(t.subtotal, 1'512'400);
  EXPECT_EQ(t.tax, 226'860);
  EXPECT_EQ(t.total, 1'739'260);

  auto invoice = invoice_with("draft", 0);
  invoice.line_items = lines;
  invoice.tax_rate_pct = 15;
  invoice.amount_paid = 739'260;
  invoice.credited_amount = 100'000;
  recompute(invoice);
  EXPECT_EQ(invoice.total_amount, 1'739'260);
  EXPECT_EQ(invoice.balance_due, 900'000);
}

TEST(InvoiceTest, ScaledExactlyAcceptsOnlyTheAllowedDecimals) {
  EXPECT_EQ(scaled_exactly(12.5, 2), 1'250);
  EXPECT_EQ(scaled_exactly(3.1, 2), 310);
  EXPECT_EQ(scaled_exactly(0.335, 3), 335);
  EXPECT_EQ(scaled_exactly(0.29, 2), 29);  // 0.29 x 100 is 28.999999999999996 in binary
  EXPECT_EQ(scaled_exactly(1e9, 3), 1'000'000'000'000);
  EXPECT_EQ(scaled_exactly(0.335, 2), std::nullopt);
  EXPECT_EQ(scaled_exactly(1.0001, 3), std::nullopt);
  EXPECT_EQ(rate_e4_of(7.25), 72'500);
  EXPECT_EQ(to_cents(17392.6), 1'739'260);
  EXPECT_EQ(from_cents(1'739'260), 17392.6);
}

TEST(InvoiceTest, NumbersAndMoneyAreFormatted) {
  EXPECT_EQ(invoice_number("2026", 7), "INV-2026-0007");
  EXPECT_EQ(invoice_number("2026", 12'345), "INV-2026-12345");
  EXPECT_EQ(credit_number("2026", 7), "CN-2026-007");
  EXPECT_EQ(format_cents(1'739'260), "17392.60");
  EXPECT_EQ(format_cents(5), "0.05");
  EXPECT_EQ(format_cents(-105), "-1.05");
}

TEST(InvoiceTest, OnlyDraftsAreEditedIssuedAndCancelledFreely) {
  EXPECT_EQ(edit_refusal(invoice_with("draft", 100)), std::nullopt);
  EXPECT_EQ(edit_refusal(invoice_with("issued", 100)), "Only draft invoices can be edited");
  EXPECT_EQ(issue_refusal(invoice_with("draft", 100)), std::nullopt);
  EXPECT_EQ(issue_refusal(invoice_with("issued", 100)), "Only draft invoices can be issued; this one is issued");
  EXPECT_EQ(cancel_refusal(invoice_with("draft", 100)), std::nullopt);
  EXPECT_EQ(cancel_refusal(invoice_with("issued", 100)), std::nullopt);
  EXPECT_EQ(cancel_refusal(invoice_with("partially_paid", 100, 50)),
            "Only draft or issued invoices can be cancelled; this one is partially_paid");
  EXPECT_EQ(cancel_refusal(invoice_with("paid", 100, 100)),
            "Only draft or issued invoices can be cancelled; this one is paid");
  EXPECT_EQ(invoice_delete_refusal(invoice_with("draft", 100)), std::nullopt);
  EXPECT_EQ(invoice_delete_refusal(invoice_with("cancelled", 100)), std::nullopt);
  EXPECT_EQ(invoice_delete_refusal(invoice_with("issued", 100)),
            "Only draft or cancelled invoices can be deleted; this one is issued");
}

TEST(InvoiceTest, PaymentsMoveToPartiallyPaidThenPaid) {
  EXPECT_EQ(payment_refusal(invoice_with("draft", 10'000), 100),
            "Payments can only be recorded against issued or partially paid invoices; this one is draft");
  auto invoice = invoice_with("issued", 10'000);
  EXPECT_EQ(payment_refusal(invoice, 10'001), "Payment of 100.01 exceeds the balance due of 100.00");
  ASSERT_EQ(payment_refusal(invoice, 4'000), std::nullopt);
  pay(invoice, 4'000, "2026-03-01");
  EXPECT_EQ(invoice.status, "partially_paid");
  EXPECT_EQ(invoice.amount_paid, 4'000);
  EXPECT_EQ(invoice.balance_due, 6'000);
  EXPECT_EQ(invoice.paid_date, std::nullopt);
  ASSERT_EQ(payment_refusal(invoice, 6'000), std::nullopt);
  pay(invoice, 6'000, "2026-03-05");
  EXPECT_EQ(invoice.status, "paid");
  EXPECT_EQ(invoice.balance_due, 0);
  EXPECT_EQ(invoice.paid_date, "2026-03-05");
  EXPECT_EQ(payment_refusal(invoice, 1), "Payments can only be recorded against issued or partially paid invoices; "
                                         "this one is paid");
}

TEST(InvoiceTest, CreditsLowerTheBalanceAndSettleItAsCreditedOrPaid) {
  Credit issued;
  issued.status = "issued";
  issued.total_amount = 2'500;
  auto invoice = invoice_with("issued", 10'000);
  EXPECT_EQ(credit_apply_refusal(issued, &invoice), std::nullopt);
  EXPECT_EQ(credit_apply_refusal(issued, nullptr), std::nullopt);
  credit(invoice, 2'500, "2026-03-01");
  EXPECT_EQ(invoice.balance_due, 7'500);
  EXPECT_EQ(invoice.credited_amount, 2'500);
  EXPECT_EQ(invoice.status, "issued");

  auto whole = invoice_with("issued", 2'500);
  credit(whole, 2'500, "2026-03-01");
  EXPECT_EQ(whole.status, "credited");
  EXPECT_EQ(whole.paid_date, std::nullopt);

  auto part_paid = invoice_with("partially_paid", 10'000, 7'500);
  credit(part_paid, 2'500, "2026-03-02");
  EXPECT_EQ(part_paid.status, "paid");
  EXPECT_EQ(part_paid.paid_date, "2026-03-02");

  Credit big = issued;
  big.total_amount = 7'501;
  auto open = invoice_with("issued", 10'000, 0, 2'500);
  EXPECT_EQ(credit_apply_refusal(big, &open), "Credit of 75.01 exceeds the balance due of 75.00 on invoice INV-2026-0001");
  EXPECT_EQ(credit_apply_refusal(issued, &whole),
            "Credits can only be applied to issued or partially paid invoices; invoice INV-2026-0001 is credited");
  Credit draft = issued;
  draft.status = "draft";
  EXPECT_EQ(credit_apply_refusal(draft, &open), "Only issued credits can be applied; this one is draft");
  EXPECT_EQ(credit_issue_refusal(draft), std::nullopt);
  EXPECT_EQ(credit_issue_refusal(issued), "Only draft credits can be issued; this one is issued");
  EXPECT_EQ(credit_cancel_refusal(issued), std::nullopt);
  Credit applied = issued;
  applied.status = "applied";
  EXPECT_EQ(credit_cancel_refusal(applied), "Only draft or issued credits can be cancelled; this one is applied");
  EXPECT_EQ(credit_delete_refusal(applied), "Only draft or cancelled credits can be deleted; this one is applied");
  EXPECT_EQ(credit_delete_refusal(draft), std::nullopt);
}

TEST(InvoiceTest, EnumerationsAreSection35s) {
  for (const char* s : {"draft", "issued", "partially_paid", "paid", "cancelled", "credited"}) {
    EXPECT_TRUE(is_invoice_status(s)) << s;
  }
  EXPECT_FALSE(is_invoice_status("void"));
  EXPECT_TRUE(is_credit_type("grower_credit"));
  EXPECT_FALSE(is_credit_type("refund"));
  EXPECT_TRUE(is_credit_reason("reject_return"));
  EXPECT_FALSE(is_credit_reason("damage"));
  EXPECT_TRUE(is_credit_status("applied"));
  EXPECT_FALSE(is_credit_status("paid"));
}

}  // namespace
}  // namespace fruitpak::domain
