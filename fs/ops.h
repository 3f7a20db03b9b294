// The FUSE low-level operations of chantalfs, one file per family:
//   ops_init.cpp      init (capabilities), destroy
//   ops_lookup.cpp    lookup, forget, forget_multi, getattr
//   ops_statfs.cpp    statfs (the pool's disk, the catalogue's file count)
//   ops_dir.cpp       opendir, readdir, readdirplus, releasedir
//   ops_file.cpp      open, read, release
//   ops_readonly.cpp  every write op (EROFS), xattr and flush (ENOSYS)
#pragma once

#include "fs/fuse_api.h"

namespace chantal::fs {

fuse_lowlevel_ops make_operations();

void op_init(void* userdata, fuse_conn_info* conn);
void op_lookup(fuse_req_t req, fuse_ino_t parent, const char* name);
void op_forget(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup);
void op_forget_multi(fuse_req_t req, size_t count, fuse_forget_data* forgets);
void op_getattr(fuse_req_t req, fuse_ino_t ino, fuse_file_info* fi);
void op_statfs(fuse_req_t req, fuse_ino_t ino);
void op_opendir(fuse_req_t req, fuse_ino_t ino, fuse_file_info* fi);
void op_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, fuse_file_info* fi);
void op_readdirplus(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, fuse_file_info* fi);
void op_releasedir(fuse_req_t req, fuse_ino_t ino, fuse_file_info* fi);
void op_open(fuse_req_t req, fuse_ino_t ino, fuse_file_info* fi);
void op_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, fuse_file_info* fi);
void op_release(fuse_req_t req, fuse_ino_t ino, fuse_file_info* fi);
void set_readonly_operations(fuse_lowlevel_ops& ops);

}  // namespace chantal::fs
