/* entry_posix.c - main() of the POSIX build. Arguments are already bytes (UTF-8 on any
 * sane system) and stdout needs no set-up, so this only hands over to the portable core. */
#include "platform/platform.h"

int main(int argc, char **argv)
{
    return wslns_main(argc, argv);
}
