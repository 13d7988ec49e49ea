/* placeholder until the platform layer lands */
#include "platform.h"
