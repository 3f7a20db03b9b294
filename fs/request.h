// Running a FUSE handler: the Context from userdata, a catalogue connection
// for the request, and the one try/catch that turns errors into errno
// replies (mapping in errno_map.h). A locked catalogue is waited for inside
// SQLite (fs/catalogue_connection.h), so nothing here retries: a catalogue
// still locked after -o catalogue_wait arrives as Error::busy and is EIO.
#pragma once

#include <cstring>
#include <exception>
#include <string>

#include "core/base/error.h"
#include "fs/context.h"
#include "fs/errno_map.h"
#include "fs/fuse_api.h"
#include "fs/log.h"

namespace chantal::fs {

inline Context& context_of(fuse_req_t req) { return *static_cast<Context*>(fuse_req_userdata(req)); }

// body(Context&, Database&) must reply to req exactly once, or throw before
// replying.
template <typename Body>
void run_request(fuse_req_t req, const char* operation, Body&& body) noexcept {
    Context& context = context_of(req);
    try {
        auto lease = context.connections.acquire();
        body(context, lease.db());
    } catch (const std::exception& error) {
        const int reply = errno_for(error);
        try {
            const char* name = strerrorname_np(reply);
            log_line(std::string(operation) + ": " + error.what() + " (" + (name ? name : "errno") + ")");
        } catch (...) {  // no memory for the line: the reply still goes out
        }
        fuse_reply_err(req, reply);
    }
}

}  // namespace chantal::fs
