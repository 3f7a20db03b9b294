#include "core/signing/openpgp_context.h"

#include <gtest/gtest.h>

#include "core/base/error.h"
#include "gpg_test_home.h"
#include "support/temp_dir.h"

using namespace chantal;

TEST(OpenPgpContext, ImportsFindsAndExportsKeys) {
    test_support::TempDir dir;
    test_support::GpgTestHome maker(dir / "maker");
    const std::string fingerprint = maker.generate("Alice <alice@example.org>");
    test_support::GpgTestHome home(dir / "home");
    OpenPgpContext context(home.path());

    const OpenPgpImport imported = context.import(maker.export_public(fingerprint, false), "alice");
    EXPECT_EQ(imported.considered, 1);
    EXPECT_EQ(imported.secret_keys, 0);
    EXPECT_EQ(imported.fingerprints, std::vector<std::string>{fingerprint});
    EXPECT_EQ(context.import("no key", "text").considered, 0);

    const OpenPgpKey key = context.find_key(fingerprint, false);
    ASSERT_TRUE(key);
    EXPECT_STREQ(key->uids->uid, "Alice <alice@example.org>");
    EXPECT_FALSE(context.find_key(fingerprint, true));
    EXPECT_FALSE(context.find_key(std::string(40, 'B'), false));
    EXPECT_EQ(context.list_keys("", false).size(), 1u);
    EXPECT_EQ(context.list_keys("", true).size(), 0u);

    EXPECT_EQ(context.export_public_keys({fingerprint}, true).rfind("-----BEGIN PGP PUBLIC KEY BLOCK-----", 0), 0u);
    EXPECT_EQ(context.export_public_keys({fingerprint}, false), maker.export_public(fingerprint, false));
    EXPECT_EQ(context.export_public_keys({}, false), context.export_public_keys({fingerprint}, false));
}

TEST(OpenPgpContext, UsesOnlyItsOwnHome) {
    test_support::TempDir dir;
    test_support::GpgTestHome home(dir / "home");
    OpenPgpContext context(home.path());
    const gpgme_engine_info_t engine = gpgme_ctx_get_engine_info(context.get());
    ASSERT_TRUE(engine && engine->home_dir);
    EXPECT_EQ(std::string(engine->home_dir), home.path().string());
    EXPECT_TRUE(gpgme_get_armor(context.get()));
    EXPECT_EQ(gpgme_get_pinentry_mode(context.get()), GPGME_PINENTRY_MODE_LOOPBACK);
}

TEST(OpenPgpContext, CheckPutsGpgmeWordsAfterTheContext) {
    EXPECT_NO_THROW(OpenPgpContext::check(0, "fine"));
    try {
        OpenPgpContext::check(gpg_error(GPG_ERR_INV_ENGINE), "cannot import /etc/keys/a.asc");
        FAIL() << "no error thrown";
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::invalid_input);
        EXPECT_EQ(std::string(error.what()), "cannot import /etc/keys/a.asc: Invalid crypto engine");
    }
    try {
        OpenPgpContext::check(gpg_error(GPG_ERR_NO_DATA), "x", ErrorKind::unsupported);
        FAIL() << "no error thrown";
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::unsupported);
    }
}

TEST(OpenPgpContext, DataHoldsBytes) {
    const std::string binary("a\0b\xff", 4);
    OpenPgpData input(binary);
    EXPECT_EQ(input.bytes(), binary);
    EXPECT_EQ(input.bytes(), binary);
    OpenPgpData empty("");
    EXPECT_EQ(empty.bytes(), "");
    OpenPgpData output;
    ASSERT_EQ(gpgme_data_write(output.get(), "xyz", 3), 3);
    EXPECT_EQ(output.bytes(), "xyz");
}
