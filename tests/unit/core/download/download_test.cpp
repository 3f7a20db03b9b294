// Download engine tests against tests/support/fault_http_server.py, started
// as a child process on 127.0.0.1 for each test and killed in teardown.
#include "core/download/download.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/base/file_util.h"
#include "core/base/hash.h"
#include "core/base/url.h"
#include "support/temp_dir.h"

using namespace chantal;
using chantal::test_support::TempDir;
using chantal::test_support::write_text;
namespace fs = std::filesystem;

namespace {

// Runs the fault server for the lifetime of the object; the destructor kills
// it (SIGKILL + waitpid), and PR_SET_PDEATHSIG kills it if the test crashes.
class FaultServer {
public:
    explicit FaultServer(const fs::path& root, std::vector<std::string> extra_args = {}) {
        std::string script = std::string(CHANTAL_SOURCE_DIR) + "/tests/support/fault_http_server.py";
        std::vector<std::string> args = {"python3", script, "--root", root.string(), "--stall-seconds", "20"};
        args.insert(args.end(), extra_args.begin(), extra_args.end());
        std::vector<char*> argv;
        for (std::string& arg : args) argv.push_back(arg.data());
        argv.push_back(nullptr);
        int pipe_fds[2];
        if (::pipe2(pipe_fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
        pid_ = ::fork();
        if (pid_ < 0) throw std::runtime_error("fork failed");
        if (pid_ == 0) {
            ::prctl(PR_SET_PDEATHSIG, SIGKILL);
            ::dup2(pipe_fds[1], STDOUT_FILENO);
            ::execvp(argv[0], argv.data());
            ::_exit(127);
        }
        ::close(pipe_fds[1]);
        UniqueFdish read_end(pipe_fds[0]);
        std::string line;
        pollfd waiting{pipe_fds[0], POLLIN, 0};
        while (line.find('\n') == std::string::npos) {
            if (::poll(&waiting, 1, 10000) <= 0) break;
            char buffer[64];
            ssize_t got = ::read(pipe_fds[0], buffer, sizeof buffer);
            if (got <= 0) break;
            line.append(buffer, static_cast<std::size_t>(got));
        }
        port_ = std::atoi(line.c_str());
        if (port_ <= 0) {
            stop();
            throw std::runtime_error("fault server did not start");
        }
    }
    ~FaultServer() { stop(); }
    FaultServer(const FaultServer&) = delete;
    FaultServer& operator=(const FaultServer&) = delete;

    std::string url(const std::string& escaped_path) const {
        return "http://127.0.0.1:" + std::to_string(port_) + escaped_path;
    }
    int port() const { return port_; }

    // The server's counters for one (decoded) path; null when never requested.
    nlohmann::json stats(const std::string& path) const {
        DownloadOptions options;
        Downloader downloader(options);
        nlohmann::json all = nlohmann::json::parse(downloader.fetch_to_memory(url("/_stats"), 1 << 20));
        return all.contains(path) ? all[path] : nlohmann::json();
    }
    int requests(const std::string& path) const {
        nlohmann::json entry = stats(path);
        return entry.is_null() ? 0 : entry["requests"].get<int>();
    }

private:
    struct UniqueFdish {
        explicit UniqueFdish(int fd) : fd(fd) {}
        ~UniqueFdish() { ::close(fd); }
        int fd;
    };
    void stop() {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
            pid_ = -1;
        }
    }
    pid_t pid_ = -1;
    int port_ = 0;
};

std::string random_bytes(std::size_t size, unsigned seed) {
    std::mt19937 engine(seed);
    std::string bytes(size, '\0');
    for (char& c : bytes) c = static_cast<char>(engine() & 0xff);
    return bytes;
}

DownloadOptions fast_options() {
    DownloadOptions options;
    options.parallel = 8;
    options.stall_timeout = std::chrono::seconds(1);
    options.connect_timeout = std::chrono::seconds(5);
    options.retry_attempts = 3;
    options.retry_base_delay = std::chrono::milliseconds(10);
    options.retry_max_delay = std::chrono::milliseconds(100);
    return options;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class DownloadTest : public ::testing::Test {
protected:
    DownloadTest() : server_(upstream_.path()) { fs::create_directories(partials()); }

    fs::path partials() const { return work_.path() / "tmp"; }

    // Writes an upstream file and returns a request for it (sha256 + size).
    DownloadRequest publish(const std::string& name, const std::string& bytes, const std::string& url_prefix = "") {
        write_text(upstream_.path() / name, bytes);
        DownloadRequest request;
        request.url = server_.url(url_prefix + "/" + escape_url_path(name));
        request.destination = partials() / (sha256_hex(name) + ".part");
        request.expected_size = bytes.size();
        request.expected_checksum = ExpectedChecksum{HashAlgorithm::sha256, sha256_hex(bytes)};
        return request;
    }

    DownloadResult fetch_one(const DownloadRequest& request, DownloadOptions options = fast_options()) {
        Downloader downloader(options);
        return std::move(downloader.download({request}).front());
    }

    TempDir upstream_;
    TempDir work_;
    FaultServer server_;
};

}  // namespace

TEST_F(DownloadTest, FetchesFiftyFilesInParallel) {
    std::vector<DownloadRequest> requests;
    std::vector<std::string> contents;
    std::uint64_t total = 0;
    for (unsigned i = 0; i < 50; ++i) {
        contents.push_back(random_bytes(1000 + i * 3001, i));
        total += contents.back().size();
        requests.push_back(publish("pkg-" + std::to_string(i) + ".rpm", contents.back()));
        requests.back().tag = 1000 + i;
    }
    DownloadProgress last;
    int calls = 0;
    Downloader downloader(fast_options());
    auto results = downloader.download(requests, [&](const DownloadProgress& progress) {
        last = progress;
        ++calls;
    });
    ASSERT_EQ(results.size(), 50u);
    for (unsigned i = 0; i < 50; ++i) {
        ASSERT_TRUE(results[i].ok()) << results[i].error->what();
        EXPECT_EQ(results[i].index, i);
        EXPECT_EQ(results[i].tag, 1000 + i);
        EXPECT_EQ(results[i].sha256, sha256_hex(contents[i]));
        EXPECT_EQ(results[i].size, contents[i].size());
        // A loaded machine may reset one connection; the engine then resumes,
        // so no byte is fetched twice even when a second request was needed.
        EXPECT_EQ(results[i].bytes_transferred, contents[i].size());
        EXPECT_GE(results[i].requests, 1u);
        EXPECT_LE(results[i].requests, 2u);
        EXPECT_EQ(results[i].http_status, 200);
        EXPECT_EQ(read_file(requests[i].destination), contents[i]);
    }
    EXPECT_GE(calls, 50);
    EXPECT_EQ(last.files_done, 50u);
    EXPECT_EQ(last.files_total, 50u);
    EXPECT_EQ(last.files_failed, 0u);
    EXPECT_EQ(last.bytes_done, total);
    EXPECT_EQ(last.bytes_total, total);
    EXPECT_EQ(last.bytes_transferred, total);
}

TEST_F(DownloadTest, ThreeEnginesShareABatchWithRetriesAndFailures) {
    DownloadOptions options = fast_options();
    options.parallel = 5;
    options.engines = 3;
    std::vector<DownloadRequest> requests;
    std::vector<std::string> contents;
    for (unsigned i = 0; i < 40; ++i) {
        contents.push_back(random_bytes(500 + i * 2500, 100 + i));
        // Every fifth file needs a retry, every thirteenth is missing.
        const std::string prefix = i % 13 == 12 ? "/fault/404" : i % 5 == 0 ? "/fault/500x1" : "";
        requests.push_back(publish("multi-" + std::to_string(i) + ".rpm", contents.back(), prefix));
        requests.back().tag = i;
    }
    std::atomic<int> inside{0};
    std::atomic<bool> overlapped{false};
    std::set<std::thread::id> reporters;
    DownloadProgress last;
    Downloader downloader(options);
    auto results = downloader.download(requests, [&](const DownloadProgress& progress) {
        if (inside.fetch_add(1) != 0) overlapped = true;
        reporters.insert(std::this_thread::get_id());
        last = progress;
        std::this_thread::sleep_for(std::chrono::microseconds(200));  // widen any overlap
        inside.fetch_sub(1);
    });
    ASSERT_EQ(results.size(), 40u);
    for (unsigned i = 0; i < 40; ++i) {
        EXPECT_EQ(results[i].index, i);
        EXPECT_EQ(results[i].tag, i);
        if (i % 13 == 12) {
            ASSERT_FALSE(results[i].ok());
            EXPECT_EQ(results[i].error->kind(), ErrorKind::not_found);
            continue;
        }
        ASSERT_TRUE(results[i].ok()) << results[i].error->what();
        EXPECT_EQ(results[i].sha256, sha256_hex(contents[i]));
        EXPECT_EQ(read_file(requests[i].destination), contents[i]);
        if (i % 5 == 0) {
            EXPECT_EQ(results[i].requests, 2u);
        }
    }
    EXPECT_FALSE(overlapped) << "the progress callback ran twice at once";
    // Each engine reports its own finished files: the helpers' threads too.
    EXPECT_GE(reporters.size(), 2u);
    EXPECT_EQ(last.files_done, 40u);
    EXPECT_EQ(last.files_failed, 3u);
    EXPECT_EQ(last.files_total, 40u);
}

TEST_F(DownloadTest, AProgressCallbackThatThrowsStopsEveryEngine) {
    DownloadOptions options = fast_options();
    options.engines = 2;
    std::vector<DownloadRequest> requests;
    for (int i = 0; i < 6; ++i)
        requests.push_back(publish("stop-" + std::to_string(i), random_bytes(50000, 40 + i), "/fault/slow"));
    Downloader downloader(options);
    const auto started = std::chrono::steady_clock::now();
    EXPECT_THROW(downloader.download(requests,
                                     [](const DownloadProgress& progress) {
                                         if (progress.bytes_transferred > 0) throw Error::invalid_input("stop here");
                                     }),
                 Error);
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
    // The Downloader is whole again: the next batch runs on every engine.
    std::vector<DownloadRequest> again;
    for (int i = 0; i < 4; ++i) again.push_back(publish("again-" + std::to_string(i), random_bytes(3000, 50 + i)));
    for (const DownloadResult& result : downloader.download(again)) EXPECT_TRUE(result.ok());
}

TEST_F(DownloadTest, CancellationStopsEveryEngine) {
    DownloadOptions options = fast_options();
    options.parallel = 4;
    options.engines = 2;
    std::vector<DownloadRequest> requests;
    for (int i = 0; i < 12; ++i)
        requests.push_back(publish("cancel-" + std::to_string(i), random_bytes(50000, 60 + i), "/fault/slow"));
    std::atomic<bool> cancel{false};
    Downloader downloader(options);
    const auto started = std::chrono::steady_clock::now();
    auto results = downloader.download(
        requests, [&](const DownloadProgress& progress) { if (progress.bytes_transferred > 0) cancel = true; },
        &cancel);
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));
    ASSERT_EQ(results.size(), 12u);
    for (const DownloadResult& result : results) {
        ASSERT_FALSE(result.ok());
        EXPECT_TRUE(result.cancelled);
    }
}

