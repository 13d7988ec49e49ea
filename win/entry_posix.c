#include "platform.h"
int main(int argc, char **argv) { return wslns_main(argc, argv); }
