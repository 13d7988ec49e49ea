#include <stdio.h>
#include "platform.h"
#include "wslns_version.h"
int wslns_main(int argc, char **argv)
{
    (void)argc; (void)argv;
    printf("wslns %s\n", WSLNS_VERSION);
    return 0;
}
