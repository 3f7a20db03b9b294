#include "fs/node.h"

namespace chantal::fs {

std::string Node::key() const {
    if (kind == NodeKind::tree_file) return "f:" + path + "\n" + file.sha256;
    if (immutable) return "d:" + path + "\n" + tree_version;
    return "d:" + path;
}

}  // namespace chantal::fs
