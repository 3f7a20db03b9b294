// RAII over the SQLite C API: one owner per sqlite3* (Database) and per
// sqlite3_stmt* (Statement), and a Transaction that rolls back unless
// committed. Every failure throws chantal::Error naming the database file.
//
// Storage failures read as what they are: a write that finds its file system
// full (SQLITE_FULL, or any code whose errno is ENOSPC/EDQUOT) throws
// "catalogue FILE: no space left on the file system mounted at MOUNT", and
// SQLITE_IOERR_* throws "catalogue FILE: I/O error while ... on the file
// system mounted at MOUNT (strerror)" (system_errno() ENOSPC/EDQUOT and EIO);
// the statement and SQLite's own words go to Error::detail(), never into the
// message (describe_sqlite_failure). Other codes keep their messages.
// SQLite reports SQLITE_FULL for its temporary files too (SQLITE_TMPDIR,
// /var/tmp); Chantal's statements rarely spill there, so the message names
// the catalogue's file system.
//
// Thread safety: a Database and its Statements belong to one thread at a time
// (SQLite's multi-thread mode). Open one Database per thread.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/base/error.h"

namespace chantal {

class Database;

// The Error Database::fail throws for a failed SQLite call: `result` is the
// extended result code, `system_errno` sqlite3_system_errno() (0 if none),
// `what` the operation (it may quote SQL: it goes to the detail of storage
// errors only) and `sqlite_message` sqlite3_errmsg().
Error describe_sqlite_failure(const std::filesystem::path& file, int result, int system_errno, const std::string& what,
                              const std::string& sqlite_message);

class Statement {
public:
    Statement(Database& database, std::string_view sql);
    Statement(Statement&&) noexcept = default;
    Statement& operator=(Statement&&) noexcept = default;

    // Binding is 1-based, as in SQLite. Text and blobs are copied (SQLITE_TRANSIENT).
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, std::uint64_t value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
    Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
    Statement& bind_blob(int index, std::string_view bytes);
    // Binds without copying (SQLITE_STATIC): `bytes` must stay valid and
    // unchanged until the statement is reset (run() and reset() do), so bulk
    // loads do not copy every large element once more.
    Statement& bind_blob_borrowed(int index, std::string_view bytes);
    Statement& bind_null(int index);
    template <typename T>
    Statement& bind(int index, const std::optional<T>& value) {
        return value ? bind(index, *value) : bind_null(index);
    }

    // Advances; true when a row is available.
    bool step();
    // Steps to completion (for INSERT/UPDATE/DELETE), then resets for reuse.
    void run();
    // Clears bindings and rewinds, keeping the compiled statement.
    void reset();

    std::int64_t column_int64(int index) const;
    int column_int(int index) const { return static_cast<int>(column_int64(index)); }
    double column_double(int index) const;
    std::string column_text(int index) const;        // "" for NULL
    std::string_view column_text_view(int index) const;  // valid until the next step/reset
    bool column_is_null(int index) const;
    std::optional<std::int64_t> column_optional_int64(int index) const;
    std::optional<std::string> column_optional_text(int index) const;

    sqlite3_stmt* handle() const noexcept { return statement_.get(); }

private:
    struct Finalizer {
        void operator()(sqlite3_stmt* statement) const noexcept { sqlite3_finalize(statement); }
    };
    void check(int result, const char* what);
    Database* database_;
    std::unique_ptr<sqlite3_stmt, Finalizer> statement_;
};

class Database {
public:
    enum class Access { read_write_create, read_write, read_only };
    // Bytes per page of a new catalogue: a package row with its three XML
    // elements (~8 KB) fits in one page instead of a chain of 4 KiB
    // overflow pages, so a catalogue load writes and checkpoints fewer,
    // fuller pages.
    static constexpr int kPageSize = 32768;

    // Bytes of -wal file a read-write connection keeps after a checkpoint
    // (PRAGMA journal_size_limit): the WAL does not stay at the size of the
    // largest transaction.
    static constexpr std::int64_t kWalSizeLimit = 32 * 1024 * 1024;

    // Opens (and for read_write_create creates) the file; sets WAL, foreign
    // keys, a busy timeout (milliseconds) and synchronous=NORMAL. A file
    // created here gets kPageSize pages (an existing file keeps its own).
    //
    // Read-write connections keep the -wal and -shm files when they close
    // (SQLITE_FCNTL_PERSIST_WAL; the -wal is emptied, kWalSizeLimit applies
    // while open). A reader then never has to allocate a new -shm file, so
    // the catalogue can still be read (repo history, the FUSE tree) when its
    // file system is full.
    Database(const std::filesystem::path& file, Access access, int busy_timeout_ms = 10000);
    Database(Database&&) noexcept = default;
    Database& operator=(Database&&) noexcept = default;

    // Runs one or more statements without results.
    void execute(std::string_view sql);
    Statement prepare(std::string_view sql) { return Statement(*this, sql); }
    std::int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(handle()); }
    int changes() const { return sqlite3_changes(handle()); }
    // Single integer query helper ("SELECT count(*) ...").
    std::int64_t query_int64(std::string_view sql);
    // PRAGMA data_version: changes when another connection has committed a
    // change to the file since this connection last read it.
    std::int64_t data_version() { return query_int64("PRAGMA data_version"); }

    sqlite3* handle() const noexcept { return connection_.get(); }
    const std::filesystem::path& file() const noexcept { return file_; }
    // Throws Error for a non-OK SQLite result code, naming the file.
    [[noreturn]] void fail(int result, const std::string& what) const;

private:
    struct Closer {
        void operator()(sqlite3* connection) const noexcept { sqlite3_close_v2(connection); }
    };
    std::filesystem::path file_;
    std::unique_ptr<sqlite3, Closer> connection_;
};

// BEGIN IMMEDIATE on construction (takes the write lock up front, waiting up
// to the busy timeout); ROLLBACK on destruction unless commit() was called.
class Transaction {
public:
    explicit Transaction(Database& database);
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction();
    void commit();

private:
    Database& database_;
    bool open_ = true;
};

// BEGIN (deferred) on construction, ended on destruction: every read in the
// scope sees one catalogue state, and writers are never blocked (WAL). A
// read transaction changes nothing, so ending it with ROLLBACK cannot fail.
class ReadTransaction {
public:
    explicit ReadTransaction(Database& database);
    ReadTransaction(const ReadTransaction&) = delete;
    ReadTransaction& operator=(const ReadTransaction&) = delete;
    ~ReadTransaction();

private:
    Database& database_;
};

}  // namespace chantal
