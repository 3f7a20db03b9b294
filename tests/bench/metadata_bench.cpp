// metadata_bench: the two measured halves of scripts/bench-metadata.
//
//   metadata_bench read  CATALOGUE REPODATA_DIR
//       creates CATALOGUE and loads REPODATA_DIR/{primary,filelists,other}.xml.gz
//       into it with load_package_metadata() in one transaction, then starts
//       the WAL checkpoint in the background and waits for it (what a sync
//       does, where packages download meanwhile). Prints "phase S" (load and
//       commit: what a sync waits for before downloading) and "checkpoint S"
//       (the wait for the checkpoint after the phase).
//   metadata_bench write CATALOGUE OUT_DIR
//       writes OUT_DIR/{primary,filelists,other}.xml.gz from the catalogued
//       packages' stored XML through PrimaryWriter/FilelistsWriter/OtherWriter
//       and GzipWriter (what repodata generation does), one row query per package.
//
// Prints "packages N seconds S" on stdout; the caller measures time and RSS.
#include <fcntl.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "core/base/error.h"
#include "core/base/unique_fd.h"
#include "core/catalogue/background_checkpoint.h"
#include "core/catalogue/catalogue.h"
#include "core/sync/rpm/metadata_loader.h"
#include "metadata/compression/compression.h"
#include "metadata/rpm/filelists.h"
#include "metadata/rpm/other.h"
#include "metadata/rpm/primary.h"

namespace {

using namespace chantal;
namespace fs = std::filesystem;

int read_command(const fs::path& catalogue_file, const fs::path& repodata) {
    fs::remove(catalogue_file);
    fs::remove(catalogue_file.string() + "-wal");
    fs::remove(catalogue_file.string() + "-shm");
    Catalogue catalogue = Catalogue::open(catalogue_file, Catalogue::Mode::create);
    Database& database = catalogue.database();
    auto file = [&](const char* kind) {
        return MetadataFileToLoad{repodata / (std::string(kind) + ".xml.gz"), kind, std::nullopt};
    };
    const auto started = std::chrono::steady_clock::now();
    BackgroundCheckpoint checkpoint(database);
    Transaction transaction(database);
    auto packages = load_package_metadata(database, file("primary"), file("filelists"), file("other"));
    transaction.commit();
    checkpoint.start();
    const auto loaded = std::chrono::steady_clock::now();
    if (auto error = checkpoint.wait()) throw Error::internal("checkpoint: " + *error);
    std::printf("packages %zu\n", packages.size());
    std::printf("phase %.3f\n", std::chrono::duration<double>(loaded - started).count());
    std::printf("checkpoint %.3f\n", std::chrono::duration<double>(std::chrono::steady_clock::now() - loaded).count());
    return 0;
}

// One gzipped output file: fd <- FdSink <- GzipWriter.
struct GzipFile {
    explicit GzipFile(const fs::path& path)
        : fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)), sink(fd.get(), path.string()),
          gzip(sink) {
        if (!fd) throw Error::io("cannot create " + path.string(), errno);
    }
    void finish() {
        gzip.finish();
        sink.flush();
    }
    UniqueFd fd;
    metadata::FdSink sink;
    metadata::GzipWriter gzip;
};

int write_command(const fs::path& catalogue_file, const fs::path& out) {
    fs::create_directories(out);
    Catalogue catalogue = Catalogue::open(catalogue_file, Catalogue::Mode::read_write);
    Database& database = catalogue.database();
    std::vector<std::pair<std::int64_t, std::string>> packages;  // (id, tree path)
    auto list = database.prepare("SELECT id, location_href FROM packages ORDER BY location_href");
    while (list.step()) packages.emplace_back(list.column_int64(0), list.column_text(1));

    GzipFile primary_out(out / "primary.xml.gz");
    GzipFile filelists_out(out / "filelists.xml.gz");
    GzipFile other_out(out / "other.xml.gz");
    metadata::PrimaryWriter primary(primary_out.gzip, packages.size());
    metadata::FilelistsWriter filelists(filelists_out.gzip, packages.size());
    metadata::OtherWriter other(other_out.gzip, packages.size());
    auto row = database.prepare("SELECT primary_xml, filelists_xml, other_xml FROM package_metadata WHERE package_id = ?1");
    for (const auto& [id, path] : packages) {
        row.reset();
        row.bind(1, id);
        if (!row.step()) throw Error::corrupt("package row vanished");
        primary.add(row.column_text_view(0), path);
        filelists.add(row.column_text_view(1));
        other.add(row.column_text_view(2));
    }
    primary.finish();
    filelists.finish();
    other.finish();
    primary_out.finish();
    filelists_out.finish();
    other_out.finish();
    std::printf("packages %zu\n", packages.size());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: metadata_bench read|write CATALOGUE DIR\n");
        return 2;
    }
    try {
        auto started = std::chrono::steady_clock::now();
        int rc = std::strcmp(argv[1], "read") == 0    ? read_command(argv[2], argv[3])
                 : std::strcmp(argv[1], "write") == 0 ? write_command(argv[2], argv[3])
                                                      : 2;
        std::printf("seconds %.3f\n", std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
        return rc;
    } catch (const std::exception& error) {
        std::fprintf(stderr, "metadata_bench: %s\n", error.what());
        return 1;
    }
}
