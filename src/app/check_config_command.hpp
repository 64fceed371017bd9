#pragma once
// `fruitpak serve --check-config`: validates the configuration and the connections `serve`
// needs, prints one line per check on stdout, and exits without serving, migrating or
// creating anything. For deploy pipelines and for "why does it not start?".

#include "config/config.hpp"

#include <iosfwd>

namespace fruitpak::app {

// Takes what config::load returned for the serve command's sources. Prints on `out`:
//   - when the configuration is invalid, one "config FAIL <problem>" line per problem;
//   - otherwise the effective settings (secrets masked, config::describe), then the checks:
//     database (SELECT 1; an SQLite file that does not exist is reported missing, never
//     created), schema (the applied version and the pending migrations, none applied) and
//     redis (PING on a fresh connection, when REDIS_URL is set).
// No line holds a password. Returns 0 when every check passes, 1 when one fails, 2 when the
// configuration is invalid.
int run_check_config(const config::LoadResult& loaded, std::ostream& out);

}  // namespace fruitpak::app
