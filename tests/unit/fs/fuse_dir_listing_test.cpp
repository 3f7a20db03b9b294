// Directory listings (fs/dir_listing.h), the bounded listing cache
// (fs/listing_cache.h) and the inode table's shared nodes (fs/inode_table.h):
// packed readdir records decode to every entry exactly once whatever the
// chunk sizes, names are found by binary search, the cache stays within its
// budget evicting the least recently used, and nodes remembered from a
// listing outlive the listing's eviction.
#include "fs/dir_listing.h"

#include <dirent.h>
#include <gtest/gtest.h>
#include <linux/fuse.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "core/base/error.h"
#include "fs/inode_table.h"
#include "fs/key_hash.h"
#include "fs/listing_cache.h"
#include "fs/node_resolver.h"

using namespace chantal::fs;

namespace {

Node file_node(const std::string& dir, const std::string& name) {
    Node node;
    node.kind = NodeKind::tree_file;
    node.path = dir + "/" + name;
    node.tree_path = "Packages/" + name;
    node.immutable = true;
    node.file = {std::string(64, 'a'), name, 4096};
    return node;
}

Node dir_node(const std::string& dir, const std::string& name) {
    Node node;
    node.kind = NodeKind::tree_dir;
    node.path = dir + "/" + name;
    node.immutable = true;
    return node;
}

// count children, sorted by name: files "pkg-00000.rpm"..., and one directory "repodata".
std::vector<Node> children(std::size_t count, const std::string& dir = "repos/r/snapshots/s/Packages") {
    std::vector<Node> nodes;
    for (std::size_t i = 0; i < count; ++i) {
        char name[32];
        std::snprintf(name, sizeof name, "pkg-%05zu.rpm", i);
        nodes.push_back(file_node(dir, name));
    }
    nodes.push_back(dir_node(dir, "repodata"));
    return nodes;
}

struct Record {
    std::uint64_t ino;
    std::uint64_t off;
    std::uint32_t type;
    std::string name;
};

std::vector<Record> decode(std::span<const char> bytes) {
    std::vector<Record> records;
    std::size_t at = 0;
    while (at < bytes.size()) {
        fuse_dirent header{};
        std::memcpy(&header, bytes.data() + at, FUSE_NAME_OFFSET);
        records.push_back({header.ino, header.off, header.type,
                           std::string(bytes.data() + at + FUSE_NAME_OFFSET, header.namelen)});
        at += FUSE_DIRENT_ALIGN(FUSE_NAME_OFFSET + header.namelen);
    }
    EXPECT_EQ(at, bytes.size());
    return records;
}

// Reads the whole listing as the kernel does: chunks of `size` bytes, each
// starting at the offset the previous chunk's last record carries.
std::vector<Record> read_all(const DirListing& listing, std::size_t size) {
    std::vector<Record> all;
    std::uint64_t offset = 0;
    for (;;) {
        const auto chunk = decode(listing.records(offset, size));
        if (chunk.empty()) break;
        EXPECT_LE(listing.records(offset, size).size(), size);
        all.insert(all.end(), chunk.begin(), chunk.end());
        offset = chunk.back().off;
    }
    return all;
}

}  // namespace

TEST(FuseDirListing, ChunkedReadsReturnEveryEntryOnceInOrder) {
    const auto nodes = children(1000);
    const auto listing = DirListing::make(nodes);
    ASSERT_EQ(listing->size(), 1001u);
    for (const std::size_t size : {48ul, 100ul, 4096ul, 131072ul}) {
        const auto all = read_all(*listing, size);
        ASSERT_EQ(all.size(), nodes.size()) << "chunk size " << size;
        for (std::size_t i = 0; i < nodes.size(); ++i) {
            EXPECT_EQ(all[i].name, listing->name(i));
            EXPECT_EQ(all[i].off, i + 1);
            EXPECT_EQ(all[i].ino, inode_number(nodes[i]));
            EXPECT_EQ(all[i].type, nodes[i].is_directory() ? unsigned(DT_DIR) : unsigned(DT_REG));
        }
    }
    EXPECT_EQ(listing->name(0), "pkg-00000.rpm");
    EXPECT_EQ(listing->name(1000), "repodata");
}

