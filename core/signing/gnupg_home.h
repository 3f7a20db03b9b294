// A GnuPG home directory (GNUPGHOME) that Chantal's OpenPGP operations use
// instead of the user's own keyring.
//
// A temporary home is a fresh directory (mode 0700) below a parent (the
// storage temp_path: same machine, never /root/.gnupg); its destructor stops
// any gpg-agent started for it (`gpgconf --homedir HOME --kill all`) and
// removes it with everything inside. An existing home (a configured
// gnupg_home) is used as it is and never removed; its agent is left alone.
//
// GnuPG's agent socket path must stay short (about 100 bytes); a temporary
// home is therefore named briefly ("<parent>/gpg-XXXXXX").
//
// Thread safety: immutable after construction; not copyable (one owner).
#pragma once

#include <filesystem>

namespace chantal {

class GnupgHome {
public:
    // Creates <parent>/gpg-XXXXXX (mode 0700; `parent` is created when
    // missing). Throws Error::io naming the directory.
    static GnupgHome temporary(const std::filesystem::path& parent);
    // Uses `directory` as it is. Throws Error::not_found when it is not a
    // directory; creates it (mode 0700) when `create` and it is missing.
    static GnupgHome existing(const std::filesystem::path& directory, bool create = false);

    GnupgHome(GnupgHome&& other) noexcept;
    GnupgHome& operator=(GnupgHome&& other) noexcept;
    GnupgHome(const GnupgHome&) = delete;
    GnupgHome& operator=(const GnupgHome&) = delete;
    ~GnupgHome();

    const std::filesystem::path& path() const { return path_; }
    bool is_temporary() const { return temporary_; }

private:
    GnupgHome(std::filesystem::path path, bool temporary) : path_(std::move(path)), temporary_(temporary) {}
    std::filesystem::path path_;
    bool temporary_ = false;
};

}  // namespace chantal
