// SHA-256 against the FIPS 180-4 example vectors (csrc.nist.gov, "SHA256.pdf",
// "SHA2_Additional.pdf"), including the padding edges around one and two blocks.
#include "report/sha256.hpp"

#include <gtest/gtest.h>

#include <string>

#include "report/report_identity.hpp"

namespace {

using mechcheck::sha256_hex;

TEST(Sha256Report, FipsExampleVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // 56 bytes: the length no longer fits the first block, the padding takes a second one.
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(
      sha256_hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklm"
                 "nopqklmnopqrlmnopqrsmnopqrstnopqrstu"),
      "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  EXPECT_EQ(sha256_hex(std::string(1'000'000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256Report, BlockBoundaries) {
  // 55 bytes (the most one block holds with its padding), 56, 57, 64 and 1000 bytes; the
  // digests agree with Python's hashlib.
  EXPECT_EQ(sha256_hex(std::string(55, '\0')),
            "02779466cdec163811d078815c633f21901413081449002f24aa3e80f0b88ef7");
  EXPECT_EQ(sha256_hex(std::string(56, '\0')),
            "d4817aa5497628e7c77e6b606107042bbba3130888c5f47a375e6179be789fbb");
  EXPECT_EQ(sha256_hex(std::string(57, '\0')),
            "65a16cb7861335d5ace3c60718b5052e44660726da4cd13bb745381b235a1785");
  EXPECT_EQ(sha256_hex(std::string(64, '\0')),
            "f5a5fd42d16a20302798ef6ed309979b43003d2320d9f0e8ea9831a92759fb4b");
  EXPECT_EQ(sha256_hex(std::string(1000, '\0')),
            "541b3e9daa09b20bf85fa273e5cbd3e80185aa4ec298e765db87742b70138a53");
  EXPECT_EQ(sha256_hex(std::string(1000, 'A')),
            "c2e686823489ced2017f6059b8b239318b6364f6dcd835d0a519105a1eadd6e4");
}

TEST(Sha256Report, ConfigHashIsOfTheCompactSortedDump) {
  const auto a = nlohmann::json::parse(R"({"seed": 7, "effort": "quick"})");
  const auto b = nlohmann::json::parse(R"({"effort":"quick","seed":7})");
  EXPECT_EQ(mechcheck::config_sha256(a), mechcheck::config_sha256(b));
  EXPECT_EQ(mechcheck::config_sha256(a), sha256_hex(R"({"effort":"quick","seed":7})"));
  EXPECT_NE(mechcheck::config_sha256(a),
            mechcheck::config_sha256(nlohmann::json::parse(R"({"seed": 8, "effort": "quick"})")));
}

}  // namespace
