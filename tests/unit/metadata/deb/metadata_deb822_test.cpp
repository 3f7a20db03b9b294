#include <gtest/gtest.h>

#include "core/base/error.h"
#include "core/base/relative_path.h"
#include "metadata/deb/deb822.h"
#include "metadata/deb/packages_index.h"
#include "metadata/deb/pool_path.h"
#include "metadata/deb/sources_index.h"
#include "metadata/deb/release_file.h"

namespace chantal::metadata {
namespace {

struct Copy {
    std::string text;
    std::vector<std::pair<std::string, std::string>> fields;
    std::uint64_t line;
};

std::vector<Copy> read_in_chunks(std::string_view data, std::size_t chunk) {
    std::vector<Copy> stanzas;
    Deb822Handler keep = [&](const Deb822Stanza& stanza) {
        Copy copy{std::string(stanza.text), {}, stanza.line};
        for (const auto& field : stanza.fields) copy.fields.emplace_back(field.name, field.value);
        stanzas.push_back(std::move(copy));
    };
    Deb822Reader reader("Packages");
    for (std::size_t position = 0; position < data.size(); position += chunk)
        reader.feed(data.substr(position, chunk), keep);
    reader.finish(keep);
    return stanzas;
}

const std::string kPackages =
    "Package: hello\n"
    "Version: 2.10-3\n"
    "Architecture: amd64\n"
    "Description: example package\n"
    " A longer text.\n"
    " .\n"
    " Second paragraph.\n"
    "Filename: pool/main/h/hello/hello_2.10-3_amd64.deb\n"
    "\n"
    "\n"
    "Package: libfoo1\n"
    "Version: 1:1.0~rc1-1\n"
    "Filename: pool/main/libf/libfoo/libfoo1_1.0~rc1-1_all.deb";

TEST(Deb822, ReadsStanzasVerbatimWhateverTheChunkSize) {
    for (std::size_t chunk : {1ul, 2ul, 7ul, 64ul, 100000ul}) {
        const auto stanzas = read_in_chunks(kPackages, chunk);
        ASSERT_EQ(stanzas.size(), 2u) << chunk;
        EXPECT_EQ(stanzas[0].text, kPackages.substr(0, kPackages.find("\n\n") + 1));
        EXPECT_EQ(stanzas[0].line, 1u);
        ASSERT_EQ(stanzas[0].fields.size(), 5u);
        EXPECT_EQ(stanzas[0].fields[3].first, "Description");
        EXPECT_EQ(stanzas[0].fields[3].second, "example package\n A longer text.\n .\n Second paragraph.");
        EXPECT_EQ(stanzas[1].line, 11u);
        EXPECT_EQ(stanzas[1].fields[1].second, "1:1.0~rc1-1");
        EXPECT_EQ(stanzas[1].text.back(), '\n') << "the last stanza gets its line end";
    }
}

TEST(Deb822, FindsFieldsCaseInsensitivelyAndReadsCrLf) {
    int seen = 0;
    read_deb822("package: a\r\nVERSION:1.0  \r\n\r\n", "x", [&](const Deb822Stanza& stanza) {
        ++seen;
        EXPECT_EQ(stanza.find("Package").value_or(""), "a");
        EXPECT_EQ(stanza.find("version").value_or(""), "1.0");
        EXPECT_FALSE(stanza.find("Filename"));
        EXPECT_EQ(stanza.text, "package: a\nVERSION:1.0  \n");
    });
    EXPECT_EQ(seen, 1);
}

TEST(Deb822, FieldFirstLineOfAStoredStanza) {
    const std::string text = "Package: a\nPriority:  optional \t\nDescription: one\n two\nSection: contrib/net\n";
    EXPECT_EQ(deb822_field_first_line(text, "Package"), "a");
    EXPECT_EQ(deb822_field_first_line(text, "Priority"), "optional");
    EXPECT_EQ(deb822_field_first_line(text, "Description"), "one");
    EXPECT_EQ(deb822_field_first_line(text, "Section"), "contrib/net");
    EXPECT_EQ(deb822_field_first_line(text, "Sect"), "");  // a field name, not a prefix of one
    const std::string_view absent = deb822_field_first_line(text, "Installed-Size");
    EXPECT_TRUE(absent.empty());
    EXPECT_NE(absent.data(), nullptr);  // bound to SQL as '' (never NULL)
    EXPECT_NE(deb822_field_first_line("", "Package").data(), nullptr);
}

TEST(Deb822, RefusesMalformedLinesNamingTheLine) {
    const std::vector<std::pair<std::string, std::string>> bad = {
        {"Package: a\njunk line\n", "line 2: not a 'Field: value' line"},
        {"Package: a\nPackage: b\n", "line 2: field 'Package' appears twice"},
        {"Package: a\n \nVersion: 1\n", "line 2: line of blanks inside a stanza"},
        {"-Bad: a\n", "line 1: invalid field name"},
        {"Pack age: a\n", "line 1: invalid field name"},
        {"Package: a\n\n continued\n", "line 3: continuation line before any field"},
        {std::string("Package: a\0b\n", 13), "NUL byte"},
    };
    for (const auto& [text, message] : bad) {
        try {
            read_deb822(text, "Packages", [](const Deb822Stanza&) {});
            ADD_FAILURE() << "accepted: " << text;
        } catch (const Error& error) {
            EXPECT_EQ(error.kind(), ErrorKind::corrupt);
            EXPECT_NE(std::string(error.what()).find("Packages: "), std::string::npos) << error.what();
            EXPECT_NE(std::string(error.what()).find(message), std::string::npos) << error.what();
        }
    }
}

TEST(Deb822, RefusesAStanzaLargerThanTheLimit) {
    Deb822Reader reader("Packages", 64);
    const std::string huge = "Package: a\nDescription: " + std::string(100, 'x') + "\n";
    EXPECT_THROW(reader.feed(huge, [](const Deb822Stanza&) {}), Error);
}

TEST(RelativePath, AcceptsOnlyCleanRelativePaths) {
    EXPECT_TRUE(is_clean_relative_path("main/binary-amd64/Packages.xz"));
    EXPECT_TRUE(is_clean_relative_path("a"));
    for (const char* bad : {"", "http:x", "c:/x", "/etc/passwd", "../x", "a/../../x", "a//b", "a/./b", "a/", "a\\b", "a\nb", "."})
        EXPECT_FALSE(is_clean_relative_path(bad)) << bad;
}

const std::string kRelease =
    "Origin: Debian\n"
    "Label: Debian\n"
    "Suite: stable\n"
    "Codename: bookworm\n"
    "Date: Sat, 10 Jun 2023 08:45:11 UTC\n"
    "Valid-Until: Sat, 17 Jun 2023 08:45:11 UTC\n"
    "Acquire-By-Hash: yes\n"
    "Architectures: all amd64 arm64\n"
    "Components: main contrib\n"
    "MD5Sum:\n"
    " 0123456789abcdef0123456789abcdef 100 main/binary-amd64/Packages\n"
    "SHA256:\n"
    " 1111111111111111111111111111111111111111111111111111111111111111 1234 main/binary-amd64/Packages\n"
    " 2222222222222222222222222222222222222222222222222222222222222222   99 main/binary-amd64/Packages.xz\n";

TEST(ReleaseFile, ReadsTheSuiteAndItsIndexes) {
    const ReleaseFile release = parse_release(kRelease, "Release");
    EXPECT_EQ(release.origin, "Debian");
    EXPECT_EQ(release.suite, "stable");
    EXPECT_EQ(release.codename, "bookworm");
    EXPECT_EQ(release.date, 1686386711);
    EXPECT_EQ(release.valid_until, 1686386711 + 7 * 86400);
    EXPECT_TRUE(release.acquire_by_hash);
    EXPECT_EQ(release.architectures, (std::vector<std::string>{"all", "amd64", "arm64"}));
    EXPECT_EQ(release.components, (std::vector<std::string>{"main", "contrib"}));
    ASSERT_EQ(release.files.size(), 2u);
    const ReleaseIndexEntry* xz = release.find("main/binary-amd64/Packages.xz");
    ASSERT_NE(xz, nullptr);
    EXPECT_EQ(xz->size, 99u);
    EXPECT_EQ(xz->sha256, std::string(64, '2'));
    EXPECT_EQ(release.find("main/binary-i386/Packages"), nullptr);
}

TEST(ReleaseFile, RefusesWhatCannotBeTrusted) {
    const std::string sha = std::string(64, 'a');
    const std::vector<std::pair<std::string, std::string>> bad = {
        {"Suite: x\nMD5Sum:\n 0123456789abcdef0123456789abcdef 1 a\n", "no SHA256 field"},
        {"SHA256:\n " + sha + " 1 ../../etc/passwd\n", "leaves the distribution directory"},
        {"SHA256:\n " + sha + " 1 /etc/passwd\n", "leaves the distribution directory"},
        {"SHA256:\n " + sha + " 1 a\n " + sha + " 2 a\n", "listed twice"},
        {"SHA256:\n " + sha + " x1 a\n", "bad size"},
        {"SHA256:\n abc 1 a\n", "is not '<sha256> <size> <name>'"},
        {"Date: yesterday\nSHA256:\n " + sha + " 1 a\n", "Date is not an RFC 1123 date"},
        {"", "empty Release file"},
    };
    for (const auto& [text, message] : bad) {
        try {
            parse_release(text, "InRelease");
            ADD_FAILURE() << "accepted: " << text;
        } catch (const Error& error) {
            EXPECT_NE(std::string(error.what()).find(message), std::string::npos) << error.what();
        }
    }
}

}  // namespace
}  // namespace chantal::metadata

