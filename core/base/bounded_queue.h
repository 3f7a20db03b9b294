// BoundedQueue: a blocking single-producer / single-consumer hand-off with a
// fixed capacity, so a fast producer thread cannot run ahead of its consumer
// by more than `capacity` items (memory stays bounded).
//
// Contract: push() blocks while full and returns false once the queue was
// cancelled (the item is dropped); pop() blocks while empty and returns
// nullopt once the producer closed the queue and everything was taken, or
// once it was cancelled. close() and cancel() are idempotent. Thread-safe.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>

namespace chantal {

template <typename T>
class BoundedQueue {
public:
    explicit BoundedQueue(std::size_t capacity) : capacity_(capacity) {}

    bool push(T item) {
        std::unique_lock lock(mutex_);
        not_full_.wait(lock, [&] { return cancelled_ || items_.size() < capacity_; });
        if (cancelled_) return false;
        items_.push_back(std::move(item));
        if (items_.size() == 1) not_empty_.notify_one();
        return true;
    }

    std::optional<T> pop() {
        std::unique_lock lock(mutex_);
        not_empty_.wait(lock, [&] { return cancelled_ || closed_ || !items_.empty(); });
        if (cancelled_ || items_.empty()) return std::nullopt;
        T item = std::move(items_.front());
        items_.pop_front();
        if (items_.size() == capacity_ - 1) not_full_.notify_one();
        return item;
    }

    // The producer is done: pop() drains what is left, then returns nullopt.
    void close() {
        std::lock_guard lock(mutex_);
        closed_ = true;
        not_empty_.notify_all();
    }

    // The consumer gives up: both sides stop waiting, pending items are dropped.
    void cancel() {
        std::lock_guard lock(mutex_);
        cancelled_ = true;
        items_.clear();
        not_full_.notify_all();
        not_empty_.notify_all();
    }

private:
    std::mutex mutex_;
    std::condition_variable not_full_;
    std::condition_variable not_empty_;
    std::deque<T> items_;
    std::size_t capacity_;
    bool closed_ = false;
    bool cancelled_ = false;
};

}  // namespace chantal
