/* relay_protocol.h - the frames between wsl-stand-in\wsl.exe (tests/lab/wsl_stand_in.c,
 * Windows, under Wine) and wslns-relay-server (tests/lab/relay_server.c, Linux), over one
 * TCP connection to 127.0.0.1. docs/platform.md describes the whole exchange.
 *
 * Every frame is [1 byte type][4 bytes payload length, little-endian][payload].
 * Client -> server, in this order: ARGS, CMDLINE, ENV (the server starts the emulator after
 * ENV), then any number of STDIN frames and at most one STDIN_EOF.
 * Server -> client: STDOUT and STDERR frames as the emulator writes, then one EXIT.
 */
#ifndef WSLNS_RELAY_PROTOCOL_H
#define WSLNS_RELAY_PROTOCOL_H

enum relay_frame {
    RELAY_ARGS = 1,      /* argv[1..] as UTF-8, each NUL-terminated, concatenated */
    RELAY_CMDLINE = 2,   /* GetCommandLineW() as UTF-8, no terminator */
    RELAY_ENV = 3,       /* "NAME=value" entries, each NUL-terminated (only WSL_UTF8, if set) */
    RELAY_STDIN = 4,     /* bytes for the emulator's stdin */
    RELAY_STDIN_EOF = 5, /* empty: the stand-in's stdin ended */
    RELAY_STDOUT = 6,    /* bytes the emulator wrote to stdout */
    RELAY_STDERR = 7,    /* bytes the emulator wrote to stderr */
    RELAY_EXIT = 8,      /* int32 little-endian: the stand-in's exit code */
};

#define RELAY_HEADER_SIZE 5
/* Frames larger than this are a protocol error (the biggest real one is a probe's JSON,
 * which travels in many STDOUT frames anyway). */
#define RELAY_MAX_FRAME (16u * 1024 * 1024)

#endif
