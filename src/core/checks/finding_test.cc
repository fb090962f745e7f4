#include "core/checks/finding.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace gatehouse {
namespace {

std::vector<std::string> Ids(const FindingList& list) {
  std::vector<std::string> ids;
  for (const Finding& f : list) ids.push_back(f.id);
  return ids;
}

Finding Of(Severity severity, std::string id) {
  Finding f;
  f.severity = severity;
  f.id = std::move(id);
  return f;
}

TEST(FindingListTest, KeepsTheOrderOfAdding) {
  FindingList list;
  EXPECT_TRUE(list.empty());
  list.Add(Severity::kNote, "n", "", "title", "why", "fix");
  list.Add(Severity::kError, "e", "GATEHOUSE_COOKIE_DOMAIN", "t", "w", "f");
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(Ids(list), (std::vector<std::string>{"n", "e"}));
  EXPECT_EQ(list[1].setting, "GATEHOUSE_COOKIE_DOMAIN");
  EXPECT_EQ(list[1].title, "t");
  EXPECT_EQ(list[1].why, "w");
  EXPECT_EQ(list[1].fix, "f");
}

TEST(FindingListTest, SortsBySeverityKeepingEachStagesOrder) {
  FindingList list = {Of(Severity::kNote, "note-1"),
                      Of(Severity::kWarning, "warning-1"),
                      Of(Severity::kError, "error-1")};
  list.Append({Of(Severity::kWarning, "warning-2"),
               Of(Severity::kError, "error-2"), Of(Severity::kNote, "note-2")});
  EXPECT_EQ(Ids(list),
            (std::vector<std::string>{"note-1", "warning-1", "error-1",
                                      "warning-2", "error-2", "note-2"}));
  list.SortBySeverity();
  EXPECT_EQ(Ids(list),
            (std::vector<std::string>{"error-1", "error-2", "warning-1",
                                      "warning-2", "note-1", "note-2"}));
}

TEST(FindingListTest, CountsBySeverity) {
  FindingList list = {Of(Severity::kError, "a"), Of(Severity::kNote, "b"),
                      Of(Severity::kError, "c")};
  EXPECT_EQ(list.Count(Severity::kError), 2);
  EXPECT_EQ(list.Count(Severity::kWarning), 0);
  EXPECT_EQ(list.Count(Severity::kNote), 1);
  EXPECT_EQ(FindingList().Count(Severity::kError), 0);
}

TEST(FindingListTest, SeverityNames) {
  EXPECT_EQ(SeverityName(Severity::kError), "error");
  EXPECT_EQ(SeverityName(Severity::kWarning), "warning");
  EXPECT_EQ(SeverityName(Severity::kNote), "note");
}

}  // namespace
}  // namespace gatehouse
