#include "fs/node.h"

#include <string>

namespace chantal::fs {

std::string Node::key() const {
    // Inside a snapshot the tree's version stands for the bytes of every path
    // (so a listing can number files without reading their content rows).
    if (kind == NodeKind::tree_file) {
        if (immutable) return "f:" + path + "\n" + tree_version;
        return "f:" + path + "\n" + (content_id != 0 ? "#" + std::to_string(content_id) : file.sha256);
    }
    if (kind == NodeKind::tree_dir) return "d:" + path + "\n" + tree_version;
    return "d:" + path;
}

}  // namespace chantal::fs
