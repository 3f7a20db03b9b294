// apt_bench: the two in-process halves of scripts/bench-apt.
//
//   apt_bench read CATALOGUE PACKAGES_INDEX
//       creates CATALOGUE and reads PACKAGES_INDEX (any compression) through
//       metadata::DecompressingReader and metadata::PackagesIndexReader into
//       it with AptPackageRecorder, in one transaction (what an APT sync's
//       catalogue step does for one index).
//   apt_bench generate CATALOGUE POOL_DIR [PACKAGES_OUT]
//       generates the indexes of a filtered APT tree holding every package of
//       CATALOGUE (at its Filename, component main, amd64) with
//       ensure_generated_apt_indexes() into a pool at POOL_DIR: Packages,
//       Packages.gz, Packages.xz and the Release (unsigned). The tree is a
//       TreeContents that lists the catalogue's packages in path order (no
//       repository row is needed). PACKAGES_OUT, when given, gets a copy of
//       the generated plain Packages after the timed part (for the gzip
//       baseline).
//
// Prints "packages N" and "seconds S" on stdout; the caller measures time and RSS.
#include <fcntl.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "core/base/error.h"
#include "core/base/unique_fd.h"
#include "core/catalogue/catalogue.h"
#include "core/pool/pool.h"
#include "core/sync/deb/apt_package_records.h"
#include "core/tree/deb/generated_apt_indexes.h"
#include "core/tree/package_format.h"
#include "metadata/compression/byte_stream.h"
#include "metadata/compression/compression.h"
#include "metadata/deb/packages_index.h"

namespace {

using namespace chantal;
namespace fs = std::filesystem;

void remove_catalogue(const fs::path& file) {
    fs::remove(file);
    fs::remove(file.string() + "-wal");
    fs::remove(file.string() + "-shm");
}

int read_command(const fs::path& catalogue_file, const fs::path& index) {
    remove_catalogue(catalogue_file);
    Catalogue catalogue = Catalogue::open(catalogue_file, Catalogue::Mode::create);
    Database& database = catalogue.database();
    UniqueFd fd(::open(index.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) throw Error::io("cannot open " + index.string(), errno);
    metadata::FdSource source(fd.get(), index.string());
    metadata::DecompressingReader input(source, 4ULL << 30);

    Transaction transaction(database);
    AptPackageRecorder recorder(database);
    std::vector<UpstreamPackage> packages;  // a sync keeps them too
    metadata::PackagesIndexReader reader(index.string(), [&](metadata::DebianPackage& package) {
        packages.push_back(recorder.record(package, "main"));
    });
    std::string buffer(1 << 18, '\0');
    while (const std::size_t got = input.read(buffer.data(), buffer.size()))
        reader.feed(std::string_view(buffer.data(), got));
    reader.finish();
    transaction.commit();
    std::printf("packages %zu\n", packages.size());
    return 0;
}

// A generated tree holding every package of the catalogue at its Filename.
class CatalogueTree final : public TreeContents {
public:
    explicit CatalogueTree(TreeState state) : TreeContents(std::move(state)) {}
    std::optional<std::vector<TreeEntry>> list(Database&, std::string_view) const override { return std::nullopt; }
    std::optional<TreeEntry> lookup(Database&, std::string_view) const override { return std::nullopt; }
    void for_each_package(Database& database, const std::function<void(const TreePackageRow&)>& visit) const override {
        auto rows = database.prepare("SELECT location_href, id, checksum, size_package FROM packages ORDER BY location_href");
        TreePackageRow row;
        while (rows.step()) {
            row.path = rows.column_text(0);
            row.package_id = rows.column_int64(1);
            row.file.sha256 = rows.column_text(2);
            row.file.filename = row.path.substr(row.path.rfind('/') + 1);
            row.file.size = static_cast<std::uint64_t>(rows.column_int64(3));
            visit(row);
        }
    }
};

int generate_command(const fs::path& catalogue_file, const fs::path& pool_dir, const char* packages_out) {
    Catalogue catalogue = Catalogue::open(catalogue_file, Catalogue::Mode::read_write);
    Database& database = catalogue.database();
    fs::remove_all(pool_dir);
    Pool pool(pool_dir / "pool", pool_dir / "tmp");

    TreeState state;
    state.ref = TreeAddress::repo_latest("bench");
    state.format = &package_format("apt");
    state.generated = true;
    state.timestamp = 1700000000;
    state.version = "bench";
    AptSettings settings;
    settings.distribution = settings.suite = settings.codename = "stable";
    settings.origin = "Chantal";
    settings.label = "bench";
    state.apt = settings;
    CatalogueTree tree(std::move(state));

    const GeneratedFiles files = ensure_generated_apt_indexes(database, pool, tree);
    std::size_t packages = 0;
    auto count = database.prepare("SELECT count(*) FROM packages");
    if (count.step()) packages = static_cast<std::size_t>(count.column_int64(0));
    std::printf("packages %zu\nfiles %zu\n", packages, files.files.size());
    if (packages_out) {
        const GeneratedFile* plain = files.find("dists/stable/main/binary-amd64/Packages");
        if (!plain) throw Error::internal("no generated Packages");
        fs::copy_file(pool.path_for(plain->file.sha256, plain->file.filename), packages_out,
                      fs::copy_options::overwrite_existing);
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 4 || argc > 5) {
        std::fprintf(stderr, "usage: apt_bench read CATALOGUE PACKAGES_INDEX | generate CATALOGUE POOL_DIR [PACKAGES_OUT]\n");
        return 2;
    }
    try {
        auto started = std::chrono::steady_clock::now();
        int rc = std::strcmp(argv[1], "read") == 0       ? read_command(argv[2], argv[3])
                 : std::strcmp(argv[1], "generate") == 0 ? generate_command(argv[2], argv[3], argc == 5 ? argv[4] : nullptr)
                                                         : 2;
        std::printf("seconds %.3f\n", std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
        return rc;
    } catch (const std::exception& error) {
        std::fprintf(stderr, "apt_bench: %s\n", error.what());
        return 1;
    }
}
