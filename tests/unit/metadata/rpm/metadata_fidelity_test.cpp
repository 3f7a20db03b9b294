// Fidelity with the real tools: build RPMs with rpmbuild, index them with
// createrepo_c, read every file with the metadata readers, write a generated
// tree (Packages/<c>/<file>, checksum-prefixed repodata) with the writers,
// and check that dnf repoquery answers identically for both repositories.
// rpmbuild, createrepo_c and dnf are required: missing tools fail the test.
#include <gtest/gtest.h>

#include <fcntl.h>

#include <filesystem>
#include <map>

#include "core/base/unique_fd.h"
#include "metadata/compression/compression.h"
#include "metadata/rpm/filelists.h"
#include "metadata/rpm/href.h"
#include "metadata/rpm/other.h"
#include "metadata/rpm/primary.h"
#include "metadata/rpm/repomd.h"
#include "support/metadata_test_support.h"
#include "support/temp_dir.h"

namespace chantal::metadata {
namespace {

namespace fs = std::filesystem;
using test::read_bytes;
using test_support::run_command;
using test_support::TempDir;
using test_support::write_text;

const char* const kAlphaSpec = R"(Name: alpha
Epoch: 2
Version: 1.0~rc1
Release: 1
Summary: Alpha & <friends>
License: MIT
BuildArch: noarch
Provides: alpha-cap = 5
Requires: beta >= 2.0
Conflicts: gamma < 1
%description
Alpha, first line.
Second line with <markup> & ampersand.
%install
mkdir -p %{buildroot}/usr/share/alpha %{buildroot}/usr/bin
echo hi > %{buildroot}/usr/share/alpha/c++file
echo '#!/bin/sh' > %{buildroot}/usr/bin/alpha
chmod 755 %{buildroot}/usr/bin/alpha
%files
%dir /usr/share/alpha
/usr/share/alpha/c++file
/usr/bin/alpha
%changelog
* Tue Jan 02 2024 Ann Example <ann@example.com> - 2:1.0~rc1-1
- second entry & <escapes>
* Mon Jan 01 2024 Bob Example <bob@example.com> - 2:1.0~beta-1
- first entry
)";

const char* const kBetaSpec = R"(Name: beta
Version: 2.0
Release: 3.el9
Summary: Beta library
License: GPL-2.0-or-later
BuildArch: noarch
Provides: libbeta = 2.0
Requires: alpha-cap >= 5
Recommends: libplus++
Obsoletes: beta-old < 2
%description
Beta.
%install
mkdir -p %{buildroot}/usr/lib/beta
for f in one two three; do echo $f > %{buildroot}/usr/lib/beta/$f.txt; done
%files
/usr/lib/beta
%changelog
* Wed Feb 07 2024 Carl Example <carl@example.com> - 2.0-3
- rebuilt
)";

const char* const kPlusSpec = R"(Name: libplus++
Version: 3.1^git20240101
Release: 1
Summary: A name with plus signs
License: BSD
BuildArch: noarch
%description
Plus.
%install
mkdir -p %{buildroot}/usr/share/doc/libplus++
echo doc > "%{buildroot}/usr/share/doc/libplus++/READ ME"
%files
"/usr/share/doc/libplus++/READ ME"
%changelog
* Thu Mar 07 2024 Dee Example <dee@example.com> - 3.1^git20240101-1
- initial
)";

void require_tool(const std::string& tool) {
    std::string output;
    if (run_command("command -v " + tool, &output) != 0)
        FAIL() << tool << " is required for the metadata fidelity test but is not installed "
               << "(apt-get install rpm createrepo-c dnf)";
}

fs::path find_repodata_file(const fs::path& repo, const Repomd& repomd, const std::string& type) {
    const RepomdRecord* record = repomd.find(type);
    EXPECT_NE(record, nullptr) << type;
    return record ? repo / record->location_href : fs::path();
}

// Opens a metadata file for streaming; the source/reader pair lives in the struct.
struct OpenedFile {
    explicit OpenedFile(const fs::path& path)
        : fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC)), source(fd.get(), path.filename().string()),
          reader(source, 1u << 30) {}
    UniqueFd fd;
    FdSource source;
    DecompressingReader reader;
};