TEST_F(DownloadTest, VerifiesSha1Sha256AndSha512) {
    std::string bytes = random_bytes(70000, 7);
    for (HashAlgorithm algorithm : {HashAlgorithm::sha1, HashAlgorithm::sha256, HashAlgorithm::sha512}) {
        DownloadRequest request = publish("file-" + std::string(hash_algorithm_name(algorithm)), bytes);
        request.expected_checksum = ExpectedChecksum{algorithm, hex_digest_of(algorithm, bytes)};
        DownloadResult result = fetch_one(request);
        ASSERT_TRUE(result.ok()) << result.error->what();
        EXPECT_EQ(result.sha256, sha256_hex(bytes));  // always the pool's sha256
    }
}

TEST_F(DownloadTest, WrongChecksumFailsClearlyAndLeavesNoFile) {
    std::string bytes = random_bytes(5000, 1);
    DownloadRequest request = publish("a.rpm", bytes);
    std::string wrong = hex_digest_of(HashAlgorithm::sha1, "something else");
    request.expected_checksum = ExpectedChecksum{HashAlgorithm::sha1, wrong};
    DownloadResult result = fetch_one(request);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error->kind(), ErrorKind::corrupt);
    std::string message = result.error->what();
    EXPECT_TRUE(contains(message, "checksum mismatch for " + request.url)) << message;
    EXPECT_TRUE(contains(message, "expected sha1 " + wrong + " got " + hex_digest_of(HashAlgorithm::sha1, bytes)))
        << message;
    EXPECT_FALSE(fs::exists(request.destination));
}

