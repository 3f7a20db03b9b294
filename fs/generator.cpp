#include "fs/generator.h"

#include <chrono>

#include "core/base/error.h"
#include "core/base/file_util.h"
#include "core/tree/retired_files.h"
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
    // A mount that generates a latest tree's files (no sync prepared them)
    // retires its previous version's for every mount, as the sync would.
    // Its failure costs other mounts that grace, not this request its files.
    if (contents.state().ref.is_latest()) {
        try {
            retire_replaced_generated_files(connection_->database(), *contents.state().format,
                                            contents.state().ref.path(), generated, unix_time_now());
        } catch (const Error& error) {
            log_line("cannot record the previous index files of " + contents.state().ref.path() +
                     " as retired: " + error.what());
        }
    }
    return generated;
}

}  // namespace chantal::fs
