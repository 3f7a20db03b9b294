#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "metadata/compression/compression.h"
#include "metadata/rpm/xml_copy.h"
#include "metadata/rpm/xml_reader.h"
#include "support/metadata_test_support.h"
#include "support/temp_dir.h"

namespace chantal::metadata {
namespace {

using test::expect_error;
using test_support::TempDir;
using test_support::write_text;

// Reads the whole document, returning the copied XML of every node.
std::string read_document(std::string_view xml, const std::string& name = "doc.xml") {
    MemorySource source(xml, name);
    DecompressingReader input(source, 1u << 30);
    XmlReader reader(input);
    XmlNodeCopier copier(kCommonNamespace, true);
    std::string out;
    while (reader.next()) copier.append(reader, out);
    return out;
}

TEST(MetadataXmlReader, WalksElementsAttributesAndText) {
    std::string xml = "<?xml version=\"1.0\"?>\n<root a=\"1\"><child b=\"x &amp; y\">t&lt;1<![CDATA[<raw>]]></child><e/></root>";
    MemorySource source(xml, "doc.xml");
    DecompressingReader input(source, 1u << 20);
    XmlReader reader(input);
    ASSERT_TRUE(reader.next());
    EXPECT_EQ(reader.type(), XmlNodeType::element);
    EXPECT_EQ(reader.local_name(), "root");
    EXPECT_EQ(reader.depth(), 0);
    ASSERT_NE(reader.find_attribute("a"), nullptr);
    EXPECT_EQ(*reader.find_attribute("a"), "1");
    EXPECT_EQ(reader.find_attribute("missing"), nullptr);
    ASSERT_TRUE(reader.next());
    EXPECT_EQ(reader.local_name(), "child");
    EXPECT_EQ(*reader.find_attribute("b"), "x & y");
    std::string text;
    while (reader.next() && reader.type() == XmlNodeType::text) text += reader.text();
    EXPECT_EQ(text, "t<1<raw>");
    EXPECT_EQ(reader.type(), XmlNodeType::end_element);
    ASSERT_TRUE(reader.next());
    EXPECT_EQ(reader.local_name(), "e");
    EXPECT_TRUE(reader.is_empty_element());
    ASSERT_TRUE(reader.next());
    EXPECT_EQ(reader.type(), XmlNodeType::end_element);
    EXPECT_FALSE(reader.next());
}

TEST(MetadataXmlReader, InvalidXmlNamesFileAndLine) {
    std::string xml = "<metadata>\n<package>\n<name>a</name>\n<oops>\n</package>\n</metadata>\n";
    std::string message = expect_error([&] { read_document(xml, "primary.xml.gz"); }, ErrorKind::invalid_input,
                                       {"primary.xml.gz line "});
    EXPECT_TRUE(message.find("line 5") != std::string::npos || message.find("line 4") != std::string::npos) << message;
    expect_error([&] { read_document("", "empty.xml"); }, ErrorKind::invalid_input, {"empty.xml"});
    expect_error([&] { read_document("<a><b></a>", "x.xml"); }, ErrorKind::invalid_input, {"x.xml line 1"});
    expect_error([&] { read_document("<a>", "cut.xml"); }, ErrorKind::invalid_input, {"cut.xml"});
}

TEST(MetadataXmlReader, ExternalEntitiesAreNeverRead) {
    TempDir dir;
    const std::string secret = "TOP-SECRET-CONTENT-4711";
    write_text(dir / "secret.txt", secret);
    const std::string url = "file://" + (dir / "secret.txt").string();
    const std::string documents[] = {
        // general external entity
        "<!DOCTYPE m [<!ENTITY x SYSTEM \"" + url + "\">]>\n<m>&x;</m>",
        "<!DOCTYPE m [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<m>&x;</m>",
        // external DTD
        "<!DOCTYPE m SYSTEM \"" + url + "\">\n<m/>",
        // parameter entity used inside the internal subset
        "<!DOCTYPE m [<!ENTITY % p SYSTEM \"" + url + "\"> %p;]>\n<m/>",
        // entity in an attribute
        "<!DOCTYPE m [<!ENTITY x SYSTEM \"" + url + "\">]>\n<m a=\"&x;\"/>",
    };
    for (const std::string& document : documents) {
        std::string message = expect_error([&] { read_document(document, "evil.xml"); }, ErrorKind::invalid_input,
                                           {"evil.xml line"});
        EXPECT_EQ(message.find(secret), std::string::npos);
        EXPECT_EQ(message.find("root:"), std::string::npos);
    }
}

TEST(MetadataXmlReader, ExternalEntityFileIsNeverEvenOpened) {
    // A FIFO without writer: whoever opens it for reading blocks. A watchdog
    // unblocks such an opener and records that it happened.
    TempDir dir;
    const std::string fifo = (dir / "fifo").string();
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    std::atomic<bool> done{false};
    std::atomic<bool> opened{false};
    std::thread watchdog([&] {
        for (int i = 0; i < 300 && !done; ++i) {
            int fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
            if (fd >= 0) {  // someone is reading it
                opened = true;
                ::close(fd);
                return;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    });
    for (const std::string& document :
         {"<!DOCTYPE m [<!ENTITY x SYSTEM \"file://" + fifo + "\">]>\n<m>&x;</m>",
          "<!DOCTYPE m SYSTEM \"" + fifo + "\">\n<m/>",
          "<!DOCTYPE m [<!ENTITY % p SYSTEM \"" + fifo + "\"> %p;]>\n<m/>"}) {
        expect_error([&] { read_document(document, "evil.xml"); }, ErrorKind::invalid_input, {"evil.xml"});
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    done = true;
    watchdog.join();
    EXPECT_FALSE(opened);
}

TEST(MetadataXmlReader, BillionLaughsFailsFast) {
    std::string xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n";
    xml += "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n";
    for (int i = 2; i <= 9; ++i) {
        xml += "<!ENTITY lol" + std::to_string(i) + " \"";
        for (int j = 0; j < 10; ++j) xml += "&lol" + std::to_string(i - 1) + ";";
        xml += "\">\n";
    }
    xml += "]>\n<lolz>&lol9;</lolz>\n";
    auto start = std::chrono::steady_clock::now();
    expect_error([&] { read_document(xml, "laughs.xml"); }, ErrorKind::invalid_input, {"laughs.xml line"});
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(200));
}

TEST(MetadataXmlReader, ErrorsOfTheInputPropagateUnchanged) {
    std::string compressed = gzip_compress("<metadata>" + std::string(100000, ' ') + "</metadata>");
    std::string truncated = compressed.substr(0, compressed.size() - 20);
    expect_error([&] { read_document(truncated, "primary.xml.gz"); }, ErrorKind::corrupt, {"primary.xml.gz", "truncated"});
    expect_error([&] { read_document(compressed.substr(0, 0) + gzip_compress(std::string(5000, 'x')), "p.gz"); },
                 ErrorKind::invalid_input, {"p.gz line 1"});
}

TEST(MetadataXmlReader, CopierCanonicalisesNamespaces) {
    std::string xml =
        "<metadata xmlns=\"http://linux.duke.edu/metadata/common\" xmlns:r=\"http://linux.duke.edu/metadata/rpm\" "
        "xmlns:x=\"urn:extra\"><package type=\"rpm\"><location xml:base=\"http://b/\" href=\"a&amp;b&quot;.rpm\"/>"
        "<format><r:license>GPL &amp; MIT</r:license><x:thing x:attr=\"1\">v</x:thing></format></package></metadata>";
    std::string out = read_document(xml);
    EXPECT_NE(out.find("<package type=\"rpm\">"), std::string::npos) << out;
    EXPECT_NE(out.find("<location xml:base=\"http://b/\" href=\"a&amp;b&quot;.rpm\"/>"), std::string::npos) << out;
    EXPECT_NE(out.find("<rpm:license>GPL &amp; MIT</rpm:license>"), std::string::npos) << out;
    EXPECT_NE(out.find("<x:thing x:attr=\"1\" xmlns:x=\"urn:extra\">v</x:thing>"), std::string::npos) << out;
    EXPECT_EQ(out.find("xmlns:r"), std::string::npos) << out;
}

// Found by the primary fuzz target: libxml2 hands out a namespace URI with
// '&' written as "&#38;"; copied as such, the fragment declared another
// namespace ("urn:a&amp;#38;b"), which grew by one "#38;" per copy.
TEST(MetadataXmlReader, NamespaceUriWithAnAmpersandIsDecoded) {
    std::string xml = "<root xmlns:p=\"urn:a&amp;b\" xmlns:q=\"urn:c&#38;d\"><p:child q:attr=\"v\"/></root>";
    MemorySource source(xml, "doc.xml");
    DecompressingReader input(source, 1u << 20);
    XmlReader reader(input);
    ASSERT_TRUE(reader.next());
    ASSERT_TRUE(reader.next());
    EXPECT_EQ(reader.local_name(), "child");
    EXPECT_EQ(reader.namespace_uri(), "urn:a&b");
    ASSERT_EQ(reader.attributes().size(), 1u);
    EXPECT_EQ(reader.attributes()[0].namespace_uri, "urn:c&d");

    const std::string copied = read_document(xml);
    EXPECT_NE(copied.find("<p:child q:attr=\"v\" xmlns:p=\"urn:a&amp;b\" xmlns:q=\"urn:c&amp;d\"/>"), std::string::npos)
        << copied;
    EXPECT_EQ(read_document("<root>" + copied + "</root>"), "<root>" + copied + "</root>");
}

}  // namespace
}  // namespace chantal::metadata