TEST_F(DownloadTest, CorruptedBytesAreDetected) {
    DownloadRequest request = publish("b.rpm", random_bytes(8000, 2), "/fault/corrupt");
    DownloadResult result = fetch_one(request);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error->kind(), ErrorKind::corrupt);
    EXPECT_FALSE(fs::exists(request.destination));
}

TEST_F(DownloadTest, WrongSizeFails) {
    std::string bytes = random_bytes(300000, 3);
    DownloadRequest too_small = publish("c.rpm", bytes);
    too_small.expected_size = 1000;  // more arrives: aborted at once
    DownloadResult result = fetch_one(too_small);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error->kind(), ErrorKind::corrupt);
    EXPECT_TRUE(contains(result.error->what(), "size mismatch for " + too_small.url)) << result.error->what();
    EXPECT_LE(result.bytes_transferred, 1000u);
    EXPECT_FALSE(fs::exists(too_small.destination));

    DownloadRequest too_large = publish("d.rpm", bytes);
    *too_large.expected_size += 1;
    result = fetch_one(too_large);
    ASSERT_FALSE(result.ok());
    EXPECT_TRUE(contains(result.error->what(), "size mismatch for " + too_large.url)) << result.error->what();
    EXPECT_FALSE(fs::exists(too_large.destination));
}

