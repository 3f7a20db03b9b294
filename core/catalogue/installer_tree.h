// An installer tree: the upstream files that boot an installer from a
// repository (RPM: .treeinfo and the kernel, initrd and images it lists),
// kept in a repository's membership as index-file rows (role 'metadata')
// at their upstream paths. Which rows belong to it is their metadata_type:
//
//   kInstallerTreeType: shown by every tree of the repository — its mirror
//     tree, and its generated trees and views too, because the tree's own
//     description (.treeinfo) is true of a generated tree's layout;
//   kInstallerTreeMirrorOnlyType: shown by the mirror tree only: upstream's
//     description names another layout than a generated tree has, so a
//     generated tree and a view leave the installer tree out.
//
// A view serves the installer tree of its first member (in view order) that
// has one, whole: files of two members' trees are never mixed.
//
// Header-only constants and a predicate; thread-safe.
#pragma once

#include <string_view>

namespace chantal {

inline constexpr std::string_view kInstallerTreeType = "installer_tree";
inline constexpr std::string_view kInstallerTreeMirrorOnlyType = "installer_tree_mirror_only";

inline bool is_installer_tree_type(std::string_view metadata_type) {
    return metadata_type == kInstallerTreeType || metadata_type == kInstallerTreeMirrorOnlyType;
}

}  // namespace chantal
