/*
 * For the Wine smoke test only, never shipped: Wine 8 (Debian's) has no
 * ProcessPrng in bcryptprimitives.dll, which Rust's standard library calls
 * for random bytes; real Windows 10 and 11 have it. This stand-in gives the
 * same bytes source Windows used before it, advapi32's RtlGenRandom
 * (exported as SystemFunction036).
 */
#include <windows.h>

typedef BOOLEAN(WINAPI *gen_random_fn)(PVOID, ULONG);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    static gen_random_fn gen_random = NULL;
    if (gen_random == NULL) {
        HMODULE advapi = LoadLibraryA("advapi32.dll");
        if (advapi == NULL)
            return FALSE;
        gen_random = (gen_random_fn)GetProcAddress(advapi, "SystemFunction036");
        if (gen_random == NULL)
            return FALSE;
    }
    while (len > 0) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!gen_random(data, chunk))
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
