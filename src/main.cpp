// marsscan: offline analyzer for Microsoft Azure Recovery Services (MARS) agent logs.
#include "cli/commands.h"

int main(int argc, char** argv) { return marsscan::cli::run(argc, argv); }
