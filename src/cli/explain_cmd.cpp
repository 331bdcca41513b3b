// marsscan explain: a documented error, its causes and actions, offline.
#include <iostream>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/output.h"
#include "report/render.h"

namespace marsscan::cli {

int explain_command(int argc, char** argv) {
  DatabaseSettings dbs;
  OutputSettings out;
  std::vector<std::string> ids;
  po::options_description d(
      "usage: marsscan explain [options] ID...\n\n"
      "ID is a rule id or any documented code: 34513, MARS-34513, 0x1FC07, 1fc07, SalLowDiskSpace.\n\n"
      "options");
  d.add_options()("help,h", "show this help");
  out.add_to(d);
  dbs.add_to(d);
  po::variables_map vm;
  if (!parse_command(argc, argv, d, "id", ids,
                     "\nexamples:\n  marsscan explain 34513\n  marsscan explain --lang zh-CN 0x1FC07\n", vm))
    return 0;
  if (ids.empty()) throw UsageError("no ID given");
  report::RenderOptions ro = out.render_options();
  match::PatternDb db;
  if (!load_database(dbs, db)) return 2;
  Output o(out.output);
  int rc = 0;
  for (const auto& id : ids) {
    const match::Rule* rule = db.lookup(id);
    if (!rule) {
      std::cerr << "marsscan explain: no documented error matches '" << id
                << "' (see 'marsscan patterns list')\n";
      rc = 2;
      continue;
    }
    report::render_explain(*rule, ro, o.stream());
  }
  if (!o.close()) return 2;
  return rc;
}

}  // namespace marsscan::cli
