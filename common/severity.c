#include "severity.h"

const char *severity_name(enum severity severity)
{
    switch (severity) {
    case SEVERITY_INFO: return "info";
    case SEVERITY_WARNING: return "warning";
    case SEVERITY_ERROR: break;
    }
    return "error";
}
