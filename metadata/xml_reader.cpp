#include "metadata/xml_reader.h"

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>

#include <cstring>
#include <exception>
#include <mutex>

#include "core/error.h"

namespace chantal::metadata {

namespace {

constexpr std::string_view kXmlNamespace = "http://www.w3.org/XML/1998/namespace";

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

struct ReaderDeleter {
    void operator()(xmlTextReader* reader) const noexcept { xmlFreeTextReader(reader); }
};

}  // namespace

struct XmlReader::Impl {
    std::unique_ptr<xmlTextReader, ReaderDeleter> reader;
    DecompressingReader* input = nullptr;
    std::exception_ptr input_error;  // thrown by input, carried across libxml2's C frames
    std::string first_error;
    int first_error_line = 0;

    static int read_callback(void* context, char* buffer, int length) {
        auto* self = static_cast<Impl*>(context);
        try {
            return static_cast<int>(self->input->read(buffer, static_cast<std::size_t>(length)));
        } catch (...) {
            self->input_error = std::current_exception();
            return -1;
        }
    }
    static int close_callback(void*) { return 0; }

    static void error_callback(void* context, xmlErrorPtr error) {
        auto* self = static_cast<Impl*>(context);
        if (error == nullptr || error->level < XML_ERR_ERROR || !self->first_error.empty()) return;
        std::string message = error->message ? error->message : "XML error";
        while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
        self->first_error = message;
        self->first_error_line = error->line;
    }
};

XmlReader::XmlReader(DecompressingReader& input) : name_(input.name()), impl_(std::make_unique<Impl>()) {
    install_safe_entity_loader();
    impl_->input = &input;
    // No XML_PARSE_NOENT, DTDLOAD, DTDATTR, DTDVALID, XINCLUDE or HUGE.
    int options = XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_COMPACT | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES;
    impl_->reader.reset(xmlReaderForIO(&Impl::read_callback, &Impl::close_callback, impl_.get(), nullptr,
                                       nullptr, options));
    if (!impl_->reader) throw Error::internal(name_ + ": cannot create an XML reader");
    xmlTextReaderSetStructuredErrorHandler(impl_->reader.get(), &Impl::error_callback, impl_.get());
}

XmlReader::~XmlReader() = default;

bool XmlReader::next() { return arrive(xmlTextReaderRead(impl_->reader.get())); }

bool XmlReader::skip_element() { return arrive(xmlTextReaderNext(impl_->reader.get())); }

bool XmlReader::arrive(int read_result) {
    attributes_loaded_ = false;
    type_ = XmlNodeType::other;
    if (read_result < 0 || !impl_->first_error.empty()) check_after_failed_read();
    if (read_result == 0) return false;
    switch (xmlTextReaderNodeType(impl_->reader.get())) {
        case XML_READER_TYPE_ELEMENT: type_ = XmlNodeType::element; break;
        case XML_READER_TYPE_END_ELEMENT: type_ = XmlNodeType::end_element; break;
        case XML_READER_TYPE_TEXT:
        case XML_READER_TYPE_CDATA: type_ = XmlNodeType::text; break;
        case XML_READER_TYPE_WHITESPACE:
        case XML_READER_TYPE_SIGNIFICANT_WHITESPACE: type_ = XmlNodeType::whitespace; break;
        case XML_READER_TYPE_DOCUMENT_TYPE:
            fail("DOCTYPE declarations are not allowed in repository metadata");
        case XML_READER_TYPE_ENTITY_REFERENCE:
        case XML_READER_TYPE_ENTITY:
            fail("entity references are not allowed in repository metadata");
        default: break;
    }
    return true;
}

void XmlReader::check_after_failed_read() {
    if (impl_->input_error) std::rethrow_exception(impl_->input_error);
    std::string message = impl_->first_error.empty() ? "malformed XML" : impl_->first_error;
    int line = impl_->first_error_line > 0 ? impl_->first_error_line : this->line();
    throw Error::invalid_input(name_ + " line " + std::to_string(line) + ": " + message);
}

int XmlReader::depth() const { return xmlTextReaderDepth(impl_->reader.get()); }
bool XmlReader::is_empty_element() const { return xmlTextReaderIsEmptyElement(impl_->reader.get()) == 1; }
std::string_view XmlReader::local_name() const { return view_of(xmlTextReaderConstLocalName(impl_->reader.get())); }
std::string_view XmlReader::prefix() const { return view_of(xmlTextReaderConstPrefix(impl_->reader.get())); }
std::string_view XmlReader::namespace_uri() const {
    return view_of(xmlTextReaderConstNamespaceUri(impl_->reader.get()));
}
std::string_view XmlReader::text() const { return view_of(xmlTextReaderConstValue(impl_->reader.get())); }
int XmlReader::line() const {
    // The node's own line (the parser reads ahead); text nodes may not have one.
    xmlNodePtr node = xmlTextReaderCurrentNode(impl_->reader.get());
    long line = node != nullptr ? xmlGetLineNo(node) : -1;
    return line > 0 ? static_cast<int>(line) : xmlTextReaderGetParserLineNumber(impl_->reader.get());
}

void XmlReader::fail(const std::string& message) const {
    throw Error::invalid_input(name_ + " line " + std::to_string(line()) + ": " + message);
}

const std::vector<XmlAttribute>& XmlReader::attributes() {
    if (attributes_loaded_) return attributes_;
    attributes_loaded_ = true;
    attributes_.clear();
    xmlTextReader* reader = impl_->reader.get();
    int count = type_ == XmlNodeType::element ? xmlTextReaderAttributeCount(reader) : 0;
    if (count <= 0) return attributes_;
    if (attribute_values_.size() < static_cast<std::size_t>(count)) attribute_values_.resize(count);
    // Copy the values first (libxml2 may build them in a shared buffer),
    // then point the views at the copies.
    std::size_t index = 0;
    while (xmlTextReaderMoveToNextAttribute(reader) == 1) {
        if (xmlTextReaderIsNamespaceDecl(reader) == 1) continue;
        if (index == attribute_values_.size()) attribute_values_.emplace_back();
        attribute_values_[index].assign(view_of(xmlTextReaderConstValue(reader)));
        attributes_.push_back({view_of(xmlTextReaderConstLocalName(reader)), view_of(xmlTextReaderConstPrefix(reader)),
                               view_of(xmlTextReaderConstNamespaceUri(reader)), {}});
        ++index;
    }
    xmlTextReaderMoveToElement(reader);
    for (std::size_t i = 0; i < attributes_.size(); ++i) attributes_[i].value = attribute_values_[i];
    return attributes_;
}

const std::string_view* XmlReader::find_attribute(std::string_view local_name) {
    for (const XmlAttribute& attribute : attributes()) {
        if (attribute.local_name != local_name) continue;
        if (attribute.namespace_uri.empty() || attribute.namespace_uri == kXmlNamespace) return &attribute.value;
    }
    return nullptr;
}

}  // namespace chantal::metadata