TEST(FuseDirListing, OffsetsPastTheEndAndTooSmallBuffersGiveNothing) {
    const auto listing = DirListing::make(children(3));
    EXPECT_TRUE(listing->records(4, 4096).empty());
    EXPECT_TRUE(listing->records(99, 4096).empty());
    EXPECT_TRUE(listing->records(0, 10).empty());  // smaller than one record
    EXPECT_EQ(decode(listing->records(2, 4096)).size(), 2u);
    const auto empty = DirListing::make({});
    EXPECT_EQ(empty->size(), 0u);
    EXPECT_TRUE(empty->records(0, 4096).empty());
    EXPECT_FALSE(empty->find("x"));
}

TEST(FuseDirListing, FindsNamesByBinarySearch) {
    const auto listing = DirListing::make(children(500));
    EXPECT_EQ(listing->find("pkg-00000.rpm"), 0u);
    EXPECT_EQ(listing->find("pkg-00321.rpm"), 321u);
    EXPECT_EQ(listing->find("repodata"), 500u);
    EXPECT_EQ(listing->node(321).path, "repos/r/snapshots/s/Packages/pkg-00321.rpm");
    EXPECT_FALSE(listing->find("pkg-00321"));
    EXPECT_FALSE(listing->find("pkg-00500.rpm"));
    EXPECT_FALSE(listing->find(""));
    EXPECT_FALSE(listing->find("zzz"));
}

TEST(FuseListingCache, StaysWithinItsBudgetEvictingTheLeastRecentlyUsed) {
    const auto one = DirListing::make(children(100, "a"));
    const auto bytes = one->memory_bytes();
    ASSERT_GT(bytes, 100u * sizeof(Node));
    ListingCache cache(bytes * 3 + bytes / 2);  // room for three
    cache.insert("a", one);
    cache.insert("b", DirListing::make(children(100, "b")));
    cache.insert("c", DirListing::make(children(100, "c")));
    EXPECT_EQ(cache.entries(), 3u);
    EXPECT_EQ(cache.find("a"), one);  // "a" is now the most recent; "b" the least
    cache.insert("d", DirListing::make(children(100, "d")));
    EXPECT_EQ(cache.entries(), 3u);
    EXPECT_LE(cache.bytes(), bytes * 3 + bytes / 2);
    EXPECT_FALSE(cache.find("b"));
    EXPECT_TRUE(cache.find("a"));
    EXPECT_TRUE(cache.find("c"));
    EXPECT_TRUE(cache.find("d"));
}

TEST(FuseListingCache, ReplacesUnderTheSameKeyAndRefusesWhatCannotFit) {
    const auto small = DirListing::make(children(10));
    ListingCache cache(small->memory_bytes() * 2);
    cache.insert("k", small);
    const auto again = DirListing::make(children(10));
    cache.insert("k", again);
    EXPECT_EQ(cache.entries(), 1u);
    EXPECT_EQ(cache.bytes(), again->memory_bytes());
    EXPECT_EQ(cache.find("k"), again);
    cache.insert("huge", DirListing::make(children(1000)));  // larger than the whole budget
    EXPECT_FALSE(cache.find("huge"));
    EXPECT_EQ(cache.find("k"), again);
    EXPECT_FALSE(cache.find("missing"));
}

TEST(FuseInodeTable, NodesSharedWithAListingOutliveItsEviction) {
    InodeTable inodes;
    ListingCache cache(1);  // keeps nothing
    std::uint64_t inode = 0;
    {
        const auto listing = DirListing::make(children(5));
        cache.insert("x", listing);
        inode = listing->inode(2);
        inodes.remember(std::shared_ptr<const Node>(listing, &listing->node(2)), inode);
        inodes.remember(std::shared_ptr<const Node>(listing, &listing->node(2)), inode);
    }
    EXPECT_EQ(cache.entries(), 0u);
    auto node = inodes.find(inode);
    ASSERT_TRUE(node);
    EXPECT_EQ(node->path, "repos/r/snapshots/s/Packages/pkg-00002.rpm");
    EXPECT_EQ(inode_number(*node), inode);
    inodes.forget(inode, 1);
    EXPECT_TRUE(inodes.find(inode));  // two lookups, one forgotten
    inodes.forget(inode, 1);
    EXPECT_FALSE(inodes.find(inode));
    EXPECT_TRUE(inodes.find(kRootInode));
}

