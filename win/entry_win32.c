#include <stdlib.h>
#include "platform.h"
int wmain(int argc, wchar_t **argv);
int wmain(int argc, wchar_t **argv) { (void)argv; return wslns_main(argc, NULL); }
