/* planted_dll.c - a stand-in for a DLL an attacker drops beside wslns.exe (tests/native/run.sh
 * dll-planting-windows). Built as userenv.dll in a folder of its own (planted/): userenv is
 * not a KnownDLL, so Windows' default search order would take this copy from the
 * application's folder before System32's. When loaded it creates the file named by the
 * environment variable PLANTED_DLL_MARKER, so the test sees whether it ran. It exports the
 * one function wslns uses from userenv, so a static import would bind to it.
 */
#include <windows.h>

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved);
BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
    (void)instance;
    (void)reserved;
    if (reason == DLL_PROCESS_ATTACH) {
        wchar_t marker[1024];
        DWORD n = GetEnvironmentVariableW(L"PLANTED_DLL_MARKER", marker, 1024);
        if (n > 0 && n < 1024) {
            HANDLE f = CreateFileW(marker, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
            if (f != INVALID_HANDLE_VALUE)
                CloseHandle(f);
        }
    }
    return TRUE;
}

__declspec(dllexport) BOOL WINAPI GetUserProfileDirectoryW(HANDLE token, LPWSTR dir, LPDWORD size);
__declspec(dllexport) BOOL WINAPI GetUserProfileDirectoryW(HANDLE token, LPWSTR dir, LPDWORD size)
{
    (void)token;
    (void)dir;
    (void)size;
    SetLastError(ERROR_ACCESS_DENIED);
    return FALSE;
}
