// Shared by the addon's translation units: the persistent thread pool of one Node environment
// and the single-precision GEMM on plain pointers with leading dimensions (so the fused
// transformer block can multiply strided views, a head's slice of qkv, without copies).
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace llmlab {

// Polls ready(), pausing and yielding the core every 256 polls, until it holds (true) or, with a
// limit, until the limit has passed (false).
template <class Ready>
bool spin_until(Ready ready, std::chrono::microseconds limit = std::chrono::microseconds::zero()) {
  const auto end = std::chrono::steady_clock::now() + limit;
  for (unsigned i = 1;; i++) {
    if (ready()) return true;
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
    if (i % 256 == 0) {
      if (limit.count() > 0 && std::chrono::steady_clock::now() > end) return false;
      std::this_thread::yield();
    }
  }
}

// Runs f on the caller (id 0) and on those of n - 1 pool workers that join in time, for jobs
// that share their work out as they go (parallel_for's chunk counter): every participant takes
// what is left, so the job is done whoever joins. The caller, once its own f returns, closes the
// job and waits only for workers that joined; one not yet awake (waking a sleeping thread costs
// ~10-100 us here) or descheduled on a busy machine before it joined never holds it up.
// A training step hands the pool work back to back (a few jobs and tasks per transformer block,
// and the products between the blocks), so a worker that has just finished one spins briefly
// (kSpin, pausing, yielding the core now and then) for the next before it blocks on a condition
// variable. The spin is bounded, so an idle pool costs nothing and a worker on an
// oversubscribed machine gives its core back within kSpin.
class Pool {
 public:
  ~Pool() { shutdown(); }

  void run(int n, const std::function<void(int)>& f) {
    if (n <= 1) { f(0); return; }
    ensure(n - 1);
    job_ = &f;  // read by a worker only after it joins (release/acquire on state_)
    // The next generation, open, no one in it (the last job is drained: only this thread writes it now).
    state_.store(((state_.load(std::memory_order_relaxed) >> 32) + 1) << 32, std::memory_order_release);
    wake(n - 1);
    f(0);
    if ((state_.fetch_or(kClosed, std::memory_order_acq_rel) & kJoined) == 0) return;
    const auto drained = [this] { return (state_.load(std::memory_order_acquire) & kJoined) == 0; };
    if (spin_until(drained, kSpin)) return;
    std::unique_lock<std::mutex> lock(mu_);
    done_.wait(lock, drained);
  }

  // Posted tasks: whole pieces of work off the caller's critical path (a block's weight
  // gradients, read by no later step of the backward), each run start to end by one thread. A
  // free worker takes them before it joins jobs; the caller, at wait_tasks(), runs those still
  // queued and waits only for those a worker has in hand. Unlike a job, a task has no join: the
  // caller goes on with other jobs (which a worker busy with a task simply does not join), and
  // a product done whole by one thread needs no fork-join of its own (the block's backward, two
  // threads: 41 -> 38 ms a step). A task's closure is held by value in the pool (a worker reads
  // it only after claiming it); what it points to must live until wait_tasks(). f(true) on the
  // caller, which may use the pool itself; f(false) on a worker, which must not.
  void post(int n, std::function<void(bool)> f) {
    if (n <= 1 || posted_ == kTasks) { f(true); return; }
    ensure(n - 1);
    Task& t = tasks_[posted_++];
    t.f = std::move(f);
    t.state.store(kQueued, std::memory_order_release);
    queued_.fetch_add(1, std::memory_order_release);
    wake(static_cast<int>(workers_.size()));
  }

  // Every posted task done: the caller runs what no worker has taken, latest first (a worker
  // takes the earliest), then waits for those in a worker's hands.
  void wait_tasks() {
    for (int i = posted_ - 1; i >= 0; i--) {
      Task& t = tasks_[i];
      int s = kQueued;
      if (t.state.compare_exchange_strong(s, kRunning, std::memory_order_acq_rel)) {
        queued_.fetch_sub(1, std::memory_order_relaxed);
        t.f(true);
      } else {
        const auto done = [&t] { return t.state.load(std::memory_order_acquire) == kDone; };
        if (!spin_until(done, kSpin)) {
          std::unique_lock<std::mutex> lock(mu_);
          done_.wait(lock, done);
        }
      }
      t.f = nullptr;
      t.state.store(kFree, std::memory_order_relaxed);
    }
    posted_ = 0;
  }

  void shutdown() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_.store(true);
    }
    cv_.notify_all();
    for (auto& t : workers_) t.join();
    workers_.clear();
    slots_.clear();
    stop_.store(false);
  }

  int workers() const { return static_cast<int>(workers_.size()); }

 private:
  static constexpr std::chrono::microseconds kSpin{100};
  // state_: the job's generation (high 32 bits), closed (bit 31), workers in it (the rest).
  static constexpr uint64_t kClosed = 1ull << 31, kJoined = kClosed - 1;

  // One per worker: run() and post() move a worker's ticket to wake it.
  struct Slot {
    std::atomic<unsigned> ticket{0};
  };

  static constexpr int kTasks = 8, kFree = 0, kQueued = 1, kRunning = 2, kDone = 3;
  struct Task {
    std::atomic<int> state{kFree};
    std::function<void(bool)> f;
  };

  void wake(int n) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (int i = 0; i < n; i++) slots_[i]->ticket.fetch_add(1, std::memory_order_release);
    }
    cv_.notify_all();
  }

  // Claims and runs one queued task (true), or finds none (false).
  bool run_task() {
    if (queued_.load(std::memory_order_acquire) == 0) return false;
    for (Task& t : tasks_) {
      int s = kQueued;
      if (t.state.load(std::memory_order_relaxed) != kQueued ||
          !t.state.compare_exchange_strong(s, kRunning, std::memory_order_acq_rel))
        continue;
      queued_.fetch_sub(1, std::memory_order_relaxed);
      t.f(false);
      t.state.store(kDone, std::memory_order_release);
      std::lock_guard<std::mutex> lock(mu_);  // the caller may be blocked in wait_tasks()
      done_.notify_all();
      return true;
    }
    return false;
  }

  void ensure(int n) {
    while (static_cast<int>(workers_.size()) < n) {
      slots_.emplace_back(new Slot);
      Slot* slot = slots_.back().get();
      const int id = static_cast<int>(workers_.size()) + 1;
      workers_.emplace_back([this, id, slot] { loop(id, *slot); });
    }
  }

  // Joins the open job unless it is closed or this worker has been in it: true if it joined.
  bool join(uint64_t& last_gen) {
    uint64_t s = state_.load(std::memory_order_acquire);
    while (!(s & kClosed) && (s >> 32) != last_gen)
      if (state_.compare_exchange_weak(s, s + 1, std::memory_order_acq_rel)) {
        last_gen = s >> 32;
        return true;
      }
    return false;
  }

  void loop(int id, Slot& slot) {
    unsigned seen = 0;
    uint64_t last_gen = 0;
    for (;;) {
      const auto moved = [&] {
        return stop_.load(std::memory_order_acquire) || slot.ticket.load(std::memory_order_acquire) != seen ||
               queued_.load(std::memory_order_acquire) > 0;
      };
      if (!spin_until(moved, kSpin)) {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, moved);
      }
      if (stop_.load(std::memory_order_acquire)) return;
      if (run_task()) continue;
      seen = slot.ticket.load(std::memory_order_acquire);
      if (!join(last_gen)) continue;
      (*job_)(id);
      if ((state_.fetch_sub(1, std::memory_order_acq_rel) & (kClosed | kJoined)) == (kClosed | 1)) {
        // The caller may be blocked rather than spinning: wake it under the lock it checks under.
        std::lock_guard<std::mutex> lock(mu_);
        done_.notify_one();
      }
    }
  }

  std::vector<std::thread> workers_;
  std::vector<std::unique_ptr<Slot>> slots_;
  std::mutex mu_;
  std::condition_variable cv_, done_;
  const std::function<void(int)>* job_ = nullptr;
  Task tasks_[kTasks];
  int posted_ = 0;  // tasks_[0, posted_) posted since the last wait_tasks (the caller's alone)
  std::atomic<int> queued_{0};
  std::atomic<uint64_t> state_{0};
  std::atomic<bool> stop_{false};
};