TEST_F(DownloadTest, NotFoundFailsImmediatelyNamingTheUrl) {
    DownloadRequest request = publish("e.rpm", "x", "/fault/404");
    DownloadResult result = fetch_one(request);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error->kind(), ErrorKind::not_found);
    EXPECT_EQ(result.http_status, 404);
    EXPECT_EQ(result.requests, 1u);
    EXPECT_TRUE(contains(result.error->what(), request.url)) << result.error->what();
    EXPECT_TRUE(contains(result.error->what(), "HTTP 404")) << result.error->what();
    EXPECT_EQ(server_.requests("/fault/404/e.rpm"), 1);
    EXPECT_FALSE(fs::exists(request.destination));
}

TEST_F(DownloadTest, ServerErrorsAreRetriedThenSucceed) {
    std::string bytes = random_bytes(20000, 4);
    DownloadRequest request = publish("f.rpm", bytes, "/fault/500x2");
    DownloadResult result = fetch_one(request);
    ASSERT_TRUE(result.ok()) << result.error->what();
    EXPECT_EQ(result.requests, 3u);
    EXPECT_EQ(read_file(request.destination), bytes);

    DownloadRequest throttled = publish("g.rpm", bytes, "/fault/429x1");
    result = fetch_one(throttled);
    ASSERT_TRUE(result.ok()) << result.error->what();
    EXPECT_EQ(result.requests, 2u);
}

TEST_F(DownloadTest, PersistentServerErrorGivesUpAfterTheRetries) {
    DownloadRequest request = publish("h.rpm", "abc", "/fault/500");
    DownloadResult result = fetch_one(request);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error->kind(), ErrorKind::network);
    EXPECT_EQ(result.requests, 4u);  // 1 + retry_attempts
    EXPECT_TRUE(contains(result.error->what(), "HTTP 500 (after 4 attempts)")) << result.error->what();
    EXPECT_EQ(server_.requests("/fault/500/h.rpm"), 4);
}

TEST_F(DownloadTest, ConnectionClosedMidBodyResumesWithRange) {
    std::string bytes = random_bytes(100000, 5);
    DownloadRequest request = publish("i.rpm", bytes, "/fault/closex1");
    DownloadResult result = fetch_one(request);
    ASSERT_TRUE(result.ok()) << result.error->what();
    EXPECT_EQ(result.requests, 2u);
    EXPECT_EQ(result.bytes_transferred, bytes.size());  // nothing fetched twice
    EXPECT_EQ(read_file(request.destination), bytes);
    nlohmann::json stats = server_.stats("/fault/closex1/i.rpm");
    EXPECT_EQ(stats["requests"], 2);
    EXPECT_EQ(stats["range_requests"], 1);
    EXPECT_EQ(stats["ranges"][0], "bytes=50000-");
}