// Writes one gzip metadata file through `body`, names it by its checksum
// and returns its repomd record.
RepomdRecord write_metadata_file(const fs::path& repodata, const std::string& type,
                                 const std::function<void(ByteSink&)>& body) {
    fs::path temporary = repodata / (".tmp-" + type);
    GzipDigests digests;
    {
        UniqueFd fd(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
        EXPECT_TRUE(fd.valid());
        FdSink file(fd.get(), temporary.string());
        GzipWriter gzip(file);
        body(gzip);
        digests = gzip.finish();
        file.flush();
    }
    RepomdRecord record;
    record.type = type;
    record.location_href = checksum_prefixed_href(digests.compressed.sha256, type, ".xml.gz");
    record.checksum = {HashAlgorithm::sha256, digests.compressed.sha256};
    record.open_checksum = RepomdChecksum{HashAlgorithm::sha256, digests.uncompressed.sha256};
    record.size = digests.compressed.size;
    record.open_size = digests.uncompressed.size;
    record.timestamp = 1700000000;
    fs::rename(temporary, repodata.parent_path() / record.location_href);
    return record;
}

// Reads repo (made by createrepo_c) and writes the generated tree into out.
void regenerate(const fs::path& repo, const fs::path& out) {
    Repomd repomd = parse_repomd(read_bytes(repo / "repodata/repomd.xml"), "repomd.xml");
    std::vector<PrimaryPackage> packages;
    {
        OpenedFile primary(find_repodata_file(repo, repomd, "primary"));
        read_primary(primary.reader, [&](PrimaryPackage& p) { packages.push_back(std::move(p)); });
    }
    std::map<std::string, std::string> filelists, other;
    {
        OpenedFile file(find_repodata_file(repo, repomd, "filelists"));
        read_filelists(file.reader, [&](FilelistsPackage& p) { filelists[p.pkgid] = std::move(p.xml); });
    }
    {
        OpenedFile file(find_repodata_file(repo, repomd, "other"));
        read_other(file.reader, [&](OtherPackage& p) { other[p.pkgid] = std::move(p.xml); });
    }
    fs::create_directories(out / "repodata");
    for (const PrimaryPackage& p : packages) {
        ASSERT_EQ(classify_href(p.location_href, p.location_base, "file://" + repo.string()).kind, HrefKind::inside_tree);
        fs::path target = out / generated_tree_path(href_file_name(p.location_href));
        fs::create_directories(target.parent_path());
        fs::copy_file(repo / p.location_href, target, fs::copy_options::overwrite_existing);
        ASSERT_TRUE(filelists.count(p.checksum)) << p.name;
        ASSERT_TRUE(other.count(p.checksum)) << p.name;
    }
    Repomd generated;
    generated.revision = "1700000000";
    generated.records.push_back(write_metadata_file(out / "repodata", "primary", [&](ByteSink& sink) {
        PrimaryWriter writer(sink, packages.size());
        for (const PrimaryPackage& p : packages) writer.add(p.xml, generated_tree_path(href_file_name(p.location_href)));
        writer.finish();
    }));
    generated.records.push_back(write_metadata_file(out / "repodata", "filelists", [&](ByteSink& sink) {
        FilelistsWriter writer(sink, packages.size());
        for (const PrimaryPackage& p : packages) writer.add(filelists[p.checksum]);
        writer.finish();
    }));
    generated.records.push_back(write_metadata_file(out / "repodata", "other", [&](ByteSink& sink) {
        OtherWriter writer(sink, packages.size());
        for (const PrimaryPackage& p : packages) writer.add(other[p.checksum]);
        writer.finish();
    }));
    write_text(out / "repodata/repomd.xml", write_repomd(generated));
}

const char* const kQueryFormat =
    "%{name}-%{epoch}:%{version}-%{release}.%{arch} %{chksum} %{hdr_chksum} size=%{size} installed=%{installsize} "
    "built=%{buildtime} license=%{license} src=%{sourcerpm} summary=%{summary} url=%{url} group=%{group} "
    "vendor=%{vendor} packager=%{packager}\\n  requires=%{requires}\\n  provides=%{provides}\\n"
    "  conflicts=%{conflicts}\\n  obsoletes=%{obsoletes}\\n  recommends=%{recommends}\\n  description=%{description}";

// Runs the queries against both repositories in parallel; returns the
// outputs, original first, in pairs.
std::vector<std::pair<std::string, std::string>> query_both(const fs::path& work, const fs::path& original,
                                                            const fs::path& regenerated,
                                                            const std::vector<std::string>& queries) {
    std::string script = "set -e\n";
    int index = 0;
    for (const std::string& query : queries) {
        for (const fs::path& repo : {original, regenerated}) {
            std::string id = "q" + std::to_string(index++);
            fs::path root = work / ("root-" + id);
            script += "dnf repoquery --releasever=1 --disablerepo='*' --repofrompath=" + id + ",file://" +
                      repo.string() + " --enablerepo=" + id + " --setopt=reposdir=/dev/null --installroot=" +
                      root.string() + " --setopt=cachedir=" + (work / ("cache-" + id)).string() + " -q " + query +
                      " > " + (work / (id + ".out")).string() + " 2> " + (work / (id + ".err")).string() + " &\n";
        }
    }
    script += "wait\n";
    write_text(work / "queries.sh", script);
    std::string output;
    EXPECT_EQ(run_command("bash " + (work / "queries.sh").string(), &output), 0) << output;
    std::vector<std::pair<std::string, std::string>> results;
    for (int i = 0; i < index; i += 2) {
        std::string a = read_bytes(work / ("q" + std::to_string(i) + ".out"));
        std::string b = read_bytes(work / ("q" + std::to_string(i + 1) + ".out"));
        EXPECT_FALSE(a.empty()) << queries[i / 2] << ": " << read_bytes(work / ("q" + std::to_string(i) + ".err"));
        results.emplace_back(a, b);
    }
    return results;
}

TEST(MetadataFidelity, DnfSeesTheSameRepositoryAfterRegeneration) {
    for (const char* tool : {"rpmbuild", "createrepo_c", "dnf"}) require_tool(tool);
    if (HasFatalFailure()) return;
    TempDir dir;
    const fs::path top = dir / "rpmbuild";
    const fs::path packages = dir / "packages";
    fs::create_directories(packages);
    for (auto [name, spec] : {std::pair{"alpha", kAlphaSpec}, {"beta", kBetaSpec}, {"plus", kPlusSpec}}) {
        fs::path spec_path = dir / (std::string(name) + ".spec");
        write_text(spec_path, spec);
        std::string output;
        ASSERT_EQ(run_command("rpmbuild -ba --quiet --define '_topdir " + top.string() +
                                  "' --define '_build_id_links none' " + spec_path.string(),
                              &output),
                  0)
            << output;
    }
    std::string output;
    ASSERT_EQ(run_command("cp " + top.string() + "/RPMS/*/*.rpm " + top.string() + "/SRPMS/*.rpm " + packages.string(),
                          &output),
              0)
        << output;
    ASSERT_TRUE(fs::exists(packages / "libplus++-3.1^git20240101-1.noarch.rpm"));

    struct Flavour {
        const char* name;
        const char* options;
    } flavours[] = {{"gz", ""}, {"xz", "--general-compress-type xz"}, {"sha512", "--checksum sha512"}};
    std::vector<std::string> queries = {"--qf '" + std::string(kQueryFormat) + "'", "--changelogs", "--list"};
    for (const Flavour& flavour : flavours) {
        SCOPED_TRACE(flavour.name);
        fs::path original = dir / (std::string("orig-") + flavour.name);
        fs::path regenerated = dir / (std::string("regen-") + flavour.name);
        fs::create_directories(original);
        ASSERT_EQ(run_command("cp " + packages.string() + "/*.rpm " + original.string() + " && createrepo_c -q " +
                                  flavour.options + " --no-database " + original.string(),
                              &output),
                  0)
            << output;
        regenerate(original, regenerated);
        if (HasFatalFailure()) return;
        // The regenerated primary names the generated tree paths.
        EXPECT_TRUE(fs::exists(regenerated / "Packages/l/libplus++-3.1^git20240101-1.noarch.rpm"));
        std::vector<std::string> flavour_queries = queries;
        if (std::string(flavour.name) == "gz") {
            flavour_queries.push_back("--requires");
            flavour_queries.push_back("--provides");
            flavour_queries.push_back("--qf '%{name} %{location}'");
        }
        auto results = query_both(dir.path() / flavour.name, original, regenerated, flavour_queries);
        ASSERT_EQ(results.size(), flavour_queries.size());
        for (std::size_t i = 0; i < results.size(); ++i) {
            if (flavour_queries[i].find("%{location}") != std::string::npos) {
                // The only intended difference: where packages live.
                EXPECT_NE(results[i].second.find("libplus++ Packages/l/libplus++-3.1^git20240101-1.noarch.rpm"),
                          std::string::npos)
                    << results[i].second;
                continue;
            }
            EXPECT_EQ(results[i].first, results[i].second) << flavour_queries[i];
        }
        // Spot-check that the answers are substantial.
        EXPECT_NE(results[0].first.find("alpha-2:1.0~rc1-1.noarch"), std::string::npos) << results[0].first;
        EXPECT_NE(results[0].first.find("beta >= 2.0"), std::string::npos) << results[0].first;
        EXPECT_NE(results[1].first.find("second entry & <escapes>"), std::string::npos) << results[1].first;
        EXPECT_NE(results[2].first.find("/usr/share/doc/libplus++/READ ME"), std::string::npos) << results[2].first;
    }
}

}  // namespace
}  // namespace chantal::metadata
