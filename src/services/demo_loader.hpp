#pragma once
// `fruitpak demo`: a realistic demo enterprise to try the API with. Idempotent: a second
// run finds the demo accounts and changes nothing. Later issues add growers, batches and
// the rest of a season here.

#include "util/asio.hpp"
#include "util/blocking_pool.hpp"
#include "util/result.hpp"

#include <string>
#include <vector>

namespace fruitpak::db {
class Database;
}

namespace fruitpak::services {

struct DemoLogin {
  std::string role;
  std::string email;
  std::string password;
};

struct DemoOutcome {
  bool created = false;  // false: the demo data was already there
  std::string enterprise_name;
  std::vector<DemoLogin> logins;
};

[[nodiscard]] net::awaitable<Result<DemoOutcome>> load_demo(db::Database& db, util::BlockingPool& blocking,
                                                            int bcrypt_cost);

}  // namespace fruitpak::services
