#include "core/upload/upload_sources.h"

#include <algorithm>
#include <system_error>

#include "core/base/error.h"

namespace chantal {
namespace {

namespace fs = std::filesystem;

bool is_package_file(const fs::directory_entry& entry, std::string_view extension) {
    std::error_code error;
    return entry.path().extension() == extension && entry.is_regular_file(error);
}

template <typename Iterator>
void collect(Iterator iterator, const fs::path& directory, std::string_view extension, std::vector<fs::path>& files) {
    std::error_code error;
    for (; iterator != Iterator(); iterator.increment(error)) {
        if (error) break;
        if (is_package_file(*iterator, extension)) files.push_back(iterator->path());
    }
    if (error) throw Error::io("cannot read directory " + directory.string(), error.value());
}

}  // namespace

std::vector<fs::path> package_files_in(const fs::path& directory, bool recursive, std::string_view extension) {
    std::error_code error;
    if (!fs::is_directory(directory, error)) throw Error::not_found("no directory " + directory.string());
    std::vector<fs::path> files;
    if (recursive) {
        fs::recursive_directory_iterator iterator(directory, error);
        if (error) throw Error::io("cannot read directory " + directory.string(), error.value());
        collect(std::move(iterator), directory, extension, files);
    } else {
        fs::directory_iterator iterator(directory, error);
        if (error) throw Error::io("cannot read directory " + directory.string(), error.value());
        collect(std::move(iterator), directory, extension, files);
    }
    if (files.empty())
        throw Error::invalid_input("no *" + std::string(extension) + " file in " + directory.string() +
                                   (recursive ? "" : " (--recursive also searches its subdirectories)"));
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace chantal
