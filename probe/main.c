#include <stdio.h>
#include "wslns_version.h"
int main(void) { printf("wslns-probe %s\n", WSLNS_VERSION); return 0; }