namespace chantal::metadata {
namespace {

const std::string kSha = std::string(64, 'a');

std::string stanza(const std::string& extra = "", const std::string& filename = "pool/main/h/hello/hello_2.10-3_amd64.deb") {
    return "Package: hello\nSource: hello-src (2.10-2)\nVersion: 1:2.10-3\nArchitecture: amd64\nSection: devel\n"
           "Priority: optional\nFilename: " + filename + "\nSize: 1234\nSHA256: " + kSha + "\n" + extra;
}

TEST(PackagesIndex, ReadsPackagesInChunks) {
    const std::string index = stanza() + "\n" + stanza("Description: two\n more\n", "pool/main/h/hello/hello_2.10-4_all.deb");
    std::vector<DebianPackage> packages;
    PackagesIndexReader reader("main/binary-amd64/Packages", [&](DebianPackage& package) { packages.push_back(package); });
    for (std::size_t position = 0; position < index.size(); position += 5) reader.feed(std::string_view(index).substr(position, 5));
    reader.finish();
    ASSERT_EQ(packages.size(), 2u);
    EXPECT_EQ(packages[0].name, "hello");
    EXPECT_EQ(packages[0].source, "hello-src");
    EXPECT_EQ(packages[0].version.epoch, 1u);
    EXPECT_EQ(packages[0].version.upstream, "2.10");
    EXPECT_EQ(packages[0].version_text, "1:2.10-3");
    EXPECT_EQ(packages[0].size, 1234u);
    EXPECT_EQ(packages[0].section, "devel");
    EXPECT_EQ(packages[0].stanza, stanza());
    EXPECT_EQ(packages[1].line, 11u);
    EXPECT_EQ(packages[1].filename, "pool/main/h/hello/hello_2.10-4_all.deb");
}

TEST(PackagesIndex, RefusesHostileStanzasNamingThem) {
    const std::vector<std::pair<std::string, std::string>> bad = {
        {stanza("", "../../etc/passwd"), "package 'hello': Filename '../../etc/passwd' is not a clean path"},
        {stanza("", "/etc/passwd"), "is not a clean path"},
        {"Package: x\nVersion: 1\nArchitecture: all\nSize: 1\nSHA256: " + kSha + "\n", "package 'x': no Filename field"},
        {"Version: 1\nArchitecture: all\nFilename: a.deb\nSize: 1\nSHA256: " + kSha + "\n", "package '?': no Package field"},
        {"Package: x\nVersion: one\nArchitecture: all\nFilename: a.deb\nSize: 1\nSHA256: " + kSha + "\n", "bad Version 'one'"},
        {"Package: x\nVersion: 1\nArchitecture: all\nFilename: a.deb\nSize: -1\nSHA256: " + kSha + "\n", "bad Size"},
        {"Package: x\nVersion: 1\nArchitecture: all\nFilename: a.deb\nSize: 1\nSHA256: xyz\n", "bad SHA256"},
    };
    for (const auto& [text, message] : bad) {
        PackagesIndexReader reader("Packages", [](DebianPackage&) {});
        try {
            reader.feed(text);
            reader.finish();
            ADD_FAILURE() << "accepted: " << text;
        } catch (const Error& error) {
            EXPECT_NE(std::string(error.what()).find(message), std::string::npos) << error.what();
            EXPECT_NE(std::string(error.what()).find("Packages: line 1"), std::string::npos) << error.what();
        }
    }
}

TEST(PackagesIndex, RewritesOnlyTheFilename) {
    const std::string rewritten = rewrite_filename(stanza("Description: x\n more\n"), "pool/main/h/hello/new.deb");
    EXPECT_EQ(rewritten, stanza("Description: x\n more\n", "pool/main/h/hello/new.deb"));
    EXPECT_EQ(rewrite_filename("Package: a\nFILENAME: old\n  cont\nSize: 1\n", "b"), "Package: a\nFilename: b\nSize: 1\n");
    EXPECT_EQ(rewrite_filename("Package: a\n", "b"), "Package: a\nFilename: b\n");
}

}  // namespace
}  // namespace chantal::metadata

