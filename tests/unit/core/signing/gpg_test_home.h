// GpgTestHome: a throwaway GnuPG home driven by the gpg command line, to make
// keys and signatures that the OpenPGP layer under test then reads. Its
// gpg-agent is stopped on destruction; the directory belongs to the caller's
// TempDir. Helpers throw std::runtime_error (with gpg's output) on failure.
#pragma once

#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>

#include "support/temp_dir.h"

namespace chantal::test_support {

class GpgTestHome {
public:
    explicit GpgTestHome(std::filesystem::path path) : path_(std::move(path)) {
        std::filesystem::create_directories(path_);
        ::chmod(path_.c_str(), 0700);
    }
    ~GpgTestHome() { run_command("gpgconf --homedir " + path_.string() + " --kill all"); }
    GpgTestHome(const GpgTestHome&) = delete;
    GpgTestHome& operator=(const GpgTestHome&) = delete;

    const std::filesystem::path& path() const { return path_; }

    // Runs gpg in this home (batch, loopback pinentry): its output.
    std::string gpg(const std::string& arguments, const std::string& passphrase = "") const {
        std::string output;
        const std::string command = "gpg --batch --no-tty --homedir " + path_.string() +
                                    " --pinentry-mode loopback --passphrase '" + passphrase + "' " + arguments;
        if (run_command(command, &output) != 0) throw std::runtime_error(command + " failed: " + output);
        return output;
    }

    // Makes an ed25519 signing key; returns its fingerprint. `expires`:
    // gpg's expiry argument ("never", "1d", ...); `options` go before it.
    std::string generate(const std::string& user_id, const std::string& passphrase = "",
                         const std::string& expires = "never", const std::string& options = "") const {
        gpg(options + " --quick-gen-key '" + user_id + "' ed25519 sign " + expires, passphrase);
        return fingerprint_of(user_id);
    }

    std::string fingerprint_of(const std::string& name) const {
        std::istringstream lines(gpg("--with-colons --fingerprint '" + name + "'"));
        for (std::string line; std::getline(lines, line);)
            if (line.rfind("fpr:", 0) == 0) return line.substr(12, line.find(':', 12) - 12);
        throw std::runtime_error("no fingerprint for " + name);
    }

    std::string export_public(const std::string& names, bool armored) const {
        return gpg_output(std::string(armored ? "--armor " : "") + "--export " + names);
    }
    std::string export_secret(const std::string& name, bool armored, const std::string& passphrase = "") const {
        return gpg_output(std::string(armored ? "--armor " : "") + "--export-secret-keys " + name, passphrase);
    }

    // A detached signature of `data` by `signer`; `options` e.g. --faked-system-time.
    std::string sign(const std::string& data, const std::string& signer, bool armored = true,
                     const std::string& options = "") const {
        const std::filesystem::path input = path_ / "to-sign";
        write_text(input, data);
        return gpg_output(options + " --local-user " + signer + (armored ? " --armor" : "") + " --detach-sign " +
                          input.string());
    }

    // Runs gpg with --output: what it wrote there (stdout mixes in stderr).
    std::string gpg_output(const std::string& arguments, const std::string& passphrase = "") const {
        const std::filesystem::path output = path_ / "gpg-output";
        std::filesystem::remove(output);
        gpg("--output " + output.string() + " " + arguments, passphrase);
        return read(output);
    }

    static std::string read(const std::filesystem::path& file) {
        std::ifstream in(file, std::ios::binary);
        std::ostringstream bytes;
        bytes << in.rdbuf();
        if (!in) throw std::runtime_error("cannot read " + file.string());
        return bytes.str();
    }

private:
    std::filesystem::path path_;
};

// True when a gpg-agent runs for `home` (its command line names the home).
inline bool agent_running_for(const std::filesystem::path& home) {
    // "[g]" keeps the pattern from matching the shell that runs pgrep.
    return run_command("pgrep -f '[g]pg-agent --homedir " + home.string() + "' >/dev/null") == 0;
}

// True when no gpg-agent runs for a home below `directory` (or for it),
// waiting up to two seconds for exiting ones.
inline bool no_agent_below(const std::filesystem::path& directory) {
    for (int attempt = 0; attempt < 100; ++attempt) {
        if (!agent_running_for(directory)) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

}  // namespace chantal::test_support
