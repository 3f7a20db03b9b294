// XmlReader over libxml2's SAX2 push parser (xmlCreatePushParserCtxt +
// xmlParseChunk): the input is fed in 64 KiB chunks; the SAX callbacks append
// compact events (names interned in the parser's dictionary, text and
// attribute values in one reusable arena) to a queue that next() walks. No
// tree, no per-node allocation.
#include "metadata/rpm/xml_reader.h"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>

#include <cstring>
#include <deque>
#include <mutex>

#include "core/base/error.h"
#include "metadata/rpm/number_parse.h"

namespace chantal::metadata {

namespace {

constexpr std::string_view kXmlNamespace = "http://www.w3.org/XML/1998/namespace";
constexpr std::size_t kChunkSize = 64 * 1024;
// The longest text node accepted (libxml2's own limit without XML_PARSE_HUGE).
constexpr std::size_t kMaxTextLength = 10000000;

// Refuses every external entity, DTD and XInclude, for every libxml2 parser
// in the process.
xmlParserInputPtr refuse_external_entity(const char*, const char*, xmlParserCtxtPtr) { return nullptr; }

void install_safe_entity_loader() {
    static std::once_flag once;
    std::call_once(once, [] {
        xmlInitParser();
        xmlSetExternalEntityLoader(refuse_external_entity);
    });
}

std::string_view view_of(const xmlChar* text) {
    return text ? std::string_view(reinterpret_cast<const char*>(text)) : std::string_view();
}

struct ContextDeleter {
    void operator()(xmlParserCtxt* context) const noexcept { xmlFreeParserCtxt(context); }
};

// One node as the callbacks saw it. Names point into the parser's
// dictionary (alive as long as the context); text and attribute values are
// [offset, offset + size) of the arena.
struct Event {
    XmlNodeType type = XmlNodeType::other;
    bool empty = false;
    int depth = 0;
    int line = 0;
    std::string_view local_name;
    std::string_view prefix;
    std::string_view namespace_uri;
    std::uint32_t text_offset = 0;
    std::uint32_t text_size = 0;
    std::uint32_t first_attribute = 0;
    std::uint32_t attribute_count = 0;
};

struct RawAttribute {
    std::string_view local_name;
    std::string_view prefix;
    std::string_view namespace_uri;
    std::uint32_t value_offset = 0;
    std::uint32_t value_size = 0;
};

bool is_blank(std::string_view text) {
    for (char c : text) {
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return false;
    }
    return true;
}

}  // namespace

struct XmlReader::Impl {
    std::unique_ptr<xmlParserCtxt, ContextDeleter> context;
    DecompressingReader* input = nullptr;
    std::unique_ptr<char[]> chunk{new char[kChunkSize]};
    bool input_done = false;  // the last chunk was given to the parser

    std::vector<Event> events;  // the queue; events[position] is the current node
    std::size_t position = 0;
    bool started = false;       // next() was called at least once
    std::vector<RawAttribute> raw_attributes;
    std::string arena;
    // Namespace URIs that needed decoding (see namespace_view); cleared with
    // the events that point into them.
    std::deque<std::string> decoded_namespaces;

    int depth = 0;                 // of the next child node
    bool pending_empty_end = false;  // the last start tag was <a/>: drop its end event
    std::string first_error;
    int first_error_line = 0;

    int current_line() const { return context && context->input ? context->input->line : 0; }

    void record_error(std::string message, int line) {
        if (!first_error.empty()) return;
        first_error = std::move(message);
        first_error_line = line;
    }

    // Stops the parser for good with our own message.
    void refuse(const char* message) {
        record_error(message, current_line());
        xmlStopParser(context.get());
    }

    static Impl& of(void* user_data) { return *static_cast<Impl*>(user_data); }

    std::uint32_t append_to_arena(const char* text, std::size_t size) {
        auto offset = static_cast<std::uint32_t>(arena.size());
        arena.append(text, size);
        return offset;
    }

    // Attribute values arrive undecoded only in one respect: with entity
    // substitution off, libxml2 writes a literal '&' (from &amp; or &#38;)
    // as "&#38;". Decode that, once, left to right.
    std::uint32_t append_attribute_value(const char* begin, const char* end, std::uint32_t& size) {
        auto offset = static_cast<std::uint32_t>(arena.size());
        const char* amp = static_cast<const char*>(std::memchr(begin, '&', end - begin));
        if (amp == nullptr) {
            arena.append(begin, end - begin);
        } else {
            const char* p = begin;
            while (p < end) {
                if (*p == '&' && end - p >= 5 && std::memcmp(p, "&#38;", 5) == 0) {
                    arena.push_back('&');
                    p += 5;
                } else {
                    arena.push_back(*p++);
                }
            }
        }
        size = static_cast<std::uint32_t>(arena.size() - offset);
        return offset;
    }