namespace chantal::metadata {
namespace {

TEST(ReleaseFile, WritesWhatItReadsDeterministically) {
    ReleaseFile release;
    release.origin = "Chantal";
    release.label = "debian12-filtered";
    release.suite = "bookworm";
    release.codename = "bookworm";
    release.description = "filtered mirror";
    release.date = 1700000000;
    release.valid_until = 1700000000 + 86400;
    release.acquire_by_hash = true;
    release.not_automatic = true;
    release.architectures = {"amd64", "all"};
    release.components = {"main"};
    release.files = {{"main/binary-amd64/Packages.xz", 99, std::string(64, 'b')},
                     {"main/binary-amd64/Packages", 12345, std::string(64, 'a')}};
    const std::string text = write_release(release);
    EXPECT_EQ(text, write_release(release));
    EXPECT_NE(text.find("Date: Tue, 14 Nov 2023 22:13:20 GMT\n"), std::string::npos) << text;
    EXPECT_LT(text.find("main/binary-amd64/Packages\n"), text.find("main/binary-amd64/Packages.xz\n")) << "sorted";
    const ReleaseFile back = parse_release(text, "Release");
    EXPECT_EQ(back.origin, release.origin);
    EXPECT_EQ(back.label, release.label);
    EXPECT_EQ(back.description, release.description);
    EXPECT_EQ(back.date, release.date);
    EXPECT_EQ(back.valid_until, release.valid_until);
    EXPECT_TRUE(back.acquire_by_hash && back.not_automatic && !back.but_automatic_upgrades);
    EXPECT_EQ(back.architectures, release.architectures);
    ASSERT_EQ(back.files.size(), 2u);
    EXPECT_EQ(back.find("main/binary-amd64/Packages")->size, 12345u);
    release.description = "two\nlines";
    EXPECT_THROW(write_release(release), Error);
}

}  // namespace
}  // namespace chantal::metadata