TEST_F(DownloadTest, StallTimesOutAndResumes) {
    std::string bytes = random_bytes(60000, 6);
    DownloadRequest request = publish("j.rpm", bytes, "/fault/stallx1");
    auto started = std::chrono::steady_clock::now();
    DownloadResult result = fetch_one(request);
    auto elapsed = std::chrono::steady_clock::now() - started;
    ASSERT_TRUE(result.ok()) << result.error->what();
    EXPECT_EQ(result.requests, 2u);
    EXPECT_LT(elapsed, std::chrono::seconds(5));
    EXPECT_EQ(read_file(request.destination), bytes);
    EXPECT_EQ(server_.stats("/fault/stallx1/j.rpm")["ranges"][0], "bytes=30000-");
}

TEST_F(DownloadTest, StallGivesUpAfterTheRetries) {
    DownloadRequest request = publish("k.rpm", random_bytes(4000, 8), "/fault/stall");
    DownloadOptions options = fast_options();
    options.retry_attempts = 1;
    DownloadResult result = fetch_one(request, options);
    ASSERT_FALSE(result.ok());
    EXPECT_TRUE(contains(result.error->what(), "stalled: no data for 1 s (after 2 attempts)")) << result.error->what();
}

TEST_F(DownloadTest, SlowTrickleIsNotAStall) {
    std::string bytes = random_bytes(15000, 9);  // about 1.5 s at 10 KB/s
    DownloadRequest request = publish("l.rpm", bytes, "/fault/slow");
    DownloadResult result = fetch_one(request);
    ASSERT_TRUE(result.ok()) << result.error->what();
    EXPECT_EQ(result.requests, 1u);
}

TEST_F(DownloadTest, CompletePartialIsVerifiedWithoutAnyRequest) {
    std::string bytes = random_bytes(40000, 10);
    DownloadRequest request = publish("m.rpm", bytes);
    write_text(request.destination, bytes);
    DownloadResult result = fetch_one(request);
    ASSERT_TRUE(result.ok()) << result.error->what();
    EXPECT_EQ(result.requests, 0u);
    EXPECT_EQ(result.bytes_transferred, 0u);
    EXPECT_EQ(result.sha256, sha256_hex(bytes));
    EXPECT_EQ(server_.requests("/m.rpm"), 0);
}

TEST_F(DownloadTest, PartialFileIsResumedWithRange) {
    std::string bytes = random_bytes(90000, 11);
    DownloadRequest request = publish("n.rpm", bytes);
    write_text(request.destination, bytes.substr(0, 30000));
    DownloadResult result = fetch_one(request);
    ASSERT_TRUE(result.ok()) << result.error->what();
    EXPECT_EQ(result.bytes_transferred, 60000u);
    EXPECT_EQ(result.http_status, 206);
    EXPECT_EQ(read_file(request.destination), bytes);
    EXPECT_EQ(server_.stats("/n.rpm")["ranges"][0], "bytes=30000-");
}

TEST_F(DownloadTest, StalePartialWithWrongBytesIsFetchedAgainFromZero) {
    std::string bytes = random_bytes(50000, 12);
    DownloadRequest request = publish("o.rpm", bytes);
    write_text(request.destination, random_bytes(20000, 99));  // an older upstream's bytes
    DownloadResult result = fetch_one(request);
    ASSERT_TRUE(result.ok()) << result.error->what();
    EXPECT_EQ(result.requests, 2u);
    EXPECT_EQ(read_file(request.destination), bytes);
}

TEST_F(DownloadTest, PartialLongerThanExpectedStartsOver) {
    std::string bytes = random_bytes(10000, 13);
    DownloadRequest request = publish("p.rpm", bytes);
    write_text(request.destination, random_bytes(20000, 98));
    DownloadResult result = fetch_one(request);
    ASSERT_TRUE(result.ok()) << result.error->what();
    EXPECT_EQ(result.requests, 1u);
    EXPECT_EQ(server_.stats("/p.rpm")["range_requests"], 0);
}