    // Namespace URIs come from libxml2's dictionary with the same '&' ->
    // "&#38;" quirk as attribute values; decoded the same way, so that a
    // copied element declares the namespace the document did.
    std::string_view namespace_view(const xmlChar* uri) {
        const std::string_view raw = view_of(uri);
        if (raw.find("&#38;") == std::string_view::npos) return raw;
        std::string& decoded = decoded_namespaces.emplace_back();
        for (std::size_t i = 0; i < raw.size();) {
            if (raw.compare(i, 5, "&#38;") == 0) {
                decoded.push_back('&');
                i += 5;
            } else {
                decoded.push_back(raw[i++]);
            }
        }
        return decoded;
    }

    static void start_element(void* user_data, const xmlChar* local_name, const xmlChar* prefix, const xmlChar* uri,
                              int, const xmlChar**, int attribute_count, int, const xmlChar** attributes) {
        Impl& self = of(user_data);
        Event event;
        event.type = XmlNodeType::element;
        event.depth = self.depth++;
        event.line = self.current_line();
        event.local_name = view_of(local_name);
        event.prefix = view_of(prefix);
        event.namespace_uri = self.namespace_view(uri);
        // As xmlTextReader does: the parser stops right after the start
        // tag, so "/>" ahead means an empty element.
        const xmlParserInputPtr in = self.context->input;
        event.empty = in && in->cur && in->cur[0] == '/' && in->cur[1] == '>';
        self.pending_empty_end = event.empty;
        event.first_attribute = static_cast<std::uint32_t>(self.raw_attributes.size());
        event.attribute_count = static_cast<std::uint32_t>(attribute_count);
        for (int i = 0; i < attribute_count; ++i) {
            const xmlChar** a = attributes + 5 * i;  // localname, prefix, URI, value, end
            RawAttribute attribute;
            attribute.local_name = view_of(a[0]);
            attribute.prefix = view_of(a[1]);
            attribute.namespace_uri = self.namespace_view(a[2]);
            attribute.value_offset = self.append_attribute_value(reinterpret_cast<const char*>(a[3]),
                                                                 reinterpret_cast<const char*>(a[4]),
                                                                 attribute.value_size);
            self.raw_attributes.push_back(attribute);
        }
        self.events.push_back(event);
    }

    static void end_element(void* user_data, const xmlChar* local_name, const xmlChar* prefix, const xmlChar* uri) {
        Impl& self = of(user_data);
        --self.depth;
        if (self.pending_empty_end) {  // <a/> has no end node
            self.pending_empty_end = false;
            return;
        }
        Event event;
        event.type = XmlNodeType::end_element;
        event.depth = self.depth;
        event.line = self.current_line();
        event.local_name = view_of(local_name);
        event.prefix = view_of(prefix);
        event.namespace_uri = self.namespace_view(uri);
        self.events.push_back(event);
    }

    // Character data, CDATA and whitespace; adjacent pieces become one node.
    static void characters(void* user_data, const xmlChar* text, int size) {
        Impl& self = of(user_data);
        self.pending_empty_end = false;
        // A trailing text node is never handed out before the next node
        // arrives (see ready()), so it may still grow.
        if (!self.events.empty() && self.events.back().type == XmlNodeType::text) {
            Event& last = self.events.back();
            if (last.text_size + static_cast<std::size_t>(size) > kMaxTextLength) {
                self.refuse("text node longer than 10000000 bytes");
                return;
            }
            self.arena.append(reinterpret_cast<const char*>(text), size);
            last.text_size += static_cast<std::uint32_t>(size);
            return;
        }
        Event event;
        event.type = XmlNodeType::text;
        event.depth = self.depth;
        event.line = self.current_line();
        event.text_offset = self.append_to_arena(reinterpret_cast<const char*>(text), size);
        event.text_size = static_cast<std::uint32_t>(size);
        self.events.push_back(event);
    }

    static void other_node(Impl& self) {
        self.pending_empty_end = false;
        Event event;
        event.depth = self.depth;
        event.line = self.current_line();
        self.events.push_back(event);
    }
    static void comment(void* user_data, const xmlChar*) { other_node(of(user_data)); }
    static void processing_instruction(void* user_data, const xmlChar*, const xmlChar*) { other_node(of(user_data)); }

