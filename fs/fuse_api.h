// The one include of libfuse for chantalfs: pins the API version.
#pragma once

#define FUSE_USE_VERSION 312
#include <fuse_lowlevel.h>
