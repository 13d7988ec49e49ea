/* wsl_stand_in.c - wsl-stand-in\wsl.exe: what wslns.exe runs as wsl.exe under Wine. A
 * Windows program cannot exec the Linux wsl.exe emulator, so this one connects to
 * wslns-relay-server (tests/lab/relay_server.c) on 127.0.0.1:%WSLNS_RELAY_PORT% and lets the
 * emulator answer: it sends its arguments (as wmain got them, in UTF-8), the raw command
 * line (the emulator applies wsl.exe's own parsing to it) and WSL_UTF8 if set; relays its
 * stdin; writes what comes back to its stdout and stderr untouched; and exits with the code
 * the server sends (a 32-bit value: -1 is 0xFFFFFFFF, as with the real wsl.exe).
 * Frames: tests/lab/relay_protocol.h. If the host tool kills this process, the socket
 * closes and the server kills the emulator.
 */
#ifndef _WIN32_WINNT
#define _WIN32_WINNT 0x0A00
#endif
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

#include <process.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "relay_protocol.h"
#include "strbuf.h"

static SOCKET relay = INVALID_SOCKET;

/* Messages go straight to the stderr handle: the CRT's streams are not used at all, so
 * nothing can translate line ends. */
static void say(const char *msg)
{
    DWORD n;
    WriteFile(GetStdHandle(STD_ERROR_HANDLE), msg, (DWORD)strlen(msg), &n, NULL);
}

static char *utf8_of(const wchar_t *w)
{
    int n = WideCharToMultiByte(CP_UTF8, 0, w, -1, NULL, 0, NULL, NULL);
    char *s = n > 0 ? malloc((size_t)n) : NULL;
    if (s)
        WideCharToMultiByte(CP_UTF8, 0, w, -1, s, n, NULL, NULL);
    return s;
}

static bool send_all(const char *p, size_t len)
{
    while (len) {
        int n = send(relay, p, len > 65536 ? 65536 : (int)len, 0);
        if (n <= 0)
            return false;
        p += n;
        len -= (size_t)n;
    }
    return true;
}

static bool send_frame(int type, const void *data, size_t len)
{
    char header[RELAY_HEADER_SIZE] = {(char)type, (char)len, (char)(len >> 8), (char)(len >> 16),
                                      (char)(len >> 24)};
    return send_all(header, sizeof header) && send_all(data, len);
}

static bool recv_all(char *p, size_t len)
{
    while (len) {
        int n = recv(relay, p, len > 65536 ? 65536 : (int)len, 0);
        if (n <= 0)
            return false;
        p += n;
        len -= (size_t)n;
    }
    return true;
}

static bool write_all(HANDLE h, const char *p, size_t len)
{
    while (len) {
        DWORD n = 0;
        if (!WriteFile(h, p, (DWORD)len, &n, NULL))
            return false;
        p += n;
        len -= n;
    }
    return true;
}

/* Relays stdin until it ends. Runs beside the main thread, which only receives; a host that
 * keeps stdin open (the debug shell) simply never gets here to STDIN_EOF. */
static unsigned __stdcall pump_stdin(void *arg)
{
    (void)arg;
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
    bool is_pipe = in && in != INVALID_HANDLE_VALUE && GetFileType(in) == FILE_TYPE_PIPE;
    static char buf[65536];
    while (in && in != INVALID_HANDLE_VALUE) {
        DWORD n = 0;
        if (!ReadFile(in, buf, sizeof buf, &n, NULL))
            break; /* ERROR_BROKEN_PIPE: the writer closed it */
        if (n == 0 && !is_pipe)
            break; /* end of a file; on a pipe, a zero-length write is not the end */
        if (n && !send_frame(RELAY_STDIN, buf, n))
            return 0;
    }
    send_frame(RELAY_STDIN_EOF, "", 0);
    return 0;
}