    // Any DOCTYPE stops the parser before its internal subset is read, so no
    // entity is ever declared (hence none expanded) and no DTD is loaded.
    static void internal_subset(void* user_data, const xmlChar*, const xmlChar*, const xmlChar*) {
        of(user_data).refuse("DOCTYPE declarations are not allowed in repository metadata");
    }
    static void reference(void* user_data, const xmlChar*) {
        of(user_data).refuse("entity references are not allowed in repository metadata");
    }
    static xmlEntityPtr get_entity(void*, const xmlChar* name) { return xmlGetPredefinedEntity(name); }

    static void structured_error(void* user_data, xmlErrorPtr error) {
        if (error == nullptr || error->level < XML_ERR_ERROR) return;
        std::string message = error->message ? error->message : "XML error";
        while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
        of(user_data).record_error(std::move(message), error->line);
    }

    // Drops the events before the current one (the current one, when it is
    // a text node still being extended, moves to the front with its text).
    void compact() {
        if (position >= events.size()) {
            events.clear();
            raw_attributes.clear();
            arena.clear();
            decoded_namespaces.clear();
            position = 0;
            return;
        }
        Event kept = events[position];
        std::string text = arena.substr(kept.text_offset, kept.text_size);  // rare: a text split across chunks
        events.clear();
        raw_attributes.clear();
        decoded_namespaces.clear();  // the kept node is text: it has no namespace
        arena = std::move(text);
        kept.text_offset = 0;
        kept.attribute_count = 0;
        kept.first_attribute = 0;
        events.push_back(kept);
        position = 0;
    }

    // Parses one more chunk (or ends the document). Errors of the input
    // propagate; parse errors are recorded in first_error.
    void feed() {
        std::size_t got = input->read(chunk.get(), kChunkSize);
        if (got == 0) input_done = true;
        const int status = xmlParseChunk(context.get(), chunk.get(), static_cast<int>(got), input_done ? 1 : 0);
        // Some failures (bytes the declared encoding cannot convert) halt
        // the parser without reporting through structured_error.
        if (status != XML_ERR_OK && first_error.empty())
            record_error(status == XML_ERR_INVALID_ENCODING ? "bytes that are not valid in the declared encoding"
                                                             : "malformed XML",
                         current_line());
        if (!first_error.empty()) input_done = true;  // the parser has stopped
    }

