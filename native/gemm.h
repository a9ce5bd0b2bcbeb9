// Shared by the addon's translation units: the persistent thread pool of one Node environment
// and the single-precision GEMM on plain pointers with leading dimensions (so the fused
// transformer block can multiply strided views, a head's slice of qkv, without copies).
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace llmlab {

// Runs f(0..n-1) with the caller as participant 0 and n - 1 pool workers as the rest.
// Workers block on a condition variable between jobs rather than spin: on a shared,
// oversubscribed machine a spinning worker steals the core its caller needs.
class Pool {
 public:
  ~Pool() { shutdown(); }

  void run(int n, const std::function<void(int)>& f) {
    if (n <= 1) { f(0); return; }
    ensure(n - 1);
    {
      std::lock_guard<std::mutex> lock(mu_);
      job_ = &f;
      active_ = n - 1;
      pending_ = n - 1;
      generation_++;
    }
    cv_.notify_all();
    f(0);
    std::unique_lock<std::mutex> lock(mu_);
    done_.wait(lock, [this] { return pending_ == 0; });
    job_ = nullptr;
  }

  void shutdown() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    for (auto& t : workers_) t.join();
    workers_.clear();
    stop_ = false;
  }

  int workers() const { return static_cast<int>(workers_.size()); }

 private:
  void ensure(int n) {
    while (static_cast<int>(workers_.size()) < n) {
      const int id = static_cast<int>(workers_.size()) + 1;
      workers_.emplace_back([this, id] { loop(id); });
    }
  }

  void loop(int id) {
    unsigned long seen = 0;
    for (;;) {
      const std::function<void(int)>* job;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [&] { return stop_ || generation_ != seen; });
        if (stop_) return;
        seen = generation_;
        if (id > active_) continue;
        job = job_;
      }
      (*job)(id);
      std::lock_guard<std::mutex> lock(mu_);
      if (--pending_ == 0) done_.notify_one();
    }
  }

  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::condition_variable cv_, done_;
  const std::function<void(int)>* job_ = nullptr;
  unsigned long generation_ = 0;
  int active_ = 0, pending_ = 0;
  bool stop_ = false;
};

// Per Node environment (napi instance data): the main thread and worker_threads each get theirs.
struct Instance {
  Pool pool;
  int threads = 1;
};

// C (+)= op(A) op(B): op(A) is m x k, op(B) k x n, all row-major with leading dimensions
// (the row strides, in floats, of A, B and C as stored).
struct Gemm {
  int m, n, k;
  const float* a;
  int lda;
  bool ta;
  const float* b;
  int ldb;
  bool tb;
  float* c;
  int ldc;
  bool acc;  // add to C rather than overwrite it
};

extern bool g_avx2;

// Rows [i0, i1) of C on the calling thread.
void gemm_rows(const Gemm& g, int i0, int i1);
// All of C, its rows split over the instance's threads when the product is big enough.
void gemm(Instance& inst, const Gemm& g);

}  // namespace llmlab