namespace chantal::metadata {
namespace {

const std::string kSourceSha = std::string(64, 'c');

std::string source_stanza(const std::string& directory = "pool/main/h/hello", const std::string& files = "") {
    return "Package: hello\nBinary: hello\nVersion: 2.10-3\nDirectory: " + directory +
           "\nChecksums-Sha256:\n " + kSourceSha + " 1950 hello_2.10-3.dsc\n " + kSourceSha +
           " 725946 hello_2.10.orig.tar.gz\n" + files;
}

TEST(SourcesIndex, ReadsSourcePackagesAndTheirFiles) {
    std::vector<DebianSource> sources;
    SourcesIndexReader reader("main/source/Sources", [&](DebianSource& source) { sources.push_back(source); });
    reader.feed(source_stanza() + "\n" + source_stanza("pool/main/h/hello2"));
    reader.finish();
    ASSERT_EQ(sources.size(), 2u);
    EXPECT_EQ(sources[0].name, "hello");
    EXPECT_EQ(sources[0].version.revision, "3");
    EXPECT_EQ(sources[0].directory, "pool/main/h/hello");
    ASSERT_EQ(sources[0].files.size(), 2u);
    EXPECT_EQ(sources[0].files[1].name, "hello_2.10.orig.tar.gz");
    EXPECT_EQ(sources[0].files[1].size, 725946u);
    EXPECT_EQ(sources[1].directory, "pool/main/h/hello2");
    EXPECT_EQ(sources[0].stanza, source_stanza());
}

TEST(SourcesIndex, RefusesHostileStanzas) {
    const std::vector<std::pair<std::string, std::string>> bad = {
        {source_stanza("../../etc"), "Directory '../../etc' is not a clean path"},
        {source_stanza("pool/main/h/hello", " " + kSourceSha + " 1 ../x.dsc\n"), "'../x.dsc' is not a plain file name"},
        {source_stanza("pool/main/h/hello", " " + kSourceSha + " 1 hello_2.10-3.dsc\n"), "listed twice"},
        {source_stanza("pool/main/h/hello", " zz 1 a.dsc\n"), "is not '<sha256> <size> <name>'"},
        {"Package: x\nVersion: 1\nDirectory: pool/x\n", "no Checksums-Sha256 field"},
    };
    for (const auto& [text, message] : bad) {
        SourcesIndexReader reader("Sources", [](DebianSource&) {});
        try {
            reader.feed(text);
            reader.finish();
            ADD_FAILURE() << "accepted: " << text;
        } catch (const Error& error) {
            EXPECT_NE(std::string(error.what()).find(message), std::string::npos) << error.what();
        }
    }
}

TEST(PoolPath, UsesDebiansPoolLayout) {
    EXPECT_EQ(debian_pool_path("main", "hello", "hello_2.10-3_amd64.deb"), "pool/main/h/hello/hello_2.10-3_amd64.deb");
    EXPECT_EQ(debian_pool_path("contrib", "libfoo", "libfoo1_1.0_all.deb"), "pool/contrib/libf/libfoo/libfoo1_1.0_all.deb");
    EXPECT_EQ(debian_pool_path("main", "lib", "lib_1_all.deb"), "pool/main/l/lib/lib_1_all.deb");
    EXPECT_THROW(debian_pool_path("main", "../x", "a.deb"), Error);
    EXPECT_THROW(debian_pool_path("main/x", "a", "a.deb"), Error);
    EXPECT_THROW(debian_pool_path("main", "a", ""), Error);
    EXPECT_EQ(pool_path_component("pool/contrib/h/hello/hello_1.0_amd64.deb"), "contrib");
    EXPECT_EQ(pool_path_component("hello_1.0_amd64.deb"), std::nullopt);
    EXPECT_EQ(pool_path_component("pool//h/hello.deb"), std::nullopt);
}

}  // namespace
}  // namespace chantal::metadata
