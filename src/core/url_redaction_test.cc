#include "core/url_redaction.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace gatehouse {
namespace {

struct Case {
  std::string url;
  std::string shown;
};

void ExpectShown(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    EXPECT_EQ(RedactUrl(c.url), c.shown) << c.url;
  }
}

TEST(UrlRedactionTest, UrlsWithoutCredentialsAreShownAsTheyAre) {
  ExpectShown({
      {"", ""},
      {"sqlite://./data/gatehouse.db", "sqlite://./data/gatehouse.db"},
      {"sqlite:///srv/a@b/gatehouse.db", "sqlite:///srv/a@b/gatehouse.db"},
      {"postgres://db.internal:5432/gatehouse?sslmode=verify-full",
       "postgres://db.internal:5432/gatehouse?sslmode=verify-full"},
      {"postgres://gh@db/gh", "postgres://gh@db/gh"},
      {"postgres://gh@[::1]:5432/gh", "postgres://gh@[::1]:5432/gh"},
      {"postgres://db/gh?passfile=/etc/gh/pgpass&sslmode=require",
       "postgres://db/gh?passfile=/etc/gh/pgpass&sslmode=require"},
      {"https://api.example.com", "https://api.example.com"},
      {"host=db dbname=gh sslmode=require",
       "host=db dbname=gh sslmode=require"},
  });
}

TEST(UrlRedactionTest, ThePasswordOfTheUserinfoIsHiddenAndTheUserShown) {
  ExpectShown({
      {"postgres://gh:hunter2@db:5432/gh",
       "postgres://gh:(redacted)@db:5432/gh"},
      {"postgresql://gh:hunter2@db/gh?sslmode=require",
       "postgresql://gh:(redacted)@db/gh?sslmode=require"},
      {"smtp://mailer:s3cret@smtp.example.com:587",
       "smtp://mailer:(redacted)@smtp.example.com:587"},
      {"postgres://gh:hunter2@h1:5432,h2:5432/gh",
       "postgres://gh:(redacted)@h1:5432,h2:5432/gh"},
      {"postgres://gh:pw@[2001:db8::1]:5432/gh",
       "postgres://gh:(redacted)@[2001:db8::1]:5432/gh"},
      // An empty password is shown as the nothing it is.
      {"postgres://gh:@db/gh", "postgres://gh:@db/gh"},
      // One token as user and password: both hidden.
      {"smtp://tok3n:tok3n@smtp.example.com",
       "smtp://(redacted):(redacted)@smtp.example.com"},
  });
}

TEST(UrlRedactionTest, APasswordWithUnencodedSpecialCharactersIsHiddenWhole) {
  ExpectShown({
      {"postgres://gh:p@ss@db/gh", "postgres://gh:(redacted)@db/gh"},
      {"postgres://gh:p@s@s@db/gh", "postgres://gh:(redacted)@db/gh"},
      {"postgres://gh:pa:ss@db/gh", "postgres://gh:(redacted)@db/gh"},
      {"postgres://gh:pa/ss@db/gh", "postgres://gh:(redacted)@db/gh"},
      {"postgres://gh:pa?ss@db/gh", "postgres://gh:(redacted)@db/gh"},
      {"postgres://gh:pa#ss@db/gh", "postgres://gh:(redacted)@db/gh"},
      {"postgres://gh:pa&ss@db/gh", "postgres://gh:(redacted)@db/gh"},
      {"postgres://gh:a=b?c@db/gh", "postgres://gh:(redacted)@db/gh"},
      {"postgres://gh:p%40ss%2F%3F%23@db/gh", "postgres://gh:(redacted)@db/gh"},
      // An '@' in the user name too.
      {"postgres://gh@corp:pw@db/gh", "postgres://gh@corp:(redacted)@db/gh"},
      {"postgres://gh%40corp:pw@db/gh",
       "postgres://gh%40corp:(redacted)@db/gh"},
      // The password's '?' and '=' do not hide the real query.
      {"postgres://gh:a?c=d@db/gh?password=x",
       "postgres://gh:(redacted)@db/gh?password=(redacted)"},
  });
}

