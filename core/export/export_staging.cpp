// Staging directory and atomic swap of an exported tree (export_staging.h).
#include "core/export/export_staging.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "core/base/error.h"
#include "core/base/file_util.h"

namespace chantal {
namespace {

std::filesystem::path normalised_destination(const std::filesystem::path& destination) {
    auto path = std::filesystem::absolute(destination).lexically_normal();
    if (!path.has_filename() && path.has_parent_path() && path != path.root_path()) path = path.parent_path();
    if (!path.has_filename() || path.filename() == "." || path.filename() == "..")
        throw Error::invalid_input("export destination must name a directory: " + destination.string());
    return path;
}

std::string staging_name(const std::filesystem::path& destination) {
    return "." + destination.filename().string() + ".chantal-staging";
}
std::string old_name(const std::filesystem::path& destination) {
    return "." + destination.filename().string() + ".chantal-old";
}

}  // namespace

void remove_tree_quietly(const std::filesystem::path& path) {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
}

ExportStaging::ExportStaging(const std::filesystem::path& destination)
    : destination_(normalised_destination(destination)) {
    const auto parent = destination_.parent_path();
    chantal::create_directories(parent);
    parent_.reset(::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!parent_) throw Error::io("cannot open " + parent.string(), errno);
    while (::flock(parent_.get(), LOCK_EX) != 0) {
        if (errno != EINTR) throw Error::io("cannot lock " + parent.string(), errno);
    }
    staging_ = parent / staging_name(destination_);
    remove_tree_quietly(staging_);
    remove_tree_quietly(parent / old_name(destination_));
}

ExportStaging::~ExportStaging() {
    if (created_ && !committed_) remove_tree_quietly(staging_);
}

const std::filesystem::path& ExportStaging::directory() {
    if (!created_) {
        if (::mkdir(staging_.c_str(), 0755) != 0) throw Error::io("cannot create " + staging_.string(), errno);
        created_ = true;
    }
    return staging_;
}

bool ExportStaging::commit() {
    directory();
    {
        UniqueFd staging(::open(staging_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        if (!staging) throw Error::io("cannot open " + staging_.string(), errno);
        if (::fchmod(staging.get(), 0755) != 0) throw Error::io("cannot chmod " + staging_.string(), errno);
        if (::fsync(staging.get()) != 0) throw Error::io("cannot fsync " + staging_.string(), errno);
    }
    const int dir = parent_.get();
    const std::string staged = staging_.filename().string();
    const std::string final_name = destination_.filename().string();
    bool replaced = false;
    if (::renameat2(dir, staged.c_str(), dir, final_name.c_str(), RENAME_EXCHANGE) == 0) {
        replaced = true;
    } else if (errno == ENOENT) {
        if (::renameat2(dir, staged.c_str(), dir, final_name.c_str(), RENAME_NOREPLACE) != 0)
            throw Error::io("cannot move " + staging_.string() + " to " + destination_.string(), errno);
    } else if (errno == EINVAL || errno == ENOSYS) {
        // No RENAME_EXCHANGE here (NFS, old file systems): two renames.
        const std::string old = old_name(destination_);
        if (::renameat(dir, final_name.c_str(), dir, old.c_str()) != 0)
            throw Error::io("cannot move " + destination_.string() + " aside", errno);
        if (::renameat(dir, staged.c_str(), dir, final_name.c_str()) != 0) {
            const int err = errno;
            ::renameat(dir, old.c_str(), dir, final_name.c_str());
            throw Error::io("cannot move " + staging_.string() + " to " + destination_.string(), err);
        }
        if (::renameat(dir, old.c_str(), dir, staged.c_str()) != 0)
            remove_tree_quietly(destination_.parent_path() / old);
        replaced = true;
    } else {
        throw Error::io("cannot swap " + staging_.string() + " with " + destination_.string(), errno);
    }
    committed_ = true;
    if (::fsync(dir) != 0) throw Error::io("cannot fsync " + destination_.parent_path().string(), errno);
    if (replaced) remove_tree_quietly(staging_);  // the old tree, now under the staging name
    return replaced;
}

void ExportStaging::remove_destination() {
    const int dir = parent_.get();
    const std::string name = destination_.filename().string();
    const std::string old = old_name(destination_);
    if (::renameat(dir, name.c_str(), dir, old.c_str()) != 0) {
        if (errno == ENOENT) throw Error::not_found(destination_.string() + " does not exist");
        throw Error::io("cannot move " + destination_.string() + " aside", errno);
    }
    committed_ = true;
    if (::fsync(dir) != 0) throw Error::io("cannot fsync " + destination_.parent_path().string(), errno);
    remove_tree_quietly(destination_.parent_path() / old);
}

}  // namespace chantal
