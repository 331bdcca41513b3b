#include <catch2/catch.hpp>

#include <sstream>

#include "report/render.h"
#include "report_fixture.h"

using namespace fixture;

namespace {
std::string explain(const match::Rule& r, bool zh) {
  report::RenderOptions o;
  o.chinese = zh;
  std::ostringstream s;
  report::render_explain(r, o, s);
  return s.str();
}
bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }
}  // namespace

TEST_CASE("render_explain lists id, severity, title, summary, codes, source, causes and actions") {
  auto db = make_db();
  const std::string t = explain(db.rules[0], false);
  CHECK(has(t, "MARS-34513  [error]\nInvalid vault credentials provided\n"));
  CHECK(has(t, "The vault credentials file is invalid."));
  CHECK(has(t, "codes: 34513"));
  CHECK(has(t, "source: D1, Invalid vault credentials provided"));
  CHECK(has(t, "https://learn.microsoft.com/azure/backup/backup-azure-mars-troubleshoot"));
  CHECK(has(t, "1. The credentials file expired. (credentials-expired)\n     - Download fresh vault credentials."));
  CHECK(has(t, "3. A proxy blocks the agent. (proxy-blocking)\n     - Configure the proxy."));
  CHECK(has(t, "evidence: MARS-407"));
  CHECK(has(t, "general actions:\n  1. Retry the registration."));
  // Causes in documented order.
  CHECK(t.find("credentials-expired") < t.find("temp-download-blocked"));
  CHECK(t.find("temp-download-blocked") < t.find("clock-skew"));
}

TEST_CASE("render_explain in zh-CN") {
  auto db = make_db();
  const std::string t = explain(db.rules[0], true);
  CHECK(has(t, "MARS-34513  [错误]\n提供的保管库凭据无效\n"));
  CHECK(has(t, "保管库凭据文件无效。"));
  CHECK(has(t, "代码：34513"));
  CHECK(has(t, "可能原因："));
  CHECK(has(t, "1. 凭据文件已过期。 (credentials-expired)\n     - 重新下载保管库凭据。"));
  CHECK(has(t, "通用操作：\n  1. 重试注册。"));
}