TEST_F(DownloadTest, ServerIgnoringRangeIsHandled) {
    std::string bytes = random_bytes(50000, 14);
    DownloadRequest request = publish("q.rpm", bytes, "/fault/norange");
    write_text(request.destination, bytes.substr(0, 20000));
    DownloadResult result = fetch_one(request);
    ASSERT_TRUE(result.ok()) << result.error->what();
    EXPECT_EQ(read_file(request.destination), bytes);
    EXPECT_EQ(result.http_status, 200);
    EXPECT_EQ(result.requests, 2u);
    EXPECT_EQ(result.bytes_transferred, bytes.size());
}

TEST_F(DownloadTest, RangeNotSatisfiableStartsOver) {
    // Without an expected size, a partial as long as the file gets 416.
    std::string bytes = random_bytes(10000, 15);
    DownloadRequest request = publish("r.rpm", bytes);
    request.expected_size.reset();
    request.expected_checksum.reset();
    write_text(request.destination, bytes);
    DownloadResult result = fetch_one(request);
    ASSERT_TRUE(result.ok()) << result.error->what();
    EXPECT_EQ(result.sha256, sha256_hex(bytes));
    EXPECT_EQ(read_file(request.destination), bytes);
    EXPECT_EQ(result.requests, 2u);
}

TEST_F(DownloadTest, FileUrlsWorkIncludingResume) {
    std::string bytes = random_bytes(30000, 16);
    std::string name = "local file+1~%.rpm";
    write_text(upstream_.path() / name, bytes);
    DownloadRequest request;
    request.url = join_url("file://" + upstream_.path().string(), name);
    request.destination = partials() / "local.part";
    request.expected_size = bytes.size();
    request.expected_checksum = ExpectedChecksum{HashAlgorithm::sha512, hex_digest_of(HashAlgorithm::sha512, bytes)};
    DownloadResult result = fetch_one(request);
    ASSERT_TRUE(result.ok()) << result.error->what();
    EXPECT_EQ(result.sha256, sha256_hex(bytes));
    EXPECT_EQ(result.http_status, 0);

    fs::remove(request.destination);
    write_text(request.destination, bytes.substr(0, 10000));
    result = fetch_one(request);
    ASSERT_TRUE(result.ok()) << result.error->what();
    EXPECT_EQ(result.bytes_transferred, 20000u);
    EXPECT_EQ(read_file(request.destination), bytes);

    DownloadRequest missing = request;
    missing.url = join_url("file://" + upstream_.path().string(), "missing.rpm");
    missing.destination = partials() / "missing.part";
    result = fetch_one(missing);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error->kind(), ErrorKind::not_found);
    EXPECT_EQ(result.requests, 1u);
}

TEST_F(DownloadTest, FileNamesWithSpecialCharactersAreEscaped) {
    std::string bytes = random_bytes(2000, 17);
    std::string name = "Packages/a b+c~d%e.rpm";
    DownloadRequest request = publish(name, bytes);
    EXPECT_TRUE(contains(request.url, "a%20b%2Bc~d%25e.rpm"));
    DownloadResult result = fetch_one(request);
    ASSERT_TRUE(result.ok()) << result.error->what();
    EXPECT_EQ(server_.requests("/" + name), 1);
}

TEST_F(DownloadTest, CredentialsNeverAppearInErrors) {
    publish("s.rpm", "abc");
    DownloadRequest request;
    request.url = "http://alice:s3cretpw@127.0.0.1:" + std::to_string(server_.port()) + "/fault/404/s.rpm?token=t0ken";
    request.destination = partials() / "s.part";
    DownloadResult result = fetch_one(request);
    ASSERT_FALSE(result.ok());
    std::string message = result.error->what();
    EXPECT_TRUE(contains(message, "http://127.0.0.1:" + std::to_string(server_.port()) + "/fault/404/s.rpm"))
        << message;
    EXPECT_FALSE(contains(message, "alice")) << message;
    EXPECT_FALSE(contains(message, "s3cretpw")) << message;
    EXPECT_FALSE(contains(message, "t0ken")) << message;

    // A transport error (nothing listens on port 1) and a proxy with credentials.
    DownloadOptions options = fast_options();
    options.retry_attempts = 0;
    options.proxy.http_proxy = "http://bob:pr0xypw@127.0.0.1:1";
    request.url = "http://alice:s3cretpw@127.0.0.1:1/x.rpm";
    result = fetch_one(request, options);
    ASSERT_FALSE(result.ok());
    message = result.error->what();
    EXPECT_FALSE(contains(message, "s3cretpw")) << message;
    EXPECT_FALSE(contains(message, "pr0xypw")) << message;
    EXPECT_FALSE(contains(message, "bob")) << message;
}

