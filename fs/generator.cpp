#include "fs/generator.h"

#include <chrono>

#include "fs/log.h"

namespace chantal::fs {

GeneratedFiles Generator::generate(const TreeContents& contents, const std::string& tree_digest) {
    std::lock_guard lock(mutex_);
    if (!connection_) connection_.emplace(database_file_, Database::Access::read_write, wait_limit_);
    const auto started = std::chrono::steady_clock::now();
    auto generated =
        contents.state().format->ensure_generated_files(connection_->database(), pool_, contents, tree_digest);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    log_line("index files of " + contents.state().ref.path() + " ready (" + std::to_string(ms.count()) +
             " ms, digest " + tree_digest.substr(0, 12) + ")");
    return generated;
}

}  // namespace chantal::fs
