// LeafWorkers: whole leaves worked on side by side, their calls handed on in leaf order on
// the submitting thread; a leaf ahead holds a bounded amount; what a leaf throws arrives in its
// turn; discard() lets blocked leaves go.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include "cli/leaf_workers.h"

namespace marsscan::cli {
namespace {

using namespace std::chrono_literals;

TEST_CASE("leaf workers: calls run here, in leaf order, whatever the threads do") {
  for (unsigned threads : {1u, 2u, 4u}) {
    INFO(threads << " threads");
    LeafWorkers w(threads);
    std::vector<std::pair<int, int>> seen;  // (leaf, call): written on this thread only
    const std::thread::id here = std::this_thread::get_id();
    bool elsewhere = false;
    for (int leaf = 0; leaf < 24; ++leaf) {
      w.submit([&, leaf](LeafWorkers::Yield& yield) {
        // Later leaves finish first now and then.
        std::this_thread::sleep_for(std::chrono::microseconds((24 - leaf) % 5 * 300));
        for (int k = 0; k < 50 + leaf; ++k)
          yield([&, leaf, k] {
            elsewhere = elsewhere || std::this_thread::get_id() != here;
            seen.emplace_back(leaf, k);
          }, 3000);  // a batch now and then, not every call
      });
    }
    w.drain();
    CHECK_FALSE(elsewhere);
    std::vector<std::pair<int, int>> expected;
    for (int leaf = 0; leaf < 24; ++leaf)
      for (int k = 0; k < 50 + leaf; ++k) expected.emplace_back(leaf, k);
    CHECK(seen == expected);
  }
}

TEST_CASE("leaf workers: leaves done here queue behind those under way, without waiting") {
  LeafWorkers w(2);
  std::atomic<bool> release{false};
  std::vector<int> order;
  for (int leaf = 0; leaf < 2; ++leaf)  // both threads busy until released
    w.submit([&, leaf](LeafWorkers::Yield& yield) {
      while (!release) std::this_thread::sleep_for(1ms);
      yield([&, leaf] { order.push_back(leaf); }, 1);
    });
  // More than (threads + 1) done leaves: none waits for a thread.
  for (int leaf = 2; leaf < 12; ++leaf) {
    std::vector<std::function<void()>> calls;
    calls.push_back([&, leaf] { order.push_back(leaf); });
    w.submit_done(std::move(calls), 1);
    if (leaf == 3)
      w.submit([&](LeafWorkers::Yield& yield) { yield([&] { order.push_back(100); }, 1); });
  }
  CHECK(order.empty());  // nothing before the first leaf
  release = true;
  w.drain();
  CHECK(order == std::vector<int>{0, 1, 2, 3, 100, 4, 5, 6, 7, 8, 9, 10, 11});
}

TEST_CASE("leaf workers: a leaf ahead of the first waits once the held calls are too many") {
  LeafWorkers w(2);
  std::atomic<bool> release{false};
  std::atomic<int> yielded{0};
  constexpr size_t kCall = 1u << 20;  // what each call says it holds
  std::vector<int> order;
  w.submit([&](LeafWorkers::Yield& yield) {
    while (!release) std::this_thread::sleep_for(1ms);
    yield([&] { order.push_back(0); }, 1);
  });
  w.submit([&](LeafWorkers::Yield& yield) {
    for (int k = 0; k < 100; ++k) {
      yield([&, k] { order.push_back(1000 + k); }, kCall);
      ++yielded;
    }
  });
  // The second leaf runs while the first waits; it stops at the bound.
  const int bound = static_cast<int>(LeafWorkers::kMaxHeld / kCall);
  for (int i = 0; i < 200 && yielded < bound; ++i) std::this_thread::sleep_for(5ms);
  std::this_thread::sleep_for(50ms);
  CHECK(yielded >= bound);
  CHECK(yielded <= bound + 1);
  release = true;
  w.drain();
  CHECK(yielded == 100);
  REQUIRE(order.size() == 101);
  CHECK(order.front() == 0);
  CHECK(order.back() == 1099);
  CHECK(std::is_sorted(order.begin(), order.end()));
}

TEST_CASE("leaf workers: what a leaf throws comes after its calls, and the next leaves go on") {
  LeafWorkers w(2);
  std::vector<int> order;
  std::atomic<bool> release{false};  // leaf 1 throws once all are queued: in drain(), not submit()
  for (int leaf = 0; leaf < 3; ++leaf)
    w.submit([&, leaf](LeafWorkers::Yield& yield) {
      yield([&, leaf] { order.push_back(leaf * 10); }, 1);
      if (leaf == 1) {
        while (!release) std::this_thread::sleep_for(1ms);
        throw std::runtime_error("leaf 1 failed");
      }
      yield([&, leaf] { order.push_back(leaf * 10 + 1); }, 1);
    });
  release = true;
  CHECK_THROWS_WITH(w.drain(), "leaf 1 failed");
  CHECK(order == std::vector<int>{0, 1, 10});
  w.drain();
  CHECK(order == std::vector<int>{0, 1, 10, 20, 21});
}

TEST_CASE("leaf workers: discard drops every call, also of leaves waiting at the bound") {
  LeafWorkers w(2);
  int ran = 0;
  std::atomic<int> finished{0};
  std::atomic<bool> release{false};
  w.submit([&](LeafWorkers::Yield& yield) {
    while (!release) std::this_thread::sleep_for(1ms);
    yield([&] { ++ran; }, 1);
    ++finished;
  });
  w.submit([&](LeafWorkers::Yield& yield) {
    for (int k = 0; k < 100; ++k) yield([&] { ++ran; }, 1u << 20);  // waits at the bound
    ++finished;
  });
  std::this_thread::sleep_for(50ms);
  release = true;
  w.discard();
  CHECK(finished == 2);
  CHECK(ran == 0);
  // And it is usable again.
  w.submit([&](LeafWorkers::Yield& yield) { yield([&] { ++ran; }, 1); });
  w.drain();
  CHECK(ran == 1);
}

}  // namespace
}  // namespace marsscan::cli
