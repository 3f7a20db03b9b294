#include "core/maintenance/pool_usage.h"

#include <sys/stat.h>

#include <optional>

#include "core/base/error.h"
#include "core/catalogue/content_references.h"

namespace chantal {

PoolUsage measure_pool(Database* database, const Pool& pool) {
    PoolUsage usage;
    std::optional<Statement> lookup;
    if (database)
        lookup.emplace(*database, "SELECT i.kind, " + content_is_referenced_sql("i.id") +
                                      " FROM content_items i WHERE i.sha256 = ?1 AND i.filename = ?2");
    pool.for_each_file([&](std::string_view sha256, std::string_view filename, const std::filesystem::path&,
                           std::uint64_t size, std::int64_t) {
        usage.total.add(size);
        bool found = false;
        if (lookup) {
            lookup->bind(1, sha256).bind(2, filename);
            if (lookup->step()) {
                found = true;
                (lookup->column_text_view(0) == "package" ? usage.packages : usage.metadata).add(size);
                if (lookup->column_int64(1) == 0) usage.unreferenced.add(size);
            }
            lookup->reset();
        }
        if (!found) {
            usage.uncatalogued.add(size);
            usage.unreferenced.add(size);
        }
    });
    std::error_code error;
    for (std::filesystem::recursive_directory_iterator it(pool.temp_root(), error), end; !error && it != end;
         it.increment(error)) {
        struct stat status {};
        if (::lstat(it->path().c_str(), &status) == 0 && S_ISREG(status.st_mode))
            usage.temp.add(static_cast<std::uint64_t>(status.st_size));
    }
    if (error) throw Error::io("cannot walk temp directory " + pool.temp_root().string(), error.value());
    return usage;
}

}  // namespace chantal