TEST(FuseInodeTable, InodeNumbersAreTheHashOfTheNodeKey) {
    auto file = file_node("repos/r/latest/Packages", "a.rpm");
    file.immutable = false;
    auto snapshot_file = file_node("repos/r/snapshots/s/Packages", "a.rpm");
    snapshot_file.tree_version = "s3:1700000000";
    auto snapshot_dir = dir_node("repos/r/snapshots/s", "Packages");
    snapshot_dir.tree_version = "v7";
    auto latest_dir = dir_node("repos/r/latest", "Packages");
    latest_dir.immutable = false;
    for (const auto* node : {&file, &snapshot_file, &snapshot_dir, &latest_dir})
        EXPECT_EQ(inode_number(*node), key_hash(node->key())) << node->key();
    EXPECT_EQ(inode_number(Node{}), kRootInode);
    auto other = file;
    other.file.sha256 = std::string(64, 'b');  // new bytes at a path of latest: a new inode
    EXPECT_NE(inode_number(other), inode_number(file));
    // In a snapshot the tree version stands for the bytes: the content row is not needed.
    auto same = snapshot_file;
    same.file = {};
    EXPECT_EQ(inode_number(same), inode_number(snapshot_file));
    same.tree_version = "s4:1700000001";  // the snapshot re-created under the same name
    EXPECT_NE(inode_number(same), inode_number(snapshot_file));
}

// A directory of `latest` stands for one version of the tree, like a
// snapshot's: when latest moves, its directories get new inodes (so the
// kernel may cache every listing for long), while a file keeps its inode
// as long as its bytes stay the same.
TEST(FuseInodeTable, LatestDirectoriesAreNumberedPerTreeVersion) {
    auto directory = dir_node("repos/r/latest", "Packages");
    directory.immutable = false;
    directory.tree_version = "r1:1700000000";
    auto moved = directory;
    moved.tree_version = "r1:1700000100";
    EXPECT_NE(inode_number(directory), inode_number(moved));
    EXPECT_EQ(inode_number(moved), key_hash(moved.key()));
    auto file = file_node(directory.path, "a.rpm");
    file.immutable = false;
    file.tree_version = directory.tree_version;
    auto same_bytes = file;
    same_bytes.tree_version = moved.tree_version;
    EXPECT_EQ(inode_number(same_bytes), inode_number(file));
}

TEST(FuseNodeTimeout, OnlyTheTopLatestEntriesAndRetiredFilesExpireSoon) {
    Node root;
    root.kind = NodeKind::tree_dir;
    root.path = "repos/r/latest";
    root.tree = chantal::TreeAddress::repo_latest("r");
    EXPECT_TRUE(root.is_latest_root());
    EXPECT_EQ(node_timeout(root), Context::kMutableTimeout);
    auto directory = dir_node("repos/r/latest", "Packages");
    directory.immutable = false;
    directory.tree = root.tree;
    directory.tree_path = "Packages";
    EXPECT_EQ(node_timeout(directory), Context::kImmutableTimeout);
    auto file = file_node(directory.path, "a.rpm");
    file.immutable = false;
    file.tree = root.tree;
    file.tree_path = "Packages/a.rpm";
    EXPECT_EQ(node_timeout(file), Context::kImmutableTimeout);
    file.retired = true;  // kept for the grace period only
    EXPECT_EQ(node_timeout(file), Context::kMutableTimeout);
    auto snapshot_root = root;
    snapshot_root.tree = chantal::TreeAddress::repo_snapshot("r", "s");
    snapshot_root.immutable = true;
    EXPECT_EQ(node_timeout(snapshot_root), Context::kImmutableTimeout);
    Node repos;
    repos.kind = NodeKind::repos;
    EXPECT_EQ(node_timeout(repos), Context::kMutableTimeout);
}