TEST_F(DownloadTest, RedirectToAnotherSchemeIsRefused) {
    DownloadRequest request = publish("t.rpm", "secret local bytes", "/fault/tofile");
    DownloadResult result = fetch_one(request);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error->kind(), ErrorKind::network);
    EXPECT_TRUE(contains(result.error->what(), "scheme refused")) << result.error->what();
    EXPECT_FALSE(fs::exists(request.destination));
}

TEST_F(DownloadTest, FetchToMemoryAndFile) {
    publish("repodata/repomd.xml", "<repomd/>");
    Downloader downloader(fast_options());
    EXPECT_EQ(downloader.fetch_to_memory(server_.url("/repodata/repomd.xml"), 1000), "<repomd/>");
    try {
        downloader.fetch_to_memory(server_.url("/repodata/repomd.xml"), 4);
        FAIL() << "size cap not enforced";
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::invalid_input);
        EXPECT_TRUE(contains(error.what(), "larger than the limit of 4 bytes")) << error.what();
    }
    try {
        downloader.fetch_to_memory(server_.url("/repodata/repomd.xml.asc"), 1000);
        FAIL() << "missing file fetched";
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::not_found);
    }
    EXPECT_THROW(downloader.fetch_to_memory(server_.url("/repodata/repomd.xml"), 1000,
                                            ExpectedChecksum{HashAlgorithm::sha256, sha256_hex("other")}),
                 Error);

    std::string bytes = random_bytes(12345, 18);
    DownloadRequest request = publish("repodata/primary.xml.gz", bytes, "/fault/500x1");
    DownloadResult result = downloader.fetch_to_file(request);
    EXPECT_EQ(result.sha256, sha256_hex(bytes));
    request.expected_size = 1;
    fs::remove(request.destination);
    EXPECT_THROW(downloader.fetch_to_file(request), Error);
}

TEST_F(DownloadTest, CancellationStopsAndKeepsPartialFiles) {
    std::vector<DownloadRequest> requests;
    for (int i = 0; i < 3; ++i)
        requests.push_back(publish("slow-" + std::to_string(i), random_bytes(50000, 20 + i), "/fault/slow"));
    std::atomic<bool> cancel{false};
    Downloader downloader(fast_options());
    auto started = std::chrono::steady_clock::now();
    auto results = downloader.download(
        requests,
        [&](const DownloadProgress& progress) {
            if (progress.bytes_transferred > 0) cancel = true;
        },
        &cancel);
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
    for (const DownloadResult& result : results) {
        ASSERT_FALSE(result.ok());
        EXPECT_TRUE(result.cancelled);
        EXPECT_TRUE(fs::exists(requests[result.index].destination));  // kept for a resume
    }
}

namespace {

// A throwaway CA, a server certificate for 127.0.0.1 and a client certificate.
struct TestPki {
    explicit TestPki(const fs::path& dir) : dir(dir) {
        std::string key = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
        std::string script = "(set -e; cd '" + dir.string() + "'; " +
                             "openssl req -x509 " + key + " -keyout ca.key -out ca.pem -days 2 -subj /CN=chantal-test-ca; " +
                             "openssl req " + key + " -keyout server.key -out server.csr -subj /CN=127.0.0.1; " +
                             "echo subjectAltName=IP:127.0.0.1 > san.ext; " +
                             "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 "
                             "-extfile san.ext -out server.pem; " +
                             "openssl req " + key + " -keyout client.key -out client.csr -subj /CN=chantal-client; " +
                             "openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 "
                             "-out client.pem)";
        std::string output;
        if (test_support::run_command(script, &output) != 0) throw std::runtime_error("openssl failed: " + output);
    }
    std::string file(const std::string& name) const { return (dir / name).string(); }
    fs::path dir;
};

}  // namespace

