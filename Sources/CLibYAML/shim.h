// libyaml's C API (Debian's libyaml-dev), for YAMLSource: it reads YAML event
// by event, so anchors, aliases and duplicate keys are refused before
// anything is built.
#include <yaml.h>
