/* Test harness only: the control for the console check of scripts/wine-check.sh — a GUI-subsystem
 * program that writes to its standard output without looking for a console. Started without
 * standard handles (launch-without-handles.exe) it has nowhere to write and exits with 3; were it
 * to print, the launcher would not be doing its job and the check would prove nothing. */
#include <windows.h>

int WINAPI WinMain(HINSTANCE instance, HINSTANCE previous, LPSTR command_line, int show)
{
    (void)instance; (void)previous; (void)command_line; (void)show;
    static const char text[] = "the control printed\r\n";
    HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
    DWORD written;
    if (out == NULL || out == INVALID_HANDLE_VALUE)
        return 3;
    return WriteFile(out, text, sizeof text - 1, &written, NULL) ? 0 : 3;
}
