/* Test harness only: starts a program the way Windows starts a GUI-subsystem program from a
 * console — without standard handles (STARTF_USESTDHANDLES with none, nothing inherited) — waits
 * for it and returns its exit code. Wine itself passes a console's handles to every child, so
 * without this launcher it could not show whether a GUI program finds its console on its own.
 * Usage: launch-without-handles.exe PROGRAM [ARGS...] (one command line, quoted as given). */
#include <windows.h>
#include <stdio.h>
#include <wchar.h>

int wmain(int argc, wchar_t **argv)
{
    if (argc < 2) {
        fwprintf(stderr, L"usage: launch-without-handles PROGRAM [ARGS...]\n");
        return 2;
    }
    wchar_t line[32768] = L"";
    for (int i = 1; i < argc; i++) {
        if (i > 1)
            wcsncat(line, L" ", 32767 - wcslen(line));
        wcsncat(line, L"\"", 32767 - wcslen(line));
        wcsncat(line, argv[i], 32767 - wcslen(line));
        wcsncat(line, L"\"", 32767 - wcslen(line));
    }
    STARTUPINFOW si = { sizeof si };
    si.dwFlags = STARTF_USESTDHANDLES; /* hStdInput/Output/Error stay NULL */
    PROCESS_INFORMATION pi;
    fflush(stdout);
    if (!CreateProcessW(NULL, line, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) {
        fwprintf(stderr, L"cannot start %ls (error %lu)\n", argv[1], GetLastError());
        return 2;
    }
    WaitForSingleObject(pi.hProcess, INFINITE);
    DWORD code = 1;
    GetExitCodeProcess(pi.hProcess, &code);
    return (int)code;
}
