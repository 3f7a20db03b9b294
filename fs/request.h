// Running a FUSE handler: the Context from userdata, a catalogue connection
// for the request, and the one try/catch that turns errors into errno
// replies (mapping in errno_map.h). A catalogue that stays locked past the
// connection's busy timeout is retried twice more before EAGAIN.
#pragma once

#include <chrono>
#include <exception>
#include <thread>

#include "core/error.h"
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
    for (int attempt = 1;; ++attempt) {
        try {
            auto lease = context.connections.acquire();
            body(context, lease.db());
            return;
        } catch (const Error& error) {
            if (error.kind() == ErrorKind::busy && attempt < 3) {
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
                continue;
            }
            log_line(std::string(operation) + ": " + error.what());
            fuse_reply_err(req, errno_for(error));
            return;
        } catch (const std::exception& error) {
            log_line(std::string(operation) + ": " + error.what());
            fuse_reply_err(req, errno_for(error));
            return;
        }
    }
}

}  // namespace chantal::fs
