/* pipe_check.c - pipe-check.exe, a Windows-only test of the named pipes platform_win32.c
 * gives every child (tests/platform/CMakeLists.txt runs it under Wine). It includes
 * platform_win32.c itself, so it checks the make_pipe the host tool runs, not a copy:
 *
 *   - the name (asked from the pipe) is \wslns- and 32 hex digits, new every time, so no
 *     other process can guess it and create it first;
 *   - the DACL (GetSecurityInfo on our end) has exactly one entry, allowing the user of
 *     this process's token, and is protected (nothing inherited);
 *   - a second CreateNamedPipeW of the same name fails (FILE_FLAG_FIRST_PIPE_INSTANCE, one
 *     instance), so no one can add an instance of their own;
 *   - no other client can open it (the one instance is the child's end).
 *
 * Prints what it found and "ok", or "FAIL: ..." lines; exit 0 only when all hold.
 */
#include "../../win/platform/platform_win32.c"

#include <aclapi.h>
#include <sddl.h>
#include <stdio.h>

static int failures;

static void check(bool ok, const char *what, const char *detail)
{
    if (!ok) {
        printf("FAIL: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
        failures++;
    }
}

/* The pipe's name as the file system gives it ("\wslns-..."), in UTF-8, or NULL. */
static char *pipe_name(HANDLE h)
{
    union {
        FILE_NAME_INFO info;
        char space[sizeof(FILE_NAME_INFO) + 512 * sizeof(wchar_t)];
    } u;
    if (!GetFileInformationByHandleEx(h, FileNameInfo, &u, sizeof u))
        return NULL;
    return to_utf8(u.info.FileName, (int)(u.info.FileNameLength / sizeof(wchar_t)));
}

static bool is_random_name(const char *name)
{
    const char *prefix = "\\wslns-";
    if (strncmp(name, prefix, strlen(prefix)) != 0)
        return false;
    const char *hex = name + strlen(prefix);
    if (strlen(hex) != 32)
        return false;
    for (const char *p = hex; *p; p++)
        if (!strchr("0123456789abcdef", *p))
            return false;
    return true;
}

static char *sid_text(PSID sid)
{
    wchar_t *w = NULL;
    if (!ConvertSidToStringSidW(sid, &w))
        return str_dup("(unreadable SID)");
    char *s = to_utf8(w, -1);
    LocalFree(w);
    return s;
}

static PSID token_user(void)
{
    HANDLE token;
    static union {
        TOKEN_USER user;
        char space[256];
    } u;
    DWORD size;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token))
        return NULL;
    bool ok = GetTokenInformation(token, TokenUser, &u, sizeof u, &size);
    CloseHandle(token);
    return ok ? u.user.User.Sid : NULL;
}

static void check_dacl(HANDLE ours)
{
    PACL dacl = NULL;
    PSECURITY_DESCRIPTOR sd = NULL;
    DWORD e = GetSecurityInfo(ours, SE_KERNEL_OBJECT, DACL_SECURITY_INFORMATION, NULL, NULL, &dacl,
                              NULL, &sd);
    if (e != ERROR_SUCCESS) {
        char *msg = win_error(e);
        check(false, "GetSecurityInfo on the pipe", msg);
        free(msg);
        return;
    }
    PSID me = token_user();
    char *me_text = me ? sid_text(me) : str_dup("(no token user)");
    printf("this user: %s\n", me_text);
    check(dacl != NULL, "the pipe has a DACL (a NULL DACL lets everyone in)", NULL);
    if (dacl) {
        printf("DACL entries: %u\n", (unsigned)dacl->AceCount);
        check(dacl->AceCount == 1, "the DACL has exactly one entry", NULL);
        for (DWORD i = 0; i < dacl->AceCount; i++) {
            ACE_HEADER *ace = NULL;
            if (!GetAce(dacl, i, (void **)&ace))
                continue;
            if (ace->AceType != ACCESS_ALLOWED_ACE_TYPE) {
                printf("entry %lu: type %u\n", (unsigned long)i, (unsigned)ace->AceType);
                check(false, "every entry allows (none denies or audits)", NULL);
                continue;
            }
            ACCESS_ALLOWED_ACE *allowed = (ACCESS_ALLOWED_ACE *)ace;
            PSID sid = (PSID)&allowed->SidStart;
            char *text = sid_text(sid);
            printf("entry %lu: allow 0x%lx to %s\n", (unsigned long)i, (unsigned long)allowed->Mask,
                   text);
            check(me && EqualSid(sid, me), "the entry names this user", text);
            free(text);
        }
    }
    SECURITY_DESCRIPTOR_CONTROL control = 0;
    DWORD revision;
    if (GetSecurityDescriptorControl(sd, &control, &revision))
        check((control & SE_DACL_PROTECTED) != 0, "the DACL is protected", NULL);
    free(me_text);
    LocalFree(sd);
}

int main(void)
{
    HANDLE ours[2], theirs[2];
    char *names[2] = {NULL, NULL};
    for (int i = 0; i < 2; i++) {
        if (!make_pipe(i == 0, &ours[i], &theirs[i])) {
            char *msg = error_with("make_pipe", GetLastError());
            printf("FAIL: %s\n", msg);
            return 1;
        }
        names[i] = pipe_name(ours[i]);
        printf("pipe %d: %s\n", i, names[i] ? names[i] : "(no name)");
        check(names[i] && is_random_name(names[i]), "the name is \\wslns- and 32 hex digits",
              names[i]);
    }
    check(names[0] && names[1] && strcmp(names[0], names[1]) != 0, "two pipes get different names",
          NULL);
    check_dacl(ours[0]);
    check_dacl(ours[1]);

    wchar_t *full = NULL;
    if (names[0]) {
        char *path = str_printf("\\\\.\\pipe%s", names[0]);
        full = to_wide(path);
        free(path);
    }
    if (full) {
        HANDLE second = CreateNamedPipeW(full, PIPE_ACCESS_INBOUND, PIPE_TYPE_BYTE | PIPE_WAIT,
                                         PIPE_UNLIMITED_INSTANCES, 4096, 4096, 0, NULL);
        DWORD e = GetLastError();
        printf("second instance: %s (error %lu)\n",
               second == INVALID_HANDLE_VALUE ? "refused" : "created", (unsigned long)e);
        check(second == INVALID_HANDLE_VALUE, "a second instance of the name is refused", NULL);
        if (second != INVALID_HANDLE_VALUE)
            CloseHandle(second);
        HANDLE client = CreateFileW(full, GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
        e = GetLastError();
        printf("another client: %s (error %lu)\n",
               client == INVALID_HANDLE_VALUE ? "refused" : "connected", (unsigned long)e);
        check(client == INVALID_HANDLE_VALUE, "no other client can open it", NULL);
        if (client != INVALID_HANDLE_VALUE)
            CloseHandle(client);
        free(full);
    }
    for (int i = 0; i < 2; i++) {
        CloseHandle(ours[i]);
        CloseHandle(theirs[i]);
        free(names[i]);
    }
    puts(failures ? "FAIL" : "ok");
    return failures ? 1 : 0;
}
