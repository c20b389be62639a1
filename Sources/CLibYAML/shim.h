#ifndef ORDERSTACK_CLIBYAML_SHIM_H
#define ORDERSTACK_CLIBYAML_SHIM_H
#include <yaml.h>
#endif
