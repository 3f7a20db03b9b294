#include "core/catalogue/sqlite.h"

#include <cstring>

#include "core/base/error.h"
#include "core/base/file_util.h"

namespace chantal {
namespace {

// What an SQLITE_IOERR_* code was doing, as words for the message ("" if unknown).
const char* io_operation(int extended_result) {
    switch (extended_result) {
        case SQLITE_IOERR_READ:
        case SQLITE_IOERR_SHORT_READ: return " while reading";
        case SQLITE_IOERR_WRITE: return " while writing";
        case SQLITE_IOERR_FSYNC:
        case SQLITE_IOERR_DIR_FSYNC: return " while flushing to disk";
        case SQLITE_IOERR_TRUNCATE: return " while resizing a file";
        case SQLITE_IOERR_FSTAT: return " while examining a file";
        case SQLITE_IOERR_LOCK:
        case SQLITE_IOERR_RDLOCK:
        case SQLITE_IOERR_UNLOCK:
        case SQLITE_IOERR_CHECKRESERVEDLOCK: return " while locking";
        case SQLITE_IOERR_DELETE:
        case SQLITE_IOERR_DELETE_NOENT: return " while deleting a file";
        case SQLITE_IOERR_ACCESS: return " while checking a file";
        case SQLITE_IOERR_SHMOPEN:
        case SQLITE_IOERR_SHMSIZE:
        case SQLITE_IOERR_SHMLOCK:
        case SQLITE_IOERR_SHMMAP: return " in the shared-memory (-shm) file";
        case SQLITE_IOERR_MMAP: return " while mapping the file";
        default: return "";
    }
}

}  // namespace

Error describe_sqlite_failure(const std::filesystem::path& file, int result, int system_errno, const std::string& what,
                              const std::string& sqlite_message) {
    const std::string prefix = "catalogue " + file.string() + ": ";
    const int primary = result & 0xff;
    const bool no_space = primary == SQLITE_FULL || system_errno == ENOSPC || system_errno == EDQUOT;
    if (no_space || primary == SQLITE_IOERR) {
        std::string detail = what + ": " + sqlite_message + " (SQLite result code " + std::to_string(result);
        if (system_errno != 0) detail += ", errno " + std::to_string(system_errno);
        detail += ")";
        const std::string mount = mount_point_of(file.parent_path()).string();
        if (no_space) {
            const int err = system_errno == EDQUOT ? EDQUOT : ENOSPC;
            const char* what_ran_out = err == EDQUOT ? "disk quota exceeded" : "no space left";
            return Error(ErrorKind::io, prefix + what_ran_out + " on the file system mounted at " + mount, err,
                         std::move(detail));
        }
        std::string message = prefix + "I/O error" + io_operation(result) + " on the file system mounted at " + mount;
        if (system_errno != 0) message += std::string(" (") + std::strerror(system_errno) + ")";
        // EIO whatever errno SQLite saw: an ENOENT or EACCES from inside
        // SQLite must not read as "no such file" at the FUSE edge.
        return Error(ErrorKind::io, message, EIO, std::move(detail));
    }
    const std::string message = prefix + what + ": " + sqlite_message;
    switch (primary) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED: return Error::busy(message + " (another chantal process holds the lock)");
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB: return Error::corrupt(message);
        case SQLITE_CONSTRAINT: return Error::conflict(message);
        case SQLITE_CANTOPEN:
        case SQLITE_READONLY: return Error(ErrorKind::io, message, EIO);
        default: return Error::internal(message);
    }
}

Database::Database(const std::filesystem::path& file, Access access, int busy_timeout_ms) : file_(file) {
    int flags = SQLITE_OPEN_NOMUTEX;
    switch (access) {
        case Access::read_write_create: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE; break;
        case Access::read_write: flags |= SQLITE_OPEN_READWRITE; break;
        case Access::read_only: flags |= SQLITE_OPEN_READONLY; break;
    }
    sqlite3* raw = nullptr;
    int result = sqlite3_open_v2(file.c_str(), &raw, flags, nullptr);
    connection_.reset(raw);
    if (result != SQLITE_OK) {
        if (result == SQLITE_CANTOPEN)
            throw Error(access == Access::read_write_create ? ErrorKind::io : ErrorKind::not_found,
                        "cannot open catalogue " + file.string() +
                            (access == Access::read_write_create ? "" : " (run 'chantal init' first?)"));
        fail(result, "cannot open catalogue");
    }
    sqlite3_extended_result_codes(raw, 1);
    sqlite3_busy_timeout(raw, busy_timeout_ms);
    execute("PRAGMA foreign_keys = ON");
    if (access == Access::read_write_create) {
        // Only takes effect while the file is still empty (before WAL mode
        // and the first table exist); a no-op on an existing catalogue.
        execute("PRAGMA page_size = " + std::to_string(kPageSize));
    }
    if (access != Access::read_only) {
        execute("PRAGMA journal_mode = WAL");
        execute("PRAGMA synchronous = NORMAL");
        execute("PRAGMA journal_size_limit = " + std::to_string(kWalSizeLimit));
        int persist_wal = 1;
        sqlite3_file_control(raw, "main", SQLITE_FCNTL_PERSIST_WAL, &persist_wal);
    }
}