TEST(FuseKeyHash, EqualBytesHashEquallyHoweverSplit) {
    const std::string key = "f:repos/flat/snapshots/s/Packages/pkg-12345-1.0-1.noarch.rpm\ns2:1700000000";
    const auto whole = key_hash(key);
    for (std::size_t a = 0; a <= key.size(); ++a) {
        for (std::size_t b = a; b <= key.size(); b += 3) {
            KeyHash pieces;
            pieces.feed(std::string_view(key).substr(0, a)).feed(std::string_view(key).substr(a, b - a));
            EXPECT_EQ(pieces.feed(std::string_view(key).substr(b)).value(), whole) << a << " " << b;
        }
    }
    // Every prefix (and the empty key) hashes differently: length and tail bytes count.
    std::vector<std::uint64_t> seen;
    for (std::size_t length = 0; length <= key.size(); ++length) seen.push_back(key_hash(key.substr(0, length)));
    std::sort(seen.begin(), seen.end());
    EXPECT_EQ(std::adjacent_find(seen.begin(), seen.end()), seen.end());
    EXPECT_NE(key_hash(std::string(8, '\0')), key_hash(std::string(9, '\0')));
    EXPECT_NE(key_hash("d:a/b"), key_hash("f:a/b"));
}

TEST(FuseInodeTable, ChildrenOfASnapshotDirectoryAreNumberedByNameAlone) {
    auto directory = dir_node("repos/r/snapshots/s", "Packages");
    directory.tree_version = "s1:17";
    const ChildInodeNumbers numbers(directory);
    auto file = file_node(directory.path, "a-1.0-1.noarch.rpm");
    file.tree_version = directory.tree_version;
    auto sub = dir_node(directory.path, "a");
    sub.tree_version = directory.tree_version;
    EXPECT_EQ(numbers("a-1.0-1.noarch.rpm", false), inode_number(file));
    EXPECT_EQ(numbers("a", true), inode_number(sub));
    EXPECT_NE(numbers("a", false), numbers("a", true));
    // In latest, files are numbered by their bytes (the content row, else
    // the digest), directories by the version.
    auto latest = directory;
    latest.immutable = false;
    const ChildInodeNumbers latest_numbers(latest);
    auto latest_file = file;
    latest_file.immutable = false;
    const std::string sha256(64, 'c');
    latest_file.file.sha256 = sha256;
    auto latest_sub = sub;
    latest_sub.immutable = false;
    EXPECT_EQ(latest_numbers("a-1.0-1.noarch.rpm", false, 0, sha256), inode_number(latest_file));
    EXPECT_EQ(key_hash(latest_file.key()), inode_number(latest_file));
    auto by_row = latest_file;
    by_row.content_id = 4711;
    EXPECT_EQ(latest_numbers("a-1.0-1.noarch.rpm", false, 4711), inode_number(by_row));
    EXPECT_EQ(key_hash(by_row.key()), inode_number(by_row));
    EXPECT_NE(inode_number(by_row), inode_number(latest_file));
    EXPECT_NE(latest_numbers("a-1.0-1.noarch.rpm", false, 4712), inode_number(by_row));
    EXPECT_EQ(latest_numbers("a", true), inode_number(latest_sub));
    EXPECT_THROW(latest_numbers("a-1.0-1.noarch.rpm", false), chantal::Error);
    EXPECT_THROW(ChildInodeNumbers{file}, chantal::Error);
}

