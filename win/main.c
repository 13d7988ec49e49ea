#include <stdio.h>
#include "wslns_version.h"
int main(void) { printf("wslns %s\n", WSLNS_VERSION); return 0; }