TEST(DownloadTls, CaBundleClientCertificateAndVerification) {
    TempDir upstream, work;
    TestPki pki(work.path());
    std::string bytes = random_bytes(30000, 30);
    write_text(upstream.path() / "a.rpm", bytes);
    FaultServer server(upstream.path(), {"--tls-cert", pki.file("server.pem"), "--tls-key", pki.file("server.key"),
                                         "--client-ca", pki.file("ca.pem")});
    DownloadRequest request;
    request.url = "https://127.0.0.1:" + std::to_string(server.port()) + "/a.rpm";
    request.destination = work.path() / "a.part";
    request.expected_size = bytes.size();
    auto fetch = [&](const DownloadOptions& options) {
        fs::remove(request.destination);
        Downloader downloader(options);
        return std::move(downloader.download({request}).front());
    };

    DownloadOptions options = fast_options();
    options.tls.ca_bundle = pki.file("ca.pem");
    options.tls.client_cert = pki.file("client.pem");
    options.tls.client_key = pki.file("client.key");
    DownloadResult result = fetch(options);
    ASSERT_TRUE(result.ok()) << result.error->what();
    EXPECT_EQ(result.sha256, sha256_hex(bytes));

    // The system CAs do not know the test CA: refused at once, no retry.
    DownloadOptions untrusted = options;
    untrusted.tls.ca_bundle.clear();
    result = fetch(untrusted);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.requests, 1u);
    EXPECT_TRUE(contains(result.error->what(), "certificate")) << result.error->what();
    EXPECT_TRUE(contains(result.error->what(), request.url)) << result.error->what();

    DownloadOptions unverified = untrusted;
    unverified.tls.verify = false;
    result = fetch(unverified);
    ASSERT_TRUE(result.ok()) << result.error->what();

    // The server demands a client certificate.
    DownloadOptions anonymous = options;
    anonymous.tls.client_cert.clear();
    anonymous.tls.client_key.clear();
    anonymous.retry_attempts = 0;
    result = fetch(anonymous);
    ASSERT_FALSE(result.ok());
    EXPECT_FALSE(fs::exists(request.destination) && fs::file_size(request.destination) > 0);
}

TEST_F(DownloadTest, InspectsEachCompleteFileOnceOnAHelperThread) {
    std::vector<DownloadRequest> requests;
    std::vector<std::string> contents;
    std::mutex mutex;
    std::map<std::string, std::string> seen;  // destination -> bytes read by the inspection
    std::set<std::thread::id> threads;
    for (unsigned i = 0; i < 20; ++i) {
        contents.push_back(random_bytes(500 + i * 2000, 100 + i));
        requests.push_back(publish("inspect-" + std::to_string(i) + ".rpm", contents.back()));
        requests.back().inspect_file = [&](const fs::path& file) {
            std::lock_guard lock(mutex);
            EXPECT_TRUE(seen.emplace(file.string(), read_file(file)).second) << "inspected twice: " << file;
            threads.insert(std::this_thread::get_id());
        };
    }
    // A file that fails its checksum is never inspected.
    requests.push_back(publish("wrong.rpm", "some bytes"));
    requests.back().expected_checksum = ExpectedChecksum{HashAlgorithm::sha256, sha256_hex("other bytes")};
    requests.back().inspect_file = [&](const fs::path& file) { ADD_FAILURE() << "inspected a bad file: " << file; };

    Downloader downloader(fast_options());
    const auto results = downloader.download(requests);
    ASSERT_EQ(seen.size(), 20u);  // every good file, inspected before download() returned
    for (unsigned i = 0; i < 20; ++i) {
        ASSERT_TRUE(results[i].ok()) << results[i].error->what();
        EXPECT_EQ(seen.at(requests[i].destination.string()), contents[i]) << "inspected before it was complete";
    }
    EXPECT_FALSE(results.back().ok());
    EXPECT_EQ(threads.count(std::this_thread::get_id()), 0u) << "an inspection ran on the network thread";
}