TEST(UrlRedactionTest, PasswordsInTheQueryAreHidden) {
  ExpectShown({
      {"postgres://db/gh?password=qu3ry",
       "postgres://db/gh?password=(redacted)"},
      {"postgres://db/gh?sslmode=require&password=x&application_name=gh",
       "postgres://db/gh?sslmode=require&password=(redacted)"
       "&application_name=gh"},
      {"postgres://db/gh?sslpassword=k3y&sslkey=/etc/gh/key",
       "postgres://db/gh?sslpassword=(redacted)&sslkey=/etc/gh/key"},
      // The name percent-encoded, or in capitals.
      {"postgres://db/gh?pass%77ord=x",
       "postgres://db/gh?pass%77ord=(redacted)"},
      {"postgres://db/gh?PASSWORD=x", "postgres://db/gh?PASSWORD=(redacted)"},
      // Mail and API style names.
      {"smtp://smtp.example.com?user=a&pass=b&api_token=c&pwd=d",
       "smtp://smtp.example.com?user=a&pass=(redacted)&api_token=(redacted)"
       "&pwd=(redacted)"},
      // '@', '#', '?' and '&' inside the value.
      {"postgres://db/gh?password=se@cret",
       "postgres://db/gh?password=(redacted)"},
      {"postgres://db/gh?password=a#b", "postgres://db/gh?password=(redacted)"},
      {"postgres://db/gh?password=a?b&sslmode=require",
       "postgres://db/gh?password=(redacted)&sslmode=require"},
      {"postgres://db/gh?password=ab&cd&sslmode=require",
       "postgres://db/gh?password=(redacted)&sslmode=require"},
      // An '@' in another parameter is not a userinfo.
      {"postgres://db/gh?user=admin@srv&password=x",
       "postgres://db/gh?user=admin@srv&password=(redacted)"},
      // '&' typed for '?'.
      {"postgres://db/gh&password=x", "postgres://db/gh&password=(redacted)"},
      // Both places at once.
      {"postgres://gh:one@db/gh?password=two",
       "postgres://gh:(redacted)@db/gh?password=(redacted)"},
  });
}

TEST(UrlRedactionTest, WhatCannotBeToldFromAPasswordIsHidden) {
  ExpectShown({
      // A port, or a password holding '/'? Both readings are hidden.
      {"postgres://db:5432/gh?user=a@srv", "postgres://db:(redacted)@srv"},
      {"postgres://db/x?a=b:c@srv", "postgres://(redacted)@srv"},
      {"postgres://db/gh?password=se:cr@et", "postgres://(redacted)"},
  });
}

TEST(UrlRedactionTest, TextWithoutASchemeIsReadAsUserinfoAndHost) {
  ExpectShown({
      {"gh:hunter2@db/gh", "gh:(redacted)@db/gh"},
      {"postgres:/gh:hunter2@db/gh", "postgres:(redacted)@db/gh"},
      {"./data/gatehouse.db", "./data/gatehouse.db"},
      {"db/gh?password=x", "db/gh?password=(redacted)"},
  });
}

TEST(UrlRedactionTest, LibpqKeywordValueStringsHideTheirSecrets) {
  ExpectShown({
      {"host=db password=x dbname=gh", "host=db password=(redacted) dbname=gh"},
      {"host = db password = 'two words' dbname=gh",
       "host = db password = (redacted) dbname=gh"},
      {"password='it\\'s' user=gh", "password=(redacted) user=gh"},
      {"password=a\\ b user=gh", "password=(redacted) user=gh"},
      {"host=db sslpassword=k passfile=/etc/pgpass",
       "host=db sslpassword=(redacted) passfile=/etc/pgpass"},
      // dbname may itself be a URL, which is redacted whole.
      {"dbname=postgres://gh:pw@db/gh sslmode=require",
       "dbname=(redacted) sslmode=require"},
      {"dbname='host=db password=x'", "dbname=(redacted)"},
      // Unreadable: hidden to the end.
      {"host=db password='unclosed x", "host=db password=(redacted)"},
      {"host=db hunter2 password=x", "host=db (redacted)"},
  });
}

