/* Test harness only, never shipped: Rust's standard library (1.78 and later) takes random bytes
 * from ProcessPrng in bcryptprimitives.dll, which Windows 10 and 11 have and Wine 8 lacks.
 * scripts/wine-check.sh builds this as bcryptprimitives.dll next to the copy of the .exe it runs
 * under Wine; it fills the buffer from RtlGenRandom (advapi32's SystemFunction036). */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
