#include "fs/node.h"

namespace chantal::fs {

std::string Node::key() const {
    // Inside a snapshot the tree's version stands for the bytes of every path
    // (so a listing can number files without reading their content rows).
    if (kind == NodeKind::tree_file) return "f:" + path + "\n" + (immutable ? tree_version : file.sha256);
    if (kind == NodeKind::tree_dir) return "d:" + path + "\n" + tree_version;
    return "d:" + path;
}

}  // namespace chantal::fs