TEST(UrlRedactionTest, NoHiddenTextSurvives) {
  // The secret is "S3cr3t" in each; whatever the form, it never shows.
  for (const char* url : {
           "postgres://gh:S3cr3t@db/gh",
           "postgres://gh:xS3cr3t@x@db/gh",
           "postgres://gh:S3cr3t/x@db/gh",
           "postgres://gh:S3cr3t?x@db/gh",
           "postgres://gh:S3cr3t#x@db/gh",
           "postgres://gh:x@S3cr3t@db/gh",
           "postgres://gh:x:S3cr3t@db/gh",
           "postgres://db/gh?password=S3cr3t",
           "postgres://db/gh?password=x&S3cr3t",
           "postgres://db/gh?password=x?S3cr3t",
           "postgres://db/gh?sslpassword=S3cr3t",
           "smtp://S3cr3t:S3cr3t@smtp.example.com",
           "host=db password=S3cr3t",
           "host=db password='x S3cr3t'",
           "dbname='postgres://gh:S3cr3t@db/gh'",
       }) {
    EXPECT_EQ(RedactUrl(url).find("S3cr3t"), std::string::npos) << url;
  }
}

TEST(UrlRedactionTest, UrlSchemeIsTheSchemeOrNothing) {
  EXPECT_EQ(UrlScheme("postgres://gh:pw@db/gh"), "postgres");
  EXPECT_EQ(UrlScheme("postgress://gh:pw@db/gh"), "postgress");
  EXPECT_EQ(UrlScheme("Postgres://db"), "Postgres");
  EXPECT_EQ(UrlScheme("svn+ssh://host"), "svn+ssh");
  EXPECT_EQ(UrlScheme("sqlite://"), "sqlite");
  // Not a scheme: no "://", a leading digit, a character no scheme holds,
  // or longer than any scheme.
  EXPECT_EQ(UrlScheme("gh:pw@db/gh"), "");
  EXPECT_EQ(UrlScheme("postgres:/db"), "");
  EXPECT_EQ(UrlScheme("://db"), "");
  EXPECT_EQ(UrlScheme("9p://db"), "");
  EXPECT_EQ(UrlScheme("gh:pw@x://db"), "");
  EXPECT_EQ(UrlScheme("host=db password=a://b"), "");
  EXPECT_EQ(UrlScheme(std::string(33, 'a') + "://db"), "");
  EXPECT_EQ(UrlScheme(std::string(32, 'a') + "://db"), std::string(32, 'a'));
}

TEST(UrlRedactionTest, UnencodedUserinfoIsTold) {
  for (const char* url :
       {"postgres://gh:p@ss@db/gh", "postgres://gh:pa/ss@db/gh",
        "postgres://gh:pa?ss@db/gh", "postgres://gh:pa#ss@db/gh",
        "postgres://gh@corp:pw@db/gh", "postgres://db:5432/gh?user=a@srv"}) {
    EXPECT_TRUE(HasUnencodedUserinfo(url)) << url;
  }
  for (const char* url :
       {"postgres://gh:p%40ss@db/gh", "postgres://gh:pa:ss@db/gh",
        "postgres://gh@db/gh", "postgres://db/gh",
        "postgres://db/gh?password=a@b", "postgres://db/gh?user=a@srv",
        "host=db password=a@b/c", "sqlite:///srv/a@b/g.db", ""}) {
    EXPECT_FALSE(HasUnencodedUserinfo(url)) << url;
  }
}

}  // namespace
}  // namespace gatehouse