// Per Node environment (napi instance data): the main thread and worker_threads each get theirs.
struct Instance {
  Pool pool;
  int threads = 1;
  std::vector<float> packed;  // B packed once for all threads of a product (gemm())
  std::vector<float> weights[4];  // a block's weights packed for its per-sequence forward (block.cc)
  const void* heap = nullptr;  // the wasm heap last advised (advise_huge_pages)
  size_t heap_len = 0;
};

// Asks Linux to back the wasm heap with 2 MB pages (madvise MADV_HUGEPAGE, then MADV_COLLAPSE
// for what is already mapped), once per heap and size: a training step's ~30 MB of activations
// on 4 KB pages need more TLB entries than the core has, and the weight gradients read them
// with strides of 0.5-2 KB. Advisory: where it is refused (other kernels, other systems)
// nothing changes.
void advise_huge_pages(Instance& inst, const void* heap, size_t len);

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

// The register tile of every product: C[mr x nr] (+)= A B over p < kc, mr <= MR, nr <= NR, with
// A's element (r, p) read in place at a[r * ars + p * aps] and B's row p the NR floats at
// b + p * ldb (all NR must be readable; only nr are kept). AVX2/FMA where the CPU has it
// (g_avx2), plain loops elsewhere.
constexpr int MR = 6, NR = 16;
void micro_6x16(int kc, const float* a, long ars, long aps, const float* b, long ldb, float* c, long ldc, bool acc,
                int mr, int nr);