void Database::fail(int result, const std::string& what) const {
    const std::string sqlite_message = connection_ ? sqlite3_errmsg(handle()) : sqlite3_errstr(result);
    // SQLite records errno only for these codes; for others it is stale.
    const int primary = result & 0xff;
    const int system_errno =
        connection_ && (primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN) ? sqlite3_system_errno(handle()) : 0;
    throw describe_sqlite_failure(file_, result, system_errno, what, sqlite_message);
}

void Database::execute(std::string_view sql) {
    std::string text(sql);
    char* error_message = nullptr;
    int result = sqlite3_exec(handle(), text.c_str(), nullptr, nullptr, &error_message);
    if (error_message) sqlite3_free(error_message);
    if (result != SQLITE_OK) fail(result, "cannot execute '" + text.substr(0, 60) + "'");
}

std::int64_t Database::query_int64(std::string_view sql) {
    Statement statement(*this, sql);
    if (!statement.step()) return 0;
    return statement.column_int64(0);
}

Statement::Statement(Database& database, std::string_view sql) : database_(&database) {
    sqlite3_stmt* raw = nullptr;
    int result = sqlite3_prepare_v3(database.handle(), sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
    statement_.reset(raw);
    if (result != SQLITE_OK) database.fail(result, "cannot prepare '" + std::string(sql.substr(0, 80)) + "'");
}

void Statement::check(int result, const char* what) {
    if (result != SQLITE_OK) database_->fail(result, what);
}

Statement& Statement::bind(int index, std::int64_t value) {
    check(sqlite3_bind_int64(handle(), index, value), "cannot bind integer");
    return *this;
}
Statement& Statement::bind(int index, double value) {
    check(sqlite3_bind_double(handle(), index, value), "cannot bind real");
    return *this;
}
Statement& Statement::bind(int index, std::string_view text) {
    check(sqlite3_bind_text64(handle(), index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
          "cannot bind text");
    return *this;
}
Statement& Statement::bind_blob(int index, std::string_view bytes) {
    check(sqlite3_bind_blob64(handle(), index, bytes.data(), bytes.size(), SQLITE_TRANSIENT), "cannot bind blob");
    return *this;
}
Statement& Statement::bind_blob_borrowed(int index, std::string_view bytes) {
    check(sqlite3_bind_blob64(handle(), index, bytes.data(), bytes.size(), SQLITE_STATIC), "cannot bind blob");
    return *this;
}
Statement& Statement::bind_null(int index) {
    check(sqlite3_bind_null(handle(), index), "cannot bind null");
    return *this;
}

bool Statement::step() {
    int result = sqlite3_step(handle());
    if (result == SQLITE_ROW) return true;
    if (result == SQLITE_DONE) return false;
    std::string sql = sqlite3_sql(handle()) ? sqlite3_sql(handle()) : "";
    sqlite3_reset(handle());
    database_->fail(result, "'" + sql.substr(0, 80) + "' failed");
}

void Statement::run() {
    while (step()) {
    }
    reset();
}

void Statement::reset() {
    sqlite3_reset(handle());
    sqlite3_clear_bindings(handle());
}

std::int64_t Statement::column_int64(int index) const { return sqlite3_column_int64(handle(), index); }
double Statement::column_double(int index) const { return sqlite3_column_double(handle(), index); }
std::string Statement::column_text(int index) const { return std::string(column_text_view(index)); }
std::string_view Statement::column_text_view(int index) const {
    const auto* text = static_cast<const char*>(sqlite3_column_blob(handle(), index));
    if (!text) return {};
    return {text, static_cast<std::size_t>(sqlite3_column_bytes(handle(), index))};
}
bool Statement::column_is_null(int index) const { return sqlite3_column_type(handle(), index) == SQLITE_NULL; }
std::optional<std::int64_t> Statement::column_optional_int64(int index) const {
    if (column_is_null(index)) return std::nullopt;
    return column_int64(index);
}
std::optional<std::string> Statement::column_optional_text(int index) const {
    if (column_is_null(index)) return std::nullopt;
    return column_text(index);
}

Transaction::Transaction(Database& database) : database_(database) { database_.execute("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
    if (open_) sqlite3_exec(database_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
    database_.execute("COMMIT");
    open_ = false;
}

ReadTransaction::ReadTransaction(Database& database) : database_(database) { database_.execute("BEGIN"); }

ReadTransaction::~ReadTransaction() { sqlite3_exec(database_.handle(), "ROLLBACK", nullptr, nullptr, nullptr); }

}  // namespace chantal