TEST(FuseInodeTable, GenerationTellsReusedContentRowsApart) {
    // The same path and content row with other bytes (a row id reused after
    // pool cleanup): the same inode number, another generation.
    auto before = file_node("repos/r/latest/Packages", "a-1.0-1.noarch.rpm");
    before.immutable = false;
    before.content_id = 7;
    before.file.sha256 = "0123abcd" + std::string(56, 'e');
    auto after = before;
    after.file.sha256 = "89ef0011" + std::string(56, 'e');
    EXPECT_EQ(inode_number(before), inode_number(after));
    EXPECT_EQ(inode_generation(before), 0x0123abcdu);
    EXPECT_EQ(inode_generation(after), 0x89ef0011u);
    EXPECT_EQ(inode_generation(dir_node("repos/r/latest", "Packages")), 0u);
}

TEST(FuseDirListing, NamesOnlyListingHasTheFullListingsRecords) {
    auto directory = dir_node("repos/r/snapshots/s", "Packages");
    directory.tree_version = "s1:17";
    // Path order, as a range scan yields it: "a-1.rpm" before the directory "a" ("a/" > "a-").
    const std::vector<std::pair<std::string, bool>> scanned = {
        {"a-1.rpm", false}, {"a", true}, {"b.rpm", false}, {"c", true}, {"c.rpm", false}};
    NameList names;
    for (const auto& [name, is_directory] : scanned) names.add(name, is_directory);
    const auto by_name = DirListing::make_names(directory, names);
    EXPECT_FALSE(by_name->has_nodes());

    std::vector<Node> nodes;
    for (const auto* name : {"a", "a-1.rpm", "b.rpm", "c", "c.rpm"}) {
        const bool is_directory = std::string(name) == "a" || std::string(name) == "c";
        auto node = is_directory ? dir_node(directory.path, name) : file_node(directory.path, name);
        node.tree_version = directory.tree_version;
        nodes.push_back(node);
    }
    const auto full = DirListing::make(nodes);
    EXPECT_TRUE(full->has_nodes());
    ASSERT_EQ(by_name->size(), full->size());
    const auto a = by_name->records(0, 1 << 20);
    const auto b = full->records(0, 1 << 20);
    ASSERT_EQ(a.size(), b.size());
    EXPECT_EQ(std::memcmp(a.data(), b.data(), a.size()), 0);  // same names, order, offsets, inodes, types
    for (std::size_t i = 0; i < full->size(); ++i) {
        EXPECT_EQ(by_name->name(i), full->name(i));
        EXPECT_EQ(by_name->inode(i), inode_number(nodes[i]));
        EXPECT_EQ(by_name->is_directory(i), nodes[i].is_directory());
    }
    EXPECT_EQ(by_name->find("c.rpm"), 4u);
    EXPECT_FALSE(by_name->find("d"));
    EXPECT_LT(by_name->memory_bytes(), full->memory_bytes());
}

TEST(FuseDirListing, CountsRowLookupsUpToALimit) {
    auto directory = dir_node("repos/r/snapshots/s", "Packages");
    NameList names;
    names.add("x.rpm", false);
    const auto listing = DirListing::make_names(directory, names);
    EXPECT_FALSE(listing->count_row_lookup(3));
    EXPECT_FALSE(listing->count_row_lookup(3));
    EXPECT_TRUE(listing->count_row_lookup(3));
    EXPECT_TRUE(listing->count_row_lookup(3));
}

TEST(FuseDirListing, NameListIsReusedAfterClear) {
    auto directory = dir_node("repos/r/snapshots/s", "Packages");
    NameList names;
    names.add("old.rpm", false);
    names.add("older", true);
    EXPECT_EQ(DirListing::make_names(directory, names)->size(), 2u);
    names.clear();
    EXPECT_EQ(names.size(), 0u);
    names.add("new.rpm", false);
    const auto listing = DirListing::make_names(directory, names);
    ASSERT_EQ(listing->size(), 1u);
    EXPECT_EQ(listing->name(0), "new.rpm");
    EXPECT_FALSE(listing->find("old.rpm"));
    // Records are padded with zeros after each name (the kernel's format).
    const auto records = listing->records(0, 1 << 20);
    ASSERT_GT(records.size(), FUSE_NAME_OFFSET + 7);
    for (std::size_t at = FUSE_NAME_OFFSET + 7; at < records.size(); ++at) EXPECT_EQ(records[at], '\0') << at;
}