// Runs f(begin, end) over items [0, n) on up to `threads` threads of the pool, in chunks (8 per
// thread) taken from a shared counter, so a thread that starts late or runs slower (here the
// worker's core is often ~15% slower than the caller's) takes fewer. f may run several times on
// one thread.
template <class F>
void parallel_for(Instance& inst, int n, int threads, F f) {
  threads = std::min(threads, n);
  if (threads <= 1) { if (n > 0) f(0, n); return; }
  const int chunks = std::min(n, 8 * threads);
  std::atomic<int> next{0};
  inst.pool.run(threads, [&](int) {
    for (int c; (c = next.fetch_add(1)) < chunks;)
      f(static_cast<int>(static_cast<long long>(n) * c / chunks), static_cast<int>(static_cast<long long>(n) * (c + 1) / chunks));
  });
}

// B packed once (pack_b, into packed_size(g) floats) for a product whose rows are done piece by
// piece, on any threads (gemm_rows: C[i0:i1, :], all of k). The same sums in the same order as
// gemm() and gemm_tile().
size_t packed_size(const Gemm& g);
void pack_b(const Gemm& g, float* dst);
void gemm_rows(const Gemm& g, const float* packed, int i0, int i1);

// C[i0:i1, j0:j1] on the calling thread (j0 a multiple of 16).
void gemm_tile(const Gemm& g, int i0, int i1, int j0, int j1);
// All of C, its rows split over the instance's threads when the product is big enough.
void gemm(Instance& inst, const Gemm& g);
// C[i] = op(a[i]) op(b[i]) for i < batches: g gives the shapes, C's first batch and its leading
// dimension, batch i's C at g.c + i * m * ldc. Many batches are shared out whole over the
// threads; fewer batches than threads go one after the other, each split by gemm().
void gemm_batched(Instance& inst, const Gemm& g, const float* const* a, const float* const* b, int batches);

}  // namespace llmlab
