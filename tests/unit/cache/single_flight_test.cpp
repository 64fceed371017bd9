// Single flight across threads: N concurrent loads of one key run the loader once, and
// every follower gets the leader's entry on its own executor.

#include "cache/single_flight.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace fruitpak::cache {
namespace {

TEST(SingleFlightTest, ConcurrentCallersLoadOnceAndShareTheResult) {
  SingleFlight flights;
  const std::string key = "fp:v1:{tX}:growers:list_growers:default";
  ASSERT_TRUE(flights.try_lead(key));  // the leader holds the flight open while others arrive

  constexpr int kFollowers = 40;
  net::io_context first, second;
  std::atomic<int> led{0}, received{0}, wrong{0}, arrived{0};
  auto follower = [&]() -> net::awaitable<void> {
    if (flights.try_lead(key)) {
      ++led;  // must not happen while the flight is on
      co_return;
    }
    ++arrived;
    auto entry = co_await flights.follow(key);
    if (entry && entry->body == "loaded once") ++received; else ++wrong;
  };
  for (int i = 0; i < kFollowers; ++i) net::co_spawn(i % 2 ? first : second, follower(), net::detached);
  // Register every follower (each context runs its spawns until they wait), then finish.
  first.poll();
  second.poll();
  EXPECT_EQ(arrived.load(), kFollowers);
  EXPECT_EQ(flights.in_flight(), 1u);
  auto entry = std::make_shared<CachedResponse>();
  entry->body = "loaded once";
  std::thread finisher([&] { flights.finish(key, entry); });  // from another thread, as in production
  finisher.join();
  std::thread run_first([&] { first.run(); });
  second.run();
  run_first.join();
  EXPECT_EQ(led.load(), 0);
  EXPECT_EQ(received.load(), kFollowers);
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(flights.in_flight(), 0u);
  EXPECT_TRUE(flights.try_lead(key));  // a new flight may start once the last ended
}

TEST(SingleFlightTest, FollowerOfAnEndedFlightGetsNothingAtOnce) {
  SingleFlight flights;
  net::io_context io;
  bool done = false;
  auto follower = [&]() -> net::awaitable<void> {
    auto entry = co_await flights.follow("no-such-flight");
    EXPECT_FALSE(entry);
    done = true;
  };
  net::co_spawn(io, follower(), net::detached);
  io.run();
  EXPECT_TRUE(done);
}

}  // namespace
}  // namespace fruitpak::cache
