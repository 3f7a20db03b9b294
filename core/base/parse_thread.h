// ParseThread<Item>: runs a streaming parser on a thread of its own and hands
// what it produces, in order, to one consumer thread through a bounded queue
// of batches (one thread hand-off per batch, not per item), so parsing and
// cataloguing overlap on different cores while memory stays bounded
// (kQueueCapacity * kBatchSize items ahead at most).
//
// Contract: the thread starts in the constructor and calls
// parse(emit); parse calls emit(item) for every item (emit throws an
// internal exception to unwind parse once the consumer is gone: parse must
// let it through). next() returns the next item, nullopt at the end; an
// exception thrown by parse is rethrown by the next() that reaches it. The
// destructor cancels and joins, so an abandoned ParseThread never blocks.
#pragma once

#include <exception>
#include <functional>
#include <optional>
#include <thread>
#include <vector>

#include "core/base/bounded_queue.h"

namespace chantal {

template <typename Item>
class ParseThread {
public:
    using Emit = std::function<void(Item&&)>;

    explicit ParseThread(std::function<void(const Emit&)> parse)
        : queue_(kQueueCapacity), thread_([this, parse = std::move(parse)] { run(parse); }) {}
    ~ParseThread() {
        queue_.cancel();
        thread_.join();
    }
    ParseThread(const ParseThread&) = delete;
    ParseThread& operator=(const ParseThread&) = delete;

    std::optional<Item> next() {
        if (next_ == batch_.size()) {
            auto batch = queue_.pop();
            if (!batch) {
                if (error_) std::rethrow_exception(error_);
                return std::nullopt;
            }
            batch_ = std::move(*batch);
            next_ = 0;
        }
        return std::move(batch_[next_++]);
    }

private:
    static constexpr std::size_t kBatchSize = 64;
    static constexpr std::size_t kQueueCapacity = 4;  // batches
    using Batch = std::vector<Item>;
    struct Cancelled {};

    void run(const std::function<void(const Emit&)>& parse) {
        try {
            Batch batch;
            batch.reserve(kBatchSize);
            parse([&](Item&& item) {
                batch.push_back(std::move(item));
                if (batch.size() < kBatchSize) return;
                if (!queue_.push(std::move(batch))) throw Cancelled{};
                batch = Batch();
                batch.reserve(kBatchSize);
            });
            if (!batch.empty() && !queue_.push(std::move(batch))) throw Cancelled{};
        } catch (const Cancelled&) {
        } catch (...) {
            error_ = std::current_exception();
        }
        queue_.close();  // publishes error_: the queue's mutex orders it before pop() reports the end
    }

    BoundedQueue<Batch> queue_;
    std::exception_ptr error_;
    Batch batch_;  // being handed out by next()
    std::size_t next_ = 0;
    std::thread thread_;  // last: starts once everything above exists
};

}  // namespace chantal
