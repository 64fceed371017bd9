// fp_reconcile_sql: prints the reconciliation checks (db/reconciliation_checks.cpp), the
// very statements `fruitpak reconcile` runs, as a psql or sqlite3 script that times each
// one. scripts/bench-reconcile runs it next to our own runs: the raw-SQL anchor.
//
//   fp_reconcile_sql --tenant ID --engine pg --scope all --repeat 5 | psql ...
//   fp_reconcile_sql --tenant ID --engine sqlite --scope journal --explain | sqlite3 FILE
//
// Each timed statement is preceded by a line "check <name>" (psql \echo / sqlite3 .print),
// so the caller can pair the client's timing lines with the checks.

#include "db/reconciliation_checks.hpp"
#include "domain/reconciliation.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <iostream>
#include <string>

namespace {

namespace recon = fruitpak::db::reconciliation;

std::string sql_literal(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("Print the reconciliation checks as a timed psql or sqlite3 script");
  std::string tenant, engine = "pg", scope = "all";
  int repeat = 1;
  bool explain = false;
  app.add_option("--tenant", tenant, "the enterprise id")->required();
  app.add_option("--engine", engine, "pg or sqlite")->check(CLI::IsMember({"pg", "sqlite"}));
  app.add_option("--scope", scope, "all (a full run) or journal (an incremental run)")
      ->check(CLI::IsMember({"all", "journal"}));
  app.add_option("--repeat", repeat, "times to run the six checks")->check(CLI::Range(1, 1000));
  app.add_flag("--explain", explain, "print each plan (EXPLAIN ANALYZE / EXPLAIN QUERY PLAN) instead of timing");
  CLI11_PARSE(app, argc, argv);

  const auto which = scope == "all" ? recon::Scope::kAll : recon::Scope::kJournal;
  const fruitpak::domain::Tolerances defaults;
  const bool pg = engine == "pg";
  if (pg) {
    // As our sessions run (db/pg/pg_connection.cpp: prepared once per connection, generic
    // plans, no JIT).
    std::cout << "SET plan_cache_mode = force_generic_plan;\nSET jit = off;\n";
    for (std::size_t i = 0; i < recon::kCheckNames.size(); ++i) {
      std::cout << fmt::format("PREPARE {} AS {};\n", recon::kCheckNames[i], recon::check_sql(i, which));
    }
    std::cout << (explain ? "" : "\\timing on\n\\o /dev/null\n");
  } else {
    std::cout << ".parameter init\n" << (explain ? "" : ".timer on\n");
  }
  for (int round = 0; round < repeat; ++round) {
    for (std::size_t i = 0; i < recon::kCheckNames.size(); ++i) {
      const auto binds = recon::tolerance_binds(i, defaults);
      const std::string_view name = recon::kCheckNames[i];
      if (pg) {
        std::string args = sql_literal(tenant);
        for (auto b : binds) args += fmt::format(", {}", b);
        std::cout << fmt::format("\\echo check {}\n{}EXECUTE {}({});\n", name,
                                 explain ? "EXPLAIN (ANALYZE, BUFFERS) " : "", name, args);
      } else {
        std::cout << fmt::format(".parameter set $1 {}\n", sql_literal(tenant));
        for (std::size_t b = 0; b < binds.size(); ++b) std::cout << fmt::format(".parameter set ${} {}\n", b + 2, binds[b]);
        std::cout << fmt::format(".print check {}\n{}{};\n", name, explain ? "EXPLAIN QUERY PLAN " : "",
                                 recon::check_sql(i, which));
      }
    }
  }
  return 0;
}
