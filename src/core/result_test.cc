#include "core/result.h"

#include <gtest/gtest.h>

namespace gatehouse {
namespace {

Result<int> Half(int n) {
  if (n % 2 != 0) return MakeError(ErrorCode::kValidationFailed, "n is odd");
  return n / 2;
}

Result<int> Quarter(int n) {
  GH_ASSIGN_OR_RETURN(int half, Half(n));
  return Half(half);
}

TEST(ResultTest, CarriesValueOrError) {
  EXPECT_EQ(*Quarter(8), 2);
  Result<int> odd = Quarter(6);
  ASSERT_FALSE(odd.ok());
  EXPECT_EQ(odd.error().code, ErrorCode::kValidationFailed);
}

TEST(ResultTest, EveryCodeHasAStableName) {
  EXPECT_EQ(ErrorCodeName(ErrorCode::kRefreshTokenReused),
            "REFRESH_TOKEN_REUSED");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kCsrfRejected), "CSRF_REJECTED");
}

}  // namespace
}  // namespace gatehouse