int wmain(int argc, wchar_t **wargv);
int wmain(int argc, wchar_t **wargv)
{
    wchar_t port_text[16];
    DWORD len = GetEnvironmentVariableW(L"WSLNS_RELAY_PORT", port_text, 16);
    int port = len > 0 && len < 16 ? _wtoi(port_text) : 0;
    if (port <= 0 || port > 65535) {
        say("wsl.exe stand-in: WSLNS_RELAY_PORT is not set to a port; start wslns-relay-server "
            "--port-file F -- <emulator> and set WSLNS_RELAY_PORT to the number in F\r\n");
        return 1;
    }
    WSADATA wsa;
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) {
        say("wsl.exe stand-in: Winsock did not start\r\n");
        return 1;
    }
    relay = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons((u_short)port);
    if (relay == INVALID_SOCKET || connect(relay, (struct sockaddr *)&addr, sizeof addr) != 0) {
        say("wsl.exe stand-in: cannot connect to wslns-relay-server on 127.0.0.1 "
            "(is it running, and is WSLNS_RELAY_PORT its port?)\r\n");
        return 1;
    }
    /* Small frames (a tty's echo) should not wait for Nagle. */
    BOOL one = TRUE;
    setsockopt(relay, IPPROTO_TCP, TCP_NODELAY, (const char *)&one, sizeof one);

    struct strbuf args = STRBUF_INIT, env = STRBUF_INIT;
    for (int i = 1; i < argc; i++) {
        char *a = utf8_of(wargv[i]);
        if (!a)
            return 1;
        strbuf_append(&args, a, strlen(a) + 1);
        free(a);
    }
    char *cmdline = utf8_of(GetCommandLineW());
    wchar_t utf8_value[64];
    SetLastError(0); /* WSL_UTF8 set to "" returns 0 without setting an error */
    DWORD vlen = GetEnvironmentVariableW(L"WSL_UTF8", utf8_value, 64);
    if (vlen < 64 && (vlen > 0 || GetLastError() != ERROR_ENVVAR_NOT_FOUND)) {
        utf8_value[vlen] = L'\0';
        char *v = utf8_of(utf8_value);
        if (v) {
            strbuf_printf(&env, "WSL_UTF8=%s", v);
            strbuf_putc(&env, '\0');
        }
        free(v);
    }
    bool sent = cmdline && send_frame(RELAY_ARGS, args.data, args.len) &&
                send_frame(RELAY_CMDLINE, cmdline, strlen(cmdline)) &&
                send_frame(RELAY_ENV, env.data, env.len);
    free(cmdline);
    strbuf_release(&args);
    strbuf_release(&env);
    if (!sent) {
        say("wsl.exe stand-in: the relay connection failed while sending the command\r\n");
        return 1;
    }
    HANDLE pump = (HANDLE)_beginthreadex(NULL, 0, pump_stdin, NULL, 0, NULL);
    if (!pump)
        send_frame(RELAY_STDIN_EOF, "", 0);

    HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE), err = GetStdHandle(STD_ERROR_HANDLE);
    for (;;) {
        unsigned char header[RELAY_HEADER_SIZE];
        if (!recv_all((char *)header, sizeof header))
            break;
        uint32_t n = (uint32_t)header[1] | (uint32_t)header[2] << 8 | (uint32_t)header[3] << 16 |
                     (uint32_t)header[4] << 24;
        if (n > RELAY_MAX_FRAME)
            break;
        char *payload = malloc(n ? n : 1);
        if (!payload || !recv_all(payload, n)) {
            free(payload);
            break;
        }
        if (header[0] == RELAY_STDOUT)
            write_all(out, payload, n);
        else if (header[0] == RELAY_STDERR)
            write_all(err, payload, n);
        else if (header[0] == RELAY_EXIT && n == 4) {
            const unsigned char *p = (const unsigned char *)payload;
            UINT code = (UINT)p[0] | (UINT)p[1] << 8 | (UINT)p[2] << 16 | (UINT)p[3] << 24;
            closesocket(relay);
            /* ExitProcess, not return: the stdin thread may sit in a ReadFile forever. */
            ExitProcess(code);
        }
        free(payload);
    }
    say("wsl.exe stand-in: the relay closed the connection without an exit code\r\n");
    ExitProcess(1);
}
