// OutputTransaction (issue #15, "Nothing half-done") as a unit.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "cli/file_output.hpp"
#include "spec/spec_error.hpp"
#include "tests/support/cli_harness.hpp"

namespace {

namespace fs = std::filesystem;
using mechcheck::SpecError;
using mechcheck::cli::OutputTransaction;
using mechcheck::testing::slurp;
using ::testing::HasSubstr;

class Transaction : public mechcheck::testing::CliTest {
 protected:
  std::set<std::string> listing() {
    std::set<std::string> names;
    for (const auto& entry : fs::recursive_directory_iterator(dir))
      names.insert(fs::relative(entry.path(), dir).string());
    return names;
  }
  std::string preflight_error(const std::string& path, bool create_parents = false) {
    try {
      OutputTransaction::preflight("--report", path, create_parents);
    } catch (const SpecError& error) {
      return error.what();
    }
    return "(accepted)";
  }
};

TEST_F(Transaction, CommitWritesEveryFileTogether) {
  {
    OutputTransaction files;
    files.stage((dir / "a.json").string(), "A");
    files.stage((dir / "sub" / "deeper" / "b.xml").string(), "B");
    EXPECT_FALSE(fs::exists(dir / "a.json"));  // nothing at a destination before commit
    files.commit();
  }
  EXPECT_EQ(slurp(dir / "a.json"), "A");
  EXPECT_EQ(slurp(dir / "sub" / "deeper" / "b.xml"), "B");
  EXPECT_EQ(listing(), (std::set<std::string>{"a.json", "sub", "sub/deeper", "sub/deeper/b.xml"}));
}

TEST_F(Transaction, AnUncommittedTransactionLeavesNoNewFiles) {
  write("old.json", "old");
  const auto before = listing();
  {
    OutputTransaction files;
    files.stage((dir / "old.json").string(), "new");
    files.stage((dir / "w" / "x" / "witness.json").string(), "W");
    EXPECT_GT(listing().size(), before.size());  // temporaries and directories exist meanwhile
  }
  EXPECT_EQ(listing(), before);
  EXPECT_EQ(slurp(dir / "old.json"), "old");
}

TEST_F(Transaction, StagingOntoADirectoryFailsAndCleansUp) {
  fs::create_directories(dir / "adir");
  const auto before = listing();
  {
    OutputTransaction files;
    files.stage((dir / "first.json").string(), "1");
    EXPECT_THROW(files.stage((dir / "adir").string(), "2"), SpecError);
  }
  EXPECT_EQ(listing(), before);  // no adir.partial, no first.json
  // write_file_atomically (what check still uses) leaves nothing either.
  EXPECT_THROW(mechcheck::cli::write_file_atomically((dir / "adir").string(), "x"), SpecError);
  EXPECT_EQ(listing(), before);
}

TEST_F(Transaction, PreflightNamesTheOptionAndTheProblem) {
  fs::create_directories(dir / "adir");
  write("file", "");
  EXPECT_EQ(preflight_error((dir / "r.json").string()), "(accepted)");
  EXPECT_EQ(preflight_error("relative-report.json"), "(accepted)");
  EXPECT_THAT(preflight_error((dir / "adir").string()), HasSubstr("--report: "));
  EXPECT_THAT(preflight_error((dir / "adir").string()), HasSubstr("is a directory"));
  EXPECT_THAT(preflight_error((dir / "missing" / "r.json").string()), HasSubstr("does not exist"));
  EXPECT_THAT(preflight_error((dir / "file" / "r.json").string()), HasSubstr("not a directory"));
  EXPECT_THAT(preflight_error(""), HasSubstr("--report: is empty"));
  // Witness directories may be created by the run; a file in the way is still refused.
  EXPECT_EQ(preflight_error((dir / "missing" / "w.json").string(), true), "(accepted)");
  EXPECT_EQ(preflight_error("witnesses-not-there-yet/w.json", true), "(accepted)");
  EXPECT_THAT(preflight_error((dir / "file" / "x" / "w.json").string(), true),
              HasSubstr("not a directory"));
  EXPECT_EQ(listing(), (std::set<std::string>{"adir", "file"}));  // preflight writes nothing
}

}  // namespace
