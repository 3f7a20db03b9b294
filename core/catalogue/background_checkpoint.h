// Takes the WAL checkpoint of a large write off the writer's path.
//
// A commit that leaves the -wal file above SQLite's autocheckpoint size
// (PRAGMA wal_autocheckpoint, 1000 pages by default) copies every frame
// into the database file and fsyncs both files before the commit returns:
// after cataloguing a 100k-package repository that is about 900 MB, two
// seconds in which a sync could already be downloading. While a BackgroundCheckpoint lives, `database` does not
// checkpoint on commit; start() runs one PASSIVE checkpoint on a connection
// of its own, on a thread of its own, while the caller goes on writing
// (WAL lets one checkpointer and one writer work at once; frames committed
// after the checkpoint began wait for the next one). The destructor waits
// for the checkpoint and turns autocheckpoint back on, so the next commit
// checkpoints whatever is left.
//
// A checkpoint that cannot run (another connection is checkpointing, a read
// transaction still needs the frames) or fails (a full file system) loses
// nothing: the frames stay in the -wal file, which readers read, and a later
// checkpoint copies them. wait() tells what happened, for a warning.
//
// Thread safety: the object belongs to the thread that owns `database`; the
// checkpoint thread touches only its own connection. `database` must outlive
// the object.
#pragma once

#include <optional>
#include <string>
#include <thread>

#include "core/catalogue/sqlite.h"

namespace chantal {

class BackgroundCheckpoint {
public:
    explicit BackgroundCheckpoint(Database& database);
    BackgroundCheckpoint(const BackgroundCheckpoint&) = delete;
    BackgroundCheckpoint& operator=(const BackgroundCheckpoint&) = delete;
    ~BackgroundCheckpoint();

    // Starts the checkpoint of every frame committed so far. At most once.
    void start();
    // Waits for the checkpoint (when started); the error that stopped it,
    // nullopt when it ran or was not needed. Also done by the destructor.
    std::optional<std::string> wait();

private:
    Database& database_;
    int previous_autocheckpoint_pages_;
    std::thread thread_;
    std::optional<std::string> error_;  // written by the thread, read after join
};

}  // namespace chantal