    // Whether events[position] can be handed out: it exists and, for text,
    // it cannot grow any more.
    bool ready() const {
        if (position >= events.size()) return false;
        return events[position].type != XmlNodeType::text || position + 1 < events.size() || input_done;
    }
};

XmlReader::XmlReader(DecompressingReader& input) : name_(input.name()), impl_(std::make_unique<Impl>()) {
    install_safe_entity_loader();
    impl_->input = &input;
    impl_->events.reserve(4096);
    impl_->arena.reserve(2 * kChunkSize);
    xmlSAXHandler sax;
    std::memset(&sax, 0, sizeof sax);
    sax.initialized = XML_SAX2_MAGIC;
    sax.startElementNs = &Impl::start_element;
    sax.endElementNs = &Impl::end_element;
    sax.characters = &Impl::characters;
    sax.ignorableWhitespace = &Impl::characters;
    sax.cdataBlock = &Impl::characters;
    sax.comment = &Impl::comment;
    sax.processingInstruction = &Impl::processing_instruction;
    sax.internalSubset = &Impl::internal_subset;
    sax.reference = &Impl::reference;
    sax.getEntity = &Impl::get_entity;
    sax.serror = &Impl::structured_error;
    impl_->context.reset(xmlCreatePushParserCtxt(&sax, impl_.get(), nullptr, 0, name_.c_str()));
    if (!impl_->context) throw Error::internal(name_ + ": cannot create an XML parser");
    // No XML_PARSE_NOENT, DTDLOAD, DTDATTR, DTDVALID, XINCLUDE or HUGE.
    xmlCtxtUseOptions(impl_->context.get(),
                      XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES);
}

XmlReader::~XmlReader() = default;

bool XmlReader::next() {
    Impl& impl = *impl_;
    attributes_loaded_ = false;
    if (impl.started) ++impl.position;
    impl.started = true;
    while (!impl.ready() && !(impl.input_done && impl.position >= impl.events.size())) {
        impl.compact();
        if (impl.input_done) break;
        impl.feed();
    }
    if (impl.position >= impl.events.size()) {
        type_ = XmlNodeType::other;
        if (!impl.first_error.empty()) fail_parse();
        return false;
    }
    Event& event = impl.events[impl.position];
    if (event.type == XmlNodeType::text &&
        is_blank(std::string_view(impl.arena.data() + event.text_offset, event.text_size)))
        event.type = XmlNodeType::whitespace;
    type_ = event.type;
    return true;
}

bool XmlReader::skip_element() {
    if (type_ != XmlNodeType::element || is_empty_element()) return next();
    const int element_depth = depth();
    while (next()) {
        if (type_ == XmlNodeType::end_element && depth() == element_depth) return next();
    }
    return false;
}

void XmlReader::fail_parse() const {
    std::string message = impl_->first_error.empty() ? "malformed XML" : impl_->first_error;
    int line = impl_->first_error_line > 0 ? impl_->first_error_line : impl_->current_line();
    throw Error::invalid_input(name_ + " line " + std::to_string(line) + ": " + message);
}

namespace {
const Event& current(const XmlReader::Impl& impl) {
    static const Event none;
    return impl.position < impl.events.size() ? impl.events[impl.position] : none;
}
}  // namespace

int XmlReader::depth() const { return current(*impl_).depth; }
bool XmlReader::is_empty_element() const { return current(*impl_).empty; }
std::string_view XmlReader::local_name() const { return current(*impl_).local_name; }
std::string_view XmlReader::prefix() const { return current(*impl_).prefix; }
std::string_view XmlReader::namespace_uri() const { return current(*impl_).namespace_uri; }
std::string_view XmlReader::text() const {
    const Event& event = current(*impl_);
    if (event.type != XmlNodeType::text && event.type != XmlNodeType::whitespace) return {};
    return std::string_view(impl_->arena.data() + event.text_offset, event.text_size);
}
int XmlReader::line() const {
    int line = current(*impl_).line;
    return line > 0 ? line : impl_->current_line();
}

void XmlReader::fail(const std::string& message) const {
    throw Error::invalid_input(name_ + " line " + std::to_string(line()) + ": " + message);
}

const std::vector<XmlAttribute>& XmlReader::attributes() {
    if (attributes_loaded_) return attributes_;
    attributes_loaded_ = true;
    attributes_.clear();
    const Event& event = current(*impl_);
    if (event.type != XmlNodeType::element) return attributes_;
    for (std::uint32_t i = 0; i < event.attribute_count; ++i) {
        const RawAttribute& raw = impl_->raw_attributes[event.first_attribute + i];
        attributes_.push_back({raw.local_name, raw.prefix, raw.namespace_uri,
                               std::string_view(impl_->arena.data() + raw.value_offset, raw.value_size)});
    }
    return attributes_;
}

const std::string_view* XmlReader::find_attribute(std::string_view local_name) {
    for (const XmlAttribute& attribute : attributes()) {
        if (attribute.local_name != local_name) continue;
        if (attribute.namespace_uri.empty() || attribute.namespace_uri == kXmlNamespace) return &attribute.value;
    }
    return nullptr;
}

std::int64_t declared_package_count(XmlReader& reader) {
    const std::string_view* declared = reader.find_attribute("packages");
    if (!declared) return -1;
    auto count = parse_unsigned(*declared);
    if (!count) reader.fail("packages=\"" + std::string(declared->substr(0, 100)) + "\" is not a number");
    return static_cast<std::int64_t>(*count);
}

void read_list_document(XmlReader& reader, const XmlListDocument& document, const std::function<void()>& on_root,
                        const std::function<void()>& on_entry) {
    bool seen_root = false;
    bool more = reader.next();
    while (more) {
        if (reader.type() != XmlNodeType::element) {
            more = reader.next();
        } else if (reader.depth() == 0) {
            if (reader.local_name() != document.root_name)
                reader.fail("expected <" + std::string(document.root_name) + "> as the root of " +
                            std::string(document.file_kind) + ", found <" + std::string(reader.local_name()) + ">");
            seen_root = true;
            on_root();
            more = reader.next();
        } else if (reader.depth() == 1 && reader.local_name() == document.entry_name) {
            on_entry();
            more = reader.next();
        } else {
            more = reader.skip_element();
        }
    }
    if (!seen_root)
        throw Error::invalid_input(reader.name() + ": empty document, no <" + std::string(document.root_name) +
                                   "> element");
}

}  // namespace chantal::metadata

